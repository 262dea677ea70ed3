"""The demo's network (partners/demo_directory.py and partners/demo.py), built through `seed_demo` as `make run` does.

Time is frozen on a Tuesday, as in the gardens' demo tests: the demo's history runs from March 2023 to March 2026.
The demo is built once for the module (tests/conftest.py `demo_once`); each test's changes are rolled back.
"""

import datetime
import io
import random
from collections import Counter, defaultdict
from decimal import Decimal

import pytest
import time_machine
from django.core.management import call_command
from django.db.models import Count, Sum
from django.utils import timezone

from beneficiaries import demo as beneficiaries_demo
from beneficiaries.models import Beneficiary, Enrolment
from gardens import demo as gardens_demo
from gardens.models import Harvest, Site, Workshop
from insertion.demo import DEMO_ORGANISATION_SLUG, history_start
from insertion.figures import shares
from insertion.models import Membership, Organisation
from insertion.services import member_add, organisation_create
from partners import demo, demo_directory
from partners.enums import PartnershipKind, RecipientKind, ReferralResult
from partners.models import (
    Budget,
    BudgetLine,
    Contact,
    Distribution,
    DistributionLine,
    Funding,
    Partner,
    Partnership,
    Referral,
)

pytestmark = pytest.mark.django_db

TUESDAY = datetime.datetime(2026, 3, 17, 10, 30)
CHARITIES = {
    "Restos du Cœur",
    "Midi Partage",
    "Secours Catholique",
    "Croix-Rouge",
    "Petits Frères des Pauvres",
    "CHRS",
}
MODELS = {
    Partner: "organisation",
    Contact: "partner__organisation",
    Partnership: "organisation",
    Distribution: "organisation",
    DistributionLine: "distribution__organisation",
    Referral: "beneficiary__organisation",
    Funding: "organisation",
    Budget: "organisation",
    BudgetLine: "budget__organisation",
}


def _seed():
    out = io.StringIO()
    call_command("seed_demo", "--force", stdout=out)
    return Organisation.objects.get(slug=DEMO_ORGANISATION_SLUG), out.getvalue()


DEMO_MOMENT = TUESDAY  # the demo is built, and examined, then


@pytest.fixture
def seeded(demo_once):
    """The demo organisation and seed_demo's output, built on TUESDAY."""
    return demo_once


def _counts():
    return {model.__name__: model.objects.count() for model in MODELS}


def test_the_directory_holds_seed_001s_partners_theme_by_theme(seeded):
    organisation, out = seeded
    partners = Partner.objects.filter(organisation=organisation)
    by_theme = Counter(partners.values_list("themes__code", flat=True))

    assert by_theme == {
        "patronage": 3,  # Caisse d'Epargne, Voies navigables, the city's Cadre de vie service
        "housing": 11,  # V2H, Croix-Rouge, PACT, Abbé Pierre, La Pose, SIAO, ADOMA, CAPEP, SIDA, La Boussole, CHRS
        "health": 3,  # CPAM, the Département's prevention service, Institut Pasteur
        "solidarity-economy": 1,  # Le Pacte 59
        "food-aid": 4,  # Restos du Cœur, Midi Partage, Secours Catholique, Petits Frères des Pauvres
        "insertion": 12,  # the ten of seed 001, the Mission Locale and the AFPA
        "knowledge-exchange": 3,  # Familles Rurales, the Parc naturel, the volunteer beekeeper
        "funding": 4,  # State, Département, CCAS, European funds
    }
    assert partners.count() == 41
    restos = partners.get(name="Restos du Cœur")
    assert (restos.activity, restos.orients_people, restos.receives_produce) == (
        "Distribution alimentaire",
        True,
        True,
    )
    assert set(partners.filter(funds=True).values_list("name", flat=True)) == {
        "État (contrat de ville)",
        "Département du Nord",
        "CCAS de Valenciennes",
        "Fonds social européen",
    }
    assert set(partners.filter(receives_produce=True).values_list("name", flat=True)) == CHARITIES
    greenhouses = partners.get(name="Service Cadre de vie de la Ville de Valenciennes")
    assert greenhouses.lends_premises and greenhouses.co_leads_workshops
    assert partners.get(name="Apiculteur bénévole").kind == "volunteer"
    assert partners.filter(name="France Travail", city="Valenciennes").exists()
    assert Contact.objects.filter(partner__organisation=organisation).count() == 11
    for partner in partners:
        partner.full_clean()
    assert "Partners: 41 partners in the directory (41 new)" in out


