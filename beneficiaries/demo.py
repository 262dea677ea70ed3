"""Demo data of the beneficiaries app: three years of pathways after seed 001 (Les Jardins du Cœur, Valenciennes).

`manage.py seed_demo` calls `seed(organisation, rng=rng, stdout=stdout)`. It builds some hundred files over the demo's
history (insertion.demo.HISTORY_WEEKS: the last two calendar years whole, and this one so far) in rolling entry and
exit. The workshop has 38 places, all taken today: each is followed back from today, the person in it now and, a few
weeks of vacancy apart, those who held it before, back to the start of the history (the people there then entered
up to a year earlier). Stays last from three months to nearly three years, so that some 60 people are accompanied
each year (seed 001), 25 or so entering and as many leaving, many staying across two calendar years. Today 8 of the
people enrolled have had no interview for more than a month (so that the dashboard has someone to show); 4 people
left and came back; the exits share out the IAE outcomes in proportions echoing seed 001's 2015 results (4 CDDI, 4
interim missions, 2 CDD, 2 qualifying trainings among 56 people). Each file has an entry assessment over the ten
domains of the livret, a re-assessment every four months or so, about one interview a month (a month missed now and
then), and a plan of 2 to 4 objectives (more for a long pathway), each with its actions within a few months.

Idempotent the simple way: if the organisation already has a beneficiary, the seed prints a line and returns
without touching anything (and without drawing from `rng`).

Deterministic: every choice is drawn from `rng`, in a fixed order. Dates are offsets in days from today, read once,
so that the demo looks alive whatever the day it is built; the number of rows and the names depend on `rng` only.
Days falling on a weekend or a fixed bank holiday move back to the working day before (future ones forward): the
move keeps the order of the dates, so no rule (exit after entry, nothing in the future) can break.
"""

import datetime
import unicodedata
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from beneficiaries.enums import (
    ActionStatus,
    AssessmentKind,
    ContractType,
    Domain,
    Household,
    InterviewKind,
    Relaunch,
    Sex,
)
from beneficiaries.models import Action, Assessment, AssessmentItem, Beneficiary, Enrolment, Interview, Objective
from insertion.demo import HISTORY_WEEKS
from insertion.models import EducationLevel, ExitOutcome, Membership, Neighbourhood, Programme, SocialSituation
from partners.enums import PartnerKind, PartnerRole
from partners.models import Partner

PROGRAMME_CODE = "market-gardening-workshop"

# The partners who oriented the people here, as the demo's directory names them (partners/demo_directory.py).
REFERRERS = {
    "CHRS": PartnerKind.ASSOCIATION,
    "SIAO 115": PartnerKind.PUBLIC_BODY,
    "Croix-Rouge": PartnerKind.ASSOCIATION,
    "ADOMA": PartnerKind.COMPANY,
    "Mission Locale": PartnerKind.PUBLIC_BODY,
    "France Travail": PartnerKind.PUBLIC_BODY,
    "Restos du Cœur": PartnerKind.ASSOCIATION,
}

SEATS = 38  # places in the workshop, all taken today: the people enrolled today, returners included
RETURNERS = 4  # left once (short contract, health, job seeking) and came back some months later
RETURN_OUTCOMES = {"cdd-under-6-months", "health", "job-seeking"}  # the exits people come back from
RETURN_AFTER = (45, 180)  # days between the exit and the return
OVERDUE = 8  # enrolled people whose last interview is more than a month old
NOTED_SHARE = 3  # a confidential note in about one file in three
INTERIM_MISSIONS_DURING_PATHWAY = 5  # short missions through the interim agency, the person staying enrolled
# How long a stay lasts, and how long the person in each place today has been there, in days: (fewest, most) with
# their weights. With 38 places and a few weeks' vacancy between two people, some 60 people are accompanied each
# year (seed 001), 25 or so entering and as many leaving.
STAY_DAYS = {(90, 240): 20, (240, 600): 45, (600, 1000): 35}
ELAPSED_DAYS = {(5, 180): 35, (180, 540): 40, (540, 900): 25}
VACANCY_DAYS = (10, 60)
# The files go back to the demo's first week of workshops, and the people already there then entered at most a
# year before (their files start earlier).
HISTORY_DAYS = 7 * (HISTORY_WEEKS + 1)
EARLIEST_ENTRY = -HISTORY_DAYS - 365
MISSED_MONTH_CHANCE = 0.08  # a month without an interview now and then: holidays, a hospital stay, no answer
OBJECTIVE_DAYS = 150  # the steps of an objective fall within this many days of the person's time here

# The exits by outcome code (insertion/defaults.py EXIT_OUTCOMES), in these proportions: some 55 % of "sorties
# dynamiques", echoing seed 001's 2015 results (4 CDDI, 4 interim missions, 2 CDD, 2 qualifying trainings).
EXIT_OUTCOME_MIX = {
    "other-insertion-structure": 6,
    "cdd-under-6-months": 6,
    "cdd-6-months-or-more": 3,
    "qualifying-training": 3,
    "cdi": 1,
    "subsidised-contract": 1,
    "job-seeking": 6,
    "moving-away": 3,
    "health": 2,
    "unknown": 2,
    "end-of-rights": 1,
    "inactivity": 1,
}

# Seed 001's 2016 tables: people by neighbourhood and by education level (56 people).
NEIGHBOURHOOD_WEIGHTS = {
    "saint-waast": 6,
    "dutemple": 5,
    "faubourg-de-lille": 7,
    "faubourg-de-paris": 10,
    "centre-ville": 7,
    "acacias": 3,
    "faubourg-de-cambrai": 2,
    "les-tertiales": 3,
    "chasse-royale": 7,
    "la-briquette": 3,
    "les-cheminots": 1,
    "faubourg-sainte-catherine": 1,
    "le-roleur": 1,
}
EDUCATION_WEIGHTS = {
    "never-schooled": 9,  # VI
    "college-no-diploma": 27,  # VI
    "cap-bep-last-year": 13,  # Vbis
    "cap-bep": 6,  # V
    "baccalaureat": 1,  # IV
}

# Common in the Valenciennois: Picard and Flemish names, families from Poland, Italy and Portugal (their
# grandchildren carry French first names), from the Maghreb and from West Africa.
LAST_NAMES = {
    "common": [
        "Delattre", "Lemaire", "Leroy", "Duhamel", "Dubois", "Vasseur", "Carpentier", "Deschamps", "Delcourt",
        "Lecomte", "Caron", "Hennebert", "Boulanger", "Wattiez", "Dufour", "Leclercq", "Delannoy", "Desmet",
        "Vandenberghe", "Verhaeghe", "Lemoine", "Fontaine", "Mercier", "Decroix", "Bouchez", "Delhaye", "Bracq",
        "Gosselin", "Dewailly", "Descamps", "Plouvier", "Lenglet", "Cuvelier", "Brunet", "Merlin", "Dumont",
        "Hocquet", "Poulain", "Lesage", "Tison", "Baudoux", "Delporte", "Coppin", "Dhainaut", "Wallart", "Blondeau",
        "Delmotte", "Lefort", "Petit", "Moreau", "Devos", "Maes", "Hanot", "Demarcq", "Ledoux", "Mortier",
        "Quennesson", "Bernard", "Kowalski", "Nowak", "Wojcik", "Kaczmarek", "Lewandowski", "Rossi", "Lombardi",
        "Esposito", "Da Silva", "Ferreira", "Pereira", "Leleu", "Lefranc", "Dupuis", "Delval", "Lecerf", "Duquesne",
        "Carlier", "Vanhove", "Vermeersch", "Declercq", "Vandewalle", "Deneux", "Ghesquière", "Malbranque", "Piette",
        "Ramette", "Sauvage", "Taffin", "Boutry", "Caudron", "Crépin", "Flament", "Hennequin", "Lannoy", "Mahieu",
        "Pruvost", "Stievenard", "Thuillier", "Vanneste", "Wallez", "Mazur", "Kaminski", "Zielinski", "Ricci",
        "Marino", "Rodrigues", "Fernandes",
    ],
    "maghreb": [
        "Mansouri", "Haddad", "Boukhari", "Kaddour", "Saïdi", "Bensaïd", "Cherif", "Amrani", "Belkacem", "Meziane",
        "Ouali", "Rahmani", "Bouzid", "Hamidi", "Slimani", "Zerrouki", "Lahlou",
    ],
    "west-africa": ["Diallo", "Traoré", "Camara", "Keïta", "Coulibaly", "Konaté"],
}  # fmt: skip
FIRST_NAMES = {
    # (origin, sex, generation): people aged up to 32 were born in the 1990s and 2000s.
    ("common", Sex.MALE, "young"): [
        "Kévin", "Dylan", "Jordan", "Anthony", "Steven", "Mickaël", "Bryan", "Maxime", "Florian", "Thomas", "Lucas",
        "Enzo", "Jimmy", "Quentin", "Alexis", "Jérémy",
    ],
    ("common", Sex.MALE, "older"): [
        "Patrick", "Didier", "Thierry", "Pascal", "Éric", "Laurent", "Frédéric", "Stéphane", "Sébastien", "David",
        "Jérôme", "Nicolas", "Cédric", "Grégory", "Ludovic", "Franck", "Fabrice", "Olivier", "Dominique", "Bruno",
        "Alain", "Philippe", "Hervé", "Jean-Marc", "Jean-Pierre", "Johnny",
    ],
    ("common", Sex.FEMALE, "young"): [
        "Océane", "Manon", "Laura", "Marine", "Chloé", "Justine", "Kelly", "Jessica", "Cindy", "Mélissa", "Sarah",
    ],
    ("common", Sex.FEMALE, "older"): [
        "Sandrine", "Nathalie", "Isabelle", "Valérie", "Sylvie", "Catherine", "Martine", "Corinne", "Véronique",
        "Karine", "Stéphanie", "Céline", "Aurélie", "Virginie", "Émilie", "Laetitia", "Mélanie", "Audrey", "Élodie",
        "Priscilla", "Sabrina", "Christelle", "Patricia",
    ],
    ("maghreb", Sex.MALE, "young"): ["Mehdi", "Yanis", "Rayan", "Bilal", "Nassim", "Sofiane"],
    ("maghreb", Sex.MALE, "older"): ["Rachid", "Mohamed", "Samir", "Nordine", "Farid", "Youssef", "Mustapha"],
    ("maghreb", Sex.FEMALE, "young"): ["Inès", "Sarah", "Yasmine", "Lina"],
    ("maghreb", Sex.FEMALE, "older"): ["Samira", "Fatima", "Malika", "Leïla", "Khadija", "Karima"],
    ("west-africa", Sex.MALE, "young"): ["Moussa", "Ibrahim", "Mamadou"],
    ("west-africa", Sex.MALE, "older"): ["Mamadou", "Ousmane", "Amadou"],
    ("west-africa", Sex.FEMALE, "young"): ["Aminata", "Fatoumata"],
    ("west-africa", Sex.FEMALE, "older"): ["Mariama", "Aïssatou", "Fatoumata"],
}  # fmt: skip
STREETS = [
    "rue Jean Jaurès", "rue Victor Hugo", "rue Pasteur", "rue des Lilas", "rue Émile Zola", "rue Jules Ferry",
    "rue Voltaire", "allée des Tilleuls", "rue du Moulin", "rue Anatole France", "résidence Les Peupliers",
    "rue Pierre Curie", "rue de la Paix", "cité des Cheminots", "rue Roger Salengro",
]  # fmt: skip

