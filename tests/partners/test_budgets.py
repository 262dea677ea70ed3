"""Budgets by the associative chart of accounts: entered on one screen, shown as on the CERFA, final ones balance."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from partners.models import Budget, BudgetLine
from tests.partners.factories import BudgetFactory, BudgetLineFactory, FundingFactory, PartnerFactory
from tests.utils import form_data

pytestmark = pytest.mark.django_db

# Seed 001's 2016 budget, "Du jardin à l'assiette": 97,200 € on each side.
SEED_001_LINES = [
    ("60", "Achats", "5400"),
    ("61", "Services extérieurs", "2900"),
    ("62", "Autres services extérieurs", "4300"),
    ("64", "Charges de personnel", "64600"),
    ("65", "Autres charges de gestion courante", "20000"),
    ("74", "Subventions d'exploitation", "97200"),
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


def _seed_001_budget(organisation, **kwargs):
    budget = BudgetFactory(organisation=organisation, year=2016, title="Du jardin à l'assiette", **kwargs)
    for account, label, amount in SEED_001_LINES:
        BudgetLineFactory(budget=budget, account=account, label=label, amount=Decimal(amount))
    return budget


def _fill(data, lines):
    """Fill the blank lines of the budget's formset with (account, label, amount)."""
    blank = [
        index
        for index in range(int(data["lines-TOTAL_FORMS"][0]))
        if not data.get(f"lines-{index}-id", [""])[0] and not data.get(f"lines-{index}-account", [""])[0]
    ]
    assert len(blank) >= len(lines), "not enough blank lines on the page"
    for index, (account, label, amount) in zip(blank, lines, strict=False):
        data[f"lines-{index}-account"] = account
        data[f"lines-{index}-label"] = label
        data[f"lines-{index}-amount"] = amount
    return data


def _header(data, **values):
    for name, value in values.items():
        if value is False:
            data.pop(name, None)
        else:
            data[name] = "on" if value is True else value
    return data


# Entering a budget


def test_the_coordinator_writes_seed_001s_budget_on_one_screen_and_finalises_it(co_client, organisation):
    page = co_client.get(reverse("partners:budget_add"))
    data = _header(form_data(page), year="2016", title="Du jardin à l'assiette", is_final=False)
    response = co_client.post(reverse("partners:budget_add"), _fill(data, SEED_001_LINES[:3]))
    assert response.status_code == 302
    budget = Budget.objects.get()
    assert response["Location"] == budget.get_absolute_url()
    assert budget.totals() == {"charges": Decimal("12600"), "products": Decimal("0")}

    # Three more lines on the edit page, and the budget becomes final: it balances.
    edit_url = reverse("partners:budget_edit", args=[budget.pk])
    data = _header(form_data(co_client.get(edit_url)), is_final=True)
    response = co_client.post(edit_url, _fill(data, SEED_001_LINES[3:]))
    assert response.status_code == 302
    budget.refresh_from_db()
    assert budget.is_final
    assert budget.totals() == {"charges": Decimal("97200"), "products": Decimal("97200")}
    assert sorted(budget.lines.values_list("account", "amount")) == sorted(
        (account, Decimal(amount)) for account, _label, amount in SEED_001_LINES
    )


def test_a_final_budget_that_does_not_balance_is_refused_with_both_totals_and_nothing_is_saved(co_client):
    lines = [*SEED_001_LINES[:5], ("74", "Subventions", "95000")]
    data = _header(form_data(co_client.get(reverse("partners:budget_add"))), year="2016", is_final=True)
    response = co_client.post(reverse("partners:budget_add"), _fill(data, lines))
    assert response.status_code == 200
    message = "A final budget must balance: charges 97,200.00 €, products 95,000.00 €, a difference of 2,200.00 €."
    assert response.context["lines"].non_form_errors() == [message]
    assert message in response.content.decode()
    assert not Budget.objects.exists() and not BudgetLine.objects.exists()


def test_a_draft_budget_need_not_balance(co_client):
    data = _header(form_data(co_client.get(reverse("partners:budget_add"))), year="2016", is_final=False)
    assert co_client.post(reverse("partners:budget_add"), _fill(data, SEED_001_LINES[:2])).status_code == 302
    assert Budget.objects.get().totals() == {"charges": Decimal("8300"), "products": Decimal("0")}


def test_finalising_a_budget_that_no_longer_balances_changes_nothing(co_client, organisation):
    budget = _seed_001_budget(organisation, is_final=False)
    edit_url = reverse("partners:budget_edit", args=[budget.pk])
    data = form_data(co_client.get(edit_url))
    # Remove the staff costs (64 600 €) and make the budget final in the same save.
    index = next(i for i in range(6) if data[f"lines-{i}-account"] == ["64"])
    data[f"lines-{index}-DELETE"] = "on"
    data = _header(data, is_final=True, notes="Version finale")
    response = co_client.post(edit_url, data)
    assert response.status_code == 200
    assert (
        "A final budget must balance: charges 32,600.00 €, products 97,200.00 €, a difference of 64,600.00 €."
        in response.content.decode()
    )
    budget.refresh_from_db()
    assert (budget.is_final, budget.notes, budget.lines.count()) == (False, "", 6)


