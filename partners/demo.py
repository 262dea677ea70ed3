"""Demo data of the partners app, second part: what the network does over the demo's history (seed 001, Valenciennes).

`manage.py seed_demo` calls `seed(organisation, rng=rng, stdout=stdout)` after the gardens' demo, whose harvests are
given away here, and after the directory (partners/demo_directory.py). It builds:

- the distributions of the harvest: every week a site harvests, on its last harvest day of the week, a delivery to
  one of the charities of seed 001 (two in a big week, mostly from the Vignoble) and the share of the growers, several
  varieties each. Nothing is ever given that the site has not harvested yet: the stock of each site and variety is
  followed in memory, harvest by harvest. Perishable produce goes the week it is picked; potatoes, squash, onions,
  garlic and celeriac are kept and given a part at a time, so that the stock page has something to show;
- a dozen partnerships across the themes, dated over the demo's history (insertion.demo.HISTORY_WEEKS), three of
  them renewed each year (the Département's convention, the loan of the city's greenhouses, France Travail's
  follow-up), so that each calendar year has partnerships formed; plus the Parc naturel's Éco-Jardin label of
  28/09/2014;
- referrals following the steps of the beneficiaries' plans that involve a partner (a health check at the Institut
  Pasteur, a room at ADOMA, France Travail or the Mission Locale, a qualifying training at the AFPA…), dated inside
  the person's enrolment, with what came of them;
- the funding table of seed 001 (2016: 97,200 €; State 25.7 %, Département 32.4 %, CCAS 21.3 %, European funds
  20.6 %) for 2016 and again for each calendar year the demo's history touches, this one included, so that the
  funding page and the reports of every year of the demo have their funders;
- seed 001's 2016 budget, final and balanced at 97,200 €, and the same budget for each of those years.

Idempotent part by part: distributions, partnerships and referrals are left alone when the organisation already has
some; a funding line is added only for a funder and a year that have none; a budget only when the year has none of
that title. Deterministic: each part draws from a generator of its own, split from `rng` first, and dates are read
from the database (harvests, enrolments, actions) or counted in days from today.
"""

import datetime
import random
from collections import defaultdict
from decimal import ROUND_DOWN, Decimal
from typing import NamedTuple

from django.db import transaction
from django.utils import timezone

from beneficiaries.enums import ActionStatus
from beneficiaries.models import Action, Beneficiary, Enrolment
from gardens.models import Harvest, Site, Variety
from insertion.demo import history_start
from insertion.models import PartnerTheme
from partners.enums import PartnerKind, PartnershipKind, RecipientKind, ReferralResult
from partners.models import (
    Budget,
    BudgetLine,
    Distribution,
    DistributionLine,
    Funding,
    Partner,
    Partnership,
    Referral,
)


class Yearly(NamedTuple):
    """The start of a partnership renewed each year, on this day."""

    month: int
    day: int


YEARLY = 3  # the renewals of a yearly partnership: the last three, all in the demo's history

# Seed 001: "distribués dans certaines associations d'urgence sociale comme les Petits Frères des Pauvres, la Croix
# Rouge ou encore une association caritative comme Midi et Partage, voire même des CHRS", and the food-aid partners.
CHARITIES = [
    "Restos du Cœur",
    "Midi Partage",
    "Secours Catholique",
    "Croix-Rouge",
    "Petits Frères des Pauvres",
    "CHRS",
]
# Who comes to which site: the CHRS next door and Midi Partage at Blaise Pascal, the big deliveries from the Vignoble.
CHARITY_WEIGHTS = {
    "Site Blaise Pascal": [2, 3, 1, 2, 1, 4],
    "Zone du Vignoble": [4, 1, 3, 3, 2, 1],
    "Site du Rôleur": [2, 1, 2, 1, 3, 1],
}
RESTOS_CAMPAIGN = {11, 12, 1, 2, 3}  # the Restos du Cœur's winter campaign: they take more then
BIG_WEEK_KG = Decimal("150")  # a week that brings more goes to two charities
STORABLE = {"pomme-de-terre-bintje", "potiron-rouge-vif-d-etampes", "oignon-jaune", "ail", "celeri-rave"}
HALF_KG = Decimal("0.5")
CHARITY_NOTES = [
    "",
    "",
    "",
    "Livré avec la camionnette en fin de matinée.",
    "Enlevé sur le site par les bénévoles de l'association.",
    "Légumes lavés et mis en cagettes par le groupe.",
]
GROWERS_NOTES = ["", "", "Partage en fin d'atelier entre les cultivateurs présents."]

