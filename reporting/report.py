"""The indicator report of a scope: every indicator's figures, section by section, as a page, a PDF, CSV, XLSX and
JSON.

The report page, its downloads, `manage.py report` and the committees' frozen reports all start from
`build_report(scope)`, so that they show the same figures: those of `reporting.indicators.compute(scope)`, one
aggregate query per indicator whatever the volume. A report holds aggregates only, never a person's name.
"""

import csv
import datetime
import io
import zoneinfo
from dataclasses import dataclass
from decimal import Decimal

from django.template.loader import render_to_string
from django.utils import formats, timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Font

from insertion.charts import bar_chart
from insertion.pdf import pdf_bytes
from reporting.indicators import by_section, compute

NO_VALUE = "—"
# What follows a figure, by the indicator's unit ("people", "workshops" and "count" need no word after a number
# in a table whose heading already says it).
UNIT_SUFFIXES = {"kg": "kg", "hours": "h", "euros": "€", "percent": "%"}
UNIT_HEADERS = {
    "people": gettext_lazy("People"),
    "kg": gettext_lazy("Kilograms"),
    "hours": gettext_lazy("Hours"),
    "workshops": gettext_lazy("Workshops"),
    "euros": gettext_lazy("Euros"),
    "count": gettext_lazy("Number"),
    "percent": gettext_lazy("Percent"),
}
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Item:
    """One indicator of the report with its result."""

    indicator: object  # reporting.indicators.Indicator
    result: object  # reporting.indicators.Result

    @property
    def code(self):
        return self.indicator.code

    @property
    def is_table(self):
        return self.indicator.table

    @property
    def headline(self):
        """The figure that sums the indicator up: for a table whose rows overlap, the people the shares are of."""
        if self.indicator.overlapping and self.result.base is not None:
            return self.result.base
        return self.result.value


@dataclass(frozen=True)
class ReportSection:
    key: str
    label: str
    items: tuple


@dataclass(frozen=True)
class Report:
    scope: object  # reporting.indicators.Scope
    title: str
    period_label: str
    scope_label: str  # which part of the organisations: all, one site, one programme
    results: dict  # {code: Result}, in the registry's order
    sections: tuple  # (ReportSection…), the sections without indicators left out
    generated_at: datetime.datetime  # aware

    @property
    def items(self):
        return [item for section in self.sections for item in section.items]

    @property
    def tables(self):
        return [item for item in self.items if item.is_table]

    def item(self, code):
        """The Item of `code`; KeyError for a code that is not in the report."""
        for item in self.items:
            if item.code == code:
                return item
        raise KeyError(code)

    @property
    def organisation_names(self):
        return ", ".join(organisation.name for organisation in self.scope.organisations)

    @property
    def generated_local(self):
        """The generation time on the clock of the (first) organisation, as its people read it."""
        zone = zoneinfo.ZoneInfo(self.scope.organisations[0].time_zone) if self.scope.organisations else None
        return timezone.localtime(self.generated_at, zone)

    def filename(self, extension, suffix=""):
        """An ASCII name to file the download under: rapport-jardins-2025-01-01-2025-12-31.pdf."""
        who = "-".join(slugify(organisation.slug) for organisation in self.scope.organisations[:3]) or "rapport"
        if len(self.scope.organisations) > 3:
            who += "-reseau"
        name = f"rapport-{who}-{self.scope.start:%Y-%m-%d}-{self.scope.end:%Y-%m-%d}"
        if suffix:
            name += f"-{slugify(suffix)}"
        return f"{name}.{extension}"