@pytest.mark.parametrize(("amount", "message"), [("0", "The amount must be more than zero."), ("-20", None)])
def test_a_zero_or_negative_line_is_refused_on_its_line(co_client, amount, message):
    data = _header(form_data(co_client.get(reverse("partners:budget_add"))), year="2016")
    response = co_client.post(
        reverse("partners:budget_add"), _fill(data, [("60", "Achats", "100"), ("61", "", amount)])
    )
    assert response.status_code == 200
    errors = response.context["lines"].errors
    assert errors[0] == {} and errors[1] == {"amount": ["The amount must be more than zero."]}
    assert not Budget.objects.exists()


def test_an_account_outside_the_chart_is_refused(co_client):
    data = _header(form_data(co_client.get(reverse("partners:budget_add"))), year="2016")
    response = co_client.post(reverse("partners:budget_add"), _fill(data, [("69", "Impôt", "100")]))
    assert response.status_code == 200
    assert list(response.context["lines"].errors[0]) == ["account"]
    assert not Budget.objects.exists()


def test_the_accounts_are_offered_in_two_groups_charges_then_products(co_client):
    form = co_client.get(reverse("partners:budget_add")).context["lines"].forms[0]
    groups = form.fields["account"].choices[1:]
    assert [str(label) for label, _options in groups] == ["Charges", "Products"]
    assert [code for code, _label in groups[0][1]] == ["60", "61", "62", "63", "64", "65", "66", "67", "68", "86"]
    assert [code for code, _label in groups[1][1]] == ["70", "71", "72", "73", "74", "75", "76", "77", "78", "87"]


def test_two_budgets_of_one_year_need_different_titles(co_client, organisation):
    BudgetFactory(organisation=organisation, year=2016, title="Du jardin à l'assiette")
    data = _header(
        form_data(co_client.get(reverse("partners:budget_add"))), year="2016", title="Du jardin à l'assiette"
    )
    response = co_client.post(reverse("partners:budget_add"), data)
    assert response.status_code == 200
    assert "There is already a budget of this title for this year." in response.content.decode()
    assert Budget.objects.count() == 1


# Reading a budget


def test_the_budget_reads_as_on_the_cerfa_with_the_funding_beside_the_subsidies(co_client, organisation):
    budget = _seed_001_budget(organisation, is_final=True)
    for name, amount in [("État", "25000"), ("Département du Nord", "31500"), ("CCAS", "20700"), ("FSE", "20000")]:
        FundingFactory(
            funder=PartnerFactory(organisation=organisation, name=name, funds=True), year=2016, amount=amount
        )
    response = co_client.get(budget.get_absolute_url())
    assert response.status_code == 200
    charges, products = response.context["charges"], response.context["products"]
    assert [account["code"] for account in charges["accounts"]] == [
        "60",
        "61",
        "62",
        "63",
        "64",
        "65",
        "66",
        "67",
        "68",
        "86",
    ]
    assert {a["code"]: a["subtotal"] for a in charges["accounts"] if a["lines"]} == {
        "60": Decimal("5400"),
        "61": Decimal("2900"),
        "62": Decimal("4300"),
        "64": Decimal("64600"),
        "65": Decimal("20000"),
    }
    assert {a["code"]: a["subtotal"] for a in products["accounts"] if a["lines"]} == {"74": Decimal("97200")}
    assert (charges["total"], products["total"], response.context["difference"]) == (
        Decimal("97200"),
        Decimal("97200"),
        Decimal("0"),
    )
    assert response.context["funding_total"] == Decimal("97200")
    page = response.content.decode()
    for text in [
        "64 – Staff costs",
        "64,600.00 €",
        "74 – Operating subsidies",
        "Funding recorded for 2016: 97,200.00 €",
        "Département du Nord : 31,500.00 € (32.4 %)",
        "The subsidies agree with the funding recorded.",
        "Balanced",
        "Total charges",
        "Total products",
    ]:
        assert text in page, text


def test_the_budget_says_when_its_subsidies_differ_from_the_funding(co_client, organisation):
    budget = _seed_001_budget(organisation)
    FundingFactory(funder__organisation=organisation, year=2016, amount=Decimal("90000"))
    FundingFactory(funder__organisation=organisation, year=2017, amount=Decimal("7200"))  # another year
    page = co_client.get(budget.get_absolute_url()).content.decode()
    assert "The subsidies differ from the funding recorded by 7,200.00 €." in page


def test_the_budget_links_to_the_funding_when_none_is_recorded(co_client, organisation):
    budget = _seed_001_budget(organisation)
    page = co_client.get(budget.get_absolute_url()).content.decode()
    assert "No funding recorded for 2016." in page
    assert reverse("partners:funding_year", args=[2016]) in page