# (partner, kind, theme, title, start, days to the end or None, what the partner brings, what we bring). The start
# is a number of days from today (negative: in the past), a (month, day) for the last such date before today, a
# fixed date, or Yearly(month, day) for a partnership renewed each year: one for each of the last YEARLY such dates
# before today, its title naming its year.
PARTNERSHIPS = [
    (
        "Parc naturel régional Scarpe-Escaut",
        PartnershipKind.CONVENTION,
        "knowledge-exchange",
        "Label Éco-Jardin du Jardin du Vignoble",
        datetime.date(2014, 9, 28),
        None,
        "Attribution du label « Eco-Jardins » le 28/09/2014, visites de conseil, interventions à l'atelier "
        "biodiversité, échanges de pratiques de gestion écologique.",
        "Gestion sans pesticides ni engrais chimiques du Jardin du Vignoble, compost naturel et récupération de l'eau "
        "de pluie, accueil des visites du Parc.",
    ),
    (
        "Restos du Cœur",
        PartnershipKind.CONVENTION,
        "food-aid",
        "Collecte des légumes des Jardins pour la campagne d'hiver",
        (11, 24),
        None,
        "Collecte chaque semaine sur les sites, distribution aux familles inscrites ; oriente vers l'atelier des "
        "personnes qu'ils accueillent.",
        "Légumes frais de saison, à enlever sur les sites ; accueil à l'atelier des personnes orientées.",
    ),
    (
        "Institut Pasteur de Lille",
        PartnershipKind.CONVENTION,
        "health",
        "Bilans de santé des usagers-cultivateurs",
        -1000,
        None,
        "Réunion de sensibilisation au jardin, bilans de santé gratuits au centre de Lille, conseils en nutrition.",
        "Repérage et inscription des personnes, accompagnement jusqu'au centre, suivi médico-social après le bilan.",
    ),
    (
        "Familles Rurales Avesnois Mormal",
        PartnershipKind.INFORMAL,
        "knowledge-exchange",
        "Échanges de pratiques entre encadrants techniques",
        -930,
        None,
        "Une rencontre par mois, un mois sur deux dans l'Avesnois : mises en situation de travail et repas pris en "
        "commun.",
        "Accueil des rencontres sur les sites de Valenciennes un mois sur deux, partage des plans de culture et des "
        "semences de variétés anciennes.",
    ),
    (
        "Service Cadre de vie de la Ville de Valenciennes",
        PartnershipKind.INFORMAL,
        "patronage",
        "Prêt des serres chauffées municipales pour la levée des semis {year}",
        Yearly(2, 2),
        80,
        "Mise à disposition des serres chauffées de la Ville, sur des temps précis et selon ses possibilités.",
        "Semis et repiquage par le groupe avec les encadrants techniques, entretien des serres pendant le prêt.",
    ),
    (
        "CPAM du Hainaut",
        PartnershipKind.CONVENTION,
        "health",
        "Ateliers santé collectifs et accès aux droits",
        -840,
        None,
        "Animation d'ateliers santé (accès aux droits, hygiène bucco-dentaire), instruction rapide des demandes de "
        "Complémentaire santé solidaire par l'Unité Solidarité.",
        "Organisation des ateliers au jardin, accompagnement des personnes dans leurs démarches.",
    ),
    (
        "Midi Partage",
        PartnershipKind.INFORMAL,
        "food-aid",
        "Légumes pour les repas du midi des personnes sans domicile",
        -720,
        None,
        "Prépare et sert les légumes aux repas du midi ; vient les chercher au site Blaise Pascal.",
        "Légumes de saison chaque semaine, selon les récoltes.",
    ),
    (
        "Apiculteur bénévole",
        PartnershipKind.INFORMAL,
        "knowledge-exchange",
        "Suivi du rucher du Vignoble",
        -650,
        None,
        "Conseils et présence aux visites des ruches, installation des essaims, récolte du miel avec le groupe.",
        "Ruches, tenues et matériel de récolte ; le groupe entretient les abords du rucher.",
    ),
    (
        "France Travail",
        PartnershipKind.CONVENTION,
        "insertion",
        "Suivi renforcé des demandeurs d'emploi de l'atelier {year}-{next_year}",
        Yearly(6, 2),
        364,
        "Une conseillère référente, les offres et les job datings des structures d'insertion, les aides au permis.",
        "Bilan d'entrée et livret de parcours partagés avec l'accord de la personne, mises en situation de travail.",
    ),
    (
        "ADOMA",
        PartnershipKind.CONVENTION,
        "housing",
        "Accès aux résidences sociales",
        -540,
        None,
        "Examen prioritaire des demandes des personnes de l'atelier, visites des chambres.",
        "Accompagnement social renforcé pendant et après l'entrée en résidence.",
    ),
    (
        "Petits Frères des Pauvres",
        PartnershipKind.INFORMAL,
        "food-aid",
        "Paniers de légumes pour les personnes âgées isolées",
        -300,
        None,
        "Distribution des paniers lors des visites à domicile de leurs bénévoles ; invitation des personnes âgées aux "
        "tables solidaires.",
        "Paniers de légumes de saison, préparés par le groupe.",
    ),
    (
        "AGEVAL",
        PartnershipKind.CONVENTION,
        "insertion",
        "Mises en situation de travail en atelier chantier d'insertion",
        -430,
        None,
        "Périodes de mise en situation dans ses chantiers, examen des candidatures aux CDDI.",
        "Préparation des candidats, bilan partagé de chaque période.",
    ),
    (
        "Le Pacte 59",
        PartnershipKind.INFORMAL,
        "solidarity-economy",
        "Accès à l'épicerie solidaire",
        -150,
        None,
        "Accès à l'épicerie solidaire pour les personnes orientées par la CESF, ateliers cuisine.",
        "Orientation et accompagnement budgétaire des personnes, légumes pour les ateliers cuisine.",
    ),
    (
        "Département du Nord",
        PartnershipKind.CONVENTION,
        "funding",
        "Convention annuelle {year} : accompagnement des allocataires du RSA",
        Yearly(1, 15),
        364,
        "Financement de l'accompagnement des allocataires du RSA socle (31 500 €), présence au comité de pilotage.",
        "60 personnes accompagnées par an en entrées et sorties permanentes, tableau de bord de suivi des parcours "
        "présenté au comité de pilotage.",
    ),
]

