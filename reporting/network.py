"""The network view (issue 6 item 6; seed 002's observatory, federations of Régies or Jardins): the indicator report
aggregated across every organisation the user coordinates, with a breakdown of the key figures per organisation.

Only organisations where the user holds the coordinator role count: being a social worker or a trainer somewhere
gives nothing of that organisation here. The report holds aggregates and organisation names, never a person's name.
"""

import json
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Sum
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from insertion.enums import Role
from insertion.pdf import pdf_response
from reporting.committee_forms import PeriodForm, chosen_data, period_query
from reporting.indicators import Scope
from reporting.report import build_report, number_text, report_context, report_json

# The columns of the breakdown: (key, heading). Each is one grouped query whatever the number of organisations.
BREAKDOWN_COLUMNS = [
    ("reached", _("People reached")),
    ("entries", _("Entries")),
    ("exits", _("Exits")),
    ("workshops", _("Workshops held")),
    ("hours", _("Hours of presence")),
    ("harvested_kg", _("Harvested (kg)")),
]
DECIMAL_COLUMNS = {"hours", "harvested_kg"}


def coordinated_organisations(request):
    """The active organisations where the user is an active coordinator, by name (from the middleware's query)."""
    return [membership.organisation for membership in request.memberships if membership.has_role(Role.COORDINATOR)]


@dataclass(frozen=True)
class BreakdownRow:
    organisation: object
    figures: dict  # column key -> value


def _by_organisation(queryset, field, aggregate):
    return {row[field]: row["value"] for row in queryset.values(field).annotate(value=aggregate).order_by()}


def organisation_breakdown(scope):
    """The key figures of each organisation of the scope, from the scope's own querysets (the indicators' rules
    for who is reached, which workshop counts), grouped by organisation: one query per column."""
    entered = scope.enrolments().filter(entry_date__gte=scope.start).values("beneficiary")
    left = scope.enrolments().filter(exit_date__lte=scope.end).values("beneficiary")
    columns = {
        "reached": _by_organisation(scope.people(), "organisation", Count("pk")),
        "entries": _by_organisation(scope.people().filter(pk__in=entered), "organisation", Count("pk")),
        "exits": _by_organisation(scope.people().filter(pk__in=left), "organisation", Count("pk")),
        "workshops": _by_organisation(scope.workshops(), "organisation", Count("pk")),
        "hours": _by_organisation(scope.presences_of_people(), "workshop__organisation", Sum("hours")),
        "harvested_kg": _by_organisation(scope.harvests(), "organisation", Sum("weight_kg")),
    }
    return [
        BreakdownRow(organisation, {key: _figure(key, columns[key].get(organisation.pk)) for key in columns})
        for organisation in scope.organisations
    ]


def _figure(key, value):
    """A count, or hours and kilograms with two decimals as the indicators give them (0 when nothing)."""
    if key in DECIMAL_COLUMNS:
        return Decimal(value or 0).quantize(Decimal("0.01"))
    return value or 0


def breakdown_totals(rows):
    return {key: sum((row.figures[key] for row in rows), 0) for key, _heading in BREAKDOWN_COLUMNS}


def _period(request):
    """(period form, scope or None) of the query string; the scope covers every organisation the user coordinates."""
    today = request.organisation.today()
    form = PeriodForm(chosen_data(request.GET, today), organisation=request.organisation, today=today)
    scope = Scope(coordinated_organisations(request), *form.period_bounds()) if form.is_valid() else None
    return form, scope


def _refused(request, organisations):
    return render(request, "reporting/network_refused.html", {"organisation_count": len(organisations)}, status=403)


def _breakdown_context(rows):
    headings = [str(heading) for _key, heading in BREAKDOWN_COLUMNS]
    totals = breakdown_totals(rows)
    return {
        "breakdown_headings": headings,
        "breakdown_rows": [
            (row.organisation.name, [number_text(row.figures[key]) for key, _heading in BREAKDOWN_COLUMNS])
            for row in rows
        ],
        "breakdown_totals": [number_text(totals[key]) for key, _heading in BREAKDOWN_COLUMNS],
    }


@require_GET
def network_report(request):
    """The report of every organisation the user coordinates, summed, with a per-organisation breakdown.

    Who may open it: a user who is coordinator in two organisations or more. Anyone else, a coordinator of a
    single organisation included, gets a 403 page that says why (the view needs two organisations; their own
    report is the indicator report) rather than the report of one organisation under another name. The 403
    comes before the period is read, so the PDF and JSON answer the same.
    """
    organisations = coordinated_organisations(request)
    if len(organisations) < 2:
        return _refused(request, organisations)
    form, scope = _period(request)
    context = {"form": form, "organisations": organisations, "scope": scope}
    if scope is not None:
        report = build_report(scope)
        query = period_query(scope.start, scope.end)
        context.update(report_context(report))
        context.update(_breakdown_context(organisation_breakdown(scope)))
        context["pdf_url"] = f"{reverse('reporting:network_report_pdf')}?{query}"
        context["json_url"] = f"{reverse('reporting:network_report_json')}?{query}"
    return render(request, "reporting/network_report.html", context)


def _bad_period(form):
    errors = "; ".join(str(error) for errors in form.errors.values() for error in errors)
    return HttpResponse(errors, status=400, content_type="text/plain; charset=utf-8")


@require_GET
def network_report_pdf(request):
    """The network report as a PDF: the indicator report's document with the per-organisation breakdown first."""
    organisations = coordinated_organisations(request)
    if len(organisations) < 2:
        return _refused(request, organisations)
    form, scope = _period(request)
    if scope is None:
        return _bad_period(form)
    report = build_report(scope)
    context = {**report_context(report), **_breakdown_context(organisation_breakdown(scope))}
    return pdf_response(request, "reporting/pdf/network.html", context, report.filename("pdf", "reseau"))


@require_GET
def network_report_json(request):
    """The network report's JSON (every indicator by code) with the per-organisation breakdown."""
    organisations = coordinated_organisations(request)
    if len(organisations) < 2:
        return _refused(request, organisations)
    form, scope = _period(request)
    if scope is None:
        return _bad_period(form)
    report = build_report(scope)
    data = report_json(report)
    data["breakdown"] = [
        {
            "organisation": {"slug": row.organisation.slug, "name": row.organisation.name},
            **{key: str(value) if isinstance(value, Decimal) else value for key, value in row.figures.items()},
        }
        for row in organisation_breakdown(scope)
    ]
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=report.filename("json", "reseau")
    )
    response["Cache-Control"] = "no-store"
    return response
