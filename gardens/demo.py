"""Demo data of the gardens app: three years of workshops, registers and harvests on seed 001's three sites.

`manage.py seed_demo` calls `seed(organisation, rng=rng, stdout=stdout)` after the beneficiaries' demo, whose
enrolments make the registers. It builds:

- the three sites of Les Jardins du Cœur (Valenciennes), with their plots and inventory: the historic site next to
  the Blaise Pascal shelter (reception chalet, tool library, van), the 1.5 ha "zone du Vignoble" (two greenhouses,
  the hives, the exhibition chalet) and the Rôleur site (eco-chalet);
- some 840 two-hour workshops over the demo's history (insertion.demo.HISTORY_WEEKS: the 157 weeks before this
  one, so that the last two calendar years are whole) and this week and next: some 276 in each calendar year and 274
  to 280 in the last twelve months (seed 001: "276 ateliers de 2 heures" in 2016), Monday to Thursday on the
  timetable's slots: market gardening spread over the three sites, and the micro-workshops of seed 001
  (biodiversity, health with the CPAM, the Institut Pasteur and the Département, solidarity tables, half of them in
  priority neighbourhoods, beekeeping, exhibition-chalet visits), each kind spread evenly over its seasons;
- the register of every workshop before today: a group of 8 to 15 of the people enrolled that day (6 to 10 at the
  hives, the chalet and the tables), present about three times in four (a few people much less), excused or
  absent otherwise; 1 h 30 now and then for a late arrival;
- the harvests of the market-gardening workshops, season by season, a few tonnes a year: less the year before
  last, a wet one, more last year (YEAR_YIELD), for the committees to discuss;
- skills evaluations of some fifteen trainees a year by the two trainers.

Idempotent the simple way: if the organisation already has a site, the seed prints a line and returns without
touching anything (and without drawing from `rng`).

Deterministic: every choice is drawn from `rng` in a fixed order. Weeks are counted from this week's Monday, read
once, so the number of workshops, their kinds, sites and trainers, and the number of market-gardening sessions each
week never depend on the day the demo is built. The day decides only what the seasons bring (vegetables, menus, the
weeks of the micro-workshops: hives are opened from April to September, schools do not visit in summer) and moves a
workshop off a bank holiday to another slot of its week. Registers, harvests and skills draw from generators of
their own, so that what the calendar changes in one never shifts the others. Today's workshops and later ones have
no register: the trainer takes it during the demo.
"""

import datetime
import itertools
import random
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from beneficiaries.demo import demo_partners
from beneficiaries.models import Enrolment
from gardens import defaults
from gardens.enums import AttendanceStatus, EquipmentKind, SiteKind, Unit
from gardens.models import (
    Attendance,
    Equipment,
    Harvest,
    Plot,
    Site,
    SkillCriterion,
    SkillEvaluation,
    SkillRating,
    TimetableSlot,
    Variety,
    Workshop,
    hours_between,
)
from insertion.demo import HISTORY_WEEKS
from insertion.models import Membership, Neighbourhood, WorkshopKind
from partners.enums import PartnerKind, PartnerRole

# Seed 001: 276 workshops a year. 240 market-gardening ones every 52 weeks and the 35 micro-workshops below make
# some 276 in a calendar year, and 274 to 280 in the twelve months up to today with this week's.
MARKET_GARDENING_A_YEAR = 240
# At most 6 workshops a week: they still fit, one at a time, in a week with two bank holidays (8 May 2024 was a
# Wednesday, Ascension Day the Thursday after).
MOST_PER_WEEK = 6

# (key, name, kind, neighbourhood code, area in m², address, notes)
SITES = [
    (
        "blaise-pascal",
        "Site Blaise Pascal",
        SiteKind.URBAN_PLOT,
        "",
        3500,
        "À côté du foyer d'hébergement Blaise Pascal, Valenciennes",
        "Le site historique des Jardins du Cœur (1991) : une friche jouxtant le foyer pour les sans-abri géré par "
        "le CCAS, agrandie depuis. Chalet d'accueil général, outillothèque et véhicule.",
    ),
    (
        "vignoble",
        "Zone du Vignoble",
        SiteKind.AGRICULTURAL_ZONE,
        "",
        15000,
        "Zone du Vignoble, Valenciennes",
        "Un hectare et demi mis à disposition par la Ville en 2012, en maraîchage biologique, à côté de la vigne "
        "cultivée par l'APEI. Deux serres, le rucher et le chalet d'exposition ; une partie est confiée aux "
        "comités de quartier pour des jardins partagés avec les habitants.",
    ),
    (
        "roleur",
        "Site du Rôleur",
        SiteKind.URBAN_PLOT,
        "le-roleur",
        1200,
        "Quartier du Rôleur, Valenciennes",
        "Site urbain de quartier, avec un éco-chalet.",
    ),
]