DOMAIN_LABELS = {
    Domain.EMPLOYMENT: "emploi",
    Domain.TRAINING: "formation",
    Domain.HOUSING: "logement",
    Domain.HEALTH: "santé",
    Domain.MOBILITY: "mobilité",
    Domain.FAMILY: "famille et garde d'enfants",
    Domain.BUDGET: "budget",
    Domain.RIGHTS: "droits administratifs",
    Domain.LANGUAGE: "français",
    Domain.DIGITAL: "numérique",
}

# What the assessments say, by domain and level (1 major obstacle … 4 no obstacle): (situation, obstacles).
DOMAIN_TEXTS = {
    Domain.EMPLOYMENT: {
        1: [
            (
                "Sans emploi depuis plus de trois ans ; dernières expériences en manutention et en nettoyage.",
                "Rythme de travail perdu, pas de CV, découragement.",
            ),
            (
                "N'a jamais eu d'emploi déclaré durable, quelques travaux saisonniers.",
                "Aucune expérience valorisable, codes de l'entreprise à acquérir.",
            ),
            ("Inscrit à France Travail mais sans démarche depuis longtemps.", "Isolement, pas de projet défini."),
        ],
        2: [
            (
                "Expérience dans le bâtiment et les espaces verts ; dernier contrat il y a 18 mois.",
                "Pas de permis, difficulté à tenir des horaires fixes.",
            ),
            (
                "Quelques missions d'intérim en logistique ces deux dernières années.",
                "Projet professionnel à préciser, CV à reprendre.",
            ),
            (
                "A travaillé en restauration collective, arrêt après la naissance des enfants.",
                "Mode de garde, confiance en soi.",
            ),
        ],
        3: [
            (
                "Projet défini dans les espaces verts, recherche active.",
                "Peu d'expérience récente à mettre en avant.",
            ),
            (
                "Mise en situation de travail réussie, assiduité régulière à l'atelier.",
                "Candidatures à multiplier auprès des structures d'insertion.",
            ),
        ],
        4: [("Projet validé, candidatures en cours auprès des structures d'insertion et des entreprises.", "")],
    },
    Domain.TRAINING: {
        1: [
            ("Scolarité arrêtée en 5e, aucune formation depuis.", "Peur de l'échec, difficultés à l'écrit."),
            ("Aucune qualification, pas d'envie exprimée de formation.", "Méconnaissance de l'offre de formation."),
        ],
        2: [
            (
                "CAP préparé mais non obtenu ; remise à niveau suivie il y a plusieurs années.",
                "Projet flou, crainte de perdre le RSA pendant la formation.",
            ),
            (
                "Intérêt pour une formation en maraîchage ou en espaces verts.",
                "Prérequis à vérifier, financement à trouver.",
            ),
        ],
        3: [
            (
                "Projet de formation identifié (titre professionnel ouvrier du paysage).",
                "Information collective à suivre, dossier à monter.",
            ),
            ("Remise à niveau en cours au centre social.", "Assiduité à tenir en parallèle de l'atelier."),
        ],
        4: [("Qualification en rapport avec le projet, pas de besoin de formation immédiat.", "")],
    },
    Domain.HOUSING: {
        1: [
            ("Sans logement stable, alterne entre le 115 et des hébergements chez des tiers.", "Aucune adresse fixe."),
            (
                "Logement insalubre (humidité, chauffage défaillant).",
                "Dette de loyer, procédure d'expulsion engagée.",
            ),
        ],
        2: [
            (
                "Demande de logement social déposée, en attente de proposition.",
                "Délais d'attribution, ressources faibles.",
            ),
            ("Chambre en résidence sociale.", "Souhaite un logement autonome, ressources encore insuffisantes."),
        ],
        3: [
            (
                "Proposition de logement acceptée, entrée dans les lieux prévue.",
                "Ameublement et ouverture des compteurs à organiser.",
            ),
            ("Logé en résidence sociale, redevance payée chaque mois.", "Logement autonome à viser."),
            ("Locataire du parc social, loyer à jour depuis trois mois.", "Plan d'apurement à tenir."),
        ],
        4: [("Locataire en titre, loyer payé régulièrement.", "")],
    },
    Domain.HEALTH: {
        1: [
            (
                "Pas de suivi médical depuis plusieurs années, problèmes dentaires importants.",
                "Renoncement aux soins, pas de médecin traitant.",
            ),
            ("Fatigue importante, sommeil perturbé.", "Suivi médical à reconstruire."),
        ],
        2: [
            ("Douleurs de dos qui limitent le port de charges.", "Pas de médecin traitant déclaré."),
            (
                "Traitement pour le diabète suivi de façon irrégulière.",
                "Oublis de rendez-vous, alimentation à revoir.",
            ),
            ("Bon état général mais aucun bilan de santé depuis dix ans.", "Appréhension des soins."),
        ],
        3: [
            ("Médecin traitant déclaré, soins dentaires commencés.", "Suivi à maintenir."),
            ("Bilan de santé réalisé à l'Institut Pasteur, suivi engagé.", "Rendez-vous de spécialiste à prendre."),
        ],
        4: [("Pas de problème de santé signalé, suivi régulier chez le médecin traitant.", "")],
    },
    Domain.MOBILITY: {
        1: [
            ("Pas de permis ; ne connaît pas le réseau de bus et de tramway.", "Déplacements limités au quartier."),
            ("Sort peu de son quartier.", "Appréhension des transports en commun."),
        ],
        2: [
            (
                "Se déplace à pied ou à vélo, pas de permis.",
                "Zones d'activité inaccessibles aux horaires décalés.",
            ),
            ("Permis suspendu, pas de véhicule.", "Coût du stage et de la visite médicale."),
        ],
        3: [
            (
                "Utilise seul le bus et le tramway, abonnement solidaire obtenu.",
                "Pas de permis pour les horaires décalés.",
            ),
            ("Code de la route en préparation à l'auto-école sociale.", "Financement des heures de conduite."),
        ],
        4: [("Titulaire du permis B, se déplace sans difficulté.", "")],
    },
    Domain.FAMILY: {
        1: [("Rupture familiale récente.", "Souffrance liée à la séparation, isolement.")],
        2: [
            (
                "Droit de visite un week-end sur deux, relations tendues avec l'autre parent.",
                "Procédure JAF en cours.",
            ),
            ("Soutien de la famille ponctuel, relations à apaiser.", "Conflits récurrents."),
        ],
        3: [("Relations familiales apaisées, contacts réguliers.", "Équilibre encore fragile.")],
        4: [("Organisation familiale stable.", "")],
    },
    Domain.BUDGET: {
        1: [
            (
                "Dettes d'énergie et de téléphonie, découverts répétés.",
                "Pas de suivi des dépenses, relances d'huissier.",
            ),
            (
                "Ressources limitées au RSA, fins de mois difficiles dès le 15.",
                "Recours régulier à l'aide alimentaire.",
            ),
        ],
        2: [
            ("Dossier de surendettement à constituer.", "Courriers non ouverts."),
            ("Budget serré mais factures payées, aucune épargne.", "Imprévus non couverts."),
        ],
        3: [
            ("Plan de surendettement accepté par la Banque de France.", "Mensualités à tenir."),
            ("Suit son budget avec la CESF, factures à jour.", "Vigilance sur les crédits à la consommation."),
        ],
        4: [("Budget équilibré, factures payées à échéance.", "")],
    },
    Domain.RIGHTS: {
        1: [
            ("Pas de complémentaire santé, carte Vitale perdue.", "Dossiers CAF et CPAM non à jour."),
            ("Carte d'identité périmée depuis deux ans.", "Impossible d'ouvrir un compte ou de signer un contrat."),
        ],
        2: [
            ("Droits RSA ouverts, déclaration trimestrielle souvent en retard.", "Risque de suspension des droits."),
            ("Complémentaire santé solidaire à renouveler.", "Démarches en ligne non maîtrisées."),
        ],
        3: [("Droits à jour, Complémentaire santé solidaire renouvelée.", "Aide encore utile pour les déclarations.")],
        4: [("Droits ouverts et à jour, démarches faites seul.", "")],
    },
    Domain.LANGUAGE: {
        1: [
            ("Ne lit pas et écrit difficilement, compense par l'oral.", "Difficultés de lecture non reconnues."),
            ("Arrivé en France il y a trois ans, comprend le français simple.", "Français écrit non acquis."),
        ],
        2: [("Lit avec difficulté les courriers administratifs.", "Besoin d'aide pour remplir les formulaires.")],
        3: [("Suit l'atelier sociolinguistique deux fois par semaine.", "Progrès à l'écrit à consolider.")],
        4: [("Lit et écrit le français sans difficulté.", "")],
    },
    Domain.DIGITAL: {
        1: [("Ni ordinateur ni adresse e-mail, téléphone basique.", "Aucune démarche en ligne possible seul.")],
        2: [
            (
                "Smartphone utilisé pour les appels et les messages seulement.",
                "Ne sait pas se connecter à ses espaces France Travail et CAF.",
            ),
            ("Adresse e-mail créée mais mot de passe oublié.", "Besoin d'accompagnement pour les démarches en ligne."),
        ],
        3: [("Se connecte seul à son espace CAF grâce à l'atelier numérique.", "Envoi de pièces jointes difficile.")],
        4: [("Fait seul ses démarches en ligne.", "")],
    },
}
# At entry, housing and family depend on the person's situation rather than on chance alone.
HOUSING_AT_ENTRY = {
    "homeless": (
        1,
        [
            ("Sans domicile stable, hébergé au CHRS depuis quelques mois.", "Aucune demande de logement en cours."),
            ("Dort au 115 ou chez des connaissances selon les soirs.", "Domiciliation au CCAS, pas d'adresse."),
        ],
    ),
    "adoma": (2, [("Chambre en résidence sociale ADOMA.", "Souhaite un logement autonome, ressources faibles.")]),
    "hosted": (
        2,
        [
            ("Hébergé chez sa sœur depuis la séparation.", "Suroccupation, demande de logement social à faire."),
            ("Hébergé chez ses parents.", "Tensions familiales, pas de demande de logement déposée."),
        ],
    ),
}
FAMILY_WITH_CHILDREN = {
    1: [("Seul avec les enfants, aucune solution de garde.", "Disponible seulement aux horaires de l'école.")],
    2: [
        ("Enfants scolarisés, garde du mercredi à organiser.", "Pas de place en accueil de loisirs."),
        ("Droit de visite un week-end sur deux, relations tendues avec l'autre parent.", "Procédure JAF en cours."),
    ],
    3: [("Mode de garde trouvé (assistante maternelle et relais familial).", "Organisation à consolider.")],
}
FAMILY_WITHOUT_CHILDREN = {
    2: [("Très peu de contacts familiaux.", "Isolement.")],
    3: [("Liens familiaux distendus mais présents.", "Soutien ponctuel seulement.")],
    4: [("Pas d'enfant à charge, liens familiaux réguliers.", "")],
}