def test_the_other_demos_link_to_the_directory_and_add_no_partner_of_their_own(seeded):
    organisation, _ = seeded
    directory = {row[0] for row in demo_directory.PARTNERS}

    referrers = set(Beneficiary.objects.of(organisation).values_list("referring_partner__name", flat=True).distinct())
    co_leaders = set(
        Workshop.objects.of(organisation)
        .exclude(co_leading_partner=None)
        .values_list("co_leading_partner__name", flat=True)
        .distinct()
    )

    assert referrers == {
        "CHRS",
        "SIAO 115",
        "Croix-Rouge",
        "ADOMA",
        "Mission Locale",
        "France Travail",
        "Restos du Cœur",
    }
    assert co_leaders == {
        "CPAM du Hainaut",
        "Institut Pasteur de Lille",
        "Service de prévention santé du Département",
        "Parc naturel régional Scarpe-Escaut",
        "Service Cadre de vie de la Ville de Valenciennes",
        "Apiculteur bénévole",
    }
    assert set(Partner.objects.filter(organisation=organisation).values_list("name", flat=True)) == directory


def _check_stock(organisation):
    """For every site and variety, what was given up to each day never exceeds what was harvested up to that day.

    Computed here from the rows, independently of the stock the application shows. Returns the number of
    (site, variety, day) given away, and the totals harvested and given.
    """
    events = defaultdict(list)  # (site, variety) → [(date, kg harvested, kg given)]
    for site, variety, date, kg in Harvest.objects.filter(organisation=organisation).values_list(
        "site", "variety", "date", "weight_kg"
    ):
        events[(site, variety)].append((date, kg, Decimal(0)))
    lines = DistributionLine.objects.filter(distribution__organisation=organisation)
    for site, variety, date, kg in lines.values_list(
        "distribution__site", "variety", "distribution__date", "weight_kg"
    ):
        events[(site, variety)].append((date, Decimal(0), kg))
    checked = 0
    total_harvested = total_given = Decimal(0)
    for key, rows in events.items():
        harvested = given = Decimal(0)
        for date in sorted({date for date, _, _ in rows}):
            harvested += sum(kg for day, kg, _ in rows if day == date)
            given_that_day = sum(kg for day, _, kg in rows if day == date)
            given += given_that_day
            assert given <= harvested, (key, date)
            checked += given_that_day > 0
        total_harvested += harvested
        total_given += given
    assert not lines.filter(weight_kg__lte=0).exists()
    return checked, total_harvested, total_given


def test_no_distribution_gives_more_than_the_site_has_harvested_and_most_is_given_away(seeded):
    organisation, _ = seeded

    checked, harvested, given = _check_stock(organisation)

    assert checked >= 300
    assert Decimal("0.9") * harvested <= given <= harvested


def test_produce_goes_every_week_to_seed_001s_charities_and_to_the_growers(seeded):
    organisation, _ = seeded
    today = timezone.localdate()
    distributions = Distribution.objects.filter(organisation=organisation)
    trainers = set(
        Membership.objects.filter(organisation=organisation, is_trainer=True).values_list("user", flat=True)
    )

    recipients = Counter(distributions.values_list("partner__name", flat=True))
    assert set(recipients) == CHARITIES | {None}  # None: the growers' shares
    assert recipients[None] >= 80 and min(recipients[name] for name in CHARITIES) >= 5
    assert not distributions.filter(date__gte=today).exists()
    for site in Site.objects.filter(organisation=organisation):
        weeks = {date.isocalendar()[:2] for date in distributions.filter(site=site).values_list("date", flat=True)}
        assert len(weeks) >= 20, site  # every week or so, a little less in winter
    lines = Counter(distributions.annotate(n=Count("lines")).values_list("n", flat=True))
    assert 0 not in lines
    assert sum(n * count for n, count in lines.items()) / sum(lines.values()) >= 2.5  # several varieties
    assert set(distributions.values_list("recorded_by", flat=True)) <= trainers
    growers = distributions.filter(recipient_kind=RecipientKind.GROWERS)
    assert not growers.exclude(partner=None).exists()
    # A sample of the rows (each validation runs a few queries).
    for distribution in distributions.order_by("pk")[::5]:
        distribution.full_clean()
    for line in DistributionLine.objects.filter(distribution__organisation=organisation).order_by("pk")[::10]:
        line.full_clean()


