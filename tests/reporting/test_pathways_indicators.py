"""The pathway indicators on hand-built data: each expected figure is written out."""

import datetime
from decimal import Decimal

import pytest

from beneficiaries.enums import ContractType, Relaunch
from insertion.models import ExitOutcome
from partners.enums import PartnerKind
from reporting.indicators import Scope, compute
from tests.beneficiaries.factories import (
    ActionFactory,
    BeneficiaryFactory,
    EnrolmentFactory,
    InterviewFactory,
    ObjectiveFactory,
)
from tests.partners.factories import PartnerFactory, ReferralFactory

D = datetime.date


def _year(organisation):
    return Scope((organisation,), D(2025, 1, 1), D(2025, 12, 31))


def _rows(result):
    return {row.key: (row.value, row.share) for row in result.rows}


@pytest.fixture
def people(organisation, other_organisation):
    """Three people reached in 2025, one who was not, one of another organisation.

    - Anne: enrolled 15/11/2024 → 10/03/2025, back on 20/03/2025 and still in (two enrolments);
    - Bruno: entered on 31/12/2025, the last day;
    - Chloé: left on 01/01/2025, the first day;
    - Emma: left on 31/12/2024, the day before: not reached;
    - Fatou, of another organisation: enrolled all year, never counted.
    """
    job_seeking = ExitOutcome.objects.get(organisation=organisation, code="job-seeking")
    anne = BeneficiaryFactory(organisation=organisation)
    EnrolmentFactory(beneficiary=anne, entry_date=D(2024, 11, 15), exit_date=D(2025, 3, 10), exit_outcome=job_seeking)
    EnrolmentFactory(beneficiary=anne, entry_date=D(2025, 3, 20))
    bruno = BeneficiaryFactory(organisation=organisation)
    EnrolmentFactory(beneficiary=bruno, entry_date=D(2025, 12, 31))
    chloe = BeneficiaryFactory(organisation=organisation)
    EnrolmentFactory(beneficiary=chloe, entry_date=D(2024, 1, 1), exit_date=D(2025, 1, 1), exit_outcome=job_seeking)
    emma = BeneficiaryFactory(organisation=organisation)
    EnrolmentFactory(beneficiary=emma, entry_date=D(2024, 1, 1), exit_date=D(2024, 12, 31), exit_outcome=job_seeking)
    fatou = BeneficiaryFactory(organisation=other_organisation)
    EnrolmentFactory(beneficiary=fatou, entry_date=D(2025, 1, 1))
    return {"anne": anne, "bruno": bruno, "chloe": chloe, "emma": emma, "fatou": fatou}


def _step(person, day, relaunch="", contract_type=""):
    return ActionFactory(
        objective=ObjectiveFactory(beneficiary=person), date=day, relaunch=relaunch, contract_type=contract_type
    )


@pytest.fixture
def steps(people):
    anne, bruno, chloe, emma, fatou = (people[name] for name in ("anne", "bruno", "chloe", "emma", "fatou"))
    _step(anne, D(2025, 1, 1), Relaunch.HEALTH)  # the first day counts
    _step(anne, D(2025, 7, 1), Relaunch.HEALTH)  # a second health step: Anne still counts once
    _step(anne, D(2025, 6, 1), Relaunch.HOUSING)
    _step(anne, D(2025, 2, 1), Relaunch.EMPLOYMENT, ContractType.CDD)
    _step(anne, D(2025, 9, 1), Relaunch.EMPLOYMENT, ContractType.CDD)  # another CDD: once on its row
    _step(anne, D(2025, 10, 1), Relaunch.EMPLOYMENT, ContractType.CDDI)
    _step(bruno, D(2025, 12, 31), Relaunch.EMPLOYMENT, ContractType.CDI)  # the last day counts
    _step(chloe, D(2024, 12, 31), Relaunch.TRAINING)  # the day before the period
    _step(chloe, D(2025, 1, 1))  # a step that relaunches nothing
    _step(chloe, D(2026, 1, 1), Relaunch.EMPLOYMENT, ContractType.CDI)  # the day after
    _step(emma, D(2025, 5, 1), Relaunch.HEALTH)  # Emma was not reached
    _step(fatou, D(2025, 3, 1), Relaunch.HEALTH)  # another organisation's
    _step(fatou, D(2025, 3, 1), Relaunch.EMPLOYMENT, ContractType.SUBSIDISED)
    return people


