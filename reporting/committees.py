"""Steering and technical committees, and the reports frozen onto them (issue 6, item 4).

A coordinator records a meeting (date, kind, attendees, minutes) and attaches to it the report of a period: the
report is built once, its figures (reporting.report.report_json) and its PDF are stored with the SHA-256 of the PDF,
and from then on the committee's page and downloads show what was stored, never a recomputation. What the
committee saw can be reprinted years later, after files were corrected or people erased.
"""

import hashlib
import json
from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from insertion.enums import Role
from insertion.perms import get_for_organisation, role_required
from reporting.committee_forms import AttachForm, CommitteeForm, FrozenReportRemoveForm, last_year_data
from reporting.indicators import SECTIONS
from reporting.models import Committee, FrozenReport
from reporting.network import coordinated_organisations
from reporting.report import (
    UNIT_HEADERS,
    build_report,
    figure_text,
    number_text,
    report_json,
    report_pdf,
    share_text,
)

COMMITTEE_ROLES = (Role.COORDINATOR,)


def report_freeze(*, committee, scope, user, request=None):
    """Build the report of `scope` and store its figures and PDF on `committee`, for good."""
    report = build_report(scope)
    figures = report_json(report)
    pdf = report_pdf(report, request)
    return FrozenReport.objects.create(
        committee=committee,
        start=scope.start,
        end=scope.end,
        site_label=scope.site.name if scope.site is not None else "",
        programme_label=scope.programme.label if scope.programme is not None else "",
        figures=figures,
        pdf=pdf,
        sha256=hashlib.sha256(pdf).hexdigest(),
        frozen_by=user,
    )


def _stored_number(value):
    """A stored figure back to a number: decimals were stored as strings (nothing lost to a float)."""
    if isinstance(value, str):
        try:
            return Decimal(value)
        except InvalidOperation:
            return value
    return value


def stored_item(code, data):
    """One indicator of a frozen report, from its stored figures, laid out as the report lays out an indicator
    (reporting/report_item.html). Only the display is computed: every figure is the stored one."""
    unit = data.get("unit", "")
    value, base = _stored_number(data.get("value")), _stored_number(data.get("base"))
    is_table = bool(data.get("table"))
    item = {
        "code": code,
        "label": data.get("label", code),
        "description": "",
        "is_table": is_table,
        "value_header": str(UNIT_HEADERS.get(unit, _("Value"))),
        "headline": figure_text(base if data.get("overlapping") and base is not None else value, unit),
        "base": number_text(base) if base is not None and not is_table else None,
        "rows": [
            {
                "label": row.get("label", ""),
                "value": figure_text(_stored_number(row.get("value")), unit),
                "share": share_text(_stored_number(row.get("share"))),
            }
            for row in data.get("rows", [])
        ],
        "total": None,
        "note": "",
        "chart": None,
    }
    if is_table and data.get("overlapping"):
        item["note"] = _("A person may count on several rows: each share is of the %(base)s people reached.") % {
            "base": number_text(base)
        }
    elif is_table and item["rows"]:
        item["total"] = {"value": figure_text(value, unit), "share": share_text(Decimal("100.0"))}
    return item


def stored_sections(figures):
    """[{key, label, items}] of a frozen report's stored figures, in the report's order of sections."""
    indicators = figures.get("indicators", {})
    sections = []
    for key, label in SECTIONS:
        items = [stored_item(code, data) for code, data in indicators.items() if data.get("section") == key]
        if items:
            sections.append({"key": key, "label": str(label), "items": items})
    known = {key for key, _label in SECTIONS}
    others = [stored_item(code, data) for code, data in indicators.items() if data.get("section") not in known]
    if others:
        sections.append({"key": "other", "label": _("Other indicators"), "items": others})
    return sections


def _frozen_report(request, pk, *, defer=()):
    """A frozen report of a committee of the current organisation (without the columns in `defer`, which can
    be large); a 404 for anything else."""
    queryset = FrozenReport.objects.of(request.organisation).select_related("committee").defer(*defer)
    return get_object_or_404(queryset, pk=pk)


@require_GET
@role_required(*COMMITTEE_ROLES)
def committee_list(request):
    committees = Committee.objects.of(request.organisation).with_report_count()
    page = Paginator(committees, 25).get_page(request.GET.get("page"))
    # The network report opens to coordinators of several organisations: offered to them only (no query).
    has_network = len(coordinated_organisations(request)) > 1
    return render(request, "reporting/committee_list.html", {"page_obj": page, "has_network": has_network})