# Referrals follow the steps of the plans (beneficiaries.demo): the partner the step names, in the directory's words.
ACTION_PARTNERS = {
    "France Travail": "France Travail",
    "Mission Locale": "Mission Locale",
    "Institut Pasteur": "Institut Pasteur de Lille",
    "SIAO 115": "SIAO 115",
    "ADOMA": "ADOMA",
    "V2H": "Bailleur social V2H",
    "AGEVAL": "AGEVAL",
    "UCIE Interim": "L'UCIE Interim",
    "Plateforme mobilité": "Plateforme de mobilité",
    "Restos du Cœur": "Restos du Cœur",
    "CPAM": "CPAM du Hainaut",
}
TRAINING_CENTRE = "AFPA Valenciennes"
TRAINING_WORDS = ("formation qualifiante", "formation pré-qualifiante")  # steps that go to the training centre
REASONS = {
    "France Travail": "Inscription et suivi par une conseillère : projet dans les espaces verts ou la logistique.",
    "Mission Locale": "Accompagnement d'un jeune de moins de 26 ans : projet professionnel, formation, mobilité.",
    "Institut Pasteur de Lille": "Bilan de santé gratuit : pas de suivi médical depuis plusieurs années.",
    "SIAO 115": "Demande d'hébergement : sortir de l'urgence vers une place en résidence sociale.",
    "ADOMA": "Demande de logement en résidence sociale.",
    "Bailleur social V2H": "Demande de logement social autonome.",
    "AGEVAL": "Candidature en atelier chantier d'insertion après l'atelier maraîchage.",
    "L'UCIE Interim": "Inscription à l'entreprise de travail temporaire d'insertion pour des missions.",
    "Plateforme de mobilité": "Prêt d'un vélo ou location d'un véhicule pour se rendre au travail.",
    "Restos du Cœur": "Aide alimentaire le temps de stabiliser le budget du foyer.",
    "CPAM du Hainaut": "Ouverture des droits santé (Complémentaire santé solidaire, médecin traitant).",
    TRAINING_CENTRE: "Formation aux métiers du vert (titre professionnel ouvrier du paysage).",
}
TAKEN_ON_NOTES = {
    "Institut Pasteur de Lille": "Bilan réalisé ; suivi médico-social engagé avec le référent santé du CCAS.",
    "SIAO 115": "Place proposée en résidence sociale.",
    "ADOMA": "Chambre attribuée en résidence sociale.",
    "Bailleur social V2H": "Logement proposé et accepté.",
    "AGEVAL": "Candidature retenue.",
    "L'UCIE Interim": "Inscrit ; premières missions proposées.",
    "Restos du Cœur": "Inscrit pour la campagne de distribution.",
    "CPAM du Hainaut": "Droits ouverts.",
    TRAINING_CENTRE: "Entrée en formation confirmée.",
}
OTHER_NOTES = {
    ReferralResult.NOT_TAKEN_ON: "Pas de suite pour le moment ; à représenter dans quelques mois.",
    ReferralResult.DID_NOT_GO: "Ne s'est pas présenté au rendez-vous ; un nouveau rendez-vous lui sera proposé.",
}

