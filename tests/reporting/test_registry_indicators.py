"""What every indicator of the registry must hold to, on a varied dataset: one query whatever the volume, shares
adding up to exactly 100 in the tables whose rows do not overlap, and its documentation complete."""

import datetime
from decimal import Decimal

import pytest

from beneficiaries.enums import ContractType, Relaunch
from gardens.models import Variety
from insertion.models import EducationLevel, ExitOutcome, Neighbourhood, SocialSituation, WorkshopKind
from partners.enums import PartnerKind
from reporting.indicators import REGISTRY, SECTIONS, Scope, by_section, compute
from tests.beneficiaries.factories import (
    ActionFactory,
    BeneficiaryFactory,
    EnrolmentFactory,
    InterviewFactory,
    ObjectiveFactory,
)
from tests.gardens.factories import AttendanceFactory, HarvestFactory, SiteFactory, WorkshopFactory
from tests.partners.factories import (
    DistributionFactory,
    FundingFactory,
    PartnerFactory,
    PartnershipFactory,
    ReferralFactory,
)

D = datetime.date
CODES = [indicator.code for _key, _label, indicators in by_section() for indicator in indicators]
# Indicators that need more than one query, and how many (none so far: keep it that way).
QUERIES = {}


def build(organisation, size):
    """`size` people of each profile around 2025 with everything an indicator reads: enrolments (one person twice),
    interviews, steps of the plan, referrals, workshops of every kind with their registers, harvests,
    distributions, partnerships and funding."""
    neighbourhoods = list(Neighbourhood.objects.filter(organisation=organisation).order_by("position")[:3])
    levels = list(EducationLevel.objects.filter(organisation=organisation).order_by("position"))
    situations = list(SocialSituation.objects.filter(organisation=organisation).order_by("position")[:3])
    outcomes = list(ExitOutcome.objects.filter(organisation=organisation).order_by("position"))
    kinds = {kind.code: kind for kind in WorkshopKind.objects.filter(organisation=organisation)}
    varieties = list(Variety.objects.filter(organisation=organisation).order_by("position")[:3])
    sites = [
        SiteFactory(organisation=organisation, neighbourhood=neighbourhoods[0]),
        SiteFactory(organisation=organisation),
    ]
    health = PartnerFactory(organisation=organisation, kind=PartnerKind.HEALTH, themes=["health"])
    employment = PartnerFactory(organisation=organisation, themes=["insertion"])
    funders = [PartnerFactory(organisation=organisation, funds=True) for _n in range(3)]
    charities = [PartnerFactory(organisation=organisation, receives_produce=True) for _n in range(3)]
    for n in range(size):
        day = D(2025, 1 + n % 12, 1 + n % 28)
        for index in range(3):
            person = BeneficiaryFactory(
                organisation=organisation,
                sex="FMX"[index],
                birth_date=D(1960 + 15 * index, 1, 1),
                neighbourhood=neighbourhoods[index] if index < 2 else None,
                education_level=levels[(n + index) % len(levels)] if index else None,
                situations=situations[: index + 1],
            )
            EnrolmentFactory(
                beneficiary=person,
                entry_date=D(2024, 6, 1),
                exit_date=D(2025, 2, 1) if index == 2 else None,
                exit_outcome=outcomes[(n + index) % len(outcomes)] if index == 2 else None,
            )
            if index == 2:
                EnrolmentFactory(beneficiary=person, entry_date=D(2025, 4, 1))
            InterviewFactory(beneficiary=person, date=day)
            objective = ObjectiveFactory(beneficiary=person)
            relaunch = Relaunch.values[index]
            ActionFactory(objective=objective, date=day, relaunch=relaunch)
            ActionFactory(
                objective=objective,
                date=day,
                relaunch=Relaunch.EMPLOYMENT,
                contract_type=ContractType.values[(n + index) % len(ContractType.values)],
            )
            ReferralFactory(beneficiary=person, partner=health if index else employment, date=day, result="taken_on")
            for code in kinds:
                site = sites[index % 2]
                workshop = WorkshopFactory(
                    organisation=organisation,
                    site=site,
                    kind=kinds[code],
                    date=day,
                    theme=f"Thème {index}",
                    menu=f"Menu {n} {index}",
                    neighbourhood=neighbourhoods[2] if code == "solidarity-table" and index == 0 else None,
                )
                AttendanceFactory(workshop=workshop, beneficiary=person, hours=Decimal("2") - index)
            HarvestFactory(site=sites[index % 2], variety=varieties[index], date=day, quantity=Decimal(3 + index))
            DistributionFactory(
                site=sites[index % 2], date=day, partner=charities[index], lines=[(varieties[index], Decimal("1.5"))]
            )
            DistributionFactory(site=sites[0], date=day, to_growers=True, lines=[(varieties[0], Decimal("0.5"))])
        PartnershipFactory(partner=employment, start_date=day)
        for index, funder in enumerate(funders):
            FundingFactory(funder=funder, year=2025, amount=Decimal(1000 * (index + 1) + n))


