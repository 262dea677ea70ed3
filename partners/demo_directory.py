"""Demo data of the partners app, first part: the directory of seed 001's partners (Les Jardins du Cœur, Valenciennes).

`manage.py seed_demo` calls `seed(organisation, rng=rng, stdout=stdout)` before the other apps' demos, so that the
beneficiaries' referring partners and the workshops' co-leading partners, which those demos look up by name, are the
partners written here with their kind, themes and roles. It writes seed 001's "Les partenaires" theme by theme,
its four funders ("Ils financent l'action") and the partners the seed names elsewhere: the charities receiving the
produce (Petits Frères des Pauvres, a CHRS), the Mission Locale, the volunteer beekeeper, the city's "Cadre de vie"
service lending its heated greenhouses, and the AFPA (a training centre people are referred to).

Names follow the seed, with today's names where they changed (Pôle Emploi is France Travail since 2024) and the
short names the other demos use ("Croix-Rouge", "SIAO 115", "Institut Pasteur de Lille"…).

Idempotent: each partner is looked up by name and its fields are brought back to the demo's; contacts are looked up
by name within their partner. Nothing is drawn from `rng`: the directory is the same whatever the day.
"""

from django.db import transaction

from insertion.models import PartnerTheme
from partners.enums import PartnerKind
from partners.models import Contact, Partner

VALENCIENNES = ("59300", "Valenciennes")
LILLE = ("59000", "Lille")

# Theme codes: insertion/defaults.py PARTNER_THEMES.
HOUSING, HEALTH, SOLIDARITY = "housing", "health", "solidarity-economy"
FOOD, INSERTION, EXCHANGE, PATRONAGE, FUNDING = "food-aid", "insertion", "knowledge-exchange", "patronage", "funding"

# Role flags (partners.enums.PartnerRole values).
ORIENTS, RECEIVES, CO_LEADS, FUNDS, LENDS = (
    "orients_people",
    "receives_produce",
    "co_leads_workshops",
    "funds",
    "lends_premises",
)
ROLE_FIELDS = (ORIENTS, RECEIVES, CO_LEADS, FUNDS, LENDS)