# Seed 001, "Ils financent l'action" (2016): (funder, amount, what it finances; the CCAS's line says nothing).
FUNDING = [
    ("État (contrat de ville)", 25000, "Finance une grande partie des publics issus des quartiers règlementaires"),
    ("Département du Nord", 31500, "Finance les publics allocataires du RSA socle"),
    ("CCAS de Valenciennes", 20700, ""),
    ("Fonds social européen", 20000, "Finance tous les publics en situation d'exclusion"),
]
FUNDING_YEAR = 2016
# Seed 001's 2016 budget ("Budget / Coût de l'opération"): (account, detail, amount); 97,200 € on each side.
BUDGET_TITLE = "Du jardin à l'assiette"
BUDGET_LINES = [
    ("60", "Combustibles, carburant", 1000),
    ("60", "Eau, électricité, chauffage", 400),
    ("60", "Autres fournitures", 4000),
    ("61", "Entretien et réparation", 400),
    ("61", "Assurances", 2500),
    ("62", "Divers", 4300),
    ("64", "Rémunérations du personnel", 45700),
    ("64", "Charges sociales", 18900),
    ("65", "", 20000),
    ("74", "État — ACCES (contrat de ville)", 25000),
    ("74", "Département du Nord", 31500),
    ("74", "Commune — CCAS", 20700),
    ("74", "Fonds européens", 20000),
]
BANK_HOLIDAYS = {(1, 1), (5, 1), (5, 8), (7, 14), (8, 15), (11, 1), (11, 11), (12, 25)}  # the fixed ones


def _working_day(day):
    """The working day on or before `day`: no one signs a convention on a Sunday."""
    while day.weekday() >= 5 or (day.month, day.day) in BANK_HOLIDAYS:
        day -= datetime.timedelta(days=1)
    return day