# (name, area in m², botanical families grown there; "*" takes whatever has no plot of its own)
PLOTS = {
    "blaise-pascal": [
        ("Potager du foyer", 1800, ("*",)),
        ("Carrés surélevés", 300, ("Astéracées", "Lamiacées", "Brassicacées")),
        ("Petits fruits et aromatiques", 400, ("Rosacées", "Apiacées", "Amaryllidacées")),
    ],
    "vignoble": [
        ("Serres", 400, ("Solanacées-serre", "Cucurbitacées-serre", "Lamiacées")),
        ("Parcelle 1 — pommes de terre et légumes racines", 3500, ("Solanacées", "Apiacées", "Amaranthacées")),
        ("Parcelle 2 — courges et légumineuses", 3000, ("Cucurbitacées", "Fabacées")),
        ("Parcelle 3 — choux, poireaux et salades", 3000, ("Brassicacées", "Amaryllidacées", "Astéracées", "*")),
        ("Jardins partagés des comités de quartier", 2000, ()),
    ],
    "roleur": [
        ("Planches permanentes", 600, ("*",)),
        ("Butte de courges", 150, ("Cucurbitacées",)),
        ("Carré des aromatiques", 60, ("Lamiacées", "Rosacées")),
    ],
}

# (kind, description, quantity)
EQUIPMENT = {
    "blaise-pascal": [
        (EquipmentKind.CHALET, "Chalet d'accueil général", 1),
        (
            EquipmentKind.TOOL_LIBRARY,
            "Outillothèque : bêches, fourches-bêches, grelinettes, binettes, râteaux, serfouettes, plantoirs, "
            "sécateurs, arrosoirs, brouettes, motobineuse",
            1,
        ),
        (EquipmentKind.VEHICLE, "Peugeot Partner et remorque", 1),
    ],
    "vignoble": [
        (EquipmentKind.GREENHOUSE, "Serres tunnels", 2),
        (EquipmentKind.HIVE, "Ruches, suivies avec un apiculteur bénévole", 10),  # seed 001: "10 ruches bientôt"
        (EquipmentKind.CHALET, "Chalet d'exposition", 1),
    ],
    "roleur": [(EquipmentKind.CHALET, "Éco-chalet", 1)],
}

# The same people grow on the three sites (seed 001); the Vignoble, the largest, has most of the sessions.
SITE_WEIGHTS = {"vignoble": 5, "blaise-pascal": 3, "roleur": 2}
SITE_YIELD = {"vignoble": 2.0, "blaise-pascal": 1.0, "roleur": 0.7}  # the quantities of CROPS are for an urban site
# How the seasons went, by years before this one: the year before last had a wet spring and summer (blight on the
# tomatoes and the potatoes, slugs in the salads), last year was a good one. The gap is wide enough that last year
# brings more whatever the draws (which alone move a year's harvest by some 15 %), for the committees to discuss.
YEAR_YIELD = {2: 0.7, 1: 1.1}
START_WEIGHTS = {8: 3, 10: 3, 14: 2}  # mornings first: the whole group is there from 8 to 12

# What the market-gardening workshops are about, month by month.
TASKS = {
    1: ["Récolte des poireaux et de la mâche", "Entretien des outils", "Plan de culture de l'année"],
    2: ["Bêchage à la grelinette", "Préparation des semis sous serre", "Récolte des poireaux et des panais"],
    3: ["Semis sous serre : tomates et courgettes", "Préparation des planches et apport de compost"],
    4: ["Plantation des pommes de terre", "Semis de radis et de carottes", "Repiquage des salades"],
    5: ["Plantation des tomates sous serre", "Désherbage et paillage", "Semis de haricots"],
    6: ["Tuteurage des tomates", "Arrosage et paillage", "Récolte des fèves et des petits pois"],
    7: ["Récolte et partage des légumes", "Taille et arrosage des tomates", "Désherbage des planches"],
    8: ["Récolte des tomates et des courgettes", "Arrosage et entretien", "Semis d'engrais verts"],
    9: ["Arrachage des pommes de terre", "Récolte des potirons", "Semis de mâche"],
    10: ["Arrachage des carottes et des betteraves", "Plantation de l'ail", "Compostage et paillage des planches"],
    11: ["Récolte des choux et des poireaux", "Nettoyage des planches", "Paillage d'hiver"],
    12: ["Récolte des poireaux et des choux", "Réparation des outils", "Bilan de la saison avec le groupe"],
}

