"""`manage.py report`: the indicator report of an organisation for any days, as a file (the same as the page's
downloads), for scripts and for sending to funders without a browser."""

import datetime
import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from gardens.models import Site
from insertion.models import Organisation, Programme
from reporting.indicators import REGISTRY, Scope, by_section
from reporting.report import build_report, report_csv, report_json, report_pdf, report_xlsx

FORMATS = ("json", "csv", "xlsx", "pdf")


def _day(value, option):
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"{option} {value!r} is not a date: write it YYYY-MM-DD, for example 2025-12-31.") from None


class Command(BaseCommand):
    help = (
        "Write the indicator report of an organisation for the days from --from to --to (both included) as JSON, "
        "CSV (one table, --table), XLSX or PDF."
    )

    def add_arguments(self, parser):
        parser.add_argument("--organisation", required=True, help="The organisation's short name (slug).")
        parser.add_argument("--from", required=True, dest="start", help="The first day, YYYY-MM-DD.")
        parser.add_argument("--to", required=True, dest="end", help="The last day, YYYY-MM-DD (included).")
        parser.add_argument("--format", required=True, dest="fmt", help=f"One of {', '.join(FORMATS)}.")
        parser.add_argument("--output", required=True, help="The file to write.")
        parser.add_argument("--site", type=int, help="Only this site (its number).")
        parser.add_argument("--programme", help="Only this programme (its code).")
        parser.add_argument("--table", help="For --format csv: the code of the table to write.")

    def handle(self, *args, organisation, start, end, fmt, output, site, programme, table, **options):
        if fmt not in FORMATS:
            raise CommandError(f"Unknown format {fmt!r}: choose one of {', '.join(FORMATS)}.")
        organisation_slug = organisation
        organisation = Organisation.objects.filter(slug=organisation_slug).first()
        if organisation is None:
            raise CommandError(f"No organisation has the short name {organisation_slug!r}.")
        start, end = _day(start, "--from"), _day(end, "--to")
        if end < start:
            raise CommandError(f"The end of the period ({end:%Y-%m-%d}) comes before its start ({start:%Y-%m-%d}).")
        chosen_site = chosen_programme = None
        if site is not None:
            chosen_site = Site.objects.filter(organisation=organisation, pk=site).first()
            if chosen_site is None:
                raise CommandError(f"{organisation.name} has no site number {site}.")
        if programme:
            chosen_programme = Programme.objects.filter(organisation=organisation, code=programme).first()
            if chosen_programme is None:
                raise CommandError(f"{organisation.name} has no programme with the code {programme!r}.")
        if fmt == "csv":
            tables = [indicator.code for _key, _label, group in by_section() for indicator in group if indicator.table]
            if not table:
                raise CommandError(f"--format csv writes one table: add --table, one of {', '.join(tables)}.")
            if table not in tables:
                raise CommandError(f"No table has the code {table!r}: choose one of {', '.join(tables)}.")
        elif table:
            raise CommandError("--table only goes with --format csv.")

        report = build_report(Scope((organisation,), start, end, site=chosen_site, programme=chosen_programme))
        if fmt == "json":
            content = json.dumps(report_json(report), ensure_ascii=False, indent=2).encode()
        elif fmt == "csv":
            content = report_csv(report, table).encode("utf-8")
        elif fmt == "xlsx":
            content = report_xlsx(report)
        else:
            content = report_pdf(report)

        path = Path(output)
        try:
            path.write_bytes(content)
        except OSError as error:
            raise CommandError(f"Cannot write {output}: {error.strerror}.") from None
        self.stdout.write(f"{report.title}, {report.period_label}: {len(REGISTRY)} indicators written to {path}.")