def _partners(organisation, names, **defaults):
    """The directory's partners of these names; one that is missing (the directory was edited) is added back."""
    found = {partner.name: partner for partner in Partner.objects.filter(organisation=organisation, name__in=names)}
    for name in names:
        if name not in found:
            found[name] = Partner.objects.create(organisation=organisation, name=name, **defaults)
    return found


def _floor(value, step):
    return (value / step).to_integral_value(rounding=ROUND_DOWN) * step


def _week_allotment(rng, stock, storable):
    """What leaves the site this week, by variety: all the perishable produce, a part of what keeps."""
    given = {}
    for variety, kg in stock.items():
        if kg <= 0:
            continue
        if variety in storable and kg > 5:
            kg = max(HALF_KG, _floor(kg * Decimal(str(rng.uniform(0.35, 0.6))), HALF_KG))
        given[variety] = kg
    return given


def _split(rng, allotment, charities):
    """Each charity's lines and the growers' share: the charities take half to two thirds of each variety."""
    shares = {charity: {} for charity in charities}
    growers = {}
    for variety, kg in sorted(allotment.items()):
        to_charities = Decimal(0)
        if charities and kg >= 2:
            to_charities = _floor(kg * Decimal(str(rng.uniform(0.5, 0.7))), HALF_KG)
            if kg - to_charities < HALF_KG:
                to_charities = kg  # not worth a line for the growers
        if to_charities:
            first = _floor(to_charities / len(charities), HALF_KG) if len(charities) > 1 else to_charities
            parts = [first, to_charities - first] if len(charities) > 1 else [to_charities]
            for charity, part in zip(charities, parts, strict=True):
                if part > 0:
                    shares[charity][variety] = part
        if kg - to_charities > 0:
            growers[variety] = kg - to_charities
    return shares, growers


def _distributions(rng, organisation, sites, today):
    """(distribution, [(variety id, kg)]) for each site, week after week, never more than the site's stock."""
    storable = set(Variety.objects.filter(organisation=organisation, code__in=STORABLE).values_list("pk", flat=True))
    charities = _partners(organisation, CHARITIES, kind=PartnerKind.ASSOCIATION, receives_produce=True)
    harvests = defaultdict(lambda: defaultdict(list))  # site → week's Monday → harvests
    for harvest in (
        Harvest.objects.filter(organisation=organisation, date__lt=today)
        .order_by("date", "pk")
        .values("site_id", "variety_id", "date", "weight_kg", "recorded_by_id")
    ):
        monday = harvest["date"] - datetime.timedelta(days=harvest["date"].weekday())
        harvests[harvest["site_id"]][monday].append(harvest)
    rows = []
    for site in sites:
        weights = CHARITY_WEIGHTS.get(site.name, [1] * len(CHARITIES))
        stock = defaultdict(Decimal)
        for monday in sorted(harvests[site.pk]):
            week = harvests[site.pk][monday]
            for harvest in week:
                stock[harvest["variety_id"]] += harvest["weight_kg"]
            day, recorder = week[-1]["date"], week[-1]["recorded_by_id"]
            allotment = _week_allotment(rng, stock, storable)
            total = sum(allotment.values(), Decimal(0))
            season = [
                w * (2 if name == "Restos du Cœur" and day.month in RESTOS_CAMPAIGN else 1)
                for name, w in zip(CHARITIES, weights, strict=True)
            ]
            count = 2 if total >= BIG_WEEK_KG else 1
            chosen = []
            while len(chosen) < count:
                name = rng.choices(CHARITIES, weights=season)[0]
                if name not in chosen:
                    chosen.append(name)
            shares, growers = _split(rng, allotment, chosen)
            for name in chosen:
                if shares[name]:
                    distribution = Distribution(
                        organisation=organisation,
                        date=day,
                        site=site,
                        recipient_kind=RecipientKind.PARTNER,
                        partner=charities[name],
                        notes=rng.choice(CHARITY_NOTES),
                        recorded_by_id=recorder,
                    )
                    rows.append((distribution, sorted(shares[name].items())))
            if growers:
                distribution = Distribution(
                    organisation=organisation,
                    date=day,
                    site=site,
                    recipient_kind=RecipientKind.GROWERS,
                    notes=rng.choice(GROWERS_NOTES),
                    recorded_by_id=recorder,
                )
                rows.append((distribution, sorted(growers.items())))
            for variety, kg in allotment.items():
                stock[variety] -= kg
    return rows