ADVISOR = "{advisor}"  # France Travail, or the Mission Locale for people under 26
EMERGENCY_EXIT = "Sortir de l'hébergement d'urgence"
CHILDCARE = "Trouver un mode de garde pour les enfants"
# The objectives of each domain, each with its steps in their usual order: (title, partner, relaunch).
OBJECTIVES = {
    Domain.EMPLOYMENT: {
        "Accéder à un contrat en structure d'insertion": [
            ("Atelier CV et lettre de motivation", ADVISOR, ""),
            ("Mise en situation de travail dans un chantier d'insertion", "AGEVAL", Relaunch.EMPLOYMENT),
            ("Candidature à un CDDI en atelier chantier d'insertion", "AGEVAL", Relaunch.EMPLOYMENT),
        ],
        "Construire un projet professionnel": [
            ("Entretien avec le conseiller emploi", ADVISOR, ""),
            ("Enquête métier auprès d'un maraîcher de l'Avesnois", "", ""),
            ("Job dating des structures d'insertion du Valenciennois", "France Travail", Relaunch.EMPLOYMENT),
        ],
        "Reprendre un emploi dans les espaces verts": [
            ("Atelier CV et lettre de motivation", ADVISOR, ""),
            ("Inscription à l'agence d'intérim d'insertion", "UCIE Interim", Relaunch.EMPLOYMENT),
            ("Candidatures aux offres d'agent d'espaces verts", "France Travail", Relaunch.EMPLOYMENT),
        ],
        "Retrouver un rythme de travail": [
            ("Présence à l'atelier quatre matinées par semaine", "", ""),
            ("Mise en situation de travail dans un chantier d'insertion", "AGEVAL", Relaunch.EMPLOYMENT),
        ],
    },
    Domain.TRAINING: {
        "Entrer en formation qualifiante": [
            ("Information collective sur les formations du secteur vert", ADVISOR, ""),
            ("Positionnement sur une formation pré-qualifiante", ADVISOR, Relaunch.TRAINING),
            ("Dossier de financement de la formation", ADVISOR, Relaunch.TRAINING),
        ],
        "Se remettre à niveau avant une formation": [
            ("Évaluation des savoirs de base", "Centre social", ""),
            ("Remise à niveau en français et en calcul", "Centre social", Relaunch.TRAINING),
        ],
        "Définir un projet de formation": [
            ("Entretien avec le conseiller sur les métiers du vert", ADVISOR, ""),
            ("Information collective sur les formations du secteur vert", ADVISOR, ""),
        ],
    },
    Domain.HOUSING: {
        "Accéder à un logement autonome": [
            ("Dépôt d'une demande de logement social", "CCAS", Relaunch.HOUSING),
            ("Dossier FSL pour le dépôt de garantie", "CCAS", ""),
            ("Visite du logement proposé par le bailleur", "V2H", Relaunch.HOUSING),
        ],
        EMERGENCY_EXIT: [
            ("Demande SIAO pour une place en résidence sociale", "SIAO 115", Relaunch.HOUSING),
            ("Visite d'une chambre en résidence sociale", "ADOMA", Relaunch.HOUSING),
            ("Dépôt d'une demande de logement social", "CCAS", Relaunch.HOUSING),
        ],
        "Se maintenir dans son logement": [
            ("Plan d'apurement de la dette de loyer", "V2H", ""),
            ("Demande d'aide du FSL maintien", "CCAS", Relaunch.HOUSING),
        ],
    },
    Domain.HEALTH: {
        "Faire un bilan de santé et engager les soins": [
            ("Réunion de sensibilisation au bilan de santé", "Institut Pasteur", ""),
            ("Bilan de santé à l'Institut Pasteur", "Institut Pasteur", Relaunch.HEALTH),
            ("Rendez-vous chez le dentiste", "", Relaunch.HEALTH),
        ],
        "Reprendre un suivi médical régulier": [
            ("Déclaration d'un médecin traitant", "CPAM", Relaunch.HEALTH),
            ("Atelier santé collectif sur l'équilibre alimentaire", "CPAM", ""),
            ("Rendez-vous de suivi chez le médecin traitant", "", Relaunch.HEALTH),
        ],
    },
    Domain.MOBILITY: {
        "Se déplacer seul dans l'agglomération": [
            ("Demande de tarification solidaire bus et tramway", "CCAS", ""),
            ("Prêt d'un vélo par la plateforme mobilité", "Plateforme mobilité", ""),
        ],
        "Passer le permis de conduire": [
            ("Inscription au code de la route à l'auto-école sociale", "Auto-école sociale", ""),
            ("Demande d'aide au financement du permis", "France Travail", ""),
            ("Examen du code de la route", "Auto-école sociale", ""),
        ],
    },
    Domain.FAMILY: {
        CHILDCARE: [
            ("Recherche d'un mode de garde", "CCAS", ""),
            ("Inscription des enfants à l'accueil de loisirs", "Centre social", ""),
        ],
        "Apaiser la situation familiale": [
            ("Rendez-vous de médiation familiale", "CAF", ""),
            ("Rendez-vous au point d'accès au droit", "Point d'accès au droit", ""),
        ],
    },
    Domain.BUDGET: {
        "Rembourser les dettes et tenir un budget": [
            ("Atelier budget avec la CESF", "CCAS", ""),
            ("Échéancier avec le fournisseur d'énergie", "", ""),
            ("Dépôt d'un dossier de surendettement", "Banque de France", ""),
        ],
        "Stabiliser le budget du foyer": [
            ("Orientation vers l'aide alimentaire", "Restos du Cœur", ""),
            ("Atelier budget avec la CESF", "CCAS", ""),
            ("Ouverture d'un compte bancaire", "", ""),
        ],
    },
    Domain.RIGHTS: {
        "Obtenir une couverture santé complète": [
            ("Demande de Complémentaire santé solidaire", "CPAM", Relaunch.HEALTH),
            ("Demande d'une nouvelle carte Vitale", "CPAM", ""),
        ],
        "Refaire ses papiers d'identité": [
            ("Rendez-vous en mairie pour la carte d'identité", "Mairie", ""),
            ("Retrait de la carte d'identité", "Mairie", ""),
        ],
        "Ouvrir et maintenir ses droits": [
            ("Mise à jour du dossier CAF", "CAF", ""),
            ("Déclaration trimestrielle RSA faite avec la personne", "CAF", ""),
        ],
    },
    Domain.LANGUAGE: {
        "Progresser en lecture et en écriture": [
            ("Évaluation des savoirs de base", "CCAS", ""),
            ("Inscription à l'atelier sociolinguistique", "Centre social", ""),
        ],
    },
    Domain.DIGITAL: {
        "Faire ses démarches en ligne seul": [
            ("Séances à l'atelier numérique", "CCAS", ""),
            ("Demande d'un smartphone reconditionné", "CCAS", ""),
        ],
        "Utiliser une adresse e-mail et ses espaces personnels": [
            ("Création d'une adresse e-mail et de l'espace France Travail", "France Travail", ""),
            ("Séances à l'atelier numérique", "CCAS", ""),
        ],
    },
}
INTERIM_MISSION = (
    "Mission intérim de deux semaines en espaces verts",
    "UCIE Interim",
    Relaunch.EMPLOYMENT,
    ContractType.INTERIM,
)