def test_pathways_relaunched_by_domain_count_each_person_once_per_domain(organisation, steps):
    result = compute(_year(organisation), ["pathways_relaunched"])["pathways_relaunched"]
    assert _rows(result) == {
        "health": (1, Decimal("33.3")),  # Anne, twice
        "housing": (1, Decimal("33.3")),  # Anne
        "training": (0, Decimal("0.0")),  # Chloé's was the day before the period
        "employment": (2, Decimal("66.7")),  # Anne, Bruno on the last day
    }
    assert [row.key for row in result.rows] == ["health", "housing", "training", "employment"]
    assert (result.value, result.base) == (2, 3)  # Anne and Bruno, of the 3 people reached


def test_contracts_by_type_count_each_person_once_per_type(organisation, steps):
    result = compute(_year(organisation), ["contracts_by_type"])["contracts_by_type"]
    assert _rows(result) == {
        "subsidised": (0, Decimal("0.0")),
        "cdd": (1, Decimal("33.3")),  # Anne's two CDDs
        "cdi": (1, Decimal("33.3")),  # Bruno's; Chloé's came the day after the period
        "cddi": (1, Decimal("33.3")),  # Anne again: the rows overlap
        "interim": (0, Decimal("0.0")),
    }
    assert (result.value, result.base) == (2, 3)


def test_health_checks_are_referrals_taken_on_by_a_health_body_of_the_health_theme(organisation, people):
    anne, bruno, chloe, emma = (people[name] for name in ("anne", "bruno", "chloe", "emma"))
    pasteur = PartnerFactory(organisation=organisation, kind=PartnerKind.HEALTH, themes=["health"])
    cpam = PartnerFactory(organisation=organisation, kind=PartnerKind.PUBLIC_BODY, themes=["health"])
    addictions = PartnerFactory(organisation=organisation, kind=PartnerKind.HEALTH, themes=["housing"])
    taken_on = {"result": "taken_on"}
    # Anne: referred in 2024, checked on the first day; checked again in June (no result date): counted once.
    ReferralFactory(beneficiary=anne, partner=pasteur, date=D(2024, 12, 20), result_date=D(2025, 1, 1), **taken_on)
    ReferralFactory(beneficiary=anne, partner=pasteur, date=D(2025, 6, 1), **taken_on)
    # Bruno: referred and checked on the last day.
    ReferralFactory(beneficiary=bruno, partner=pasteur, date=D(2025, 12, 31), result_date=D(2025, 12, 31), **taken_on)
    # Chloé: awaiting an answer; checked the day before the period; rights opened at the CPAM; an addiction centre.
    ReferralFactory(beneficiary=chloe, partner=pasteur, date=D(2025, 1, 1))
    ReferralFactory(beneficiary=chloe, partner=pasteur, date=D(2024, 12, 1), result_date=D(2024, 12, 31), **taken_on)
    ReferralFactory(beneficiary=chloe, partner=cpam, date=D(2025, 1, 1), result_date=D(2025, 1, 1), **taken_on)
    ReferralFactory(beneficiary=chloe, partner=addictions, date=D(2025, 1, 1), **taken_on)
    # Emma was not reached; Fatou's check is at another organisation.
    ReferralFactory(beneficiary=emma, partner=pasteur, date=D(2025, 3, 1), **taken_on)
    fatou = people["fatou"]
    their_pasteur = PartnerFactory(organisation=fatou.organisation, kind=PartnerKind.HEALTH, themes=["health"])
    ReferralFactory(beneficiary=fatou, partner=their_pasteur, date=D(2025, 3, 1), **taken_on)
    assert compute(_year(organisation), ["health_checks"])["health_checks"].value == 2  # Anne, Bruno