def _seed_distributions(rng, organisation, today, stdout):
    if Distribution.objects.filter(organisation=organisation).exists():
        stdout.write("Partners: the organisation already has distributions, none added.")
        return
    sites = list(Site.objects.filter(organisation=organisation).order_by("name", "pk"))
    rows = _distributions(rng, organisation, sites, today)
    distributions = Distribution.objects.bulk_create([distribution for distribution, _ in rows])
    lines = DistributionLine.objects.bulk_create(
        [
            DistributionLine(distribution=distribution, variety_id=variety, weight_kg=kg)
            for distribution, (_, items) in zip(distributions, rows, strict=True)
            for variety, kg in items
        ]
    )
    given = sum((line.weight_kg for line in lines), Decimal(0))
    harvested = sum(
        Harvest.objects.filter(organisation=organisation, date__lt=today).values_list("weight_kg", flat=True),
        Decimal(0),
    )
    share = f" ({given / harvested:.0%} of the harvest)" if harvested else ""
    stdout.write(f"Partners: {len(distributions)} distributions of {given / 1000:.1f} t{share}, {len(lines)} lines.")


def _starts(when, today):
    """A partnership's start dates: a fixed date, days from today, the last (month, day) before today, or the last
    YEARLY such days for a Yearly one."""
    if isinstance(when, datetime.date):
        return [when]
    if isinstance(when, int):
        return [_working_day(today + datetime.timedelta(days=when))]
    month, day = when
    years = range(today.year, today.year - YEARLY - 1, -1)
    dates = [datetime.date(year, month, day) for year in years if datetime.date(year, month, day) < today]
    return sorted(_working_day(date) for date in dates[: YEARLY if isinstance(when, Yearly) else 1])


def _seed_partnerships(organisation, today, stdout):
    if Partnership.objects.filter(organisation=organisation).exists():
        stdout.write("Partners: the organisation already has partnerships, none added.")
        return
    themes = {theme.code: theme for theme in PartnerTheme.objects.filter(organisation=organisation)}
    partners = _partners(organisation, sorted({row[0] for row in PARTNERSHIPS}), kind=PartnerKind.OTHER)
    partnerships = []
    for name, kind, theme, title, start, end, partner_brings, organisation_brings in PARTNERSHIPS:
        if theme not in themes:
            continue
        for start_date in _starts(start, today):
            partnerships.append(
                Partnership(
                    organisation=organisation,
                    partner=partners[name],
                    kind=kind,
                    title=title.format(year=start_date.year, next_year=start_date.year + 1),
                    theme=themes[theme],
                    start_date=start_date,
                    end_date=start_date + datetime.timedelta(days=end) if end else None,
                    partner_brings=partner_brings,
                    organisation_brings=organisation_brings,
                )
            )
    Partnership.objects.bulk_create(partnerships)
    stdout.write(f"Partners: {len(partnerships)} partnerships over {len({p.theme_id for p in partnerships})} themes.")


def _referral_partner(action):
    if any(words in action.title for words in TRAINING_WORDS):
        return TRAINING_CENTRE
    return ACTION_PARTNERS.get(action.partner)


