"""The monthly attendance sheet of a site ("état des présences mensuel"): the proof of attendance the funders
(ESF+) ask for, signed by each participant.

One line per trainee on a register of the site that month, one column per workshop day, the hours present and
the totals. It carries names and hours only: the queries below load nothing else of a person, so no date of
birth, contact or social data can reach the document.
"""

import calendar
import datetime
from dataclasses import dataclass
from decimal import Decimal

from django import forms
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django.views.decorators.http import require_GET

from gardens.enums import AttendanceStatus
from gardens.models import Attendance, Site, Workshop
from gardens.perms import READ_ROLES
from insertion.audit import access_log_record
from insertion.models import AccessLog
from insertion.pdf import pdf_response
from insertion.perms import get_for_organisation, role_required

ABSENT_MARK = pgettext_lazy("attendance sheet: absent", "abs.")
EXCUSED_MARK = pgettext_lazy("attendance sheet: excused", "exc.")
FIRST_YEAR = 2000
MONTHS_OFFERED = 13  # the current month and the twelve before: a sheet is printed at the start of the next month


@dataclass(frozen=True)
class Day:
    """A column: a day with at least one workshop on the site, and the times of its workshops."""

    date: datetime.date
    slots: tuple  # ((start, end), …) in the order of the day


@dataclass(frozen=True)
class Cell:
    """A person on a day: the hours present (summed over the day's workshops), or a mark, or blank.

    `hours` is None when the person was present at none of the day's workshops: `mark` then says whether they were
    on a register, absent ("abs.") or excused ("exc."), or not on any register of that day (blank).
    """

    hours: Decimal | None = None
    mark: str = ""


@dataclass(frozen=True)
class Line:
    name: str  # LAST NAME First name
    cells: tuple  # one Cell per day, in the order of the columns
    total: Decimal


@dataclass(frozen=True)
class Sheet:
    site: Site
    month: datetime.date  # its first day
    days: tuple
    lines: tuple
    day_totals: tuple  # the hours present per day, in the order of the columns
    total: Decimal


def month_bounds(year, month):
    """The first and last days of a month; a 404 for a month that is not one (or before the application)."""
    if not (1 <= month <= 12 and FIRST_YEAR <= year <= datetime.MAXYEAR):
        raise Http404
    return datetime.date(year, month, 1), datetime.date(year, month, calendar.monthrange(year, month)[1])


def _sum(hours):
    """The sum without trailing zeros, so that the sheet prints 5,5 rather than 5,50 in its narrow columns."""
    total = sum(hours, Decimal("0"))
    return total.quantize(Decimal("1")) if total == total.to_integral_value() else total.normalize()


def _cell(records):
    present = [record for record in records if record["status"] == AttendanceStatus.PRESENT]
    if present:
        return Cell(hours=_sum(record["hours"] for record in present))
    if not records:
        return Cell()
    # Absent from one workshop of the day and excused from the other: the unexcused absence is what shows.
    if all(record["status"] == AttendanceStatus.EXCUSED for record in records):
        return Cell(mark=str(EXCUSED_MARK))
    return Cell(mark=str(ABSENT_MARK))