ALL_YEAR = tuple(range(1, 13))
HEALTH = [
    ("Équilibre alimentaire : une assiette avec les légumes du jardin", "Service de prévention santé du Département"),
    ("Bilan de santé : réunion d'information", "Institut Pasteur de Lille"),
    ("Accès aux droits : la complémentaire santé solidaire", "CPAM du Hainaut"),
    ("Sommeil et fatigue", "Service de prévention santé du Département"),
    ("Bilan de santé : préparation des rendez-vous", "Institut Pasteur de Lille"),
    ("Hygiène bucco-dentaire", "CPAM du Hainaut"),
    ("Gestes et postures au jardin", "Service de prévention santé du Département"),
]
PLANNED_HEALTH = ("Bilan de santé : réunion d'information", "Institut Pasteur de Lille")  # next week's
BIODIVERSITY = [
    ("Hôtel à insectes et auxiliaires du jardin", "Parc naturel régional Scarpe-Escaut"),
    ("Compostage et paillage", "Service Cadre de vie de la Ville de Valenciennes"),
    ("Gestion sans pesticides : le label Éco-Jardin", "Service Cadre de vie de la Ville de Valenciennes"),
    ("Récolte et conservation des semences de variétés anciennes", ""),
    ("Haies, mares et refuges pour la faune", "Parc naturel régional Scarpe-Escaut"),
    ("Économiser l'eau : récupération de pluie et paillage", ""),
]
BEEKEEPER = "Apiculteur bénévole"
# The partners who co-lead the micro-workshops, as the demo's directory names them (partners/demo_directory.py).
CO_LEADERS = {
    "Service de prévention santé du Département": PartnerKind.PUBLIC_BODY,
    "Institut Pasteur de Lille": PartnerKind.HEALTH,
    "CPAM du Hainaut": PartnerKind.HEALTH,
    "Parc naturel régional Scarpe-Escaut": PartnerKind.PUBLIC_BODY,
    "Service Cadre de vie de la Ville de Valenciennes": PartnerKind.PUBLIC_BODY,
    BEEKEEPER: PartnerKind.VOLUNTEER,
}
BEEKEEPING = {
    4: "Visite de printemps des ruches",
    5: "Installation d'un essaim",
    6: "Pose des hausses et observation des cadres",
    7: "Récolte du miel",
    8: "Extraction et mise en pots du miel",
    9: "Préparation de l'hivernage des ruches",
}
VISITS = [
    ("Visite d'une classe d'école élémentaire : du jardin à l'assiette", (18, 26)),
    ("Visite d'un club de seniors : les variétés anciennes", (8, 15)),
]
MENUS = {
    "winter": [
        "Soupe de poireaux et pommes de terre, chou braisé, salade de mâche",
        "Potée aux légumes d'hiver (chou, carottes, panais), mâche aux noix",
    ],
    "spring": [
        "Radis croque-au-sel, omelette aux épinards et à la ciboulette, salade feuille de chêne",
        "Velouté de poireaux, gratin de pommes de terre, salade de mâche",
    ],
    "summer": [
        "Salade de tomates anciennes et concombre, ratatouille du jardin, semoule",
        "Courgettes farcies, haricots verts persillés, salade batavia",
        "Taboulé aux herbes du jardin, tarte à la tomate, salade de fraises",
    ],
    "autumn": [
        "Velouté de potiron, gratin de pommes de terre et blettes, salade de betterave crapaudine",
        "Hachis parmentier aux carottes de Colmar, salade de céleri-rave, compote",
    ],
}
SEASONS = {
    **dict.fromkeys((12, 1, 2), "winter"),
    **dict.fromkeys((3, 4, 5), "spring"),
    **dict.fromkeys((6, 7, 8), "summer"),
    **dict.fromkeys((9, 10, 11), "autumn"),
}


@dataclass(frozen=True)
class Micro:
    """A kind of micro-workshop: how many a year, when, where, and the size of the group."""

    kind: str
    count: int
    months: tuple  # months its week may fall in
    starts: tuple  # preferred start hours
    group: tuple  # trainees on the register: (fewest, most)


MICRO_WORKSHOPS = [
    Micro("biodiversity", 6, (3, 4, 5, 6, 7, 9, 10), (14, 10), (8, 15)),
    Micro("health", len(HEALTH), (1, 2, 3, 4, 5, 6, 9, 10, 11, 12), (14, 10), (8, 15)),
    Micro("solidarity-table", 10, (1, 2, 3, 4, 5, 6, 7, 9, 10, 11, 12), (10,), (6, 10)),
    Micro("beekeeping", 6, tuple(BEEKEEPING), (10, 14), (6, 10)),  # as many as there are bee suits
    Micro("exhibition-chalet", 6, (3, 4, 5, 6, 9, 10), (14, 10), (6, 10)),
]

