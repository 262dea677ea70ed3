"""The people indicators on hand-built data: each expected figure is written out."""

import datetime
from decimal import Decimal

import pytest

from insertion.models import ExitOutcome
from reporting.indicators import Scope, compute
from tests.beneficiaries.factories import BeneficiaryFactory, EnrolmentFactory
from tests.gardens.factories import AttendanceFactory, SiteFactory, WorkshopFactory

D = datetime.date


def _year(organisation, **kwargs):
    return Scope((organisation,), D(2025, 1, 1), D(2025, 12, 31), **kwargs)


def _rows(result):
    return {row.key: (row.value, row.share) for row in result.rows}


@pytest.fixture
def outcomes(organisation):
    by_category = {}
    for outcome in ExitOutcome.objects.filter(organisation=organisation):
        by_category.setdefault(outcome.category, outcome)
    return by_category


@pytest.fixture
def people(organisation, other_organisation, outcomes):
    """Five people of the organisation around 2025, one of another organisation.

    - Anne (F, born 01/01/2000: 25 on 31/12/2025): enrolled 2024 → still in; twice enrolled (came back in 2025).
    - Bruno (M, born 31/12/1999: 26 on 31/12/2025): entered 10/03/2025, left 30/06/2025 to a CDI.
    - Chloé (F, born 01/06/1975: 50): entered 31/12/2025 (the last day counts).
    - David (M, born 01/01/1960: 65): left 01/01/2025 (the first day counts) to training (positive exit).
    - Emma (F): left 31/12/2024, the day before the period: not reached.
    - Fatou, another organisation's: never counted.
    """
    sustainable = outcomes["sustainable_employment"]
    positive = outcomes["positive_exit"]
    anne = BeneficiaryFactory(organisation=organisation, sex="F", birth_date=D(2000, 1, 1))
    EnrolmentFactory(beneficiary=anne, entry_date=D(2024, 3, 1), exit_date=D(2025, 2, 1), exit_outcome=positive)
    EnrolmentFactory(beneficiary=anne, entry_date=D(2025, 5, 1))
    bruno = BeneficiaryFactory(organisation=organisation, sex="M", birth_date=D(1999, 12, 31))
    EnrolmentFactory(beneficiary=bruno, entry_date=D(2025, 3, 10), exit_date=D(2025, 6, 30), exit_outcome=sustainable)
    chloe = BeneficiaryFactory(organisation=organisation, sex="F", birth_date=D(1975, 6, 1))
    EnrolmentFactory(beneficiary=chloe, entry_date=D(2025, 12, 31))
    david = BeneficiaryFactory(organisation=organisation, sex="M", birth_date=D(1960, 1, 1))
    EnrolmentFactory(beneficiary=david, entry_date=D(2024, 9, 1), exit_date=D(2025, 1, 1), exit_outcome=positive)
    emma = BeneficiaryFactory(organisation=organisation, sex="F", birth_date=D(1990, 1, 1))
    EnrolmentFactory(beneficiary=emma, entry_date=D(2024, 1, 1), exit_date=D(2024, 12, 31), exit_outcome=positive)
    fatou = BeneficiaryFactory(organisation=other_organisation, sex="F")
    EnrolmentFactory(beneficiary=fatou, entry_date=D(2025, 1, 1))
    return {"anne": anne, "bruno": bruno, "chloe": chloe, "david": david}


def test_people_reached_count_each_person_once_with_inclusive_bounds(organisation, people):
    figures = compute(_year(organisation), ["beneficiaries_reached", "entries", "exits", "occupancy"])
    assert figures["beneficiaries_reached"].value == 4  # Anne (twice enrolled), Bruno, Chloé, David
    assert figures["entries"].value == 3  # Anne's return, Bruno, Chloé on the last day
    assert figures["exits"].value == 3  # Anne (01/02), Bruno, David on the first day
    assert figures["occupancy"].value == Decimal("6.7")  # 4 of the yearly target of 60
    assert figures["occupancy"].base == 60


