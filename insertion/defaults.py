"""The French default lists every new organisation starts with (../shared/GLOSSARY.md).

Labels are data, in French, and each organisation edits its own copy; codes stay stable so that the
reports can find "priority neighbourhood" or "sustainable employment" whatever the label becomes.
"""

from importlib import import_module

from insertion.enums import ExitCategory, Scale1969, Scale2019
from insertion.models import (
    EducationLevel,
    ExitOutcome,
    Neighbourhood,
    PartnerTheme,
    Programme,
    SocialSituation,
    WorkshopKind,
)

# Valenciennes (seed 001); an organisation elsewhere replaces them with its own.
NEIGHBOURHOODS = [
    ("saint-waast", "Saint-Waast", True),
    ("dutemple", "Dutemple", True),
    ("faubourg-de-lille", "Faubourg de Lille", True),
    ("faubourg-de-paris", "Faubourg de Paris", True),
    ("centre-ville", "Centre-ville", False),
    ("acacias", "Acacias", True),
    ("faubourg-de-cambrai", "Faubourg de Cambrai", False),
    ("les-tertiales", "Les Tertiales", True),
    ("chasse-royale", "Chasse Royale", True),
    ("la-briquette", "La Briquette", False),
    ("les-cheminots", "Les Cheminots", False),
    ("faubourg-sainte-catherine", "Faubourg Sainte-Catherine", False),
    ("le-roleur", "Le Roleur", False),
]

EDUCATION_LEVELS = [
    ("never-schooled", "Jamais scolarisé ou primaire seulement", Scale1969.VI, Scale2019.BELOW_3),
    ("college-no-diploma", "Sortie du collège sans diplôme", Scale1969.VI, Scale2019.BELOW_3),
    ("cap-bep-last-year", "Sortie en dernière année de CAP/BEP ou après la 3e", Scale1969.VBIS, Scale2019.BELOW_3),
    ("cap-bep", "CAP, BEP (ou niveau 2nde/1ère)", Scale1969.V, Scale2019.L3),
    ("baccalaureat", "Baccalauréat (ou niveau terminale)", Scale1969.IV, Scale2019.L4),
    ("bac-plus-2", "Bac + 2 (BTS, DUT)", Scale1969.III, Scale2019.L5),
    ("bac-plus-3-4", "Bac + 3 ou 4 (licence, maîtrise)", Scale1969.II, Scale2019.L6),
    ("bac-plus-5", "Bac + 5 (master)", Scale1969.I, Scale2019.L7),
    ("doctorate", "Doctorat", Scale1969.I, Scale2019.L8),
]

SOCIAL_SITUATIONS = [
    ("rsa", "Allocataire du RSA"),
    ("ass", "Allocataire de l'ASS"),
    ("aah", "Allocataire de l'AAH"),
    ("no-income", "Sans ressources"),
    ("long-term-unemployed", "Demandeur d'emploi de longue durée (12 mois ou plus)"),
    ("very-long-term-unemployed", "Demandeur d'emploi de très longue durée (24 mois ou plus)"),
    ("homeless", "Sans domicile ou sans logement stable"),
    ("emergency-accommodation", "Hébergé en urgence ou en CHRS"),
    ("isolated", "Personne isolée"),
    ("single-parent", "Parent isolé"),
    ("rqth", "Travailleur handicapé reconnu (RQTH)"),
    ("under-26", "Moins de 26 ans"),
    ("over-50", "50 ans ou plus"),
    ("priority-neighbourhood", "Résident d'un quartier prioritaire"),
]

EXIT_OUTCOMES = [
    ("cdi", "CDI", ExitCategory.SUSTAINABLE_EMPLOYMENT),
    ("cdd-6-months-or-more", "CDD ou intérim de 6 mois ou plus", ExitCategory.SUSTAINABLE_EMPLOYMENT),
    ("civil-service", "Titularisation dans la fonction publique", ExitCategory.SUSTAINABLE_EMPLOYMENT),
    ("business-creation", "Création d'entreprise", ExitCategory.SUSTAINABLE_EMPLOYMENT),
    ("cdd-under-6-months", "CDD ou intérim de moins de 6 mois", ExitCategory.TRANSITION_EMPLOYMENT),
    ("subsidised-contract", "Contrat aidé chez un employeur ordinaire", ExitCategory.TRANSITION_EMPLOYMENT),
    ("qualifying-training", "Formation qualifiante ou pré-qualifiante", ExitCategory.POSITIVE_EXIT),
    ("other-insertion-structure", "Embauche dans une autre SIAE (CDDI en ACI, EI, ETTI)", ExitCategory.POSITIVE_EXIT),
    ("job-seeking", "Recherche d'emploi", ExitCategory.OTHER),
    ("inactivity", "Inactivité", ExitCategory.OTHER),
    ("health", "Raisons de santé", ExitCategory.OTHER),
    ("moving-away", "Déménagement", ExitCategory.OTHER),
    ("end-of-rights", "Fin de droits", ExitCategory.OTHER),
    ("unknown", "Sortie inconnue", ExitCategory.OTHER),
]

WORKSHOP_KINDS = [
    ("market-gardening", "Maraîchage"),
    ("biodiversity", "Développement durable et biodiversité"),
    ("health", "Promotion et éducation à la santé"),
    ("solidarity-table", "Cuisine et table solidaire"),
    ("beekeeping", "Apiculture"),
    ("exhibition-chalet", "Chalet d'exposition"),
    ("other", "Autre"),
]

PARTNER_THEMES = [
    ("housing", "Logement et urgence"),
    ("health", "Santé"),
    ("solidarity-economy", "Économie solidaire"),
    ("food-aid", "Aide alimentaire et financière"),
    ("insertion", "Insertion socio-professionnelle"),
    ("knowledge-exchange", "Échanges et savoirs"),
    ("patronage", "Mécénat (terrains, locaux)"),
    ("funding", "Financement"),
]

PROGRAMMES = [
    ("market-gardening-workshop", "Atelier maraîchage"),
]


def _rows():
    yield Neighbourhood, [{"code": c, "label": label, "is_priority": p} for c, label, p in NEIGHBOURHOODS]
    yield (
        EducationLevel,
        [{"code": c, "label": label, "scale_1969": s69, "scale_2019": s19} for c, label, s69, s19 in EDUCATION_LEVELS],
    )
    yield SocialSituation, [{"code": c, "label": label} for c, label in SOCIAL_SITUATIONS]
    yield ExitOutcome, [{"code": c, "label": label, "category": cat} for c, label, cat in EXIT_OUTCOMES]
    yield WorkshopKind, [{"code": c, "label": label} for c, label in WORKSHOP_KINDS]
    yield PartnerTheme, [{"code": c, "label": label} for c, label in PARTNER_THEMES]
    yield Programme, [{"code": c, "label": label} for c, label in PROGRAMMES]


# Apps with defaults of their own expose `defaults.install(organisation)`.
APP_DEFAULTS = ["gardens.defaults"]


def reference_defaults_install(organisation):
    """Create the default lists that an organisation lacks; entries it already has (by code) are left as edited."""
    created = 0
    for model, rows in _rows():
        existing = set(model.objects.filter(organisation=organisation).values_list("code", flat=True))
        new = [
            model(organisation=organisation, position=position, **row)
            for position, row in enumerate(rows, start=1)
            if row["code"] not in existing
        ]
        model.objects.bulk_create(new)
        created += len(new)
    for module_name in APP_DEFAULTS:
        import_module(module_name).install(organisation)
    return created