# What the exit comment says, and the step of the plan that led there (title, partner, relaunch, contract) or None.
EXIT_STORIES = {
    "other-insertion-structure": [
        (
            "Embauche en CDDI dans un atelier chantier d'insertion (espaces verts).",
            ("Signature d'un CDDI en atelier chantier d'insertion", "AGEVAL", Relaunch.EMPLOYMENT, ContractType.CDDI),
        ),
        (
            "Embauche en CDDI dans une ressourcerie, après une période de mise en situation.",
            ("Signature d'un CDDI en ressourcerie", "AGEVAL", Relaunch.EMPLOYMENT, ContractType.CDDI),
        ),
    ],
    "cdd-under-6-months": [
        (
            "Mission intérim de trois mois en logistique.",
            ("Mission intérim de trois mois en logistique", "UCIE Interim", Relaunch.EMPLOYMENT, ContractType.INTERIM),
        ),
        (
            "Mission intérim de deux mois en maraîchage chez un producteur de la région.",
            ("Mission intérim en maraîchage", "UCIE Interim", Relaunch.EMPLOYMENT, ContractType.INTERIM),
        ),
        (
            "CDD de quatre mois en restauration collective.",
            ("CDD de quatre mois en restauration collective", "France Travail", Relaunch.EMPLOYMENT, ContractType.CDD),
        ),
    ],
    "cdd-6-months-or-more": [
        (
            "CDD de huit mois d'agent d'entretien des espaces verts dans une commune voisine.",
            ("CDD de huit mois d'agent d'entretien", "France Travail", Relaunch.EMPLOYMENT, ContractType.CDD),
        ),
        (
            "CDD d'un an en maraîchage dans une exploitation de l'Avesnois.",
            ("CDD d'un an en maraîchage", "France Travail", Relaunch.EMPLOYMENT, ContractType.CDD),
        ),
    ],
    "cdi": [
        (
            "CDI à temps partiel d'agent de propreté.",
            ("CDI à temps partiel d'agent de propreté", "France Travail", Relaunch.EMPLOYMENT, ContractType.CDI),
        )
    ],
    "subsidised-contract": [
        (
            "Contrat aidé (PEC) d'agent polyvalent dans une association de quartier.",
            ("Contrat aidé d'agent polyvalent", "France Travail", Relaunch.EMPLOYMENT, ContractType.SUBSIDISED),
        )
    ],
    "qualifying-training": [
        (
            "Entrée en formation qualifiante (titre professionnel ouvrier du paysage).",
            ("Entrée en formation qualifiante ouvrier du paysage", ADVISOR, Relaunch.TRAINING, ""),
        ),
        (
            "Entrée en formation pré-qualifiante aux métiers des espaces verts.",
            ("Entrée en formation pré-qualifiante espaces verts", ADVISOR, Relaunch.TRAINING, ""),
        ),
    ],
    "job-seeking": [
        ("Fin de parcours à l'atelier ; poursuit sa recherche d'emploi avec France Travail.", None),
        ("Fin de parcours ; candidatures en cours auprès des structures d'insertion.", None),
    ],
    "moving-away": [
        ("Déménagement dans une autre commune pour se rapprocher de sa famille.", None),
        ("Relogé hors de l'agglomération ; relais passé au CCAS de la nouvelle commune.", None),
    ],
    "health": [
        ("Arrêt du parcours pour raisons de santé ; suivi médical en cours.", None),
        ("Hospitalisation puis convalescence ; pourra revenir à l'atelier plus tard.", None),
    ],
    "unknown": [("Ne s'est plus présenté à l'atelier ; injoignable malgré plusieurs relances.", None)],
    "end-of-rights": [("Fin de l'orientation par le Département ; relais vers le référent RSA.", None)],
    "inactivity": [("Souhaite se consacrer à sa famille pour le moment ; sortie vers l'inactivité.", None)],
}

INTERVIEW_KINDS = [InterviewKind.INDIVIDUAL, InterviewKind.PHONE, InterviewKind.COLLECTIVE, InterviewKind.HOME_VISIT]
INTERVIEW_KIND_WEIGHTS = [66, 14, 14, 6]
APPOINTMENT_TIMES = [(9, 0), (9, 30), (10, 0), (10, 30), (11, 0), (14, 0), (14, 30), (15, 0)]

