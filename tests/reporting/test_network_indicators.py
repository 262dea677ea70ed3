"""The network indicators (redistribution, partnerships, referrals) on hand-built data: each expected figure is
written out."""

import datetime
from decimal import Decimal

import pytest

from gardens.models import Variety
from insertion.models import ExitOutcome, PartnerTheme
from reporting.indicators import Scope, compute
from tests.beneficiaries.factories import BeneficiaryFactory, EnrolmentFactory
from tests.gardens.factories import SiteFactory
from tests.partners.factories import DistributionFactory, PartnerFactory, PartnershipFactory, ReferralFactory

D = datetime.date


def _year(organisation, **kwargs):
    return Scope((organisation,), D(2025, 1, 1), D(2025, 12, 31), **kwargs)


def _rows(result):
    return {row.key: (row.value, row.share) for row in result.rows}


@pytest.fixture
def distributions(organisation, other_organisation):
    """10.5 kg given in 2025: 6 kg to the Restos du Cœur, 1.5 kg to the Croix-Rouge, 3 kg to the growers."""
    varieties = {variety.code: variety for variety in Variety.objects.filter(organisation=organisation)}
    tomato, carrot, cherry = (
        varieties[code] for code in ("tomate-coeur-de-boeuf", "carotte-de-colmar", "tomate-cerise")
    )
    blaise = SiteFactory(organisation=organisation, name="Blaise Pascal")
    vignoble = SiteFactory(organisation=organisation, name="Vignoble")
    restos = PartnerFactory(organisation=organisation, name="Restos du Cœur", receives_produce=True)
    red_cross = PartnerFactory(organisation=organisation, name="Croix-Rouge", receives_produce=True)
    given = Decimal
    DistributionFactory(
        site=blaise, date=D(2025, 1, 1), partner=restos, lines=[(tomato, given("4")), (carrot, given("2"))]
    )
    DistributionFactory(site=vignoble, date=D(2025, 12, 31), partner=red_cross, lines=[(cherry, given("1.5"))])
    DistributionFactory(site=blaise, date=D(2025, 6, 1), to_growers=True, lines=[(tomato, given("2.5"))])
    DistributionFactory(site=blaise, date=D(2025, 7, 1), to_growers=True, lines=[(carrot, given("0.5"))])
    DistributionFactory(site=blaise, date=D(2024, 12, 31), partner=restos, lines=[(tomato, given("50"))])  # before
    theirs = Variety.objects.get(organisation=other_organisation, code="tomate-coeur-de-boeuf")
    DistributionFactory(
        site=SiteFactory(organisation=other_organisation),
        date=D(2025, 3, 1),
        partner__name="Restos du Cœur",
        lines=[(theirs, given("10"))],
    )
    return {"blaise": blaise, "vignoble": vignoble}


def test_redistribution_by_recipient_the_growers_last(organisation, distributions):
    figures = compute(_year(organisation), ["varieties_redistributed", "redistribution_by_recipient"])
    assert figures["varieties_redistributed"].value == 3
    result = figures["redistribution_by_recipient"]
    assert [(row.key, row.value, row.share) for row in result.rows] == [
        ("Restos du Cœur", Decimal("6.00"), Decimal("57.1")),  # the first day; not the 50 kg of the day before
        ("Croix-Rouge", Decimal("1.50"), Decimal("14.3")),  # the last day
        ("growers", Decimal("3.00"), Decimal("28.6")),  # two distributions, one row
    ]
    assert result.value == Decimal("10.50")


def test_redistribution_by_variety(organisation, distributions):
    result = compute(_year(organisation), ["redistribution_by_variety"])["redistribution_by_variety"]
    assert [(row.key, row.value, row.share) for row in result.rows] == [
        ("carotte-de-colmar", Decimal("2.50"), Decimal("23.8")),
        ("tomate-cerise", Decimal("1.50"), Decimal("14.3")),
        ("tomate-coeur-de-boeuf", Decimal("6.50"), Decimal("61.9")),
    ]


def test_a_site_counts_what_it_gave(organisation, distributions):
    scope = _year(organisation, site=distributions["vignoble"])
    figures = compute(scope, ["varieties_redistributed", "redistribution_by_recipient"])
    assert figures["varieties_redistributed"].value == 1
    assert _rows(figures["redistribution_by_recipient"]) == {"Croix-Rouge": (Decimal("1.50"), Decimal("100.0"))}


def test_a_network_adds_up_a_recipient_of_the_same_name(organisation, other_organisation, distributions):
    scope = Scope((organisation, other_organisation), D(2025, 1, 1), D(2025, 12, 31))
    result = compute(scope, ["redistribution_by_recipient"])["redistribution_by_recipient"]
    assert _rows(result)["Restos du Cœur"][0] == Decimal("16.00")