@pytest.fixture
def year(organisation):
    return Scope((organisation,), D(2025, 1, 1), D(2025, 12, 31))


SCOPES = ["organisation", "site", "programme", "network"]


def _scope(kind, organisation, other_organisation):
    from gardens.models import Site
    from insertion.models import Programme

    if kind == "site":
        site = Site.objects.filter(organisation=organisation).order_by("pk").first()
        return Scope((organisation,), D(2025, 1, 1), D(2025, 12, 31), site=site)
    if kind == "programme":
        programme = Programme.objects.filter(organisation=organisation).first()
        return Scope((organisation,), D(2025, 1, 1), D(2025, 12, 31), programme=programme)
    if kind == "network":
        return Scope((organisation, other_organisation), D(2025, 1, 1), D(2025, 12, 31))
    return Scope((organisation,), D(2025, 1, 1), D(2025, 12, 31))


@pytest.mark.parametrize("code", CODES)
def test_each_indicator_runs_the_same_number_of_queries_whatever_the_volume(
    code, organisation, other_organisation, django_assert_num_queries
):
    expected = QUERIES.get(code, 1)
    build(organisation, 1)
    build(other_organisation, 1)
    for kind in SCOPES:
        scope = _scope(kind, organisation, other_organisation)
        with django_assert_num_queries(expected):
            compute(scope, [code])
    build(organisation, 2)  # three times as much: an N+1 would show
    for kind in SCOPES:
        scope = _scope(kind, organisation, other_organisation)
        with django_assert_num_queries(expected):
            compute(scope, [code])


def test_every_table_whose_rows_do_not_overlap_has_shares_adding_up_to_exactly_100(organisation, other_organisation):
    build(organisation, 5)
    build(other_organisation, 2)
    for kind in SCOPES:
        results = compute(_scope(kind, organisation, other_organisation))
        for code, result in results.items():
            indicator = REGISTRY[code]
            if not indicator.table:
                assert not result.rows, code
                continue
            total = sum((row.value for row in result.rows), 0)
            if indicator.overlapping:
                assert result.base is not None, code
                continue
            assert result.value == total, code
            if kind == "organisation":
                assert total, f"{code}: the dataset should give this table a total"
            if total:
                assert sum(row.share for row in result.rows) == Decimal("100.0"), (kind, code)


def test_the_dataset_gives_every_indicator_a_figure(organisation, year):
    """So that the tests above do run every query on rows, not on nothing."""
    build(organisation, 2)
    results = compute(year)
    empty = [code for code, result in results.items() if not result.value]
    assert empty == []


def test_every_indicator_is_documented(settings):
    settings.LANGUAGE_CODE = "en"
    sections = {key for key, _label in SECTIONS}
    units = {"people", "kg", "hours", "workshops", "euros", "count", "percent"}
    for code in CODES:
        indicator = REGISTRY[code]
        assert indicator.section in sections, code
        assert indicator.unit in units, code
        for text in (indicator.label, indicator.description, indicator.formula, indicator.source):
            assert str(text).strip(), code
        assert not indicator.overlapping or indicator.table, code


def test_the_codes_the_exports_rely_on_are_registered():
    required = {
        "beneficiaries_by_sex",
        "beneficiaries_by_age_band",
        "beneficiaries_by_neighbourhood",
        "beneficiaries_by_education_level",
        "beneficiaries_by_situation",
        "entries",
        "exits_by_category",
        "presence_hours",
        "workshops_by_kind",
        "harvest_by_variety",
        "redistribution_by_recipient",
        "pathways_relaunched",
        "partnerships_by_theme",
        "funding_by_funder",
    }
    assert required <= set(REGISTRY)
