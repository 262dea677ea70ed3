"""The coordinator's monthly dashboard and the indicator report of any period, with its downloads.

Each page and download runs the same number of queries whatever the volume: one per indicator (see
reporting.indicators), one per month-by-month series, plus the form's lists.
"""

import datetime
import re

from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import formats
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from insertion.enums import Role
from insertion.perms import role_required
from reporting import charts, definitions  # noqa: F401 (importing the definitions registers the indicators)
from reporting.forms import ReportForm, month_query
from reporting.indicators import REGISTRY, Scope, compute
from reporting.report import (
    XLSX_CONTENT_TYPE,
    build_report,
    figure_text,
    report_context,
    report_csv,
    report_json,
    report_pdf,
    report_xlsx,
)

REPORT_ROLES = (Role.COORDINATOR,)
EXPORT_FORMATS = ("csv", "xlsx", "json")
EXITS = "exits_by_category"
MONTH_PARAMETER = re.compile(r"^(\d{4})-(\d{2})$")

# The dashboard's key figures, by indicator code, with the words of a figure rather than of a table; those not
# registered (yet) are left out.
KEY_FIGURES = [
    ("beneficiaries_reached", gettext_lazy("People reached")),
    ("entries", gettext_lazy("Entries")),
    ("exits", gettext_lazy("Exits")),
    ("workshops_by_kind", gettext_lazy("Workshops held")),
    ("presence_hours", gettext_lazy("Hours of presence")),
    ("harvest_by_variety", gettext_lazy("Harvest")),
    ("redistribution_by_recipient", gettext_lazy("Produce redistributed")),
]


def _report_form(request):
    today = request.organisation.today()
    data = request.GET if ReportForm.has_choices(request.GET) else ReportForm.defaults(today)
    return ReportForm(data, organisation=request.organisation, today=today)


def _report_page(request, form, report=None, status=200):
    context = {"form": form, "report": None, "sections": [], "query": "", "links": None}
    if report is not None:
        query = form.query_string()
        context.update(report_context(report))
        context["query"] = query
        context["links"] = {
            "pdf": f"{reverse('reporting:report_pdf')}?{query}",
            "xlsx": f"{reverse('reporting:report_export', kwargs={'fmt': 'xlsx'})}?{query}",
            "json": f"{reverse('reporting:report_export', kwargs={'fmt': 'json'})}?{query}",
            "csv": f"{reverse('reporting:report_export', kwargs={'fmt': 'csv'})}?{query}",
        }
    return render(request, "reporting/report.html", context, status=status)


def _download(content, content_type, filename):
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    response["Cache-Control"] = "no-store"
    return response


@require_GET
@role_required(*REPORT_ROLES)
def report(request):
    """The indicator report of a period, for the organisation, one site or one programme."""
    form = _report_form(request)
    if not form.is_valid():
        return _report_page(request, form)
    return _report_page(request, form, build_report(form.scope()))


@require_GET
@role_required(*REPORT_ROLES)
def report_pdf_view(request):
    form = _report_form(request)
    if not form.is_valid():
        return _report_page(request, form, status=400)
    report = build_report(form.scope())
    return _download(report_pdf(report, request), "application/pdf", report.filename("pdf"))


@require_GET
@role_required(*REPORT_ROLES)
def report_export(request, fmt):
    """The report as JSON (every indicator by code), XLSX (a sheet per table) or CSV (one table: ?table=<code>)."""
    if fmt not in EXPORT_FORMATS:
        raise Http404
    if fmt == "csv":
        indicator = REGISTRY.get(request.GET.get("table", ""))
        if indicator is None or not indicator.table:
            raise Http404
    form = _report_form(request)
    if not form.is_valid():
        return _report_page(request, form, status=400)
    report = build_report(form.scope())
    if fmt == "json":
        response = JsonResponse(report_json(report), json_dumps_params={"ensure_ascii": False, "indent": 2})
        response["Content-Disposition"] = content_disposition_header(
            as_attachment=True, filename=report.filename("json")
        )
        response["Cache-Control"] = "no-store"
        return response
    if fmt == "xlsx":
        return _download(report_xlsx(report), XLSX_CONTENT_TYPE, report.filename("xlsx"))
    code = request.GET["table"]
    return _download(report_csv(report, code), "text/csv; charset=utf-8", report.filename("csv", suffix=code))


# The monthly dashboard.


