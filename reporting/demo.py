"""Demo data of the reporting app: the two yearly committees of seed 001 (Les Jardins du Cœur, Valenciennes), this
year's and last year's.

`manage.py seed_demo` calls `seed(organisation, rng=rng, stdout=stdout)` after the other apps, so that the reports
frozen here are computed from the demo's files, workshops, harvests and partners, whose history holds the last two
calendar years whole (insertion.demo.HISTORY_WEEKS):

- the steering committee (comité de pilotage), held once a year by the CCAS with the Conseil Départemental du
  Nord, partners, volunteer growers of the gardens and the Direction de la politique de la Ville, in March: the
  report of the last full calendar year is frozen onto it. Early in the year, before March, it is the coming
  meeting, its report already prepared (frozen) and its minutes still to write;
- last year's steering committee, with its minutes and the frozen report of the year before last, so that what
  each committee saw can be compared;
- the technical committee (comité technique de suivi), the year's interim review, some two months ago, and last
  year's a year before it, without a report.

Idempotent: if the organisation already has a committee, nothing is done. Deterministic: the dates follow today's,
nothing is drawn from `rng`.
"""

import datetime

from django.utils import timezone

from insertion.models import Membership
from reporting.committees import report_freeze
from reporting.indicators import Scope
from reporting.models import Committee

STEERING_ATTENDEES = """CCAS de Valenciennes : la vice-présidente, la directrice, le chef de projet des Jardins du Cœur
Conseil Départemental du Nord : service insertion (direction territoriale du Valenciennois)
Ville de Valenciennes : Direction de la politique de la Ville, service cadre de vie
Partenaires : Restos du Cœur, Croix-Rouge, Mission Locale, France Travail, Familles Rurales de l'Avesnois
Usagers bénévoles issus des Jardins (deux représentants)
Équipe : les deux encadrants techniques, les deux travailleurs sociaux"""

# What each steering committee said, by how many years before this one it met: the harvest follows the seasons of
# gardens.demo.YEAR_YIELD (a wet year before last, a good one last year).
STEERING_MINUTES = {
    0: """1. Bilan de l'année {year} présenté par le chef de projet (rapport d'indicateurs remis en
séance), comparé à celui de l'année {previous_year}.
2. Parcours : les sorties dynamiques et les parcours relancés (santé, logement, formation) sont commentés ; les
partenaires soulignent l'importance de l'entretien mensuel.
3. Jardins : une bonne saison, la production repart à la hausse après l'année humide {previous_year} ;
redistribution aux associations et tables solidaires dans les quartiers prioritaires.
4. Financements : le Département et la politique de la Ville confirment leur soutien pour l'année {next_year}.
5. Perspectives : une nouvelle parcelle en quartier prioritaire, des ateliers de prévention santé plus réguliers.
Prochain comité de pilotage : mars {next_year}.""",
    1: """1. Bilan de l'année {year} présenté par le chef de projet (rapport d'indicateurs remis en
séance).
2. Parcours : les entrées et sorties permanentes, les sorties vers les structures d'insertion et l'intérim ; la
convention avec l'Institut Pasteur de Lille facilite les bilans de santé.
3. Jardins : un printemps et un été humides (mildiou sur les tomates et les pommes de terre, limaces dans les
salades), une récolte en baisse ; la redistribution aux associations est maintenue.
4. Financements : les quatre financeurs reconduisent leur participation pour l'année {next_year}.
5. Perspectives : renforcer l'entretien mensuel, développer les mises en situation de travail en chantier
d'insertion.
Prochain comité de pilotage : mars {next_year}.""",
}

TECHNICAL_ATTENDEES = """CCAS de Valenciennes : le chef de projet
Équipe : les encadrants techniques, les travailleurs sociaux
Conseil Départemental du Nord : la référente insertion"""

TECHNICAL_MINUTES = """Bilan intermédiaire de l'année : occupation du dispositif au regard de l'objectif de
60 personnes, rythme des entretiens mensuels, planning des ateliers jusqu'à la fin de l'année, préparation du
comité de pilotage."""


def _weekday_on_or_after(day, weekday):
    return day + datetime.timedelta(days=(weekday - day.weekday()) % 7)


def steering_date(today):
    """The second Thursday of March of this year: the yearly steering committee, reviewing the year before."""
    return _weekday_on_or_after(datetime.date(today.year, 3, 8), 3)


def technical_date(today):
    """A Tuesday about two months ago: the year's interim review."""
    return _weekday_on_or_after(today - datetime.timedelta(days=63), 1)


def seed(organisation, *, rng, stdout):
    """Create this year's and last year's steering committees with their frozen reports and technical committees,
    unless the organisation has committees."""
    if Committee.objects.filter(organisation=organisation).exists():
        stdout.write("Reporting: the organisation already has committees, none added.")
        return

    today = timezone.localdate()
    coordinator = (
        Membership.objects.active()
        .filter(organisation=organisation, is_coordinator=True)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    user = coordinator.user if coordinator else None
    frozen, technical_days = [], []
    for years_before in (1, 0):
        steering_day = steering_date(datetime.date(today.year - years_before, 1, 1))
        year = steering_day.year - 1  # the year the committee reviews
        minutes = STEERING_MINUTES[years_before].format(year=year, previous_year=year - 1, next_year=year + 2)
        steering = Committee.objects.create(
            organisation=organisation,
            date=steering_day,
            kind=Committee.Kind.STEERING,
            title=f"Comité de pilotage {steering_day.year} — bilan {year}",
            attendees=STEERING_ATTENDEES,
            minutes=minutes if steering_day <= today else "",
            created_by=user,
        )
        scope = Scope((organisation,), datetime.date(year, 1, 1), datetime.date(year, 12, 31))
        frozen.append(report_freeze(committee=steering, scope=scope, user=user))

        technical_day = technical_date(today) - datetime.timedelta(weeks=52 * years_before)
        Committee.objects.create(
            organisation=organisation,
            date=technical_day,
            kind=Committee.Kind.TECHNICAL,
            title=f"Comité technique de suivi {technical_day.year}",
            attendees=TECHNICAL_ATTENDEES,
            minutes=TECHNICAL_MINUTES,
            created_by=user,
        )
        technical_days.append(technical_day)
    steering_text = " and ".join(
        f"{report.committee.date:%d/%m/%Y} with the frozen report of {report.start.year} "
        f"({len(report.pdf) // 1024} KB PDF)"
        for report in frozen
    )
    technical_text = " and ".join(f"{day:%d/%m/%Y}" for day in technical_days)
    stdout.write(
        f"Reporting: the steering committees of {steering_text}, the technical committees of {technical_text}."
    )
