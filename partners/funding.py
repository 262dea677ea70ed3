"""Funding and budgets: the coordinator enters who funds the action each year, and the action's budget.

A budget follows the French associative chart of accounts, as on the CERFA 12156 form: charges (60 to 68, 86) on
the left, products (70 to 78, 87) on the right. A final budget balances; its operating subsidies (account 74) are
shown beside the funding recorded for the year, so that the coordinator sees whether they agree.
"""

from decimal import Decimal

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import DecimalField, Q, Sum, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from insertion.perms import get_for_organisation, role_required
from partners.enums import ACCOUNTS, BudgetSide
from partners.figures_funding import funding_by_funder
from partners.funding_forms import (
    FIRST_YEAR,
    LAST_YEAR,
    BudgetForm,
    BudgetLineFormSet,
    FundingFormSet,
    NewBudgetLineFormSet,
)
from partners.models import Budget, Funding
from partners.perms import FUNDING_ROLES

SUBSIDIES = "74"  # operating subsidies: what the funders give, to compare with the funding recorded
ZERO = Value(Decimal("0"), output_field=DecimalField(max_digits=14, decimal_places=2))


def _codes(side):
    return [code for code, account_side, _label in ACCOUNTS if account_side == side]


# Funding -----------------------------------------------------------------------------------------------------


@require_GET
@role_required(*FUNDING_ROLES)
def funding_current(request):
    return redirect("partners:funding_year", year=timezone.localdate().year)


@require_http_methods(["GET", "POST"])
@role_required(*FUNDING_ROLES)
def funding_year(request, year):
    """The year's funders and their shares, and the form to enter them, on one page."""
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise Http404
    organisation = request.organisation
    formset = FundingFormSet(request.POST or None, organisation=organisation, year=year, prefix="lines")
    if request.method == "POST" and formset.is_valid():
        formset.save()
        messages.success(request, _("The funding of %(year)s was saved.") % {"year": year})
        return redirect("partners:funding_year", year=year)
    rows, total = funding_by_funder(organisation, year)
    years = list(Funding.objects.filter(organisation=organisation).values_list("year", flat=True).distinct())
    return render(
        request,
        "partners/funding_year.html",
        {
            "year": year,
            "previous_year": year - 1 if year > FIRST_YEAR else None,
            "next_year": year + 1 if year < LAST_YEAR else None,
            "years": sorted(set(years)),
            "rows": rows,
            "total": total,
            "formset": formset,
        },
    )


# Budgets -----------------------------------------------------------------------------------------------------


@require_GET
@role_required(*FUNDING_ROLES)
def budget_list(request):
    budgets = (
        Budget.objects.filter(organisation=request.organisation)
        .annotate(
            charges=Coalesce(Sum("lines__amount", filter=Q(lines__account__in=_codes(BudgetSide.CHARGES))), ZERO),
            products=Coalesce(Sum("lines__amount", filter=Q(lines__account__in=_codes(BudgetSide.PRODUCTS))), ZERO),
        )
        .order_by("-year", "title", "pk")
    )
    page = Paginator(budgets, 25).get_page(request.GET.get("page"))
    return render(request, "partners/budget_list.html", {"page_obj": page})


def _budget_form_page(request, budget):
    form = BudgetForm(request.POST or None, instance=budget, organisation=request.organisation)
    formset_class = BudgetLineFormSet if budget.pk else NewBudgetLineFormSet
    lines = formset_class(request.POST or None, instance=budget, prefix="lines")
    if request.method == "POST":
        form_valid = form.is_valid()
        lines.must_balance = bool(form.cleaned_data.get("is_final"))
        if lines.is_valid() and form_valid:
            with transaction.atomic():
                budget = form.save()
                lines.instance = budget
                lines.save()
            messages.success(request, _("The budget %(budget)s was saved.") % {"budget": budget})
            return redirect(budget)
    title = str(budget) if budget.pk else _("New budget")
    return render(request, "partners/budget_form.html", {"form": form, "lines": lines, "title": title})


@require_http_methods(["GET", "POST"])
@role_required(*FUNDING_ROLES)
def budget_add(request):
    budget = Budget(organisation=request.organisation, year=timezone.localdate().year)
    return _budget_form_page(request, budget)


@require_http_methods(["GET", "POST"])
@role_required(*FUNDING_ROLES)
def budget_edit(request, pk):
    return _budget_form_page(request, get_for_organisation(Budget.objects.all(), request, pk=pk))


TOTAL_LABELS = {BudgetSide.CHARGES: gettext_lazy("Total charges"), BudgetSide.PRODUCTS: gettext_lazy("Total products")}


def budget_columns(lines):
    """The budget as on the CERFA: for each side, every account of the chart with its lines and subtotal."""
    by_account = {code: [] for code, _side, _label in ACCOUNTS}
    for line in lines:
        by_account[line.account].append(line)
    columns = {}
    for side in BudgetSide:
        accounts = [
            {
                "code": code,
                "label": label,
                "lines": by_account[code],
                "subtotal": sum((line.amount for line in by_account[code]), Decimal("0")),
            }
            for code, account_side, label in ACCOUNTS
            if account_side == side
        ]
        columns[side.value] = {
            "title": side.label,
            "total_label": TOTAL_LABELS[side],
            "accounts": accounts,
            "total": sum((account["subtotal"] for account in accounts), Decimal("0")),
        }
    return columns


@require_GET
@role_required(*FUNDING_ROLES)
def budget_detail(request, pk):
    budget = get_for_organisation(Budget.objects.all(), request, pk=pk)
    columns = budget_columns(budget.lines.all())
    charges, products = columns["charges"], columns["products"]
    subsidies = next(account for account in products["accounts"] if account["code"] == SUBSIDIES)
    funding_rows, funding_total = funding_by_funder(request.organisation, budget.year)
    return render(
        request,
        "partners/budget_detail.html",
        {
            "budget": budget,
            "columns": [{"key": "charges", "side": charges}, {"key": "products", "side": products}],
            "charges": charges,
            "products": products,
            "difference": products["total"] - charges["total"],
            "subsidies_code": SUBSIDIES,
            "funding_rows": funding_rows,
            "funding_total": funding_total,
            "funding_gap": abs(subsidies["subtotal"] - funding_total),
        },
    )


@require_POST
@role_required(*FUNDING_ROLES)
def budget_delete(request, pk):
    budget = get_for_organisation(Budget.objects.all(), request, pk=pk)
    budget.delete()
    messages.success(request, _("The budget %(budget)s was deleted.") % {"budget": budget})
    return redirect("partners:budget_list")