@pytest.fixture
def interviews(people):
    anne, bruno, chloe, emma, fatou = (people[name] for name in ("anne", "bruno", "chloe", "emma", "fatou"))
    for person, day in [
        (anne, D(2025, 1, 1)),  # the first day
        (anne, D(2025, 1, 15)),  # a second one in January
        (anne, D(2025, 4, 10)),
        (anne, D(2025, 7, 5)),
        (bruno, D(2025, 12, 31)),  # the last day
        (chloe, D(2024, 12, 31)),  # the day before
        (chloe, D(2025, 2, 15)),  # after she left: held, but in a month she owed none
        (emma, D(2025, 2, 1)),  # not reached
        (fatou, D(2025, 2, 1)),  # another organisation's
    ]:
        InterviewFactory(beneficiary=person, date=day)
    return people


def test_interviews_held_due_and_held_against_due(organisation, interviews):
    figures = compute(_year(organisation), ["interviews_held", "interviews_due", "interviews_held_against_due"])
    # Anne's 4, Bruno's, Chloé's of February.
    assert figures["interviews_held"].value == 6
    # Anne: January to December (March once, though she left and came back in it) = 12; Bruno: December;
    # Chloé: January (she left on the 1st).
    assert figures["interviews_due"].value == 14
    # Months with an interview among those due: Anne's January (twice: once), April, July; Bruno's December.
    against = figures["interviews_held_against_due"]
    assert (against.value, against.base) == (Decimal("28.6"), 14)  # 4 ÷ 14


def test_interviews_due_in_a_month(organisation, interviews):
    march = Scope((organisation,), D(2025, 3, 1), D(2025, 3, 31))
    figures = compute(march, ["interviews_held", "interviews_due", "interviews_held_against_due"])
    assert figures["interviews_held"].value == 0
    assert figures["interviews_due"].value == 1  # Anne, in and out and back in March: one month
    assert figures["interviews_held_against_due"].value == Decimal("0.0")


def test_people_with_an_overdue_interview_at_the_end_of_the_period(organisation, interviews):
    figures = compute(_year(organisation), ["people_interview_overdue"])
    # On 31/12/2025 Anne and Bruno are enrolled; Anne's last interview (05/07) is more than a month old.
    assert (figures["people_interview_overdue"].value, figures["people_interview_overdue"].base) == (1, 2)


def test_an_interview_after_the_end_does_not_clear_an_overdue_one(organisation, interviews):
    first_half = Scope((organisation,), D(2025, 1, 1), D(2025, 6, 30))
    # On 30/06 only Anne is enrolled; her last interview up to then is of 10/04 (the one of 05/07 comes later).
    result = compute(first_half, ["people_interview_overdue"])["people_interview_overdue"]
    assert (result.value, result.base) == (1, 1)


def test_a_month_is_counted_from_the_entry_when_it_is_later_than_the_last_interview(organisation, interviews):
    first_quarter = Scope((organisation,), D(2025, 1, 1), D(2025, 3, 31))
    # On 31/03 Anne is back since 20/03: her last interview (15/01) was in her previous stay.
    result = compute(first_quarter, ["people_interview_overdue"])["people_interview_overdue"]
    assert (result.value, result.base) == (0, 1)


def test_overdue_is_more_than_a_calendar_month(organisation, people):
    InterviewFactory(beneficiary=people["anne"], date=D(2025, 1, 28))  # in her first stay (to 10/03)
    february = Scope((organisation,), D(2025, 2, 1), D(2025, 2, 28))  # a month before 28/02 is 28/01: not overdue
    assert compute(february, ["people_interview_overdue"])["people_interview_overdue"].value == 0
    a_day_later = Scope((organisation,), D(2025, 3, 1), D(2025, 3, 1))  # a month before 01/03 is 01/02: overdue
    assert compute(a_day_later, ["people_interview_overdue"])["people_interview_overdue"].value == 1