GENERAL_SUMMARIES = [
    "Point sur la présence à l'atelier : assiduité correcte, bonne entente avec le groupe.",
    "Retour sur le mois écoulé au jardin ; dit avoir repris un rythme et se sentir moins seul.",
    "Mise à jour du livret de parcours : les démarches prévues sont faites.",
    "Entretien de suivi : moral en hausse, participe à la préparation de la table solidaire.",
    "Absences répétées ce mois-ci ; rappel de l'engagement pris à l'entrée, nouveau planning convenu.",
    "Point d'étape sur le plan d'action, priorités du mois revues ensemble.",
    "Retour de l'encadrant technique : autonome sur les semis et le désherbage, à l'aise dans le groupe.",
    "Point sur l'atelier santé du mois ; la personne souhaite s'inscrire au prochain bilan de santé.",
    "Bilan du mois : a participé à la récolte et à la redistribution aux associations, fier du travail accompli.",
    "Difficultés de sommeil évoquées, fatigue en début de semaine ; horaires de l'atelier rappelés.",
    "Point sur les courriers reçus (CAF, France Travail) et les réponses à faire.",
]
DOMAIN_SUMMARIES = {
    Domain.EMPLOYMENT: [
        "Travail sur le CV et la lettre de motivation ; deux candidatures envoyées.",
        "Préparation d'un entretien d'embauche en chantier d'insertion (simulation).",
        "Point sur les offres en espaces verts et en logistique repérées sur le site de France Travail.",
    ],
    Domain.TRAINING: [
        "Information sur les formations pré-qualifiantes du secteur ; rendez-vous pris avec le conseiller.",
        "Dossier de candidature à la formation complété ensemble.",
    ],
    Domain.HOUSING: [
        "Demande de logement social renouvelée ; point sur les pièces manquantes.",
        "Point sur la demande SIAO : en attente d'une place en résidence sociale.",
        "Préparation de la visite du logement proposé par le bailleur.",
    ],
    Domain.HEALTH: [
        "Rendez-vous pris pour le bilan de santé à l'Institut Pasteur.",
        "Retour du bilan de santé : orientation vers le dentiste et l'ophtalmologiste.",
        "Accompagnement à la CPAM pour déclarer un médecin traitant.",
    ],
    Domain.MOBILITY: [
        "Présentation de la tarification solidaire des bus ; abonnement demandé.",
        "Point sur l'inscription à l'auto-école sociale et le financement des heures de conduite.",
    ],
    Domain.FAMILY: [
        "Recherche d'une place en accueil de loisirs pour le mercredi.",
        "Point sur la garde des enfants pendant les ateliers.",
    ],
    Domain.BUDGET: [
        "Budget mensuel revu avec la CESF ; échéancier proposé au fournisseur d'énergie.",
        "Constitution du dossier de surendettement : pièces rassemblées.",
    ],
    Domain.RIGHTS: [
        "Renouvellement de la Complémentaire santé solidaire fait en ligne ensemble.",
        "Déclaration trimestrielle RSA faite avec la personne.",
        "Demande de carte d'identité déposée en mairie.",
    ],
    Domain.LANGUAGE: [
        "Orientation vers l'atelier sociolinguistique du centre social.",
        "Lecture accompagnée des courriers reçus ce mois-ci.",
    ],
    Domain.DIGITAL: [
        "Création de l'adresse e-mail et de l'espace personnel France Travail.",
        "Séance à l'atelier numérique : envoi d'une pièce jointe.",
    ],
}
PHONE_SUMMARIES = [
    "Appel pour rappeler le rendez-vous à la CPAM.",
    "Appel de la personne : absente cette semaine pour raison de santé, justificatif transmis.",
    "Appel pour faire le point après le rendez-vous chez le bailleur.",
    "Point téléphonique sur les démarches en cours ; rendez-vous fixé au bureau.",
]
COLLECTIVE_SUMMARIES = [
    "Bilan mensuel collectif : retour sur les cultures du mois et organisation des récoltes.",
    "Bilan mensuel collectif : préparation de la table solidaire et répartition des tâches.",
    "Bilan mensuel collectif : planning des ateliers santé, rappel des règles de vie du jardin.",
    "Bilan mensuel collectif : état des présences signé, échanges sur la redistribution des légumes.",
]
HOME_VISIT_SUMMARIES = [
    "Visite à domicile : logement entretenu, point sur les factures en attente.",
    "Visite à domicile à la demande de la personne, qui ne pouvait pas se déplacer ; point sur ses soins.",
    "Visite à domicile : tri des courriers administratifs fait ensemble.",
]
ENTRY_SUMMARY = (
    "Entretien d'accueil (orientation : {partner}) : présentation de l'atelier maraîchage et des règles de vie, "
    "bilan d'entrée réalisé, remise du livret de parcours."
)
RETURN_SUMMARY = "Retour à l'atelier après une première sortie : nouveau bilan d'entrée, livret de parcours repris."
MISSED_APPOINTMENT_SUMMARY = "Point rapide à l'atelier ; rendez-vous fixé le mois prochain pour le suivi du livret."
CONFIDENTIAL_NOTES = {
    "health": [
        "Suivi au CMP évoqué ; souhaite que cela reste entre nous.",
        "Traitement au long cours, rendez-vous réguliers à l'hôpital ; fatigue certains jours.",
        "Moral en baisse depuis le décès de sa mère ; orientation vers le médecin traitant.",
    ],
    "debts": [
        "Dettes importantes envers des proches, source de tensions.",
        "Crédit renouvelable souscrit sans en parler à sa famille ; dossier de surendettement envisagé.",
        "Saisie sur compte annoncée par l'huissier ; inquiétude forte.",
    ],
    "children": [
        "Conflit avec l'autre parent sur la garde des enfants ; audience devant le JAF le mois prochain.",
        "Mesure éducative en cours pour l'aîné ; rencontre avec l'éducatrice prévue.",
        "Inquiétude pour la scolarité de sa fille ; rendez-vous pris avec l'école.",
    ],
    "family": [
        "Rupture avec ses parents ; ne souhaite pas qu'ils soient contactés.",
        "Frère hospitalisé depuis un mois ; absences possibles à l'atelier.",
        "Séparation récente, vit mal la solitude.",
    ],
    "addiction": [
        "Suivi au CSAPA pour l'alcool, rendez-vous tous les quinze jours ; dit avoir diminué.",
        "Traitement de substitution délivré en pharmacie, suivi stable.",
        "Reprise de consommation après une période difficile ; a repris contact avec le CSAPA.",
    ],
    "justice": [
        "Suivi SPIP en cours : la présence à l'atelier est justifiée chaque mois.",
        "Convocation au tribunal pour une ancienne affaire ; inquiet, soutien proposé.",
    ],
}
PROGRESS_CHANCE = {True: 0.6, False: 0.25}  # per re-assessment, for a domain of the plan or not
# Life events can set a person back on these; reading or digital skills once gained are not lost.
SETBACK_DOMAINS = {Domain.HOUSING, Domain.HEALTH, Domain.BUDGET, Domain.FAMILY}


@dataclass
class Stay:
    entry: int  # offsets in days from today
    exit: int | None = None
    outcome: str = ""
    story: tuple | None = None


@dataclass(eq=False)
class Person:
    stays: list
    overdue_from: int | None = None  # last interview no later than this offset
    interim_mission: bool = False
    profile: dict = field(default_factory=dict)

    @property
    def enrolled(self):
        return self.stays[-1].exit is None


def _timeline(rng):
    """Who is here when: the stays of every person, as day offsets from today.

    Each place of the workshop is followed back from today: the person in it now, and before them, a few weeks of
    vacancy apart, the people who held it one after the other, back to the start of the demo's history. The exits
    share out the outcomes of EXIT_OUTCOME_MIX; a few people who left came back some months later.
    """
    stays = []
    for _place in range(SEATS):
        entry = -_days(rng, ELAPSED_DAYS)
        stays.append(Stay(entry))
        while entry > -HISTORY_DAYS:
            exit_day = entry - rng.randint(*VACANCY_DAYS)
            if exit_day <= -HISTORY_DAYS:
                break
            entry = exit_day - _days(rng, STAY_DAYS)
            if entry < EARLIEST_ENTRY:
                entry = EARLIEST_ENTRY + rng.randint(0, 180)
            stays.append(Stay(entry, exit_day))
    exits = sorted((stay for stay in stays if stay.exit is not None), key=lambda stay: stay.exit)
    for stay, outcome in zip(exits, _spread(rng, EXIT_OUTCOME_MIX, len(exits)), strict=True):
        stay.outcome = outcome

    people = [Person([stay]) for stay in sorted(stays, key=lambda stay: stay.entry)]
    leavers = [person for person in people if person.stays[0].outcome in RETURN_OUTCOMES]
    back = 0
    for person in rng.sample(leavers, len(leavers)):
        if back == RETURNERS:
            break
        if person not in people or len(person.stays) > 1:
            continue
        exit_day = person.stays[0].exit
        later = [
            other
            for other in people
            if len(other.stays) == 1 and RETURN_AFTER[0] <= other.stays[0].entry - exit_day <= RETURN_AFTER[1]
        ]
        if later:
            returning = rng.choice(later)
            person.stays.append(returning.stays[0])
            people.remove(returning)
            back += 1

    for person in people:
        for stay in person.stays:
            if stay.outcome:
                stay.story = rng.choice(EXIT_STORIES[stay.outcome])
    enrolled = [person for person in people if person.enrolled]
    long_enough = [person for person in enrolled if person.stays[-1].entry <= -90]
    for person in rng.sample(long_enough, min(OVERDUE, len(long_enough))):
        person.overdue_from = -rng.randint(35, 75)
    candidates = [p for p in enrolled if len(p.stays) == 1 and p.stays[-1].entry <= -60 and p.overdue_from is None]
    for person in rng.sample(candidates, min(INTERIM_MISSIONS_DURING_PATHWAY, len(candidates))):
        person.interim_mission = True
    return people


def _days(rng, bands):
    """A number of days in one of the (fewest, most) bands, the band drawn by its weight."""
    return rng.randint(*_weighted(rng, bands))


def _weighted(rng, weights):
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _ascii(text):
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower().replace(" ", "-")


def _spread(rng, weights, count):
    """`count` values in the proportions of `weights` (largest remainders), shuffled: the tables of seed 001."""
    total = sum(weights.values())
    shares = {key: count * weight / total for key, weight in weights.items()}
    quotas = {key: int(share) for key, share in shares.items()}
    by_remainder = sorted(weights, key=lambda key: quotas[key] - shares[key])
    for key in by_remainder[: count - sum(quotas.values())]:
        quotas[key] += 1
    values = [key for key in weights for _ in range(quotas[key])]
    rng.shuffle(values)
    return values


