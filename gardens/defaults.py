"""The gardens' defaults for a new organisation: a French variety catalogue, a skills grid, seed 001's timetable."""

import datetime

from gardens.models import SkillCriterion, TimetableSlot, Variety

# (code, species, variety, family, heritage)
VARIETIES = [
    ("tomate-coeur-de-boeuf", "Tomate", "Cœur de bœuf", "Solanacées", True),
    ("tomate-noire-de-crimee", "Tomate", "Noire de Crimée", "Solanacées", True),
    ("tomate-cerise", "Tomate", "Cerise", "Solanacées", False),
    ("pomme-de-terre-bintje", "Pomme de terre", "Bintje", "Solanacées", False),
    ("courgette-verte", "Courgette", "Verte de Milan", "Cucurbitacées", False),
    ("potiron-rouge-vif-d-etampes", "Potiron", "Rouge vif d'Étampes", "Cucurbitacées", True),
    ("concombre", "Concombre", "Marketmore", "Cucurbitacées", False),
    ("haricot-vert", "Haricot", "Vert nain", "Fabacées", False),
    ("petit-pois", "Petit pois", "Merveille de Kelvedon", "Fabacées", True),
    ("feve", "Fève", "Aguadulce", "Fabacées", False),
    ("carotte-de-colmar", "Carotte", "De Colmar", "Apiacées", True),
    ("celeri-rave", "Céleri", "Rave", "Apiacées", False),
    ("panais", "Panais", "Demi-long de Guernesey", "Apiacées", True),
    ("poireau-bleu-de-solaise", "Poireau", "Bleu de Solaise", "Amaryllidacées", True),
    ("oignon-jaune", "Oignon", "Jaune paille des Vertus", "Amaryllidacées", True),
    ("ail", "Ail", "Blanc", "Amaryllidacées", False),
    ("chou-pomme", "Chou", "Pommé Cœur de bœuf", "Brassicacées", True),
    ("chou-fleur", "Chou-fleur", "Boule de neige", "Brassicacées", False),
    ("radis", "Radis", "18 jours", "Brassicacées", False),
    ("navet", "Navet", "Boule d'or", "Brassicacées", True),
    ("laitue-batavia", "Laitue", "Batavia", "Astéracées", False),
    ("laitue-feuille-de-chene", "Laitue", "Feuille de chêne", "Astéracées", False),
    ("mache", "Mâche", "Verte de Cambrai", "Valérianacées", True),
    ("epinard", "Épinard", "Géant d'hiver", "Amaranthacées", False),
    ("betterave-crapaudine", "Betterave", "Crapaudine", "Amaranthacées", True),
    ("blette", "Blette", "Verte à carde blanche", "Amaranthacées", False),
    ("fraise", "Fraise", "Gariguette", "Rosacées", False),
    ("persil", "Persil", "Commun", "Apiacées", False),
    ("ciboulette", "Ciboulette", "Commune", "Amaryllidacées", False),
    ("basilic", "Basilic", "Grand vert", "Lamiacées", False),
]

SKILLS = [
    ("punctuality", "Ponctualité"),
    ("attendance", "Assiduité"),
    ("teamwork", "Travail en équipe"),
    ("instructions", "Respect des consignes"),
    ("safety", "Sécurité et gestes et postures"),
    ("gardening", "Techniques de maraîchage"),
    ("tools", "Soin du matériel et des outils"),
    ("autonomy", "Autonomie dans la tâche"),
]

# Seed 001: "du lundi au jeudi de 8h à 12h et l'après-midi de 14h à 16h", in 2-hour workshops.
TIMETABLE = [
    (weekday, datetime.time(start), datetime.time(start + 2)) for weekday in range(4) for start in (8, 10, 14)
]


def install(organisation):
    """Create what the organisation lacks; entries it already has are left as edited."""
    existing = set(Variety.objects.filter(organisation=organisation).values_list("code", flat=True))
    Variety.objects.bulk_create(
        [
            Variety(
                organisation=organisation,
                code=code,
                species=species,
                label=label,
                family=family,
                is_heritage=heritage,
                position=position,
            )
            for position, (code, species, label, family, heritage) in enumerate(VARIETIES, start=1)
            if code not in existing
        ]
    )
    existing = set(SkillCriterion.objects.filter(organisation=organisation).values_list("code", flat=True))
    SkillCriterion.objects.bulk_create(
        [
            SkillCriterion(organisation=organisation, code=code, label=label, position=position)
            for position, (code, label) in enumerate(SKILLS, start=1)
            if code not in existing
        ]
    )
    if not TimetableSlot.objects.filter(organisation=organisation).exists():
        TimetableSlot.objects.bulk_create(
            [
                TimetableSlot(organisation=organisation, weekday=weekday, start_time=start, end_time=end)
                for weekday, start, end in TIMETABLE
            ]
        )
