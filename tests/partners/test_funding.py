"""Funding: the coordinator enters who funds the action each year and sees each funder's share of the total."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from partners.figures_funding import funding_by_funder
from partners.models import Funding
from tests.partners.factories import FundingFactory, PartnerFactory
from tests.utils import form_data

pytestmark = pytest.mark.django_db

# Seed 001, "Ils financent l'action", 2016.
STATE, DEPARTMENT, CCAS, EUROPE = "État (contrat de ville)", "Département du Nord", "CCAS de Valenciennes", "FSE"
SEED_001_2016 = [
    (STATE, "25000", "Les publics des quartiers prioritaires"),
    (DEPARTMENT, "31500", "Les allocataires du RSA socle"),
    (CCAS, "20700", ""),
    (EUROPE, "20000", "Les publics en situation d'exclusion"),
]


@pytest.fixture(autouse=True)
def _frozen_and_english(settings):
    settings.LANGUAGE_CODE = "en"
    with time_machine.travel(datetime.datetime(2026, 11, 20, 10, 0, tzinfo=datetime.UTC), tick=False):
        yield


@pytest.fixture
def co_client(client, coordinator):
    client.force_login(coordinator)
    return client


@pytest.fixture
def funders(organisation):
    return {
        name: PartnerFactory(organisation=organisation, name=name, funds=True) for name, _amount, _p in SEED_001_2016
    }


def _url(year):
    return reverse("partners:funding_year", args=[year])


def _fill(data, lines):
    """Fill the formset's blank lines, in order, with (funder, amount, purpose)."""
    blank = [
        index
        for index in range(int(data["lines-TOTAL_FORMS"][0]))
        if not data.get(f"lines-{index}-id", [""])[0] and not data.get(f"lines-{index}-funder", [""])[0]
    ]
    assert len(blank) >= len(lines), "not enough blank lines on the page"
    for index, (funder, amount, purpose) in zip(blank, lines, strict=False):
        data[f"lines-{index}-funder"] = funder.pk
        data[f"lines-{index}-amount"] = amount
        data[f"lines-{index}-purpose"] = purpose
    return data


# The figures


def test_the_funding_by_funder_of_seed_001s_2016_adds_up_to_100(organisation, funders, django_assert_num_queries):
    # The State's 25,000 € come in two lines: it counts once.
    FundingFactory(funder=funders[STATE], year=2016, amount=Decimal("15000"), purpose="Contrat de ville")
    FundingFactory(funder=funders[STATE], year=2016, amount=Decimal("10000"), purpose="ACCES")
    for name, amount, purpose in SEED_001_2016[1:]:
        FundingFactory(funder=funders[name], year=2016, amount=Decimal(amount), purpose=purpose)
    FundingFactory(funder=funders[STATE], year=2017, amount=Decimal("99999"))  # another year
    FundingFactory(year=2016, amount=Decimal("88888"))  # another organisation

    with django_assert_num_queries(1):
        rows, total = funding_by_funder(organisation, 2016)

    assert [(row.name, row.amount, row.share) for row in rows] == [
        (DEPARTMENT, Decimal("31500"), Decimal("32.4")),
        (STATE, Decimal("25000"), Decimal("25.7")),
        (CCAS, Decimal("20700"), Decimal("21.3")),
        (EUROPE, Decimal("20000"), Decimal("20.6")),
    ]
    assert total == Decimal("97200")
    assert sum(row.share for row in rows) == Decimal("100.0")
    assert rows[1].purposes == ["Contrat de ville", "ACCES"]


def test_a_year_without_funding_has_no_rows_and_a_zero_total(organisation):
    assert funding_by_funder(organisation, 2016) == ([], Decimal("0"))


# The page


def test_the_coordinator_enters_the_years_funding_and_sees_each_funders_share(co_client, funders):
    url = _url(2016)
    page = co_client.get(url)
    assert "No funding recorded for 2016" in page.content.decode()
    lines = [(funders[name], amount, purpose) for name, amount, purpose in SEED_001_2016]

    # Three funders, then the fourth.
    response = co_client.post(url, _fill(form_data(page), lines[:3]))
    assert response.status_code == 302 and response["Location"] == url
    response = co_client.post(url, _fill(form_data(co_client.get(url)), lines[3:]))
    assert response.status_code == 302

    assert sorted(Funding.objects.values_list("funder__name", "year", "amount")) == sorted(
        (name, 2016, Decimal(amount)) for name, amount, _purpose in SEED_001_2016
    )
    response = co_client.get(url)
    assert [(row.name, row.share) for row in response.context["rows"]] == [
        (DEPARTMENT, Decimal("32.4")),
        (STATE, Decimal("25.7")),
        (CCAS, Decimal("21.3")),
        (EUROPE, Decimal("20.6")),
    ]
    page = response.content.decode()
    for text in ["25,000.00 €", "25.7 %", "31,500.00 €", "32.4 %", "21.3 %", "20.6 %", "97,200.00 €", "100.0 %"]:
        assert text in page, text
    assert "Les allocataires du RSA socle" in page


def test_a_line_is_changed_and_another_removed_on_the_same_page(co_client, organisation, funders):
    state = FundingFactory(funder=funders[STATE], year=2016, amount=Decimal("20000"))
    europe = FundingFactory(funder=funders[EUROPE], year=2016, amount=Decimal("20000"))
    data = form_data(co_client.get(_url(2016)))
    index = {int(data[f"lines-{i}-id"][0]): i for i in range(2)}
    data[f"lines-{index[state.pk]}-amount"] = "25000"
    data[f"lines-{index[europe.pk]}-DELETE"] = "on"
    assert co_client.post(_url(2016), data).status_code == 302
    assert list(Funding.objects.values_list("funder__name", "amount")) == [(STATE, Decimal("25000"))]


