"""The redistribution of the harvest: produce given to partner charities or shared among the growers.

Technical trainers and coordinators record the distributions (several varieties at once, never more than the site's
stock), print the delivery slip the recipient signs, and read the stock and the year's totals per recipient.
"""

import datetime

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Sum
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gardens.models import Site
from insertion.pdf import pdf_response
from insertion.perms import get_for_organisation, role_required
from partners.distribution_forms import DistributionFilter, DistributionForm, StockForm, line_formset
from partners.figures_distribution import totals_by_recipient
from partners.models import Distribution, DistributionLine
from partners.perms import DISTRIBUTION_ROLES
from partners.stock import ZERO, check_lines, stock_rows

LIST_PAGE_SIZE = 50
FIRST_YEAR = 2000


def slip_number(distribution):
    """The delivery slip's number: stable (the record's number), whatever is added or removed around it."""
    return f"BL-{distribution.pk:06d}"


# The list and the year's totals ------------------------------------------------------------------------------


@require_GET
@role_required(*DISTRIBUTION_ROLES)
def distribution_list(request):
    """The distributions, latest first, filtered by month or period, site and recipient."""
    organisation = request.organisation
    filterset = DistributionFilter(
        request.GET or None,
        queryset=Distribution.objects.filter(organisation=organisation),
        organisation=organisation,
        today=timezone.localdate(),
    )
    filtered = filterset.qs if filterset.is_bound and filterset.is_valid() else filterset.queryset
    distributions = (
        filtered.select_related("site", "partner")
        .annotate(line_count=Count("lines"), total_kg=Sum("lines__weight_kg"))
        .order_by("-date", "-pk")
    )
    page = Paginator(distributions, LIST_PAGE_SIZE).get_page(request.GET.get("page"))
    total_kg = DistributionLine.objects.filter(distribution__in=filtered).aggregate(total=Sum("weight_kg"))["total"]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "partners/distribution_list.html",
        {
            "filter": filterset,
            "page_obj": page,
            "total_kg": total_kg or ZERO,
            "query": query.urlencode(),
            "is_filtered": filterset.is_bound,
        },
    )


@require_GET
@role_required(*DISTRIBUTION_ROLES)
def distribution_totals(request):
    """Kilograms given per recipient and month over a year, with the totals of rows and columns."""
    organisation = request.organisation
    today = timezone.localdate()
    year = request.GET.get("year", "")
    year = int(year) if year.isdigit() and FIRST_YEAR <= int(year) <= today.year + 1 else today.year
    years = {day.year for day in Distribution.objects.filter(organisation=organisation).dates("date", "year")}
    years |= {today.year, year}
    months = [datetime.date(year, month, 1) for month in range(1, 13)]
    return render(
        request,
        "partners/distribution_totals.html",
        {"figures": totals_by_recipient(organisation, year), "years": sorted(years, reverse=True), "months": months},
    )


# Recording a distribution ------------------------------------------------------------------------------------


def _distribution_form_page(request, distribution):
    """One screen for the head and the lines; nothing is saved unless the whole distribution fits in the stock."""
    organisation = request.organisation
    data = request.POST if request.method == "POST" else None
    form = DistributionForm(data, instance=distribution, organisation=organisation)
    lines = line_formset(data, organisation=organisation, distribution=distribution)
    if data is not None and form.is_valid() and lines.is_valid():
        cleaned = form.cleaned_data
        # Two distributions from the same site saved at once would each see the stock without the other: the
        # site's row is locked until this request's transaction ends (ATOMIC_REQUESTS), so the second one waits
        # and then sees the first one's lines.
        site = Site.objects.select_for_update().get(pk=cleaned["site"].pk)
        shortfalls = check_lines(
            organisation,
            site,
            cleaned["date"],
            lines.lines(),
            exclude_distribution=distribution if distribution.pk else None,
        )
        if shortfalls:
            lines.add_shortfalls(shortfalls)
            form.add_error(
                None,
                ngettext(
                    "Nothing was saved: one line gives more than the stock of %(site)s on that day (see below).",
                    "Nothing was saved: %(count)s lines give more than the stock of %(site)s on that day (see below).",
                    len(shortfalls),
                )
                % {"count": len(shortfalls), "site": site.name},
            )
        else:
            created = distribution.pk is None
            distribution, saved = _save(form, lines, recorded_by=request.user if created else None)
            messages.success(
                request,
                ngettext(
                    "The distribution was saved: %(count)s variety, %(total)s kg.",
                    "The distribution was saved: %(count)s varieties, %(total)s kg.",
                    len(saved),
                )
                % {"count": len(saved), "total": number_format(sum((line.weight_kg for line in saved), ZERO), 2)},
            )
            return redirect(distribution)
    return render(
        request,
        "partners/distribution_form.html",
        {"form": form, "lines": lines, "distribution": distribution if distribution.pk else None},
    )