def test_the_partnerships_span_the_themes_over_the_demo_history(seeded):
    organisation, _ = seeded
    today = timezone.localdate()
    partnerships = Partnership.objects.filter(organisation=organisation).select_related("partner", "theme")

    # The 14 partnerships, three of them renewed each year (the last three years).
    assert partnerships.count() == 20
    assert len({partnership.theme.code for partnership in partnerships}) == 8
    for year in (today.year - 2, today.year - 1):
        formed = partnerships.filter(start_date__year=year)
        assert formed.count() >= 4 and len({partnership.theme_id for partnership in formed}) >= 3, year
    yearly = partnerships.filter(partner__name="Département du Nord").order_by("start_date")
    assert [partnership.title for partnership in yearly] == [
        f"Convention annuelle {year} : accompagnement des allocataires du RSA" for year in (2024, 2025, 2026)
    ]
    assert {PartnershipKind.CONVENTION, PartnershipKind.INFORMAL} == set(partnerships.values_list("kind", flat=True))
    label = partnerships.get(partner__name="Parc naturel régional Scarpe-Escaut")
    assert label.start_date == datetime.date(2014, 9, 28) and "Eco-Jardins" in label.partner_brings
    greenhouses = partnerships.filter(
        partner__name="Service Cadre de vie de la Ville de Valenciennes"
    ).first()  # the latest
    assert greenhouses.theme.code == "patronage" and "serres chauffées" in greenhouses.partner_brings
    assert greenhouses.title == "Prêt des serres chauffées municipales pour la levée des semis 2026"
    for partnership in partnerships.exclude(pk=label.pk):
        assert history_start(today) <= partnership.start_date <= today, partnership
        assert partnership.start_date.weekday() < 5, partnership
        assert partnership.partner_brings and partnership.organisation_brings
        partnership.full_clean()


def test_referrals_fall_inside_the_persons_enrolment_with_a_result_when_there_is_one(seeded):
    organisation, _ = seeded
    today = timezone.localdate()
    referrals = Referral.objects.of(organisation).select_related("partner", "beneficiary")
    stays = defaultdict(list)
    for person, entry, exit_date in Enrolment.objects.filter(beneficiary__organisation=organisation).values_list(
        "beneficiary", "entry_date", "exit_date"
    ):
        stays[person].append((entry, exit_date or today))

    assert 150 <= referrals.count() <= 400
    for year in (today.year - 2, today.year - 1):
        referred = referrals.filter(date__year=year).values("beneficiary").distinct().count()
        assert 20 <= referred <= 50, year
    assert {"France Travail", "Institut Pasteur de Lille", "AFPA Valenciennes", "AGEVAL"} <= set(
        referrals.values_list("partner__name", flat=True)
    )
    results = Counter(referrals.values_list("result", flat=True))
    assert results[ReferralResult.TAKEN_ON] > results[ReferralResult.PENDING] > 0
    for referral in referrals:
        assert any(entry <= referral.date <= end for entry, end in stays[referral.beneficiary_id]), referral
        assert referral.author_id == referral.beneficiary.referent_id
        assert referral.reason
        if referral.result == ReferralResult.PENDING:
            assert referral.result_date is None
        else:
            assert referral.date <= referral.result_date <= today
        referral.full_clean()


def test_the_2016_funding_and_budget_are_seed_001s_and_each_year_of_the_history_is_filled(seeded):
    organisation, _ = seeded
    fundings = Funding.objects.filter(organisation=organisation).select_related("funder")
    in_2016 = {funding.funder.name: funding for funding in fundings.filter(year=2016)}
    names = ["État (contrat de ville)", "Département du Nord", "CCAS de Valenciennes", "Fonds social européen"]

    assert [in_2016[name].amount for name in names] == [25000, 31500, 20700, 20000]
    assert shares([in_2016[name].amount for name in names]) == [
        Decimal("25.7"),
        Decimal("32.4"),
        Decimal("21.3"),
        Decimal("20.6"),
    ]
    assert in_2016["Département du Nord"].purpose == "Finance les publics allocataires du RSA socle"
    totals = dict(fundings.values_list("year").annotate(total=Sum("amount")))
    # 2016, and the calendar years of the demo's history (from March 2023).
    assert totals == {2016: 97200, 2023: 97200, 2024: 97200, 2025: 97200, 2026: 97200}

    budget = Budget.objects.get(organisation=organisation, year=2016)
    assert budget.is_final
    assert budget.totals() == {"charges": 97200, "products": 97200}
    by_account = dict(budget.lines.values_list("account").annotate(total=Sum("amount")))
    assert by_account == {"60": 5400, "61": 2900, "62": 4300, "64": 64600, "65": 20000, "74": 97200}
    assert set(budget.lines.filter(account="64").values_list("label", "amount")) == {
        ("Rémunérations du personnel", 45700),
        ("Charges sociales", 18900),
    }
    for year in (2023, 2024, 2025, 2026):
        assert Budget.objects.get(organisation=organisation, year=year).totals() == budget.totals()