@pytest.mark.parametrize("amount", ["0", "-500", "abc"])
def test_a_zero_or_negative_amount_is_refused_on_its_line_and_nothing_is_saved(co_client, funders, amount):
    data = _fill(
        form_data(co_client.get(_url(2016))),
        [(funders[STATE], "25000", ""), (funders[CCAS], amount, "")],
    )
    response = co_client.post(_url(2016), data)
    assert response.status_code == 200
    errors = response.context["formset"].errors
    assert errors[0] == {}
    assert list(errors[1]) == ["amount"]
    if amount != "abc":
        assert errors[1]["amount"] == ["The amount must be more than zero."]
        assert "The amount must be more than zero." in response.content.decode()
    assert not Funding.objects.exists()


def test_amounts_are_read_as_people_type_them(co_client, funders):
    data = _fill(
        form_data(co_client.get(_url(2016))), [(funders[STATE], "25 000", ""), (funders[CCAS], "20700.50", "")]
    )
    assert co_client.post(_url(2016), data).status_code == 302
    assert sorted(Funding.objects.values_list("amount", flat=True)) == [Decimal("20700.50"), Decimal("25000")]


def test_a_line_without_a_funder_is_refused(co_client, funders):
    data = form_data(co_client.get(_url(2016)))
    data["lines-0-amount"] = "1000"
    response = co_client.post(_url(2016), data)
    assert response.status_code == 200
    assert list(response.context["formset"].errors[0]) == ["funder"]
    assert not Funding.objects.exists()


def test_the_funders_offered_are_our_partners_in_use_those_that_fund_first(
    co_client, organisation, other_organisation, funders
):
    association = PartnerFactory(organisation=organisation, name="Association des Jardiniers")
    PartnerFactory(organisation=organisation, name="Ancien financeur", funds=True, is_archived=True)
    elsewhere = PartnerFactory(organisation=other_organisation, name="Financeur d'ailleurs", funds=True)
    response = co_client.get(_url(2016))
    field = response.context["formset"].forms[0].fields["funder"]
    funding_group, other_group = field.choices[1:]
    assert [label for _pk, label in funding_group[1]] == sorted(funders)
    assert other_group[1] == [(association.pk, "Association des Jardiniers")]

    response = co_client.post(_url(2016), _fill(form_data(response), [(elsewhere, "1000", "")]))
    assert response.status_code == 200
    assert list(response.context["formset"].errors[0]) == ["funder"]
    assert not Funding.objects.exists()


def test_a_funder_archived_since_keeps_its_line(co_client, funders):
    line = FundingFactory(funder=funders[EUROPE], year=2016, amount=Decimal("20000"))
    funders[EUROPE].is_archived = True
    funders[EUROPE].save()
    response = co_client.get(_url(2016))
    data = form_data(response)
    assert data["lines-0-funder"] == [str(funders[EUROPE].pk)]
    data["lines-0-amount"] = "21000"
    assert co_client.post(_url(2016), data).status_code == 302
    line.refresh_from_db()
    assert line.amount == Decimal("21000")
    # Not offered for another year.
    field = co_client.get(_url(2017)).context["formset"].forms[0].fields["funder"]
    assert funders[EUROPE].pk not in [pk for _label, group in field.choices[1:] for pk, _name in group]


def test_the_funding_page_opens_on_the_current_year_with_the_years_around(co_client, funders):
    response = co_client.get(reverse("partners:funding"))
    assert response.status_code == 302 and response["Location"] == _url(2026)
    FundingFactory(funder=funders[STATE], year=2016)
    page = co_client.get(_url(2026)).content.decode()
    assert _url(2025) in page and _url(2027) in page and _url(2016) in page
    assert co_client.get(_url(1789)).status_code == 404


def test_another_organisations_funding_is_neither_shown_nor_changed(co_client, other_organisation):
    theirs = FundingFactory(funder__organisation=other_organisation, year=2016, amount=Decimal("5000"))
    response = co_client.get(_url(2016))
    assert response.context["rows"] == [] and len(response.context["formset"].forms) == 5
    data = form_data(response)
    data["lines-0-id"] = theirs.pk
    data["lines-0-amount"] = "1"
    data["lines-0-funder"] = theirs.funder_id
    co_client.post(_url(2016), data)
    theirs.refresh_from_db()
    assert theirs.amount == Decimal("5000")


@pytest.mark.parametrize("persona", ["social_worker", "trainer", "administrator"])
def test_only_coordinators_enter_funding(client, request, funders, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(_url(2016)).status_code == 403
    assert client.post(_url(2016), {"lines-TOTAL_FORMS": "1", "lines-INITIAL_FORMS": "0"}).status_code == 403


@pytest.mark.parametrize("lines_per_funder", [1, 3])
def test_the_funding_page_runs_a_fixed_number_of_queries(
    co_client, organisation, funders, django_assert_num_queries, lines_per_funder
):
    for name, amount, _purpose in SEED_001_2016:
        for _ in range(lines_per_funder):
            FundingFactory(funder=funders[name], year=2016, amount=Decimal(amount))
    PartnerFactory.create_batch(3, organisation=organisation)
    # session, user, memberships; the savepoint and its release; the lines of the formset, the partners offered;
    # the table (one query); the years with funding.
    with django_assert_num_queries(9):
        response = co_client.get(_url(2016))
    assert len(response.context["formset"].forms) == 4 * lines_per_funder + 5