def _save(form, lines, *, recorded_by=None):
    """The distribution and its lines; on an edit the old lines are replaced (three statements whatever the number
    of lines, and no clash on the one-variety-per-distribution rule when two lines swap their varieties)."""
    distribution = form.save(commit=False)
    if recorded_by is not None:
        distribution.recorded_by = recorded_by
    created = distribution.pk is None
    distribution.save()
    if not created:
        distribution.lines.all().delete()
    saved = DistributionLine.objects.bulk_create(
        [
            DistributionLine(distribution=distribution, variety=variety, weight_kg=weight)
            for variety, weight in lines.lines()
        ]
    )
    return distribution, saved


@require_http_methods(["GET", "POST"])
@role_required(*DISTRIBUTION_ROLES)
def distribution_add(request):
    """A new distribution, dated today; from the site given in `?site=` (the stock page's link) or the only one."""
    organisation = request.organisation
    distribution = Distribution(organisation=organisation, date=timezone.localdate())
    if request.method == "GET":
        sites = list(Site.objects.filter(organisation=organisation).active().values_list("pk", flat=True))
        site = request.GET.get("site", "")
        if site.isdigit() and int(site) in sites:
            distribution.site_id = int(site)
        elif len(sites) == 1:  # one garden: nothing to choose
            distribution.site_id = sites[0]
    return _distribution_form_page(request, distribution)


@require_http_methods(["GET", "POST"])
@role_required(*DISTRIBUTION_ROLES)
def distribution_edit(request, pk):
    distribution = get_for_organisation(Distribution.objects.select_related("partner"), request, pk=pk)
    return _distribution_form_page(request, distribution)


# One distribution --------------------------------------------------------------------------------------------


def _with_lines(request, pk):
    distribution = get_for_organisation(
        Distribution.objects.select_related("site", "partner", "recorded_by"), request, pk=pk
    )
    lines = list(distribution.lines.select_related("variety").order_by("variety__species", "variety__label"))
    return distribution, lines, sum((line.weight_kg for line in lines), ZERO)


@require_GET
@role_required(*DISTRIBUTION_ROLES)
def distribution_detail(request, pk):
    distribution, lines, total = _with_lines(request, pk)
    return render(
        request,
        "partners/distribution_detail.html",
        {"distribution": distribution, "lines": lines, "total": total, "number": slip_number(distribution)},
    )


@require_POST
@role_required(*DISTRIBUTION_ROLES)
def distribution_delete(request, pk):
    """Delete a distribution entered by mistake: its produce goes back to the site's stock."""
    distribution = get_for_organisation(Distribution.objects.select_related("partner"), request, pk=pk)
    description = str(distribution)
    distribution.delete()
    messages.success(request, _("The distribution of %(distribution)s was deleted.") % {"distribution": description})
    return redirect("partners:distribution_list")


@require_GET
@role_required(*DISTRIBUTION_ROLES)
def distribution_slip(request, pk):
    """The delivery slip (bon de livraison), to print and have signed by the recipient."""
    distribution, lines, total = _with_lines(request, pk)
    number = slip_number(distribution)
    context = {
        "organisation": request.organisation,
        "distribution": distribution,
        "lines": lines,
        "total": total,
        "number": number,
        "printed_on": timezone.localdate(),
    }
    filename = f"bon-de-livraison-{number}-{distribution.date:%Y-%m-%d}.pdf"
    return pdf_response(request, "partners/pdf/distribution_slip.html", context, filename)


# The stock ---------------------------------------------------------------------------------------------------


@require_GET
@role_required(*DISTRIBUTION_ROLES)
def stock(request):
    """Per site, each variety harvested, given and still available; as of a day when one is chosen."""
    organisation = request.organisation
    form = StockForm(request.GET or None, organisation=organisation)
    site = on = None
    if form.is_bound and form.is_valid():
        site, on = form.cleaned_data["site"], form.cleaned_data["on"]
    sites = {}
    for row in stock_rows(organisation, site=site, on=on):
        entry = sites.setdefault(
            row.site_id, {"pk": row.site_id, "name": row.site, "rows": [], "harvested": ZERO, "distributed": ZERO}
        )
        entry["rows"].append(row)
        entry["harvested"] += row.harvested
        entry["distributed"] += row.distributed
    for entry in sites.values():
        entry["available"] = entry["harvested"] - entry["distributed"]
    return render(
        request,
        "partners/stock.html",
        {
            "form": form,
            "sites": list(sites.values()),
            "on": on,
            "today": timezone.localdate(),
            "add_url": reverse("partners:distribution_add"),
        },
    )