# (variety code, months, unit, (fewest, most), kg per bunch or piece): a harvest on an urban site (see SITE_YIELD).
CROPS = [
    ("tomate-coeur-de-boeuf", (7, 8, 9), Unit.KG, (8, 25), None),
    ("tomate-noire-de-crimee", (7, 8, 9), Unit.KG, (5, 18), None),
    ("tomate-cerise", (7, 8, 9, 10), Unit.KG, (2, 6), None),
    ("pomme-de-terre-bintje", (7, 8, 9, 10), Unit.KG, (25, 70), None),
    ("courgette-verte", (6, 7, 8, 9), Unit.KG, (8, 25), None),
    ("potiron-rouge-vif-d-etampes", (9, 10), Unit.PIECE, (4, 12), Decimal("3.5")),
    ("concombre", (7, 8, 9), Unit.PIECE, (8, 25), Decimal("0.4")),
    ("haricot-vert", (7, 8, 9), Unit.KG, (3, 10), None),
    ("petit-pois", (6, 7), Unit.KG, (2, 6), None),
    ("feve", (6,), Unit.KG, (3, 8), None),
    ("carotte-de-colmar", (7, 8, 9, 10, 11), Unit.KG, (5, 20), None),
    ("celeri-rave", (10, 11), Unit.PIECE, (6, 15), Decimal("0.7")),
    ("panais", (11, 12, 1, 2), Unit.KG, (4, 12), None),
    ("poireau-bleu-de-solaise", (10, 11, 12, 1, 2, 3), Unit.KG, (6, 20), None),
    ("oignon-jaune", (7, 8), Unit.KG, (8, 25), None),
    ("ail", (7,), Unit.KG, (2, 5), None),
    ("chou-pomme", (9, 10, 11, 12, 1), Unit.PIECE, (6, 18), Decimal("1.2")),
    ("chou-fleur", (9, 10, 11), Unit.PIECE, (4, 12), Decimal("0.8")),
    ("radis", (4, 5, 6, 9), Unit.BUNCH, (10, 30), Decimal("0.25")),
    ("navet", (5, 6, 10, 11), Unit.KG, (4, 12), None),
    ("laitue-batavia", (5, 6, 7, 8, 9), Unit.PIECE, (10, 30), Decimal("0.4")),
    ("laitue-feuille-de-chene", (4, 5, 6, 7, 8, 9, 10), Unit.PIECE, (8, 25), Decimal("0.3")),
    ("mache", (11, 12, 1, 2, 3), Unit.KG, (1, 4), None),
    ("epinard", (4, 5, 10, 11), Unit.KG, (2, 8), None),
    ("betterave-crapaudine", (8, 9, 10, 11), Unit.KG, (4, 15), None),
    ("blette", (6, 7, 8, 9, 10), Unit.KG, (3, 10), None),
    ("fraise", (5, 6), Unit.KG, (1, 5), None),
    ("persil", (5, 6, 7, 8, 9, 10), Unit.BUNCH, (5, 15), Decimal("0.1")),
    ("ciboulette", (4, 5, 6, 7, 8, 9), Unit.BUNCH, (5, 12), Decimal("0.05")),
    ("basilic", (7, 8, 9), Unit.BUNCH, (5, 12), Decimal("0.05")),
]
UNDER_GLASS = {"tomate-coeur-de-boeuf", "tomate-noire-de-crimee", "tomate-cerise", "concombre", "basilic"}
# How likely a market-gardening day brings something in, by month: the hungry gap of March, the August glut.
HARVEST_CHANCE = {
    1: 0.35,
    2: 0.3,
    3: 0.25,
    4: 0.4,
    5: 0.6,
    6: 0.8,
    7: 0.95,
    8: 0.95,
    9: 0.95,
    10: 0.85,
    11: 0.6,
    12: 0.35,
}

REGULAR = (75, 15, 10)  # present, absent, excused (per cent)
OFTEN_ABSENT = (50, 35, 15)
OFTEN_ABSENT_PEOPLE = 8
LATE_CHANCE = 0.07  # came late: 1 h 30 instead of 2 h
LATE_HOURS = Decimal("1.50")
STATUSES = [AttendanceStatus.PRESENT, AttendanceStatus.ABSENT, AttendanceStatus.EXCUSED]

EVALUATED = 45  # some fifteen new trainees a year
PUNCTUALITY_CODES = {"punctuality", "attendance"}
SKILL_COMMENTS = {
    "low": [
        "Début de parcours : de la bonne volonté, la ponctualité reste à travailler.",
        "Encore en retrait dans le groupe ; à encourager et à associer à un binôme.",
        "Les consignes sont à reformuler souvent ; s'applique quand il est accompagné.",
    ],
    "middle": [
        "Assiduité correcte, bonne intégration dans l'équipe ; gestes techniques en cours d'acquisition.",
        "Travail régulier ; doit gagner en autonomie sur les semis et les plantations.",
        "Respecte les consignes de sécurité ; le rangement des outils est à améliorer.",
        "Volontaire pour les travaux physiques ; à accompagner sur l'organisation de la tâche.",
    ],
    "high": [
        "Autonome sur les plantations et les récoltes ; peut guider un nouvel arrivant.",
        "Très bonne implication, prend des initiatives et aide le groupe.",
        "Maîtrise les techniques de base du maraîchage ; prêt pour une mise en situation en chantier d'insertion.",
    ],
}
PROGRESS_OPENINGS = ["Progrès nets depuis la dernière évaluation. ", "Évolution positive. ", "En progression. "]


@dataclass
class Planned:
    """A workshop of the plan, before it is dated and saved."""

    week: int  # weeks from this one (negative: past)
    kind: str
    site: str | None = None  # key in SITES
    trainers: tuple = (0,)  # positions in the organisation's list of trainers
    group: tuple = (8, 15)
    starts: tuple = ()  # preferred start hours
    index: int = 0  # rank among the micro-workshops of its kind
    slot: tuple | None = None  # (weekday, start, end)
    date: datetime.date | None = None
    details: dict = field(default_factory=dict)