def _committee_form_page(request, committee):
    form = CommitteeForm(request.POST or None, instance=committee, organisation=request.organisation)
    if request.method == "POST" and form.is_valid():
        if committee.pk is None:
            committee.created_by = request.user
        committee = form.save()
        messages.success(request, _("The committee “%(committee)s” was saved.") % {"committee": committee})
        return redirect(committee)
    cancel_url = committee.get_absolute_url() if committee.pk else reverse("reporting:committee_list")
    return render(
        request, "reporting/committee_form.html", {"form": form, "committee": committee, "cancel_url": cancel_url}
    )


@require_http_methods(["GET", "POST"])
@role_required(*COMMITTEE_ROLES)
def committee_add(request):
    return _committee_form_page(request, Committee(organisation=request.organisation))


@require_http_methods(["GET", "POST"])
@role_required(*COMMITTEE_ROLES)
def committee_edit(request, pk):
    return _committee_form_page(request, get_for_organisation(Committee.objects.all(), request, pk=pk))


@require_GET
@role_required(*COMMITTEE_ROLES)
def committee_detail(request, pk):
    """The meeting, its minutes, and the reports frozen onto it with their stored figures (never recomputed)."""
    committee = get_for_organisation(Committee.objects.all(), request, pk=pk)
    reports = list(committee.reports.defer("pdf").select_related("frozen_by"))
    return render(
        request,
        "reporting/committee_detail.html",
        {
            "committee": committee,
            "reports": [
                (report, report.figures.get("period", {}).get("label") or str(report), stored_sections(report.figures))
                for report in reports
            ],
            "attach_url": f"{reverse('reporting:committee_attach')}?committee={committee.pk}",
            "remove_label": FrozenReportRemoveForm.base_fields["confirm"].label,
        },
    )


@require_POST
@role_required(*COMMITTEE_ROLES)
def committee_delete(request, pk):
    committee = get_for_organisation(Committee.objects.all(), request, pk=pk)
    if committee.reports.exists():
        messages.error(
            request,
            _("This committee has frozen reports: remove them first if the meeting is really to be deleted."),
        )
        return redirect(committee)
    committee.delete()
    messages.success(request, _("The committee was deleted."))
    return redirect("reporting:committee_list")


def _initial_attachment(request, today):
    """What the attach page starts from: last calendar year, and the committee or scope of the query string."""
    return {**last_year_data(today), **{name: value for name, value in request.GET.items() if value}}


@require_http_methods(["GET", "POST"])
@role_required(*COMMITTEE_ROLES)
def committee_attach(request):
    """Freeze the report of a period (the organisation, one site or one programme) onto a committee.

    Posted from the committee's page or from the report page ("Attach to a committee"); a period or a committee
    that does not hold is shown again with its message on the field, and nothing is stored.
    """
    today = request.organisation.today()
    if request.method == "POST":
        form = AttachForm(request.POST, organisation=request.organisation, today=today)
    else:
        form = AttachForm(initial=_initial_attachment(request, today), organisation=request.organisation, today=today)
    if form.is_bound and form.is_valid():
        committee = form.cleaned_data["committee"]
        frozen = report_freeze(committee=committee, scope=form.scope(), user=request.user, request=request)
        messages.success(
            request,
            _("The report %(report)s is frozen onto the committee: its figures and PDF will not change.")
            % {"report": frozen},
        )
        return redirect(committee)
    has_committees = Committee.objects.of(request.organisation).exists()
    return render(request, "reporting/committee_attach.html", {"form": form, "has_committees": has_committees})


@require_GET
@role_required(*COMMITTEE_ROLES)
def frozen_report_pdf(request, pk):
    """The PDF as stored when the report was frozen, byte for byte."""
    frozen = _frozen_report(request, pk, defer=["figures"])
    response = HttpResponse(bytes(frozen.pdf), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=frozen.filename("pdf"))
    response["Cache-Control"] = "no-store"
    return response


@require_GET
@role_required(*COMMITTEE_ROLES)
def frozen_report_json(request, pk):
    """The figures as stored when the report was frozen (the JSON of every indicator by code)."""
    frozen = _frozen_report(request, pk, defer=["pdf"])
    body = json.dumps(frozen.figures, ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=frozen.filename("json"))
    response["Cache-Control"] = "no-store"
    return response


@require_POST
@role_required(*COMMITTEE_ROLES)
def frozen_report_delete(request, pk):
    """Remove a frozen report from its committee, once the coordinator has ticked the confirmation."""
    frozen = _frozen_report(request, pk, defer=["figures", "pdf"])
    committee = frozen.committee
    form = FrozenReportRemoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, form.errors["confirm"][0])
        return redirect(committee)
    frozen.delete()
    messages.success(request, _("The frozen report was removed from the committee."))
    return redirect(committee)