def test_people_by_sex_and_age_band_with_shares_adding_up(organisation, people):
    figures = compute(_year(organisation), ["beneficiaries_by_sex", "beneficiaries_by_age_band"])
    assert _rows(figures["beneficiaries_by_sex"]) == {
        "F": (2, Decimal("50.0")),
        "M": (2, Decimal("50.0")),
        "X": (0, Decimal("0.0")),
    }
    # On 31/12/2025: Anne 25, Bruno 26 (born 31/12/1999), Chloé 50, David 65.
    assert _rows(figures["beneficiaries_by_age_band"]) == {
        "under_26": (1, Decimal("25.0")),
        "26_44": (1, Decimal("25.0")),
        "45_54": (1, Decimal("25.0")),
        "55_plus": (1, Decimal("25.0")),
    }


def test_exits_by_category_use_the_last_exit_of_the_period(organisation, people):
    result = compute(_year(organisation), ["exits_by_category"])["exits_by_category"]
    assert _rows(result) == {
        "sustainable_employment": (1, Decimal("33.3")),  # Bruno
        "transition_employment": (0, Decimal("0.0")),
        "positive_exit": (2, Decimal("66.7")),  # Anne (01/02/2025), David (01/01/2025)
        "other": (0, Decimal("0.0")),
    }
    assert result.value == 3


def test_a_programme_scope_counts_its_enrolments_only(organisation, people):
    from insertion.models import Programme

    other = Programme.objects.create(organisation=organisation, code="tremplin", label="Chantier Tremplin")
    EnrolmentFactory(beneficiary=people["chloe"], programme=other, entry_date=D(2025, 2, 1))
    figures = compute(_year(organisation, programme=other), ["beneficiaries_reached", "entries"])
    assert (figures["beneficiaries_reached"].value, figures["entries"].value) == (1, 1)


def test_a_site_scope_counts_the_people_present_on_that_site(organisation, people):
    site, elsewhere = SiteFactory(organisation=organisation), SiteFactory(organisation=organisation)
    on_site = WorkshopFactory(site=site, date=D(2025, 4, 2))
    AttendanceFactory(workshop=on_site, beneficiary=people["bruno"])
    AttendanceFactory(workshop=on_site, beneficiary=people["anne"], status="absent", hours=0)
    AttendanceFactory(workshop=WorkshopFactory(site=elsewhere, date=D(2025, 4, 3)), beneficiary=people["chloe"])
    assert compute(_year(organisation, site=site), ["beneficiaries_reached"])["beneficiaries_reached"].value == 1


def test_a_network_scope_adds_up_organisations_and_targets(organisation, other_organisation, people):
    scope = Scope((organisation, other_organisation), D(2025, 1, 1), D(2025, 12, 31))
    figures = compute(scope, ["beneficiaries_reached", "occupancy"])
    assert figures["beneficiaries_reached"].value == 5
    assert figures["occupancy"].base == organisation.yearly_target + other_organisation.yearly_target


def test_a_period_cannot_end_before_it_starts(organisation):
    with pytest.raises(ValueError):
        Scope((organisation,), D(2025, 2, 1), D(2025, 1, 31))


# Neighbourhoods, education levels and social situations of the same people.


@pytest.fixture
def profiles(organisation, other_organisation, people):
    """Anne and Bruno live in Saint-Waast, Chloé in Les Acacias (both priority neighbourhoods), David's is not
    known; Emma (not reached) lives in Dutemple; Gaston, of another organisation, in its Saint-Waast."""
    from beneficiaries.models import Beneficiary
    from insertion.models import EducationLevel, Neighbourhood, SocialSituation

    def of(model, organisation=organisation):
        return {item.code: item for item in model.objects.filter(organisation=organisation)}

    places, levels, situations = of(Neighbourhood), of(EducationLevel), of(SocialSituation)
    anne, bruno, chloe, david = (people[name] for name in ("anne", "bruno", "chloe", "david"))
    for person, place, level, its_situations in [
        (anne, "saint-waast", "cap-bep", ["rsa", "isolated"]),
        (bruno, "saint-waast", "never-schooled", ["rsa"]),
        (chloe, "acacias", "college-no-diploma", []),
        (david, None, None, ["long-term-unemployed"]),
    ]:
        person.neighbourhood = places.get(place)
        person.education_level = levels.get(level)
        person.save()
        person.social_situations.set([situations[code] for code in its_situations])
    emma = Beneficiary.objects.get(organisation=organisation, enrolments__exit_date=D(2024, 12, 31))
    emma.neighbourhood = places["dutemple"]
    emma.education_level = levels["doctorate"]
    emma.save()
    emma.social_situations.set([situations["rsa"]])
    gaston = BeneficiaryFactory(
        organisation=other_organisation,
        neighbourhood=of(Neighbourhood, other_organisation)["saint-waast"],
        education_level=of(EducationLevel, other_organisation)["doctorate"],
        situations=[of(SocialSituation, other_organisation)["rsa"]],
    )
    EnrolmentFactory(beneficiary=gaston, entry_date=D(2025, 6, 1))
    return people