def _profile(rng, person, drawn, neighbourhoods):
    """Civil status, household and situation at the first entry; `drawn` holds what is shared out beforehand."""
    sex, (origin, last_name), phone_suffix = drawn["sex"], drawn["last_name"], drawn["phone_suffix"]
    neighbourhood, education = drawn["neighbourhood"], drawn["education"]
    first_entry = person.stays[0].entry
    bands = {(19, 25): 12, (26, 35): 25, (36, 49): 38, (50, 63): 25}
    if any(stay.outcome == "qualifying-training" for stay in person.stays):
        bands.pop((50, 63))  # a qualifying training comes earlier in a working life
    age = _weighted(rng, bands)
    age = rng.randint(*age)
    generation = "young" if age <= 32 else "older"
    first_name = rng.choice(FIRST_NAMES[(origin, sex, generation)])
    housing = _weighted(rng, {"homeless": 15, "adoma": 10, "hosted": 12, "tenant": 63})
    if housing == "homeless":
        household = _weighted(rng, {Household.SINGLE: 9, Household.OTHER: 1})
    elif housing == "adoma":
        household = Household.SINGLE
    elif housing == "hosted":
        household = Household.HOSTED
    elif sex == Sex.MALE:
        household = _weighted(
            rng, {Household.SINGLE: 60, Household.COUPLE: 12, Household.COUPLE_WITH_CHILDREN: 18, Household.OTHER: 3}
        )
    else:
        household = _weighted(
            rng,
            {
                Household.SINGLE: 22,
                Household.SINGLE_PARENT: 45,
                Household.COUPLE: 8,
                Household.COUPLE_WITH_CHILDREN: 15,
            },
        )
    if household == Household.SINGLE_PARENT:
        children = _weighted(rng, {1: 45, 2: 35, 3: 20})
    elif household == Household.COUPLE_WITH_CHILDREN:
        children = _weighted(rng, {1: 30, 2: 40, 3: 20, 4: 10})
    else:
        children = 0
    situations = set()
    if age < 25 and household != Household.SINGLE_PARENT:
        situations.add("no-income")  # the RSA starts at 25, except for parents
    else:
        situations.add(_weighted(rng, {"rsa": 84, "ass": 7, "aah": 4, "no-income": 5}))
    if "aah" in situations or rng.random() < 0.05:
        situations.add("rqth")
    unemployment = _weighted(rng, {"long-term-unemployed": 45, "very-long-term-unemployed": 35, "": 20})
    if unemployment:
        situations.add(unemployment)
    if housing == "homeless":
        situations.add("homeless")
        if rng.random() < 0.7:
            situations.add("emergency-accommodation")
    if household in (Household.SINGLE, Household.HOSTED, Household.OTHER) and rng.random() < 0.6:
        situations.add("isolated")
    if household == Household.SINGLE_PARENT:
        situations.add("single-parent")
    if age < 26:
        situations.add("under-26")
    if age >= 50:
        situations.add("over-50")
    if getattr(neighbourhoods.get(neighbourhood), "is_priority", False):
        situations.add("priority-neighbourhood")
    if housing == "homeless":
        partner = _weighted(rng, {"CHRS": 45, "SIAO 115": 35, "Croix-Rouge": 20})
    elif housing == "adoma":
        partner = "ADOMA"
    elif age < 26:
        partner = _weighted(rng, {"Mission Locale": 70, "France Travail": 30})
    else:
        partner = _weighted(
            rng, {"France Travail": 35, "Restos du Cœur": 30, "Croix-Rouge": 12, "CHRS": 8, "ADOMA": 5, "SIAO 115": 5}
        )
    has_email = rng.random() < 0.3
    has_phone = rng.random() < 0.9
    return {
        "first_name": first_name,
        "last_name": last_name,
        "sex": sex,
        "age": age,
        "birth_offset": first_entry - age * 365 - (age // 4) - rng.randint(0, 364),
        "neighbourhood": neighbourhood,
        "education": education,
        "housing": housing,
        "household": household,
        "children": children,
        "situations": situations,
        "partner": partner,
        "advisor": "Mission Locale" if age < 26 else "France Travail",
        "phone": f"06 39 98 {phone_suffix // 100:02d} {phone_suffix % 100:02d}" if has_phone else "",
        "email": f"{_ascii(first_name)}.{_ascii(last_name)}@example.net" if has_email else "",
        "address": (
            "Domiciliation au CCAS" if housing == "homeless" else f"{rng.randint(1, 140)} {rng.choice(STREETS)}"
        ),
    }


def _entry_levels(rng, profile):
    """The level and text of each domain at the first entry: mostly obstacles (1–2), as seed 001's public."""
    items = {}
    for domain in Domain:
        if domain == Domain.HOUSING and profile["housing"] in HOUSING_AT_ENTRY:
            level, texts = HOUSING_AT_ENTRY[profile["housing"]]
            items[domain] = (level, rng.choice(texts))
            continue
        if domain == Domain.FAMILY:
            pool = FAMILY_WITH_CHILDREN if profile["children"] else FAMILY_WITHOUT_CHILDREN
            level = _weighted(rng, {1: 25, 2: 50, 3: 25} if profile["children"] else {2: 20, 3: 25, 4: 55})
            items[domain] = (level, rng.choice(pool[level]))
            continue
        if domain == Domain.LANGUAGE:
            literacy = profile["education"] == "never-schooled"
            weights = {1: 55, 2: 45} if literacy else {2: 15, 3: 15, 4: 70}
        elif domain == Domain.HOUSING:
            weights = {1: 20, 2: 45, 3: 25, 4: 10}
        else:
            weights = {
                Domain.EMPLOYMENT: {1: 50, 2: 45, 3: 5},
                Domain.TRAINING: {1: 45, 2: 45, 3: 5, 4: 5},
                Domain.HEALTH: {1: 25, 2: 50, 3: 15, 4: 10},
                Domain.MOBILITY: {1: 35, 2: 45, 3: 10, 4: 10},
                Domain.BUDGET: {1: 35, 2: 50, 3: 15},
                Domain.RIGHTS: {1: 30, 2: 50, 3: 15, 4: 5},
                Domain.DIGITAL: {1: 40, 2: 45, 3: 15},
            }[domain]
        level = _weighted(rng, weights)
        items[domain] = (level, rng.choice(DOMAIN_TEXTS[domain][level]))
    return items


def _plan_domains(rng, person, levels):
    """2 to 4 domains, and one more for each full year enrolled (two at most), the heaviest obstacles first;
    employment or training when the exit or a mission says so."""
    forced = []
    for stay in person.stays:
        if stay.story and stay.story[1]:
            domain = Domain.TRAINING if stay.story[1][2] == Relaunch.TRAINING else Domain.EMPLOYMENT
            if domain not in forced:
                forced.append(domain)
    if person.interim_mission and Domain.EMPLOYMENT not in forced:
        forced.append(Domain.EMPLOYMENT)
    enrolled_days = sum((0 if stay.exit is None else stay.exit) - stay.entry for stay in person.stays)
    count = rng.choice([2, 2, 3, 3, 3, 4]) + min(2, enrolled_days // 365)
    chosen = list(forced)
    candidates = {domain: {1: 6, 2: 3, 3: 1}.get(level, 0) for domain, (level, _) in levels.items()}
    while len(chosen) < count:
        remaining = {domain: weight for domain, weight in candidates.items() if domain not in chosen and weight}
        if not remaining:
            break
        chosen.append(_weighted(rng, remaining))
    return chosen


def _allowed_days(person, upper):
    days = []
    for stay in person.stays:
        end = stay.exit if stay.exit is not None else upper
        days.extend(range(stay.entry + 3, end + 1))
    return days


def _status(rng, offset, exited):
    if offset > 0:
        return ActionStatus.PLANNED
    if exited:
        weights = {ActionStatus.DONE: 80, ActionStatus.ABANDONED: 15, ActionStatus.IN_PROGRESS: 5}
    elif offset > -45:
        weights = {ActionStatus.IN_PROGRESS: 50, ActionStatus.DONE: 40, ActionStatus.ABANDONED: 10}
    else:
        weights = {ActionStatus.DONE: 75, ActionStatus.ABANDONED: 12, ActionStatus.IN_PROGRESS: 13}
    return _weighted(rng, weights)


def _plan(rng, person, domains):
    """The livret's objectives (dicts: domain, title, achieved offset, actions) with their dated steps."""
    profile = person.profile
    days = _allowed_days(person, upper=75)
    objectives = []
    for domain in domains:
        choices = OBJECTIVES[domain]
        if domain == Domain.HOUSING and profile["housing"] == "homeless":
            title = EMERGENCY_EXIT
        elif domain == Domain.FAMILY:
            title = rng.choice(list(choices)) if profile["children"] else "Apaiser la situation familiale"
        else:
            title = rng.choice([title for title in choices if title != EMERGENCY_EXIT])
        # The plan moves step by step: the first steps of the objective, dated in order within some five months
        # of the person's time here (a long pathway takes its objectives one after the other).
        steps = choices[title][: rng.randint(1, len(choices[title]))]
        start = rng.randrange(max(1, len(days) - OBJECTIVE_DAYS))
        offsets = sorted(rng.sample(days[start : start + OBJECTIVE_DAYS], len(steps)))
        actions = []
        for (step_title, partner, relaunch), offset in zip(steps, offsets, strict=True):
            actions.append(
                {
                    "title": step_title,
                    "offset": offset,
                    "status": _status(rng, offset, not person.enrolled),
                    "partner": partner.replace(ADVISOR, profile["advisor"]),
                    "relaunch": relaunch,
                    "contract": "",
                }
            )
        complete = len(steps) == len(choices[title])
        objectives.append(
            {"domain": domain, "title": title, "actions": actions, "achieved": None, "complete": complete}
        )
    by_domain = {objective["domain"]: objective for objective in objectives}
    for position, stay in enumerate(person.stays):
        if not (stay.story and stay.story[1]):
            continue
        step_title, partner, relaunch, contract = stay.story[1]
        domain = Domain.TRAINING if relaunch == Relaunch.TRAINING else Domain.EMPLOYMENT
        offset = max(stay.entry + 1, stay.exit - rng.randint(0, 10))
        objective = by_domain[domain]
        objective["actions"].append(
            {
                "title": step_title,
                "offset": offset,
                "status": ActionStatus.DONE,
                "partner": partner.replace(ADVISOR, profile["advisor"]),
                "relaunch": relaunch,
                "contract": contract,
            }
        )
        if position == len(person.stays) - 1:
            objective["achieved"] = offset
    if person.interim_mission:
        step_title, partner, relaunch, contract = INTERIM_MISSION
        offset = rng.randint(person.stays[-1].entry + 20, -10)
        by_domain[Domain.EMPLOYMENT]["actions"].append(
            {
                "title": step_title,
                "offset": offset,
                "status": ActionStatus.DONE,
                "partner": partner,
                "relaunch": relaunch,
                "contract": contract,
            }
        )
    for objective in objectives:
        objective["actions"].sort(key=lambda action: action["offset"])
        done = all(action["status"] == ActionStatus.DONE for action in objective["actions"])
        last = objective["actions"][-1]["offset"]
        if objective["achieved"] is None and objective["complete"] and done and last < 0:
            objective["achieved"] = last
    return objectives


def _assessments(rng, person, entry_items, plan_domains):
    """Entry assessment at each entry, a re-assessment every ~4 months while enrolled, an exit assessment."""
    items = dict(entry_items)
    autonomy = _weighted(rng, {1: 35, 2: 45, 3: 20})
    security = _weighted(rng, {1: 40, 2: 45, 3: 15})
    labels = ", ".join(DOMAIN_LABELS[domain] for domain in plan_domains)
    assessments = []

    def progress():
        nonlocal autonomy, security
        better, worse = [], []
        for domain, (level, _) in list(items.items()):
            roll = rng.random()
            if roll < PROGRESS_CHANCE[domain in plan_domains] and level < 4:
                level += 1
                better.append(domain)
            elif roll > 0.93 and level > 1 and domain in SETBACK_DOMAINS:
                level -= 1
                worse.append(domain)
            else:
                continue
            items[domain] = (level, rng.choice(DOMAIN_TEXTS[domain][level]))
        if rng.random() < 0.5:
            autonomy = min(5, autonomy + 1)
        if rng.random() < 0.45:
            security = min(5, security + 1)
        return better, worse

    for position, stay in enumerate(person.stays):
        if position:
            comment = f"Nouveau bilan d'entrée au retour à l'atelier. Priorités retenues : {labels}."
        else:
            comment = f"Bilan d'entrée réalisé avec la personne. Priorités retenues : {labels}."
        assessments.append((stay.entry, AssessmentKind.ENTRY, autonomy, security, comment, dict(items)))
        end = stay.exit - 15 if stay.exit is not None else -1
        day = stay.entry
        while True:
            day += rng.randint(110, 130)
            if day > end:
                break
            better, worse = progress()
            months = round((day - stay.entry) / 30.4)
            parts = [f"Re-bilan à {months} mois."]
            if better:
                parts.append("Progrès : " + ", ".join(DOMAIN_LABELS[d] for d in better) + ".")
            if worse:
                parts.append("Recul : " + ", ".join(DOMAIN_LABELS[d] for d in worse) + ".")
            if not better and not worse:
                parts.append("Situation stable, objectifs maintenus.")
            assessments.append((day, AssessmentKind.REVIEW, autonomy, security, " ".join(parts), dict(items)))
        if stay.exit is not None and stay.outcome != "unknown":
            progress()
            comment = f"Bilan de sortie. {stay.story[0]}"
            assessments.append((stay.exit, AssessmentKind.EXIT, autonomy, security, comment, dict(items)))
    return assessments


def _interviews(rng, person, collective_days, plan_domains):
    """About one interview a month during each stay (dicts: offset, kind, summary, next appointment offset…)."""
    profile = person.profile
    rows = []
    for position, stay in enumerate(person.stays):
        if stay.exit is not None:
            limit = stay.exit - 7
        elif person.overdue_from is not None:
            limit = person.overdue_from
        else:
            limit = 0
        entry_summary = RETURN_SUMMARY if position else ENTRY_SUMMARY.format(partner=profile["partner"])
        plan = [(stay.entry, InterviewKind.INDIVIDUAL, entry_summary)]
        day = stay.entry
        while True:
            day += rng.randint(20, 34) if rng.random() >= MISSED_MONTH_CHANCE else rng.randint(40, 60)
            if day > limit:
                break
            kind = rng.choices(INTERVIEW_KINDS, weights=INTERVIEW_KIND_WEIGHTS)[0]
            if kind == InterviewKind.COLLECTIVE:
                # Collective reviews happen on the same day for the whole group.
                near = [g for g in collective_days if abs(g - day) <= 10 and plan[-1][0] + 10 <= g <= limit]
                if near:
                    day = near[0]
                else:
                    kind = InterviewKind.INDIVIDUAL
            plan.append((day, kind, _summary(rng, kind, plan_domains, plan[-1][2])))
        # Moving a day off a weekend or a bank holiday takes it back 4 days at most: 22 + 4 stays within a month.
        if stay.exit is None and person.overdue_from is None and plan[-1][0] < -22:
            day = rng.randint(max(plan[-1][0] + 7, -20), -1)
            summary = _summary(rng, InterviewKind.INDIVIDUAL, plan_domains, plan[-1][2])
            plan.append((day, InterviewKind.INDIVIDUAL, summary))
        if stay.exit is not None and stay.outcome != "unknown":
            plan.append((stay.exit, InterviewKind.INDIVIDUAL, f"Entretien de sortie. {stay.story[0]}"))
        for index, (day, kind, summary) in enumerate(plan):
            next_day = None
            if index + 1 < len(plan):
                following_day, following_kind, _ = plan[index + 1]
                if kind != InterviewKind.COLLECTIVE and following_kind != InterviewKind.COLLECTIVE:
                    if rng.random() < 0.5:
                        next_day = following_day
            elif stay.exit is None and person.overdue_from is not None:
                summary = MISSED_APPOINTMENT_SUMMARY if index else summary
                next_day = day + rng.randint(21, 30)  # the appointment the person did not come to
            elif stay.exit is None and rng.random() < 0.7:
                next_day = rng.randint(1, 7)
            rows.append(
                {
                    "offset": day,
                    "kind": kind,
                    "summary": summary,
                    "next_offset": next_day,
                    "time": rng.choice(APPOINTMENT_TIMES),
                    "note": "",
                }
            )
    return rows


def _summary(rng, kind, plan_domains, previous):
    """A summary for the interview, never the same words as the previous one."""
    if kind == InterviewKind.PHONE:
        pool = PHONE_SUMMARIES
    elif kind == InterviewKind.COLLECTIVE:
        pool = COLLECTIVE_SUMMARIES
    elif kind == InterviewKind.HOME_VISIT:
        pool = HOME_VISIT_SUMMARIES
    elif rng.random() < 0.6:
        pool = DOMAIN_SUMMARIES[rng.choice(plan_domains)]
    else:
        pool = GENERAL_SUMMARIES
    return rng.choice([summary for summary in pool if summary != previous] or pool)


BANK_HOLIDAYS = {(1, 1), (5, 1), (5, 8), (7, 14), (8, 15), (11, 1), (11, 11), (12, 25)}  # the fixed ones


def _working_day(day, step):
    """The nearest working day, going back (step -1) or forward (+1): no one is met on a weekend or a holiday."""
    while day.weekday() >= 5 or (day.month, day.day) in BANK_HOLIDAYS:
        day += datetime.timedelta(days=step)
    return day


def demo_partners(organisation, *, kinds, role):
    """A function giving the directory's partner of a name (None for no name), with `role` set.

    The demo's directory (partners/demo_directory.py) creates them first under the same names; a partner it has
    not created is added here, with its kind from `kinds`, so that the links hold whatever order the demos run in.
    """
    role = PartnerRole(role).value
    found = {}

    def partner(name):
        if not name:
            return None
        if name not in found:
            found[name], _created = Partner.objects.get_or_create(
                organisation=organisation, name=name, defaults={"kind": kinds.get(name, PartnerKind.OTHER), role: True}
            )
            if not getattr(found[name], role):
                setattr(found[name], role, True)
                found[name].save(update_fields=[role])
        return found[name]

    return partner


@transaction.atomic
def seed(organisation, *, rng, stdout):
    """Create the demo's beneficiary files, unless the organisation already has some (then nothing is done)."""
    if Beneficiary.objects.filter(organisation=organisation).exists():
        stdout.write("Beneficiaries: the organisation already has files, none added.")
        return

    today = timezone.localdate()

    def past(offset):
        return _working_day(today + datetime.timedelta(days=offset), -1)

    def day_at(offset):
        if offset <= 0:
            return past(offset)
        return _working_day(today + datetime.timedelta(days=offset), +1)

    def appointment(offset, time):
        return timezone.make_aware(datetime.datetime.combine(day_at(offset), datetime.time(*time)))

    programme = Programme.objects.get(organisation=organisation, code=PROGRAMME_CODE)
    neighbourhoods = {item.code: item for item in Neighbourhood.objects.filter(organisation=organisation)}
    education_levels = {item.code: item for item in EducationLevel.objects.filter(organisation=organisation)}
    situations = {item.code: item for item in SocialSituation.objects.filter(organisation=organisation)}
    outcomes = {item.code: item for item in ExitOutcome.objects.filter(organisation=organisation)}
    social_workers = [
        membership.user
        for membership in Membership.objects.active()
        .filter(organisation=organisation, is_social_worker=True)
        .select_related("user")
        .order_by("pk")
    ] or [None]

    referrer = demo_partners(organisation, kinds=REFERRERS, role=PartnerRole.ORIENTS_PEOPLE)

    people = _timeline(rng)
    count = len(people)
    drawn = [
        {"sex": sex, "last_name": last_name, "phone_suffix": suffix, "neighbourhood": place, "education": level}
        for sex, last_name, suffix, place, level in zip(
            _spread(rng, {Sex.MALE: 60, Sex.FEMALE: 40}, count),  # seed 001's public: some 60 % men
            # (origin, name), no two files with the same name
            rng.sample([(origin, name) for origin, names in LAST_NAMES.items() for name in names], count),
            rng.sample(range(10000), count),
            _spread(rng, NEIGHBOURHOOD_WEIGHTS, count),
            _spread(rng, EDUCATION_WEIGHTS, count),
            strict=True,
        )
    ]
    first_entry = min(person.stays[0].entry for person in people)
    collective_days = [-rng.randint(2, 9) - 28 * week for week in range(-first_entry // 28 + 1)]
    noted = set(rng.sample(range(len(people)), len(people) // NOTED_SHARE))

    for index, person in enumerate(people):
        person.profile = _profile(rng, person, drawn[index], neighbourhoods)
        profile = person.profile
        # The first social worker (Sophie Lambert in the demo) follows a little more than half of the files.
        weights = [55, 45, *[20] * (len(social_workers) - 2)][: len(social_workers)]
        profile["referent"] = rng.choices(social_workers, weights=weights)[0]
        entry_items = _entry_levels(rng, profile)
        domains = _plan_domains(rng, person, entry_items)
        profile["objectives"] = _plan(rng, person, domains)
        profile["assessments"] = _assessments(rng, person, entry_items, domains)
        profile["interviews"] = _interviews(rng, person, collective_days, domains)
        if index in noted:
            themes = [theme for theme in CONFIDENTIAL_NOTES if theme != "children" or profile["children"]]
            notes = CONFIDENTIAL_NOTES[rng.choice(themes)]
            eligible = [row for row in profile["interviews"] if row["kind"] != InterviewKind.COLLECTIVE]
            how_many = min(len(eligible), len(notes), rng.randint(1, 3))
            chosen = sorted(rng.sample(range(len(eligible)), how_many))
            for position, note in zip(chosen, rng.sample(notes, how_many), strict=True):
                eligible[position]["note"] = note
        others = [user for user in social_workers if user != profile["referent"]]
        for row in profile["interviews"]:
            # Now and then the other social worker stands in (holidays, a home visit in pairs).
            row["author"] = rng.choice(others) if others and rng.random() < 0.12 else profile["referent"]

    beneficiaries = Beneficiary.objects.bulk_create(
        [
            Beneficiary(
                organisation=organisation,
                first_name=p.profile["first_name"],
                last_name=p.profile["last_name"],
                sex=p.profile["sex"],
                birth_date=today + datetime.timedelta(days=p.profile["birth_offset"]),
                phone=p.profile["phone"],
                email=p.profile["email"],
                address=p.profile["address"],
                postcode="59300",
                city="Valenciennes",
                neighbourhood=neighbourhoods.get(p.profile["neighbourhood"]),
                education_level=education_levels.get(p.profile["education"]),
                household=p.profile["household"],
                dependent_children=p.profile["children"],
                referring_partner=referrer(p.profile["partner"]),
                referent=p.profile["referent"],
            )
            for p in people
        ]
    )
    through = Beneficiary.social_situations.through
    through.objects.bulk_create(
        [
            through(beneficiary_id=beneficiary.pk, socialsituation_id=situations[code].pk)
            for beneficiary, person in zip(beneficiaries, people, strict=True)
            for code in sorted(person.profile["situations"])
            if code in situations
        ]
    )
    enrolments = Enrolment.objects.bulk_create(
        [
            Enrolment(
                beneficiary=beneficiary,
                programme=programme,
                entry_date=past(stay.entry),
                exit_date=past(stay.exit) if stay.exit is not None else None,
                exit_outcome=outcomes[stay.outcome] if stay.outcome else None,
                exit_comment=stay.story[0] if stay.story else "",
            )
            for beneficiary, person in zip(beneficiaries, people, strict=True)
            for stay in person.stays
        ]
    )
    assessment_rows = [
        (beneficiary, person, row)
        for beneficiary, person in zip(beneficiaries, people, strict=True)
        for row in person.profile["assessments"]
    ]
    assessments = Assessment.objects.bulk_create(
        [
            Assessment(
                beneficiary=beneficiary,
                date=past(offset),
                kind=kind,
                author=person.profile["referent"],
                autonomy=autonomy,
                security=security,
                comment=comment,
            )
            for beneficiary, person, (offset, kind, autonomy, security, comment, _) in assessment_rows
        ]
    )
    items = AssessmentItem.objects.bulk_create(
        [
            AssessmentItem(assessment=assessment, domain=domain, situation=situation, obstacles=obstacles, level=level)
            for assessment, (_, _, row) in zip(assessments, assessment_rows, strict=True)
            for domain, (level, (situation, obstacles)) in row[5].items()
        ]
    )
    interviews = Interview.objects.bulk_create(
        [
            Interview(
                beneficiary=beneficiary,
                date=past(row["offset"]),
                author=row["author"],
                kind=row["kind"],
                summary=row["summary"],
                confidential_note=row["note"],
                next_appointment=(
                    appointment(row["next_offset"], row["time"]) if row["next_offset"] is not None else None
                ),
            )
            for beneficiary, person in zip(beneficiaries, people, strict=True)
            for row in person.profile["interviews"]
        ]
    )
    objective_rows = [
        (beneficiary, row)
        for beneficiary, person in zip(beneficiaries, people, strict=True)
        for row in person.profile["objectives"]
    ]
    objectives = Objective.objects.bulk_create(
        [
            Objective(
                beneficiary=beneficiary,
                domain=row["domain"],
                title=row["title"],
                achieved_on=past(row["achieved"]) if row["achieved"] is not None else None,
            )
            for beneficiary, row in objective_rows
        ]
    )
    actions = Action.objects.bulk_create(
        [
            Action(
                objective=objective,
                title=action["title"],
                date=day_at(action["offset"]),
                status=action["status"],
                partner=action["partner"],
                relaunch=action["relaunch"],
                contract_type=action["contract"],
            )
            for objective, (_, row) in zip(objectives, objective_rows, strict=True)
            for action in row["actions"]
        ]
    )

    year_ago = today - datetime.timedelta(days=365)
    accompanied = (
        Beneficiary.objects.of(organisation)
        .filter(Q(enrolments__exit_date__isnull=True) | Q(enrolments__exit_date__gte=year_ago))
        .distinct()
        .count()
    )
    enrolled = sum(1 for person in people if person.enrolled)
    overdue = Beneficiary.objects.of(organisation).interview_overdue(today).count()
    exits = sum(1 for enrolment in enrolments if enrolment.exit_date)
    since = min(enrolment.entry_date for enrolment in enrolments)
    stdout.write(
        f"Beneficiaries: {len(beneficiaries)} files since {since:%d/%m/%Y}, {accompanied} accompanied in the last "
        f"12 months, {enrolled} enrolled today ({overdue} overdue for an interview), {exits} exits, "
        f"{len(interviews)} interviews, {len(assessments)} assessments ({len(items)} domains), "
        f"{len(objectives)} objectives, {len(actions)} actions."
    )