def test_the_list_shows_each_years_budgets_with_their_totals(co_client, organisation):
    _seed_001_budget(organisation, is_final=True)
    draft = BudgetFactory(organisation=organisation, year=2017, title="Projet 2017")
    BudgetLineFactory(budget=draft, account="60", amount=Decimal("1000"))
    BudgetLineFactory(budget=draft, account="60", amount=Decimal("500"))
    BudgetLineFactory(budget=draft, account="70", amount=Decimal("300"))
    BudgetFactory(organisation=organisation, year=2018, title="Vide")
    response = co_client.get(reverse("partners:budget_list"))
    rows = [(b.year, b.title, b.charges, b.products, b.is_final) for b in response.context["page_obj"]]
    assert rows == [
        (2018, "Vide", Decimal("0"), Decimal("0"), False),
        (2017, "Projet 2017", Decimal("1500"), Decimal("300"), False),
        (2016, "Du jardin à l'assiette", Decimal("97200"), Decimal("97200"), True),
    ]
    page = response.content.decode()
    assert "97,200.00 €" in page and "1,500.00 €" in page and "Final" in page and "Draft" in page


@pytest.mark.parametrize("count", [1, 5])
def test_the_list_runs_a_fixed_number_of_queries(co_client, organisation, django_assert_num_queries, count):
    for year in range(2016, 2016 + count):
        budget = BudgetFactory(organisation=organisation, year=year)
        BudgetLineFactory(budget=budget, account="60")
        BudgetLineFactory(budget=budget, account="74")
    # session, user, memberships; the savepoint and its release; the count of the paginator; the budgets with
    # their totals.
    with django_assert_num_queries(7):
        response = co_client.get(reverse("partners:budget_list"))
    assert len(response.context["page_obj"]) == count


@pytest.mark.parametrize("lines", [1, 4])
def test_the_detail_runs_a_fixed_number_of_queries(co_client, organisation, django_assert_num_queries, lines):
    budget = BudgetFactory(organisation=organisation, year=2016)
    for _ in range(lines):
        BudgetLineFactory(budget=budget, account="60")
        BudgetLineFactory(budget=budget, account="74")
        FundingFactory(funder__organisation=organisation, year=2016)
    # session, user, memberships; the savepoint and its release; the budget; its lines; the funding of the year.
    with django_assert_num_queries(8):
        response = co_client.get(budget.get_absolute_url())
    assert response.context["charges"]["total"] == Decimal("1000") * lines


def test_the_empty_list_says_what_to_do(co_client):
    page = co_client.get(reverse("partners:budget_list")).content.decode()
    assert "No budget yet" in page and reverse("partners:budget_add") in page


# Deleting, and the other organisations


def test_a_budget_is_deleted_by_a_post_with_its_lines(co_client, organisation):
    budget = _seed_001_budget(organisation)
    url = reverse("partners:budget_delete", args=[budget.pk])
    assert co_client.get(url).status_code == 405
    response = co_client.post(url)
    assert response.status_code == 302 and response["Location"] == reverse("partners:budget_list")
    assert not Budget.objects.exists() and not BudgetLine.objects.exists()


def test_another_organisations_budget_is_a_404(co_client, other_organisation):
    theirs = BudgetFactory(organisation=other_organisation)
    BudgetLineFactory(budget=theirs)
    for name in ("partners:budget_detail", "partners:budget_edit"):
        assert co_client.get(reverse(name, args=[theirs.pk])).status_code == 404
    assert co_client.post(reverse("partners:budget_delete", args=[theirs.pk])).status_code == 404
    assert Budget.objects.filter(pk=theirs.pk).exists()
    assert theirs not in co_client.get(reverse("partners:budget_list")).context["page_obj"]


def test_a_line_of_another_budget_cannot_be_edited_through_ours(co_client, organisation, other_organisation):
    ours = _seed_001_budget(organisation)
    theirs = BudgetLineFactory(budget__organisation=other_organisation, amount=Decimal("1000"))
    edit_url = reverse("partners:budget_edit", args=[ours.pk])
    data = form_data(co_client.get(edit_url))
    data["lines-0-id"] = theirs.pk
    data["lines-0-amount"] = "1"
    co_client.post(edit_url, data)
    theirs.refresh_from_db()
    assert theirs.amount == Decimal("1000")


@pytest.mark.parametrize("persona", ["social_worker", "trainer", "administrator"])
def test_only_coordinators_manage_budgets(client, request, organisation, persona):
    budget = _seed_001_budget(organisation)
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("partners:budget_list")).status_code == 403
    assert client.get(budget.get_absolute_url()).status_code == 403
    assert client.post(reverse("partners:budget_delete", args=[budget.pk])).status_code == 403
    assert Budget.objects.filter(pk=budget.pk).exists()