# (name, kind, themes, roles, activity, (postcode, town), extra fields); activities are seed 001's words.
PARTNERS = [
    # Mécénat
    (
        "Caisse d'Epargne de Prévoyance Nord Europe",
        PartnerKind.COMPANY,
        (PATRONAGE,),
        (LENDS,),
        "Mise à disposition de terrains",
        LILLE,
        {},
    ),
    ("Voies navigables", PartnerKind.PUBLIC_BODY, (PATRONAGE,), (LENDS,), "Mise à disposition de terrains", LILLE, {}),
    (
        "Service Cadre de vie de la Ville de Valenciennes",
        PartnerKind.PUBLIC_BODY,
        (PATRONAGE,),
        (LENDS, CO_LEADS),
        "Prêt des serres chauffées pour la levée des semis ; co-anime l'atelier développement durable et biodiversité",
        VALENCIENNES,
        {},
    ),
    # Logement (urgence, relogement)
    (
        "Bailleur social V2H",
        PartnerKind.PUBLIC_BODY,
        (HOUSING,),
        (),
        "Logement des différents publics",
        VALENCIENNES,
        {},
    ),
    (
        "Croix-Rouge",
        PartnerKind.ASSOCIATION,
        (HOUSING,),
        (ORIENTS, RECEIVES),
        "Centre d'hébergement / Relais d'identification du public ; reçoit des légumes des Jardins",
        VALENCIENNES,
        {"website": "https://www.croix-rouge.fr"},
    ),
    (
        "PACT",
        PartnerKind.ASSOCIATION,
        (HOUSING,),
        (ORIENTS,),
        "Centre d'hébergement / Relais d'identification du public",
        VALENCIENNES,
        {},
    ),
    (
        "Fondation Abbé Pierre",
        PartnerKind.FOUNDATION,
        (HOUSING,),
        (ORIENTS,),
        "Hébergement / Relais d'identification du public",
        VALENCIENNES,
        {},
    ),
    (
        "La Pose",
        PartnerKind.ASSOCIATION,
        (HOUSING,),
        (ORIENTS,),
        "Centre d'hébergement pour femmes seules / Relais d'identification du public",
        VALENCIENNES,
        {},
    ),
    (
        "SIAO 115",
        PartnerKind.ASSOCIATION,
        (HOUSING,),
        (ORIENTS,),
        "SIAO - CAOH (115) : coordination de l'hébergement d'urgence / Relais d'identification du public",
        VALENCIENNES,
        {"phone": "115"},
    ),
    (
        "ADOMA",
        PartnerKind.COMPANY,
        (HOUSING,),
        (ORIENTS,),
        "Logement - Résidence sociale / Relais en matière de relogement",
        VALENCIENNES,
        {},
    ),
    (
        "Club de Prévention CAPEP",
        PartnerKind.ASSOCIATION,
        (HOUSING,),
        (ORIENTS,),
        "Suivi des jeunes en errance / Relais d'identification du public",
        VALENCIENNES,
        {},
    ),
    (
        "Collectif Valenciennois de lutte contre le SIDA",
        PartnerKind.ASSOCIATION,
        (HOUSING,),
        (CO_LEADS,),
        "Prévention dans le cadre des MST / Journée d'information et de sensibilisation",
        VALENCIENNES,
        {},
    ),
    (
        "Centre La Boussole",
        PartnerKind.HEALTH,
        (HOUSING,),
        (),
        "Traitement des addictions / Relais en termes de suivi du public",
        VALENCIENNES,
        {},
    ),
    (
        "CHRS",
        PartnerKind.ASSOCIATION,
        (HOUSING,),
        (ORIENTS, RECEIVES),
        "Centre d'hébergement et de réinsertion sociale : oriente des résidents vers l'atelier, reçoit des légumes "
        "des Jardins",
        VALENCIENNES,
        {},
    ),
    # Santé
    (
        "CPAM du Hainaut",
        PartnerKind.PUBLIC_BODY,
        (HEALTH,),
        (CO_LEADS,),
        "Unité Solidarité de la Caisse Primaire d'Assurance Maladie : couverture santé – bilan de santé – animation "
        "collective – prévention santé",
        VALENCIENNES,
        {"website": "https://www.ameli.fr"},
    ),
    (
        "Service de prévention santé du Département",
        PartnerKind.PUBLIC_BODY,
        (HEALTH,),
        (CO_LEADS,),
        "Prévention santé, animation collective",
        VALENCIENNES,
        {},
    ),
    (
        "Institut Pasteur de Lille",
        PartnerKind.HEALTH,
        (HEALTH,),
        (CO_LEADS,),
        "Bilan de santé, animation d'atelier, nutrition",
        LILLE,
        {"website": "https://pasteur-lille.fr"},
    ),
    # Économie solidaire
    ("Le Pacte 59", PartnerKind.ASSOCIATION, (SOLIDARITY,), (), "Épicerie solidaire", VALENCIENNES, {}),
    # Aide alimentaire et financière
    (
        "Restos du Cœur",
        PartnerKind.ASSOCIATION,
        (FOOD,),
        (ORIENTS, RECEIVES),
        "Distribution alimentaire",
        VALENCIENNES,
        {"website": "https://www.restosducoeur.org"},
    ),
    (
        "Midi Partage",
        PartnerKind.ASSOCIATION,
        (FOOD,),
        (RECEIVES,),
        "Distribution alimentaire (public SDF)",
        VALENCIENNES,
        {},
    ),
    (
        "Secours Catholique",
        PartnerKind.ASSOCIATION,
        (FOOD,),
        (RECEIVES,),
        "Distribution alimentaire",
        VALENCIENNES,
        {"website": "https://www.secours-catholique.org"},
    ),
    (
        "Petits Frères des Pauvres",
        PartnerKind.ASSOCIATION,
        (FOOD,),
        (RECEIVES,),
        "Accompagnement des personnes âgées isolées ; paniers de légumes des Jardins",
        VALENCIENNES,
        {"website": "https://www.petitsfreresdespauvres.fr"},
    ),
    # Insertion socio-professionnelle
    (
        "Crédit Mutuel Nord Europe",
        PartnerKind.COMPANY,
        (INSERTION,),
        (),
        "Instruction du micro-crédit personnel / Autorisation en matière de prêt",
        VALENCIENNES,
        {},
    ),
    (
        "AGEVAL",
        PartnerKind.INSERTION,
        (INSERTION,),
        (),
        "Association d'insertion / Examen des candidatures pour les contrats de travail",
        VALENCIENNES,
        {},
    ),
    (
        "L'UCIE Interim",
        PartnerKind.INSERTION,
        (INSERTION,),
        (),
        "Entreprise de travail temporaire d'insertion / Examen des candidatures pour les contrats de travail",
        VALENCIENNES,
        {},
    ),
    (
        "SITA Rebond",
        PartnerKind.INSERTION,
        (INSERTION,),
        (),
        "Entreprise de travail temporaire d'insertion / Examen des candidatures pour les contrats de travail",
        VALENCIENNES,
        {},
    ),
    (
        "France Travail",
        PartnerKind.PUBLIC_BODY,
        (INSERTION,),
        (ORIENTS,),
        "Proposition d'offres d'emploi / Examen des candidatures, emploi (Pôle emploi jusqu'en 2023)",
        VALENCIENNES,
        {"website": "https://www.francetravail.fr"},
    ),
    (
        "Maison de l'emploi",
        PartnerKind.PUBLIC_BODY,
        (INSERTION,),
        (),
        "Proposition d'offres d'emploi / Examen des candidatures, emploi",
        VALENCIENNES,
        {},
    ),
    (
        "Plateforme de mobilité",
        PartnerKind.ASSOCIATION,
        (INSERTION,),
        (),
        "Location de véhicules",
        VALENCIENNES,
        {},
    ),
    (
        "Garage solidaire",
        PartnerKind.INSERTION,
        (INSERTION,),
        (),
        "Aide à la réparation et vente de véhicules d'occasion",
        VALENCIENNES,
        {},
    ),
    ("CAREP", PartnerKind.ASSOCIATION, (INSERTION,), (), "Aide au montage de micro-projets", VALENCIENNES, {}),
    (
        "PLIE (Plan local d'insertion par l'économique)",
        PartnerKind.PUBLIC_BODY,
        (INSERTION,),
        (ORIENTS,),
        "Relais pour l'articulation des parcours d'insertion",
        VALENCIENNES,
        {},
    ),
    (
        "Mission Locale",
        PartnerKind.ASSOCIATION,
        (INSERTION,),
        (ORIENTS,),
        "Accompagnement des jeunes de 16 à 25 ans vers l'emploi et la formation",
        VALENCIENNES,
        {},
    ),
    (
        "AFPA Valenciennes",
        PartnerKind.PUBLIC_BODY,
        (INSERTION,),
        (),
        "Centre de formation : titres professionnels des métiers du vert (ouvrier du paysage, maraîchage)",
        VALENCIENNES,
        {},
    ),
    # Échanges et savoirs
    (
        "Familles Rurales Avesnois Mormal",
        PartnerKind.ASSOCIATION,
        (EXCHANGE,),
        (),
        "Échanges d'expériences et de pratiques entre encadrants techniques, une fois par mois",
        ("59530", "Le Quesnoy"),
        {},
    ),
    (
        "Parc naturel régional Scarpe-Escaut",
        PartnerKind.PUBLIC_BODY,
        (EXCHANGE,),
        (CO_LEADS,),
        "Attribution du label Éco-Jardin (28/09/2014), échanges de pratiques",
        ("59230", "Saint-Amand-les-Eaux"),
        {"website": "https://www.pnr-scarpe-escaut.fr"},
    ),
    (
        "Apiculteur bénévole",
        PartnerKind.VOLUNTEER,
        (EXCHANGE,),
        (CO_LEADS,),
        "Apiculteur professionnel bénévole : atelier apiculture et suivi du rucher du Vignoble",
        VALENCIENNES,
        {},
    ),
    # Ils financent l'action
    (
        "État (contrat de ville)",
        PartnerKind.PUBLIC_BODY,
        (FUNDING,),
        (FUNDS,),
        "Finance une grande partie des publics issus des quartiers règlementaires",
        VALENCIENNES,
        {},
    ),
    (
        "Département du Nord",
        PartnerKind.PUBLIC_BODY,
        (FUNDING,),
        (FUNDS,),
        "Finance les publics allocataires du RSA socle ; membre du comité de pilotage",
        LILLE,
        {"website": "https://lenord.fr"},
    ),
    (
        "CCAS de Valenciennes",
        PartnerKind.PUBLIC_BODY,
        (FUNDING,),
        (FUNDS,),
        "Porte l'action et en finance une partie",
        VALENCIENNES,
        {},
    ),
    (
        "Fonds social européen",
        PartnerKind.PUBLIC_BODY,
        (FUNDING,),
        (FUNDS,),
        "Fonds social européen du Hainaut : finance tous les publics en situation d'exclusion",
        VALENCIENNES,
        {},
    ),
]