def _seed_referrals(rng, organisation, today, stdout):
    if Referral.objects.of(organisation).exists():
        stdout.write("Partners: the organisation already has referrals, none added.")
        return
    stays = defaultdict(list)
    for person, entry, exit_date in Enrolment.objects.filter(beneficiary__organisation=organisation).values_list(
        "beneficiary_id", "entry_date", "exit_date"
    ):
        stays[person].append((entry, exit_date or today))
    referents = dict(Beneficiary.objects.of(organisation).values_list("pk", "referent_id"))
    # One referral per person, partner and stay: the first step there makes the date, the last one the result.
    steps = defaultdict(list)
    actions = (
        Action.objects.filter(objective__beneficiary__organisation=organisation, date__lte=today)
        .select_related("objective")
        .order_by("objective__beneficiary_id", "date", "pk")
    )
    for action in actions:
        name = _referral_partner(action)
        person = action.objective.beneficiary_id
        stay = next((s for s in stays[person] if s[0] <= action.date <= s[1]), None)
        if name and stay:
            steps[(person, name, stay)].append(action)
    names = sorted({name for _, name, _ in steps})
    partners = _partners(organisation, names, kind=PartnerKind.OTHER)
    referrals = []
    for (person, name, (entry, _end)), group in sorted(steps.items(), key=lambda item: (item[0][0], item[1][0].date)):
        first, last = group[0], group[-1]
        date = _working_day(first.date - datetime.timedelta(days=rng.randint(0, 10)))
        if date < entry:
            date = first.date
        result, result_date, notes = ReferralResult.PENDING, None, ""
        if last.status == ActionStatus.DONE:
            result = ReferralResult.TAKEN_ON
            result_date = last.date if last.date > date else min(today, date + datetime.timedelta(rng.randint(3, 20)))
            notes = TAKEN_ON_NOTES.get(name, "")
        elif last.status == ActionStatus.ABANDONED:
            result = rng.choice([ReferralResult.DID_NOT_GO, ReferralResult.DID_NOT_GO, ReferralResult.NOT_TAKEN_ON])
            result_date = min(today, date + datetime.timedelta(days=rng.randint(7, 30)))
            notes = OTHER_NOTES[result]
        referrals.append(
            Referral(
                beneficiary_id=person,
                partner=partners[name],
                date=date,
                reason=f"{REASONS[name]}\nÉtape du plan : {first.title}.",
                result=result,
                result_date=result_date,
                result_notes=notes,
                author_id=referents.get(person),
            )
        )
    Referral.objects.bulk_create(referrals)
    stdout.write(
        f"Partners: {len(referrals)} referrals of {len({r.beneficiary_id for r in referrals})} people to "
        f"{len({r.partner_id for r in referrals})} partners."
    )


def _seed_money(organisation, today, stdout):
    funders = _partners(organisation, [name for name, _, _ in FUNDING], kind=PartnerKind.PUBLIC_BODY, funds=True)
    years = sorted({FUNDING_YEAR, *range(history_start(today).year, today.year + 1)})
    existing = set(Funding.objects.filter(organisation=organisation).values_list("year", "funder_id"))
    fundings = Funding.objects.bulk_create(
        [
            Funding(organisation=organisation, year=year, funder=funders[name], amount=amount, purpose=purpose)
            for year in years
            for name, amount, purpose in FUNDING
            if (year, funders[name].pk) not in existing
        ]
    )
    budgets = 0
    for year in years:
        budget, created = Budget.objects.get_or_create(
            organisation=organisation,
            year=year,
            title=BUDGET_TITLE,
            defaults={
                "is_final": True,
                "notes": "Budget de l'action des Jardins du Cœur, présenté au comité de pilotage.",
            },
        )
        if created:
            BudgetLine.objects.bulk_create(
                [
                    BudgetLine(budget=budget, account=account, label=label, amount=amount)
                    for account, label, amount in BUDGET_LINES
                ]
            )
            budgets += 1
    stdout.write(f"Partners: {len(fundings)} funding lines and {budgets} budgets for {', '.join(map(str, years))}.")


@transaction.atomic
def seed(organisation, *, rng, stdout):
    """Give the demo's harvest away, and write its partnerships, referrals, funding and budgets."""
    today = timezone.localdate()
    # One generator per part: what the harvests make one draw never shifts another.
    distribution_rng, referral_rng = (random.Random(rng.getrandbits(64)) for _ in range(2))
    _seed_distributions(distribution_rng, organisation, today, stdout)
    _seed_partnerships(organisation, today, stdout)
    _seed_referrals(referral_rng, organisation, today, stdout)
    _seed_money(organisation, today, stdout)