def monthly_sheet(site, year, month):
    """The sheet of `site` for a month, in two queries whatever the number of trainees: the workshops, then the
    attendance records with the trainees' names (and nothing else of them)."""
    first, last = month_bounds(year, month)
    workshops = (
        Workshop.objects.filter(organisation_id=site.organisation_id, site=site)
        .between(first, last)
        .order_by("date", "start_time", "end_time")
        .values_list("date", "start_time", "end_time")
    )
    records = (
        Attendance.objects.filter(
            workshop__organisation_id=site.organisation_id, workshop__site=site, workshop__date__range=(first, last)
        )
        .order_by("beneficiary__last_name", "beneficiary__first_name", "beneficiary_id")
        .values(
            "beneficiary_id",
            "beneficiary__last_name",
            "beneficiary__first_name",
            "workshop__date",
            "status",
            "hours",
        )
    )

    slots_by_date = {}
    for date, start, end in workshops:
        slots = slots_by_date.setdefault(date, [])
        if (start, end) not in slots:
            slots.append((start, end))
    names = {}  # beneficiary id -> LAST NAME First name, in the order of the names
    records_by_person = {}  # beneficiary id -> {date: [records]}
    for record in records:
        person = record["beneficiary_id"]
        names.setdefault(person, f"{record['beneficiary__last_name'].upper()} {record['beneficiary__first_name']}")
        records_by_person.setdefault(person, {}).setdefault(record["workshop__date"], []).append(record)
        slots_by_date.setdefault(record["workshop__date"], [])  # a workshop recorded between the two queries

    days = tuple(Day(date, tuple(slots)) for date, slots in sorted(slots_by_date.items()))
    lines = []
    for person, name in names.items():
        cells = tuple(_cell(records_by_person[person].get(day.date, [])) for day in days)
        lines.append(Line(name, cells, _sum(cell.hours or 0 for cell in cells)))
    day_totals = tuple(_sum(line.cells[index].hours or 0 for line in lines) for index in range(len(days)))
    return Sheet(site=site, month=first, days=days, lines=tuple(lines), day_totals=day_totals, total=_sum(day_totals))


def sheet_filename(site, year, month):
    """An ASCII name to file the sheet under: presences-jardin-du-moulin-2026-11.pdf."""
    return f"presences-{slugify(site.name) or site.pk}-{year:04d}-{month:02d}.pdf"


@require_GET
@role_required(*READ_ROLES)
def attendance_sheet(request, site_pk, year, month):
    """The monthly attendance sheet of a site as a PDF, to print, have signed and send to the funders."""
    month_bounds(year, month)
    site = get_for_organisation(Site.objects.all(), request, pk=site_pk)
    context = {
        "organisation_name": request.organisation.name,
        "sheet": monthly_sheet(site, year, month),
        "printed_on": timezone.localdate(),
        "absent_mark": ABSENT_MARK,
        "excused_mark": EXCUSED_MARK,
    }
    access_log_record(request, action=AccessLog.Action.PDF, obj=site)
    return pdf_response(request, "gardens/attendance_sheet.html", context, sheet_filename(site, year, month))


def _recent_months(today, count=MONTHS_OFFERED):
    month = today.replace(day=1)
    for _index in range(count):
        yield month
        month = (month - datetime.timedelta(days=1)).replace(day=1)


class SiteChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, site):
        return _("%(site)s (archived)") % {"site": site.name} if site.is_archived else site.name


class AttendanceSheetForm(forms.Form):
    site = SiteChoiceField(label=_("Site"), queryset=Site.objects.none(), empty_label=None)
    month = forms.ChoiceField(label=_("Month"))

    def __init__(self, *args, organisation, today, **kwargs):
        super().__init__(*args, **kwargs)
        # Sites in use first, then archived ones (Site's ordering), so that an old sheet can still be printed.
        self.fields["site"].queryset = Site.objects.filter(organisation=organisation)
        months = list(_recent_months(today))
        self.fields["month"].choices = [
            (f"{month:%Y-%m}", formats.date_format(month, "F Y").capitalize()) for month in months
        ]
        self.fields["month"].initial = f"{months[0]:%Y-%m}"

    def pdf_url(self):
        year, month = (int(part) for part in self.cleaned_data["month"].split("-"))
        return reverse(
            "gardens:attendance_sheet", kwargs={"site_pk": self.cleaned_data["site"].pk, "year": year, "month": month}
        )


@require_GET
@role_required(*READ_ROLES)
def attendance_sheet_choose(request):
    """Which site and which month to print: a GET form whose submission sends to the PDF."""
    data = request.GET if "site" in request.GET else None
    form = AttendanceSheetForm(data, organisation=request.organisation, today=timezone.localdate())
    if form.is_bound and form.is_valid():
        return redirect(form.pdf_url())
    has_sites = Site.objects.filter(organisation=request.organisation).exists()
    return render(request, "gardens/attendance_sheet_choose.html", {"form": form, "has_sites": has_sites})
