"""The list's export to CSV and XLSX.

Columns come from insertion.inventory: a column appears when the role may read its category, and never when the
category is restricted to social workers (contact, social situation, assessments, notes, plan), because an export
leaves the application: it ends up on desktops and in e-mails.
"""

import csv
import io

from django.db.models import OuterRef, Subquery
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook

from beneficiaries.enums import EnrolmentStatus
from beneficiaries.models import Enrolment
from insertion import inventory
from insertion.inventory import Category

MODEL = "beneficiaries.Beneficiary"


def _date(value):
    return value.strftime("%d/%m/%Y") if value else ""


def _status(beneficiary):
    if beneficiary.open_entry_date:
        return EnrolmentStatus.ENROLLED.label
    return EnrolmentStatus.EXITED.label if beneficiary.has_enrolment else EnrolmentStatus.NEVER.label


# (header, category, value getter). Order is the column order.
COLUMNS = [
    (_("Last name"), Category.NAME, lambda b: b.last_name),
    (_("First name"), Category.NAME, lambda b: b.first_name),
    (_("Sex"), Category.IDENTITY, lambda b: b.sex),
    (_("Date of birth"), Category.IDENTITY, lambda b: _date(b.birth_date)),
    (_("Neighbourhood"), Category.LOCATION, lambda b: b.neighbourhood.label if b.neighbourhood else ""),
    (
        _("Priority neighbourhood"),
        Category.LOCATION,
        lambda b: (_("yes") if b.neighbourhood.is_priority else _("no")) if b.neighbourhood else "",
    ),
    (_("Education level"), Category.EDUCATION, lambda b: b.education_level.label if b.education_level else ""),
    (_("1969 scale"), Category.EDUCATION, lambda b: b.education_level.scale_1969 if b.education_level else ""),
    (
        _("2019 scale"),
        Category.EDUCATION,
        lambda b: b.education_level.get_scale_2019_display() if b.education_level else "",
    ),
    (_("Referring partner"), Category.REFERRAL, lambda b: b.referring_partner.name if b.referring_partner else ""),
    (_("Referent"), Category.STAFF, lambda b: str(b.referent) if b.referent else ""),
    (_("Enrolment"), Category.ENROLMENT, _status),
    (_("Programme"), Category.ENROLMENT, lambda b: b.current_programme or ""),
    (_("Entry date"), Category.ENROLMENT, lambda b: _date(b.open_entry_date)),
    (_("Last exit"), Category.ENROLMENT, lambda b: _date(b.last_exit_date)),
    (_("Exit outcome"), Category.OUTCOME, lambda b: b.last_exit_outcome or ""),
    (_("Last interview"), Category.INTERVIEW_SUMMARY, lambda b: _date(b.last_interview_date)),
]


def columns_for(membership):
    return [
        (header, getter)
        for header, category, getter in COLUMNS
        if category not in inventory.RESTRICTED_TO_SOCIAL_WORKERS and inventory.can_read_category(membership, category)
    ]


def export_queryset(queryset):
    """Adds what the columns read, in the same single query whatever the number of rows."""
    open_enrolments = Enrolment.objects.filter(beneficiary=OuterRef("pk"), exit_date__isnull=True).order_by(
        "entry_date"
    )
    exits = Enrolment.objects.filter(beneficiary=OuterRef("pk"), exit_date__isnull=False).order_by("-exit_date")
    return queryset.select_related("neighbourhood", "education_level", "referent", "referring_partner").annotate(
        current_programme=Subquery(open_enrolments.values("programme__label")[:1]),
        last_exit_date=Subquery(exits.values("exit_date")[:1]),
        last_exit_outcome=Subquery(exits.values("exit_outcome__label")[:1]),
    )


def table(queryset, membership):
    columns = columns_for(membership)
    yield [str(header) for header, _getter in columns]
    for beneficiary in export_queryset(queryset).iterator(chunk_size=2000):
        yield [getter(beneficiary) for _header, getter in columns]


def to_csv(rows):
    """CSV for French spreadsheets: UTF-8 with a BOM so that Excel reads the accents, and semicolons."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, delimiter=";")
    for row in rows:
        writer.writerow([_safe_cell(str(value)) for value in row])
    return buffer.getvalue().encode("utf-8")


def to_xlsx(rows, title):
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=str(title)[:31])
    for row in rows:
        sheet.append([_safe_cell(str(value)) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _safe_cell(value):
    """A value starting with = + - @ would run as a formula in a spreadsheet (CSV injection): quote it."""
    if value and value[0] in "=+-@\t\r":
        return "'" + value
    return value