def period_label(start, end):
    """How people name the period: "2025", "Q1 2025", "March 2025", or "From 01/02/2025 to 15/03/2025"."""
    if start.day == 1 and (end + datetime.timedelta(days=1)).day == 1:
        months = (end.year - start.year) * 12 + end.month - start.month + 1
        if months == 12 and start.month == 1:
            return str(start.year)
        if months == 3 and start.month in (1, 4, 7, 10):
            return _("Q%(quarter)s %(year)s") % {"quarter": (start.month - 1) // 3 + 1, "year": start.year}
        if months == 1:
            return formats.date_format(start, "YEAR_MONTH_FORMAT").capitalize()
    return _("From %(start)s to %(end)s") % {"start": f"{start:%d/%m/%Y}", "end": f"{end:%d/%m/%Y}"}


def scope_label(scope):
    parts = []
    if scope.site is not None:
        parts.append(_("site %(site)s") % {"site": scope.site.name})
    if scope.programme is not None:
        parts.append(_("programme %(programme)s") % {"programme": scope.programme.label})
    if not parts:
        return _("All sites and programmes")
    text = ", ".join(parts)
    return text[0].upper() + text[1:]


def build_report(scope):
    """The report of `scope`: one query per indicator, run here; everything after works on the results."""
    results = compute(scope)
    sections = tuple(
        ReportSection(key, str(label), tuple(Item(indicator, results[indicator.code]) for indicator in indicators))
        for key, label, indicators in by_section()
        if indicators
    )
    organisation_names = ", ".join(organisation.name for organisation in scope.organisations)
    return Report(
        scope=scope,
        title=_("Indicator report: %(organisations)s") % {"organisations": organisation_names},
        period_label=period_label(scope.start, scope.end),
        scope_label=scope_label(scope),
        results=results,
        sections=sections,
        generated_at=timezone.now(),
    )


# Figures as people read them.


def number_text(value, *, grouping=True):
    """A figure in the language's way: 1 234,5 in French; whole numbers without decimals, at most two."""
    if value is None:
        return NO_VALUE
    if isinstance(value, Decimal | float):
        value = Decimal(str(value)).quantize(Decimal("0.01"))
        value = value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()
    return formats.number_format(value, use_l10n=True, force_grouping=grouping)


def share_text(share):
    return NO_VALUE if share is None else f"{formats.number_format(share, 1, use_l10n=True)}\N{NO-BREAK SPACE}%"


def figure_text(value, unit):
    text = number_text(value)
    suffix = UNIT_SUFFIXES.get(unit)
    return f"{text}\N{NO-BREAK SPACE}{suffix}" if suffix and value is not None else text


# The page and the PDF share this context: the same words, figures and charts in both.


def item_context(item):
    indicator, result = item.indicator, item.result
    unit = indicator.unit
    context = {
        "code": indicator.code,
        "label": str(indicator.label),
        "description": str(indicator.description),
        "is_table": indicator.table,
        "value_header": str(UNIT_HEADERS.get(unit, _("Value"))),
        "headline": figure_text(item.headline, unit),
        "base": None,
        "rows": [],
        "total": None,
        "note": "",
        "chart": None,
    }
    if not indicator.table:
        if result.base is not None:
            context["base"] = number_text(result.base)
        return context
    context["rows"] = [
        {"label": str(row.label), "value": figure_text(row.value, unit), "share": share_text(row.share)}
        for row in result.rows
    ]
    if indicator.overlapping:
        context["note"] = _(
            "A person may count on several rows: each share is of the %(base)s people reached, and the shares do "
            "not add up to 100 %%."
        ) % {"base": number_text(result.base)}
    elif result.rows:
        context["total"] = {"value": figure_text(result.value, unit), "share": share_text(Decimal("100.0"))}
    context["chart"] = table_chart(item)
    return context


def table_chart(item):
    """The bars of a table (None when a value cannot be drawn as a bar)."""
    rows = item.result.rows
    if any(row.value is None or row.value < 0 for row in rows):
        return None
    unit = item.indicator.unit
    return bar_chart(
        item.indicator.label,
        [str(row.label) for row in rows],
        [row.value for row in rows],
        UNIT_SUFFIXES.get(unit, ""),
        label_header=_("Label"),
        value_header=UNIT_HEADERS.get(unit, _("Value")),
        empty_text=_("Nothing recorded in the period."),
    )


def report_context(report):
    """What the page and the PDF lay out: the report, its sections with their items, ready to show."""
    return {
        "report": report,
        "period_start": report.scope.start,
        "period_end": report.scope.end,
        "generated_at": report.generated_local,
        "sections": [
            {"key": section.key, "label": section.label, "items": [item_context(item) for item in section.items]}
            for section in report.sections
        ],
    }


# The downloads.


def report_json(report):
    """Every indicator by code, with its label, unit, value and rows with their shares, and what the report covers.

    Decimals are strings (nothing lost to a float); the committees store this as the frozen figures."""
    scope = report.scope
    indicators = {}
    for item in report.items:
        indicator = item.indicator
        data = {
            "label": str(indicator.label),
            "section": indicator.section,
            "unit": indicator.unit,
            "table": indicator.table,
            "overlapping": indicator.overlapping,
            **item.result.as_dict(),
        }
        if indicator.table:
            data.setdefault("rows", [])
        indicators[indicator.code] = data
    return {
        "title": str(report.title),
        "organisations": [
            {"slug": organisation.slug, "name": organisation.name} for organisation in scope.organisations
        ],
        "period": {"start": scope.start.isoformat(), "end": scope.end.isoformat(), "label": str(report.period_label)},
        "site": {"id": scope.site.pk, "name": scope.site.name} if scope.site is not None else None,
        "programme": (
            {"code": scope.programme.code, "label": scope.programme.label} if scope.programme is not None else None
        ),
        "scope": str(report.scope_label),
        "generated_at": report.generated_at.isoformat(),
        "indicators": indicators,
    }


def _safe_cell(value):
    """A text starting with = + - @ would run as a formula in a spreadsheet (CSV injection): quote it."""
    if isinstance(value, str) and value and value[0] in "=+-@\t\r":
        return "'" + value
    return value


def report_csv(report, code):
    """One table of the report, for French spreadsheets: label, value, share; semicolons, UTF-8 with a BOM.

    KeyError for a code that is not a table of the report."""
    item = report.item(code)
    if not item.is_table:
        raise KeyError(code)
    unit = item.indicator.unit
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow([_("Label"), str(UNIT_HEADERS.get(unit, _("Value"))), _("Share (%)")])
    for row in item.result.rows:
        share = "" if row.share is None else formats.number_format(row.share, 1, use_l10n=True)
        writer.writerow([_safe_cell(str(row.label)), number_text(row.value, grouping=False), share])
    if not item.indicator.overlapping and item.result.rows:
        writer.writerow([_("Total"), number_text(item.result.value, grouping=False), number_text(Decimal("100.0"))])
    return buffer.getvalue()


def xlsx_sheet_names(codes):
    """Excel's sheet names: at most 31 characters, unique."""
    names, taken = {}, set()
    for code in codes:
        name, number = code[:31], 2
        while name.lower() in taken:
            suffix = f"~{number}"
            name, number = code[: 31 - len(suffix)] + suffix, number + 1
        taken.add(name.lower())
        names[code] = name
    return names


def _xlsx_number(value):
    return float(value) if isinstance(value, Decimal) else value


def report_xlsx(report):
    """A workbook: a summary sheet (what the report covers, every headline figure), then one sheet per table."""
    bold = Font(bold=True)
    workbook = Workbook()
    summary = workbook.active
    summary.title = _("Summary")[:31]
    scope = report.scope
    summary.append([str(report.title)])
    summary["A1"].font = Font(bold=True, size=14)
    for label, value in [
        (_("Organisations"), report.organisation_names),
        (_("Period"), f"{report.period_label} ({scope.start:%d/%m/%Y} – {scope.end:%d/%m/%Y})"),
        (_("Scope"), report.scope_label),
        (_("Generated on"), f"{report.generated_local:%d/%m/%Y %H:%M}"),
    ]:
        summary.append([label, _safe_cell(str(value))])
    summary.append([])
    summary.append([_("Section"), _("Indicator"), _("Value"), _("Unit"), _("Code")])
    for cell in summary[summary.max_row]:
        cell.font = bold
    for section in report.sections:
        for item in section.items:
            unit = item.indicator.unit
            summary.append(
                [
                    section.label,
                    str(item.indicator.label),
                    _xlsx_number(item.headline),
                    str(UNIT_HEADERS.get(unit, unit)),
                    item.code,
                ]
            )
    summary.column_dimensions["A"].width = 30
    summary.column_dimensions["B"].width = 55
    summary.column_dimensions["C"].width = 14

    names = xlsx_sheet_names([item.code for item in report.tables])
    for item in report.tables:
        sheet = workbook.create_sheet(names[item.code])
        unit = item.indicator.unit
        sheet.append([str(item.indicator.label)])
        sheet["A1"].font = Font(bold=True, size=12)
        sheet.append([_("Label"), str(UNIT_HEADERS.get(unit, _("Value"))), _("Share (%)")])
        for cell in sheet[2]:
            cell.font = bold
        for row in item.result.rows:
            sheet.append([_safe_cell(str(row.label)), _xlsx_number(row.value), _xlsx_number(row.share)])
        if not item.indicator.overlapping and item.result.rows:
            sheet.append([_("Total"), _xlsx_number(item.result.value), 100.0])
            for cell in sheet[sheet.max_row]:
                cell.font = bold
        elif item.indicator.overlapping:
            sheet.append([_("People reached (the shares are of them)"), _xlsx_number(item.result.base), None])
        sheet.column_dimensions["A"].width = 45
        sheet.column_dimensions["B"].width = 14
        sheet.column_dimensions["C"].width = 12
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def report_pdf_html(report):
    """The HTML WeasyPrint turns into the PDF: a cover, a table of contents, the sections with tables and charts."""
    return render_to_string("reporting/pdf/report.html", report_context(report))


def report_pdf(report, request=None):
    """The report as PDF bytes (a request is optional: the command line and the frozen reports have none)."""
    if request is None:
        return pdf_bytes(report_pdf_html(report))
    return pdf_bytes(report_pdf_html(report), request.build_absolute_uri("/"))