def test_running_the_seed_twice_adds_nothing_and_restores_the_directory(seeded):
    organisation, _ = seeded
    first = _counts()
    Partner.objects.filter(organisation=organisation, name="CHRS").update(
        kind="other", receives_produce=False, is_archived=True
    )

    _, out = _seed()

    assert _counts() == first
    chrs = Partner.objects.get(organisation=organisation, name="CHRS")
    assert (chrs.kind, chrs.receives_produce, chrs.is_archived) == ("association", True, False)
    assert "(0 new)" in out
    assert "already has distributions" in out and "already has referrals" in out
    assert "0 funding lines" in out and "0 budgets" in out


def _seed_twin(organisation, slug):
    """Another organisation with the default lists, the same staff and every demo run with the same generators."""
    twin = organisation_create(slug=slug, name=f"Jumelle {slug}")
    for membership in Membership.objects.filter(organisation=organisation).order_by("pk"):
        member_add(organisation=twin, email=membership.user.email, roles=membership.roles)
    for module in [demo_directory, beneficiaries_demo, gardens_demo, demo]:
        module.seed(twin, rng=random.Random(f"2016:{module.__name__}"), stdout=io.StringIO())
    return twin


def _network(organisation):
    distributions = Distribution.objects.filter(organisation=organisation).order_by("date", "pk")
    return {
        "distributions": [
            (
                row.date,
                row.site.name,
                row.recipient_name,
                [(line.variety.code, line.weight_kg) for line in row.lines.all()],
            )
            for row in distributions.select_related("site", "partner").prefetch_related("lines__variety")
        ],
        "referrals": list(
            Referral.objects.of(organisation)
            .order_by("date", "beneficiary__last_name", "partner__name")
            .values_list("beneficiary__last_name", "partner__name", "date", "result", "result_date")
        ),
        "partnerships": list(
            Partnership.objects.filter(organisation=organisation)
            .order_by("start_date", "title")
            .values_list("partner__name", "title", "start_date", "end_date")
        ),
    }


def test_the_same_generators_give_the_same_network(seeded):
    organisation, _ = seeded

    twin = _seed_twin(organisation, "jumelle")

    assert _network(twin) == _network(organisation)


MOMENTS = [
    datetime.datetime(2026, 11, 21, 16, 0),  # a Saturday, at the start of the Restos du Cœur's winter campaign
    datetime.datetime(2025, 12, 25, 12, 0),  # Christmas, a Thursday
    datetime.datetime(2028, 2, 29, 18, 0),  # a leap day
]


def test_the_network_holds_together_whatever_the_day(seeded):
    organisation, _ = seeded

    for moment in MOMENTS:
        with time_machine.travel(timezone.make_aware(moment), tick=False):
            twin = _seed_twin(organisation, f"jumelle-{moment:%Y%m%d}")
            today = timezone.localdate()
            _, harvested, given = _check_stock(twin)
            assert Decimal("0.9") * harvested <= given, moment
            assert not Distribution.objects.filter(organisation=twin, date__gte=today).exists(), moment
            stays = defaultdict(list)
            for person, entry, exit_date in Enrolment.objects.filter(beneficiary__organisation=twin).values_list(
                "beneficiary", "entry_date", "exit_date"
            ):
                stays[person].append((entry, exit_date or today))
            for person, date in Referral.objects.of(twin).values_list("beneficiary", "date"):
                assert any(entry <= date <= end for entry, end in stays[person]), moment
            first = history_start(today)
            starts = Partnership.objects.filter(organisation=twin).exclude(start_date__year=2014)
            assert all(first <= start <= today for start in starts.values_list("start_date", flat=True)), moment
            years = set(Funding.objects.filter(organisation=twin).values_list("year", flat=True))
            assert years == {2016, *range(first.year, today.year + 1)}, moment