def test_partnerships_formed_by_theme_follow_the_list_of_themes(organisation, other_organisation):
    health = PartnerFactory(organisation=organisation)
    food = PartnerFactory(organisation=organisation)
    health_theme = PartnerTheme.objects.get(organisation=organisation, code="health")
    PartnershipFactory(partner=health, theme=health_theme, start_date=D(2025, 1, 1))  # the first day
    PartnershipFactory(partner=health, theme=health_theme, start_date=D(2024, 12, 31))  # the day before
    PartnershipFactory(partner=food, start_date=D(2025, 12, 31))  # food aid, the last day
    PartnershipFactory(partner=food, start_date=D(2025, 6, 1))
    PartnershipFactory(partner=PartnerFactory(organisation=other_organisation), start_date=D(2025, 3, 1))
    result = compute(_year(organisation), ["partnerships_by_theme"])["partnerships_by_theme"]
    assert [(row.key, row.value, row.share) for row in result.rows] == [
        ("housing", 0, Decimal("0.0")),
        ("health", 1, Decimal("33.3")),
        ("solidarity-economy", 0, Decimal("0.0")),
        ("food-aid", 2, Decimal("66.7")),
        ("insertion", 0, Decimal("0.0")),
        ("knowledge-exchange", 0, Decimal("0.0")),
        ("patronage", 0, Decimal("0.0")),
        ("funding", 0, Decimal("0.0")),
    ]
    assert result.value == 3


@pytest.fixture
def referrals(organisation, other_organisation):
    """Anne (two enrolments) referred twice to France Travail and once to the AFPA; Bruno once to France Travail on
    the last day; Chloé to France Travail the day before the period; Emma (not reached) and Fatou (another
    organisation) referred in 2025."""
    outcome = ExitOutcome.objects.get(organisation=organisation, code="job-seeking")
    anne = BeneficiaryFactory(organisation=organisation)
    EnrolmentFactory(beneficiary=anne, entry_date=D(2024, 6, 1), exit_date=D(2025, 4, 1), exit_outcome=outcome)
    EnrolmentFactory(beneficiary=anne, entry_date=D(2025, 5, 1))
    bruno = BeneficiaryFactory(organisation=organisation)
    EnrolmentFactory(beneficiary=bruno, entry_date=D(2025, 12, 31))
    chloe = BeneficiaryFactory(organisation=organisation)
    EnrolmentFactory(beneficiary=chloe, entry_date=D(2024, 6, 1))
    emma = BeneficiaryFactory(organisation=organisation)
    EnrolmentFactory(beneficiary=emma, entry_date=D(2024, 1, 1), exit_date=D(2024, 12, 31), exit_outcome=outcome)
    france_travail = PartnerFactory(organisation=organisation, name="France Travail")
    afpa = PartnerFactory(organisation=organisation, name="AFPA Valenciennes")
    for person, partner, day in [
        (anne, france_travail, D(2025, 1, 1)),
        (anne, france_travail, D(2025, 5, 1)),
        (anne, afpa, D(2025, 6, 1)),
        (bruno, france_travail, D(2025, 12, 31)),
        (chloe, france_travail, D(2024, 12, 31)),
        (emma, france_travail, D(2025, 3, 1)),
    ]:
        ReferralFactory(beneficiary=person, partner=partner, date=day)
    fatou = BeneficiaryFactory(organisation=other_organisation)
    EnrolmentFactory(beneficiary=fatou, entry_date=D(2025, 1, 1))
    ReferralFactory(beneficiary=fatou, partner__name="France Travail", date=D(2025, 3, 1))


def test_people_referred_by_partner_once_per_partner(organisation, referrals):
    result = compute(_year(organisation), ["referrals_by_partner"])["referrals_by_partner"]
    assert [(row.key, row.value, row.share) for row in result.rows] == [
        ("France Travail", 2, Decimal("66.7")),  # Anne (twice: once) and Bruno, of Anne, Bruno and Chloé
        ("AFPA Valenciennes", 1, Decimal("33.3")),  # Anne again: the rows overlap
    ]
    assert (result.value, result.base) == (2, 3)


def test_a_network_adds_up_the_people_referred_to_a_partner_of_the_same_name(
    organisation, other_organisation, referrals
):
    scope = Scope((organisation, other_organisation), D(2025, 1, 1), D(2025, 12, 31))
    result = compute(scope, ["referrals_by_partner"])["referrals_by_partner"]
    assert _rows(result)["France Travail"] == (3, Decimal("75.0"))  # and Fatou, of the 4 people reached
    assert (result.value, result.base) == (3, 4)


def test_no_referral_still_tells_the_people_reached(organisation):
    person = BeneficiaryFactory(organisation=organisation)
    EnrolmentFactory(beneficiary=person, entry_date=D(2025, 2, 1))
    result = compute(_year(organisation), ["referrals_by_partner"])["referrals_by_partner"]
    assert (result.rows, result.value, result.base) == ([], 0, 1)