def test_people_by_neighbourhood_follow_the_list_with_not_known_last(organisation, profiles):
    result = compute(_year(organisation), ["beneficiaries_by_neighbourhood"])["beneficiaries_by_neighbourhood"]
    assert [row.key for row in result.rows][:3] == ["saint-waast", "dutemple", "faubourg-de-lille"]
    assert len(result.rows) == 14  # the 13 neighbourhoods of the list, then "Not known"
    rows = _rows(result)
    assert rows["saint-waast"] == (2, Decimal("50.0"))  # Anne (twice enrolled, once counted), Bruno
    assert rows["acacias"] == (1, Decimal("25.0"))  # Chloé
    assert rows["dutemple"] == (0, Decimal("0.0"))  # Emma was not reached
    assert (result.rows[-1].key, result.rows[-1].value, result.rows[-1].share) == ("", 1, Decimal("25.0"))  # David
    assert result.value == 4


def test_people_from_the_priority_neighbourhoods_with_their_share(organisation, profiles):
    result = compute(_year(organisation), ["beneficiaries_from_priority_neighbourhoods"])[
        "beneficiaries_from_priority_neighbourhoods"
    ]
    assert (result.value, result.base) == (3, 4)  # Anne, Bruno, Chloé of the 4 people reached
    assert _rows(result) == {"priority": (3, Decimal("75.0"))}


def test_a_network_adds_up_the_neighbourhoods_of_one_code(organisation, other_organisation, profiles):
    scope = Scope((organisation, other_organisation), D(2025, 1, 1), D(2025, 12, 31))
    result = compute(scope, ["beneficiaries_by_neighbourhood"])["beneficiaries_by_neighbourhood"]
    assert len(result.rows) == 14  # each organisation's Saint-Waast on one row
    assert _rows(result)["saint-waast"] == (3, Decimal("50.0"))  # Anne, Bruno and Gaston of 6 people reached
    assert result.value == 6


def test_people_by_education_level_on_both_scales(organisation, profiles):
    figures = compute(
        _year(organisation), ["beneficiaries_by_education_level", "beneficiaries_by_education_level_1969"]
    )
    assert _rows(figures["beneficiaries_by_education_level"]) == {
        "below_3": (2, Decimal("50.0")),  # Bruno (never schooled), Chloé (left lower secondary)
        "3": (1, Decimal("25.0")),  # Anne (CAP, BEP)
        "4": (0, Decimal("0.0")),
        "5": (0, Decimal("0.0")),
        "6": (0, Decimal("0.0")),
        "7": (0, Decimal("0.0")),
        "8": (0, Decimal("0.0")),  # Emma's doctorate: not reached; Gaston's: another organisation
        "": (1, Decimal("25.0")),  # David
    }
    assert _rows(figures["beneficiaries_by_education_level_1969"]) == {
        "VI": (2, Decimal("50.0")),
        "Vbis": (0, Decimal("0.0")),
        "V": (1, Decimal("25.0")),
        "IV": (0, Decimal("0.0")),
        "III": (0, Decimal("0.0")),
        "II": (0, Decimal("0.0")),
        "I": (0, Decimal("0.0")),
        "": (1, Decimal("25.0")),
    }


def test_people_by_situation_overlap_and_are_shares_of_the_people_reached(organisation, profiles):
    result = compute(_year(organisation), ["beneficiaries_by_situation"])["beneficiaries_by_situation"]
    rows = _rows(result)
    assert rows["rsa"] == (2, Decimal("50.0"))  # Anne, Bruno (not Emma, not reached; not Gaston)
    assert rows["isolated"] == (1, Decimal("25.0"))  # Anne again: the rows overlap
    assert rows["long-term-unemployed"] == (1, Decimal("25.0"))  # David
    assert rows["aah"] == (0, Decimal("0.0"))
    assert rows[""] == (1, Decimal("25.0"))  # Chloé: no situation recorded
    assert (result.base, result.value) == (4, 4)
    assert [row.key for row in result.rows][0] == "rsa" and result.rows[-1].key == ""