def _chosen_month(request, today):
    """The month of ?month=YYYY-MM (the current one by default); a 404 for a month that is not one or to come."""
    this_month = today.replace(day=1)
    value = request.GET.get("month")
    if not value:
        return this_month
    match = MONTH_PARAMETER.match(value)
    if not match:
        raise Http404
    year, month = int(match[1]), int(match[2])
    if not (1 <= month <= 12 and 2000 <= year):
        raise Http404
    chosen = datetime.date(year, month, 1)
    if chosen > this_month:
        raise Http404
    return chosen


def _difference_text(current, previous, unit):
    """+3, −1,5 kg, or "" when there is nothing to compare or no difference."""
    if current is None or previous is None or current == previous:
        return ""
    sign = "+" if current > previous else "−"
    return f"{sign}{figure_text(abs(current - previous), unit)}"


def key_figures(periods):
    """[{code, label, rows: [{period, value, earlier, difference, up, down, same}]}] for the key figures, over the
    periods given as (label, scope, scope a year earlier)."""
    codes = [(code, label) for code, label in KEY_FIGURES if code in REGISTRY]
    results = [
        (label, compute(scope, [code for code, _label in codes]), compute(earlier, [code for code, _label in codes]))
        for label, scope, earlier in periods
    ]
    figures = []
    for code, label in codes:
        unit = REGISTRY[code].unit
        rows = []
        for period_label, now, then in results:
            current, previous = now[code].value, then[code].value
            rows.append(
                {
                    "period": period_label,
                    "value": figure_text(current, unit),
                    "earlier": figure_text(previous, unit),
                    "difference": _difference_text(current, previous, unit),
                    "up": current is not None and previous is not None and current > previous,
                    "down": current is not None and previous is not None and current < previous,
                    "same": current is not None and current == previous,
                }
            )
        figures.append({"code": code, "label": label, "rows": rows})
    return figures


def dashboard_context(organisation, month, today):
    """Everything the dashboard shows for `month`: the key figures of the month and of the year to date beside a
    year earlier, and four charts (the last 12 months beside the 12 before, and the exits of the year)."""
    last_day = min(charts.month_end(month), today)
    month_scope = Scope((organisation,), month, last_day)
    year_scope = Scope((organisation,), month.replace(month=1), last_day)
    month_name = formats.date_format(month, "YEAR_MONTH_FORMAT")  # "février 2027" in a French sentence
    periods = [
        (formats.date_format(month, "F").capitalize(), month_scope, month_scope.a_year_earlier()),
        (_("Year to date"), year_scope, year_scope.a_year_earlier()),
    ]
    months = charts.months_ending(month, 24)
    ids = [organisation.pk]
    people = charts.people_reached_by_month(ids, months)
    harvest = charts.harvest_kg_by_month(ids, months)
    hours = charts.presence_hours_by_month(ids, months)
    exits = compute(year_scope, ["exits_by_category"])["exits_by_category"] if EXITS in REGISTRY else None
    period_header = _("Period")
    chart_list = [
        charts.year_on_year_chart(
            _("People reached per month"),
            people,
            month,
            unit_header=period_header,
            empty_text=_("Nobody enrolled in these months yet."),
        ),
        charts.year_on_year_chart(
            _("Harvest per month (kg)"),
            harvest,
            month,
            unit_header=period_header,
            empty_text=_("No harvest recorded in these months yet."),
        ),
        charts.year_on_year_chart(
            _("Hours of presence per month"),
            hours,
            month,
            unit_header=period_header,
            empty_text=_("No presence recorded in these months yet."),
        ),
        charts.rows_chart(
            _("Exits by category, year to %(day)s") % {"day": f"{last_day:%d/%m/%Y}"},
            exits if exits is not None and exits.value else None,
            label_header=_("Category"),
            value_header=_("People"),
            empty_text=_("No exit this year yet."),
        ),
    ]
    return {
        "month": month,
        "month_name": month_name,
        "year": month.year,
        "earlier_year": month.year - 1,
        "last_day": last_day,
        "is_partial": last_day < charts.month_end(month),
        "previous_month": charts.add_months(month, -1),
        "next_month": charts.add_months(month, 1) if charts.add_months(month, 1) <= today else None,
        "key_figures": key_figures(periods),
        "charts": chart_list,
    }


@require_GET
@role_required(*REPORT_ROLES)
def dashboard(request):
    """The coordinator's home: the month's figures beside a year earlier, and the charts to print each month."""
    today = request.organisation.today()
    month = _chosen_month(request, today)
    context = dashboard_context(request.organisation, month, today)
    context["report_url"] = f"{reverse('reporting:report')}?{month_query(month)}"
    context["print_url"] = f"{reverse('reporting:report_pdf')}?{month_query(month)}"
    context["year_report_url"] = f"{reverse('reporting:report')}?period=year&year={month.year}"
    return render(request, "reporting/dashboard.html", context)