# A person to call at a few partners: (partner, name, position, phone, email). Phone numbers are in the range
# the ARCEP keeps for fiction (03 53 01 xx xx); e-mail addresses are on example.org.
CONTACTS = [
    ("Restos du Cœur", "Gérard Vanhoutte", "Responsable du centre de distribution", "03 53 01 12 40", ""),
    ("Institut Pasteur de Lille", "Claire Dumortier", "Infirmière, centre de bilans de santé", "03 53 01 20 15", ""),
    ("France Travail", "Émilie Carré", "Conseillère référente de l'atelier", "", "emilie.carre@example.org"),
    ("Mission Locale", "Yassine Boudjema", "Conseiller jeunes", "03 53 01 31 22", "y.boudjema@example.org"),
    ("ADOMA", "Patricia Wallet", "Responsable de résidence", "03 53 01 44 08", ""),
    ("CHRS", "Marc Delobel", "Chef de service", "03 53 01 52 60", ""),
    ("Familles Rurales Avesnois Mormal", "Bernard Lefebvre", "Encadrant technique", "03 53 01 61 73", ""),
    (
        "Parc naturel régional Scarpe-Escaut",
        "Hélène Duquesne",
        "Chargée de mission Éco-Jardin",
        "",
        "h.duquesne@example.org",
    ),
    ("Apiculteur bénévole", "Jean-Claude Masure", "Apiculteur", "06 39 98 72 14", ""),
    (
        "Service Cadre de vie de la Ville de Valenciennes",
        "Olivier Deram",
        "Responsable des serres municipales",
        "03 53 01 70 02",
        "",
    ),
    (
        "Département du Nord",
        "Sandrine Hugot",
        "Chargée de l'insertion (RSA), Direction territoriale",
        "",
        "s.hugot@example.org",
    ),
]


@transaction.atomic
def seed(organisation, *, rng, stdout):
    """Write seed 001's partners into the organisation's directory, or bring them back to the demo's fields."""
    themes = {theme.code: theme for theme in PartnerTheme.objects.filter(organisation=organisation)}
    partners = {}
    created = 0
    for name, kind, theme_codes, roles, activity, (postcode, city), extra in PARTNERS:
        fields = {
            "kind": kind,
            "activity": activity,
            "postcode": postcode,
            "city": city,
            "is_archived": False,
            **{role: role in roles for role in ROLE_FIELDS},
            **extra,
        }
        partner, is_new = Partner.objects.get_or_create(organisation=organisation, name=name, defaults=fields)
        if not is_new:
            for field, value in fields.items():
                setattr(partner, field, value)
            partner.save()
        partner.themes.set([themes[code] for code in theme_codes if code in themes])
        partners[name] = partner
        created += is_new
    for partner_name, name, position, phone, email in CONTACTS:
        Contact.objects.update_or_create(
            partner=partners[partner_name], name=name, defaults={"position": position, "phone": phone, "email": email}
        )
    stdout.write(f"Partners: {len(PARTNERS)} partners in the directory ({created} new), {len(CONTACTS)} contacts.")