def _pick(rng, items):
    """One item, with one draw whatever the length: the stream stays the same when a list depends on the date."""
    return items[int(rng.random() * len(items))]


def _easter(year):
    """Easter Sunday (the anonymous Gregorian algorithm, Meeus/Jones/Butcher)."""
    a, (b, c) = year % 19, divmod(year, 100)
    d, e = divmod(b, 4)
    g = (b - (b + 8) // 25 + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    weekday = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * weekday) // 451
    month, day = divmod(h + weekday - 7 * m + 114, 31)
    return datetime.date(year, month, day + 1)


def _bank_holidays(years):
    """French bank holidays: the workshops of Easter Monday, Ascension Day and Whit Monday move like the others."""
    fixed = [(1, 1), (5, 1), (5, 8), (7, 14), (8, 15), (11, 1), (11, 11), (12, 25)]
    days = set()
    for year in years:
        days.update(datetime.date(year, month, day) for month, day in fixed)
        easter = _easter(year)
        days.update(easter + datetime.timedelta(days=offset) for offset in (1, 39, 50))
    return days


def _trainer_positions(rng, both_chance):
    """One trainer or the two: Karim Benali leads a little more than half of the sessions."""
    draw = rng.random()
    if draw < both_chance:
        return (0, 1)
    return (0,) if draw < both_chance + (1 - both_chance) * 0.58 else (1,)


def _plan(rng, monday, slots):
    """The workshops of the history and the coming days, with their week, kind, site, trainers and slot (dates follow
    in `_date`)."""
    site_keys = list(SITE_WEIGHTS)
    plan = []
    sessions = round(HISTORY_WEEKS * MARKET_GARDENING_A_YEAR / 52)
    per_week = [sessions // HISTORY_WEEKS + 1] * (sessions % HISTORY_WEEKS)
    per_week += [sessions // HISTORY_WEEKS] * (HISTORY_WEEKS - len(per_week))
    rng.shuffle(per_week)
    for week, count in zip(range(-HISTORY_WEEKS, 0), per_week, strict=True):
        for _ in range(count):
            site = rng.choices(site_keys, weights=list(SITE_WEIGHTS.values()))[0]
            plan.append(Planned(week, "market-gardening", site, _trainer_positions(rng, 0.15)))

    # The micro-workshops of the past years, in their season: the season's weeks of the whole history are cut into
    # as many equal spans as there are workshops of the kind, one in each span, so that every calendar year has its
    # share whatever the day.
    load = Counter(planned.week for planned in plan)
    for micro in MICRO_WORKSHOPS:
        season = [
            week
            for week in range(-HISTORY_WEEKS, 0)
            if (monday + datetime.timedelta(weeks=week)).month in micro.months
        ]
        count = micro.count * (HISTORY_WEEKS // 52)
        for index in range(count):
            span = season[index * len(season) // count : (index + 1) * len(season) // count]
            week = _pick(rng, [week for week in span if load[week] < MOST_PER_WEEK] or span)
            load[week] += 1
            if micro.kind == "solidarity-table" and index % 2 == 0:
                site = None  # seed 001: tables are also held in the priority neighbourhoods
            elif micro.kind == "solidarity-table":
                site = "blaise-pascal"  # in the reception chalet
            elif micro.kind in ("beekeeping", "exhibition-chalet"):
                site = "vignoble"
            else:
                site = rng.choices(["blaise-pascal", "vignoble"], weights=[2, 1])[0]
            trainers = _trainer_positions(rng, 0.5)
            plan.append(Planned(week, micro.kind, site, trainers, micro.group, micro.starts, index))

    # Past weeks: the micro-workshops take their slot first, market gardening fills the others.
    used = defaultdict(set)
    for planned in sorted(plan, key=lambda planned: (planned.week, planned.kind == "market-gardening")):
        free = [slot for slot in slots if slot not in used[planned.week]] or slots
        preferred = [slot for slot in free if slot[1].hour in planned.starts] or free
        weights = [START_WEIGHTS.get(slot[1].hour, 1) for slot in preferred]
        planned.slot = rng.choices(preferred, weights=weights)[0]
        used[planned.week].add(planned.slot)

    # This week and next: a session every day from Monday to Thursday, with the first trainer (the demo's
    # trainer@demo.local) on each, so that his home always shows today's or the coming days' workshops.
    weekdays = sorted({slot[0] for slot in slots})
    for week in (0, 1):
        for weekday in weekdays:
            day_slots = [slot for slot in slots if slot[0] == weekday]
            # Every morning and Monday afternoon: with next week's health workshop, six at most (MOST_PER_WEEK).
            chosen = day_slots[:1] + (day_slots[-1:] if weekday == weekdays[0] and len(day_slots) > 1 else [])
            for slot in chosen:
                site = rng.choices(site_keys, weights=list(SITE_WEIGHTS.values()))[0]
                trainers = (0, 1) if rng.random() < 0.3 else (0,)
                plan.append(Planned(week, "market-gardening", site, trainers, slot=slot))
                used[week].add(slot)
    free = [slot for slot in slots if slot not in used[1]] or slots
    afternoon = [slot for slot in free if slot[1].hour >= 12] or free
    plan.append(Planned(1, "health", "blaise-pascal", (0, 1), slot=afternoon[-1], details={"planned": True}))
    return plan


def _date(plan, monday, slots, holidays):
    """Date each workshop; one falling on a bank holiday moves to the nearest free slot of its week."""
    taken = defaultdict(set)
    for planned in plan:
        planned.date = monday + datetime.timedelta(weeks=planned.week, days=planned.slot[0])
        taken[planned.week].add(planned.slot)
    for planned in plan:
        if planned.date not in holidays:
            continue
        week_monday = monday + datetime.timedelta(weeks=planned.week)
        open_slots = [slot for slot in slots if week_monday + datetime.timedelta(days=slot[0]) not in holidays]
        if not open_slots:
            continue  # a week of holidays: the workshop stays (it does not happen in real life)
        free = [slot for slot in open_slots if slot not in taken[planned.week]] or open_slots
        weekday, start = planned.slot[0], planned.slot[1]
        slot = min(free, key=lambda s: (abs(s[0] - weekday), s[1] != start, s[0], s[1]))
        taken[planned.week].discard(planned.slot)
        taken[planned.week].add(slot)
        planned.slot = slot
        planned.date = week_monday + datetime.timedelta(days=slot[0])


def _details(rng, plan, priority_neighbourhoods):
    """Theme, partner, menu and visitors: a fixed number of draws per workshop, the season picking among them."""
    health = itertools.cycle(HEALTH)
    for planned in plan:
        month = planned.date.month
        details = planned.details
        if planned.kind == "market-gardening":
            details["theme"] = _pick(rng, TASKS[month])
        elif planned.kind == "health":
            theme, partner = PLANNED_HEALTH if details.pop("planned", False) else next(health)
            details |= {"theme": theme, "co_leading_partner": partner}
        elif planned.kind == "biodiversity":
            theme, partner = BIODIVERSITY[planned.index % len(BIODIVERSITY)]
            details |= {"theme": theme, "co_leading_partner": partner}
        elif planned.kind == "beekeeping":
            theme = BEEKEEPING.get(month, "Visite des ruches")
            details |= {"theme": theme, "co_leading_partner": BEEKEEPER}
        elif planned.kind == "exhibition-chalet":
            theme, (fewest, most) = VISITS[planned.index % len(VISITS)]
            details |= {"theme": theme, "unregistered_participants": rng.randint(fewest, most)}
        elif planned.kind == "solidarity-table":
            details["menu"] = _pick(rng, MENUS[SEASONS[month]])
            details["unregistered_participants"] = rng.randint(5, 20)
            if planned.site is None and not priority_neighbourhoods:
                planned.site = "blaise-pascal"  # an organisation without neighbourhoods holds them all on site
            if planned.site is None:
                details["neighbourhood"] = _pick(rng, priority_neighbourhoods)
                details["theme"] = "Table solidaire de quartier"
                details["notes"] = (
                    "Repas préparé par l'équipe de bénéficiaires volontaires avec les légumes des Jardins, partagé "
                    "avec les habitants et les seniors du quartier."
                )
            else:
                details["theme"] = "Atelier cuisine et table solidaire"


def _registers(rng, workshops, plan, stays, today):
    """Attendance lines of the workshops before today: a group of the people enrolled that day."""
    people = sorted(stays)
    assiduity = {person: rng.uniform(0.5, 1.5) for person in people}
    often_absent = set(rng.sample(people, min(OFTEN_ABSENT_PEOPLE, len(people))))
    busy = set()  # (person, date, start): no one is in two workshops at once
    lines = []
    for workshop, planned in zip(workshops, plan, strict=True):
        if workshop.date >= today:
            continue
        day, start = workshop.date, workshop.start_time
        enrolled = [
            person
            for person in people
            if (person, day, start) not in busy
            and any(entry <= day and (exit is None or exit >= day) for entry, exit in stays[person])
        ]
        size = rng.randint(*planned.group)
        # Weighted sampling without replacement (Efraimidis–Spirakis): the assiduous come more often.
        ranked = sorted(enrolled, key=lambda person: rng.random() ** (1 / assiduity[person]), reverse=True)
        hours = hours_between(workshop.start_time, workshop.end_time)
        for person in sorted(ranked[:size]):
            weights = OFTEN_ABSENT if person in often_absent else REGULAR
            status = rng.choices(STATUSES, weights=weights)[0]
            done = Decimal("0")
            if status == AttendanceStatus.PRESENT:
                done = LATE_HOURS if hours > LATE_HOURS and rng.random() < LATE_CHANCE else hours
            lines.append(Attendance(workshop=workshop, beneficiary_id=person, status=status, hours=done))
            busy.add((person, day, start))
    return lines, often_absent


def _harvests(rng, organisation, workshops, plan, today, sites, plots, varieties, recorders):
    """What each market-gardening day brought in on its site, season by season."""
    by_day = {}
    for workshop, planned in zip(workshops, plan, strict=True):
        if planned.kind == "market-gardening" and workshop.date < today:
            by_day.setdefault((workshop.date, planned.site), workshop)  # the first of the day on that site
    harvests = []
    for (day, site_key), workshop in sorted(by_day.items(), key=lambda item: item[0]):
        if rng.random() >= HARVEST_CHANCE[day.month]:
            continue
        crops = [crop for crop in CROPS if day.month in crop[1] and crop[0] in varieties]
        if not crops:
            continue
        count = min(len(crops), rng.choices([1, 2, 3, 4], weights=[2, 3, 3, 2])[0])
        recorder = recorders.get(workshop.pk)
        for code, _, unit, (fewest, most), piece_kg in rng.sample(crops, count):
            variety = varieties[code]
            scale = SITE_YIELD[site_key] * YEAR_YIELD.get(today.year - day.year, 1)
            if unit == Unit.KG:
                quantity = Decimal(str(max(0.5, round(rng.uniform(fewest, most) * scale * 2) / 2)))
                weight = quantity
            else:
                quantity = Decimal(max(1, round(rng.randint(fewest, most) * scale)))
                weight = (quantity * piece_kg).quantize(Decimal("0.01"))
            family = variety.family + ("-serre" if code in UNDER_GLASS else "")
            harvests.append(
                Harvest(
                    organisation=organisation,
                    date=day,
                    site=sites[site_key],
                    plot=_plot(plots[site_key], family, variety.family),
                    variety=variety,
                    quantity=quantity,
                    unit=unit,
                    weight_kg=weight,
                    workshop=workshop,
                    recorded_by=recorder,
                )
            )
    return harvests


def _plot(site_plots, *families):
    """The plot growing that family (under glass first), or the site's plot for everything else."""
    for family in families:
        for plot, grown in site_plots:
            if family in grown:
                return plot
    return next((plot for plot, grown in site_plots if "*" in grown), None)


def _evaluations(rng, lines, workshops_by_pk, often_absent, criteria, evaluators, today):
    """One to three skills evaluations of about thirty trainees, on days they were at the garden."""
    if not criteria:
        return []
    present_days = defaultdict(set)
    for line in lines:
        if line.status == AttendanceStatus.PRESENT:
            present_days[line.beneficiary_id].add(workshops_by_pk[line.workshop_id].date)
    eligible = sorted(person for person, days in present_days.items() if len(days) >= 8)
    chosen = sorted(rng.sample(eligible, min(EVALUATED, len(eligible))))
    rows = []
    for person in chosen:
        days = sorted(day for day in present_days[person] if day < today)
        start = rng.choice([1.6, 2.0, 2.0, 2.3, 2.6])
        levels = {criterion.pk: min(4, max(1, round(start + rng.uniform(-0.7, 0.7)))) for criterion in criteria}
        target = days[0] + datetime.timedelta(days=rng.randint(21, 42))
        for number in range(3):
            day = next((day for day in days if day >= target), None)
            if day is None:
                if number == 0:
                    day = days[-1]
                else:
                    break
            if number:
                for criterion in criteria:
                    if rng.random() < 0.4:
                        levels[criterion.pk] = min(4, levels[criterion.pk] + 1)
            if person in often_absent:
                for criterion in criteria:
                    if criterion.code in PUNCTUALITY_CODES:
                        levels[criterion.pk] = min(levels[criterion.pk], 2)
            average = sum(levels.values()) / len(levels)
            band = "low" if average < 2.1 else "middle" if average < 2.9 else "high"
            comment = (_pick(rng, PROGRESS_OPENINGS) if number else "") + _pick(rng, SKILL_COMMENTS[band])
            evaluator = _pick(rng, evaluators)
            rows.append((person, day, evaluator, comment, dict(levels)))
            target = day + datetime.timedelta(days=rng.randint(56, 90))
    return rows


@transaction.atomic
def seed(organisation, *, rng, stdout):
    """Create the demo's sites, workshops, registers, harvests and evaluations, unless the organisation has a site."""
    if Site.objects.filter(organisation=organisation).exists():
        stdout.write("Gardens: the organisation already has sites, none added.")
        return

    today = timezone.localdate()
    monday = today - datetime.timedelta(days=today.weekday())
    # One generator per part: the calendar changes how much the registers or the harvests draw, never the plan.
    plan_rng, register_rng, harvest_rng, skills_rng = (random.Random(rng.getrandbits(64)) for _ in range(4))

    kinds = {item.code: item for item in WorkshopKind.objects.filter(organisation=organisation)}
    neighbourhoods = {item.code: item for item in Neighbourhood.objects.filter(organisation=organisation)}
    priority = list(
        Neighbourhood.objects.filter(organisation=organisation, is_priority=True, is_active=True).order_by(
            "position", "pk"
        )
    )
    varieties = {item.code: item for item in Variety.objects.filter(organisation=organisation, is_active=True)}
    criteria = list(SkillCriterion.objects.filter(organisation=organisation, is_active=True).order_by("position"))
    slots = [
        (weekday, start, end)
        for weekday, start, end in TimetableSlot.objects.filter(organisation=organisation)
        .order_by("weekday", "start_time")
        .values_list("weekday", "start_time", "end_time")
    ] or list(defaults.TIMETABLE)
    members = Membership.objects.active().filter(organisation=organisation).select_related("user").order_by("pk")
    trainers = [membership.user for membership in members if membership.is_trainer]

    sites = {}
    for key, name, kind, neighbourhood, area, address, notes in SITES:
        sites[key] = Site(
            organisation=organisation,
            name=name,
            kind=kind,
            neighbourhood=neighbourhoods.get(neighbourhood),
            area_m2=area,
            address=address,
            notes=notes,
        )
    Site.objects.bulk_create(sites.values())
    plot_rows = [
        (key, Plot(site=sites[key], name=name, area_m2=area), grown)
        for key, rows in PLOTS.items()
        for name, area, grown in rows
    ]
    Plot.objects.bulk_create([plot for _, plot, _ in plot_rows])
    plots = defaultdict(list)
    for key, plot, grown in plot_rows:
        plots[key].append((plot, grown))
    Equipment.objects.bulk_create(
        [
            Equipment(site=sites[key], kind=kind, description=description, quantity=quantity)
            for key, rows in EQUIPMENT.items()
            for kind, description, quantity in rows
        ]
    )

    plan = _plan(plan_rng, monday, slots)
    _date(plan, monday, slots, _bank_holidays(range(today.year - 4, today.year + 2)))
    plan.sort(key=lambda planned: (planned.date, planned.slot[1], planned.kind))
    _details(plan_rng, plan, priority or list(neighbourhoods.values()))
    co_leader = demo_partners(organisation, kinds=CO_LEADERS, role=PartnerRole.CO_LEADS_WORKSHOPS)
    workshops = Workshop.objects.bulk_create(
        [
            Workshop(
                organisation=organisation,
                date=planned.date,
                start_time=planned.slot[1],
                end_time=planned.slot[2],
                kind=kinds[planned.kind],
                site=sites[planned.site] if planned.site else None,
                neighbourhood=planned.details.get("neighbourhood"),
                co_leading_partner=co_leader(planned.details.get("co_leading_partner")),
                theme=planned.details.get("theme", ""),
                menu=planned.details.get("menu", ""),
                unregistered_participants=planned.details.get("unregistered_participants", 0),
                notes=planned.details.get("notes", ""),
            )
            for planned in plan
        ]
    )
    led = {
        workshop.pk: [trainers[position] for position in planned.trainers if position < len(trainers)]
        for workshop, planned in zip(workshops, plan, strict=True)
    }
    through = Workshop.trainers.through
    through.objects.bulk_create(
        [through(workshop_id=pk, user_id=user.pk) for pk, users in led.items() for user in users]
    )

    stays = defaultdict(list)
    for person, entry, exit_date in Enrolment.objects.filter(beneficiary__organisation=organisation).values_list(
        "beneficiary_id", "entry_date", "exit_date"
    ):
        stays[person].append((entry, exit_date))
    lines, often_absent = _registers(register_rng, workshops, plan, stays, today)
    Attendance.objects.bulk_create(lines)

    team = trainers or [membership.user for membership in members][:1] or [None]
    # The workshop's first trainer records its harvests (anyone of the team when no one is a trainer).
    recorders = {workshop.pk: (led[workshop.pk] or team)[0] for workshop in workshops}
    harvests = _harvests(harvest_rng, organisation, workshops, plan, today, sites, plots, varieties, recorders)
    Harvest.objects.bulk_create(harvests)

    workshops_by_pk = {workshop.pk: workshop for workshop in workshops}
    rows = _evaluations(skills_rng, lines, workshops_by_pk, often_absent, criteria, team, today)
    evaluations = SkillEvaluation.objects.bulk_create(
        [
            SkillEvaluation(beneficiary_id=person, date=day, evaluator=evaluator, comment=comment)
            for person, day, evaluator, comment, _ in rows
        ]
    )
    SkillRating.objects.bulk_create(
        [
            SkillRating(evaluation=evaluation, criterion_id=criterion, level=level)
            for evaluation, (*_, levels) in zip(evaluations, rows, strict=True)
            for criterion, level in levels.items()
        ]
    )

    year_ago = today - datetime.timedelta(days=365)
    this_year = sum(1 for workshop in workshops if year_ago <= workshop.date <= today)
    to_come = sum(1 for workshop in workshops if workshop.date >= today)
    tonnes = sum(harvest.weight_kg for harvest in harvests) / 1000
    stdout.write(
        f"Gardens: {len(sites)} sites, {len(workshops)} workshops since {workshops[0].date:%d/%m/%Y} ({this_year} in "
        f"the last 12 months, {to_come} today or later), {len(lines):,} attendance lines, {tonnes:.1f} t harvested "
        f"in {len(harvests)} harvests, {len(evaluations)} skills evaluations of {len({row[0] for row in rows})} "
        "trainees."
    )
