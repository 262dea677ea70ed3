"""Benchmark of the reports at the size of a network (issue "Monthly dashboard, indicator report…", Performance).

Targets, on PostgreSQL on a 2-core machine, with 50 organisations and 5 years of data (about 300 people and 1,400
workshops per organisation per year): one organisation's yearly report page under 300 ms, its PDF under 3 s, the
50-organisation network report under 2 s. Each figure is printed beside a floor measured in the same run, and their
ratio (aim: under 2×):
- the floor of a report page is one hand-written SQL query per indicator (bench/reporting_floor.py), run on a
  cursor: what a careful SQL author would ask of the database for the same figures, with nothing around it. Each
  floor query's headline figure is checked against the report's, so the two do the same work; the network's floor
  adds the per-organisation breakdown, hand-written too;
- the PDF's floor is WeasyPrint alone on the same HTML, saved to a file.

Run with `make bench` or:

    DEBUG=1 DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench .venv/bin/python bench/bench_reporting.py

It works in a throw-away test database (test_<name>) and exits 1 when a target is missed. BENCH_ORGANISATIONS,
BENCH_YEARS and BENCH_PEOPLE_PER_YEAR shrink it for a quick try. BENCH_KEEP=1 keeps the database for the next run
(building it takes most of the time): a kept database of the same size is reused, migrations applied.
"""

import datetime
import os
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "insertion.settings")
os.environ.setdefault("DEBUG", "1")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402

ORGANISATIONS = int(os.environ.get("BENCH_ORGANISATIONS", "50"))
YEARS = int(os.environ.get("BENCH_YEARS", "5"))
PEOPLE_PER_YEAR = int(os.environ.get("BENCH_PEOPLE_PER_YEAR", "300"))
WORKSHOPS_PER_YEAR = int(os.environ.get("BENCH_WORKSHOPS_PER_YEAR", "1400"))
GROUP = 10  # trainees on each register
PAGE_TARGET_MS = 300
PDF_TARGET_S = 3
NETWORK_TARGET_S = 2
LAST_YEAR = datetime.date.today().year - 1
KEEP = os.environ.get("BENCH_KEEP") == "1"


def build(index, coordinator):
    """One organisation: YEARS years of people (entries and exits), workshops with registers, harvests,
    interviews, pathway actions, distributions, partnerships, referrals and funding."""
    from beneficiaries.models import Action, Beneficiary, Enrolment, Interview, Objective
    from gardens.models import Attendance, Harvest, Site, Variety, Workshop
    from insertion.enums import Role
    from insertion.models import ExitOutcome, Neighbourhood, PartnerTheme, Programme, WorkshopKind
    from insertion.services import member_add, organisation_create
    from partners.models import Distribution, DistributionLine, Funding, Partner, Partnership, Referral

    organisation = organisation_create(slug=f"bench-{index}", name=f"Structure {index}")
    member_add(organisation=organisation, email=coordinator, roles=[Role.COORDINATOR], password="bench-pw-2026!")
    programme = Programme.objects.get(organisation=organisation)
    kinds = list(WorkshopKind.objects.filter(organisation=organisation))
    neighbourhoods = list(Neighbourhood.objects.filter(organisation=organisation))
    outcomes = list(ExitOutcome.objects.filter(organisation=organisation))
    themes = list(PartnerTheme.objects.filter(organisation=organisation))
    sites = Site.objects.bulk_create([Site(organisation=organisation, name=f"Site {n}") for n in range(3)])
    varieties = Variety.objects.bulk_create(
        [Variety(organisation=organisation, label=f"Variété {n}", code=f"v{n}", species="Tomate") for n in range(20)]
    )
    partners = Partner.objects.bulk_create(
        [
            Partner(organisation=organisation, name=f"Partenaire {n}", receives_produce=True, funds=n < 4)
            for n in range(12)
        ]
    )
    first_year = LAST_YEAR - YEARS + 1
    people, enrolments = [], []
    for year in range(first_year, LAST_YEAR + 1):
        for n in range(PEOPLE_PER_YEAR):
            people.append(
                Beneficiary(
                    organisation=organisation,
                    first_name=f"P{n}",
                    last_name=f"N{year}{n:03d}",
                    sex="FMX"[n % 3] if n % 7 else "F",
                    birth_date=datetime.date(1960 + n % 45, 1 + n % 12, 1 + n % 28),
                    neighbourhood=neighbourhoods[n % len(neighbourhoods)] if n % 5 else None,
                )
            )
    people = Beneficiary.objects.bulk_create(people, batch_size=5000)
    for number, person in enumerate(people):
        year = first_year + number // PEOPLE_PER_YEAR
        entry = datetime.date(year, 1 + number % 12, 1 + number % 28)
        leaves = number % 3 != 0 or year < LAST_YEAR
        exit_date = entry + datetime.timedelta(days=120 + number % 200) if leaves else None
        enrolments.append(
            Enrolment(
                beneficiary=person,
                programme=programme,
                entry_date=entry,
                exit_date=exit_date,
                exit_outcome=outcomes[number % len(outcomes)] if exit_date else None,
            )
        )
    enrolments = Enrolment.objects.bulk_create(enrolments, batch_size=5000)
    Interview.objects.bulk_create(
        [
            Interview(beneficiary_id=e.beneficiary_id, date=e.entry_date + datetime.timedelta(days=30 * k))
            for e in enrolments
            for k in range(4)
        ],
        batch_size=10000,
    )
    objectives = Objective.objects.bulk_create(
        [Objective(beneficiary_id=e.beneficiary_id, domain="employment", title="Emploi") for e in enrolments[::2]],
        batch_size=5000,
    )
    Action.objects.bulk_create(
        [
            Action(objective=o, title="Démarche", date=datetime.date(first_year + i % YEARS, 6, 1), relaunch="health")
            for i, o in enumerate(objectives)
        ],
        batch_size=5000,
    )
    workshops = []
    for year in range(first_year, LAST_YEAR + 1):
        for n in range(WORKSHOPS_PER_YEAR):
            day = datetime.date(year, 1, 1) + datetime.timedelta(days=n * 365 // WORKSHOPS_PER_YEAR)
            workshops.append(
                Workshop(
                    organisation=organisation,
                    date=day,
                    start_time=datetime.time(8 + 2 * (n % 4)),
                    end_time=datetime.time(10 + 2 * (n % 4)),
                    kind=kinds[n % len(kinds)],
                    site=sites[n % 3],
                    theme=f"Thème {n % 9}",
                    menu=f"Menu {n % 17}",
                )
            )
    workshops = Workshop.objects.bulk_create(workshops, batch_size=5000)
    by_year = {}
    for enrolment in enrolments:
        by_year.setdefault(enrolment.entry_date.year, []).append(enrolment.beneficiary_id)
    attendance = []
    for number, workshop in enumerate(workshops):
        cohort = by_year[workshop.date.year]
        for k in range(GROUP):
            present = (number + k) % 6 != 0
            attendance.append(
                Attendance(
                    workshop_id=workshop.pk,
                    beneficiary_id=cohort[(number * GROUP + k) % len(cohort)],
                    status="present" if present else "absent",
                    hours=Decimal("2") if present else Decimal("0"),
                )
            )
    Attendance.objects.bulk_create(attendance, batch_size=20000, ignore_conflicts=True)
    harvests = [
        Harvest(
            organisation=organisation,
            date=w.date,
            site_id=w.site_id,
            variety=varieties[n % 20],
            quantity=Decimal("12"),
            weight_kg=Decimal("12"),
        )
        for n, w in enumerate(workshops[::3])
    ]
    Harvest.objects.bulk_create(harvests, batch_size=10000)
    distributions = Distribution.objects.bulk_create(
        [
            Distribution(organisation=organisation, date=h.date, site_id=h.site_id, partner=partners[n % 12])
            for n, h in enumerate(harvests[::2])
        ],
        batch_size=10000,
    )
    DistributionLine.objects.bulk_create(
        [
            DistributionLine(distribution=d, variety=h.variety, weight_kg=Decimal("10"))
            for d, h in zip(distributions, harvests[::2], strict=True)
        ],
        batch_size=10000,
    )
    Partnership.objects.bulk_create(
        [
            Partnership(
                organisation=organisation,
                partner=partners[n % 12],
                title=f"Convention {n}",
                theme=themes[n % len(themes)],
                start_date=datetime.date(first_year + n % YEARS, 1 + n % 12, 1),
            )
            for n in range(5 * YEARS)
        ]
    )
    Referral.objects.bulk_create(
        [
            Referral(beneficiary_id=e.beneficiary_id, partner=partners[n % 12], date=e.entry_date, reason="Bilan")
            for n, e in enumerate(enrolments[::3])
        ],
        batch_size=5000,
    )
    Funding.objects.bulk_create(
        [
            Funding(organisation=organisation, year=year, funder=partners[k], amount=Decimal(20000 + 1000 * k))
            for year in range(first_year, LAST_YEAR + 1)
            for k in range(4)
        ]
    )
    return organisation, len(attendance)


def kept():
    """The organisations of a database kept by an earlier run with BENCH_KEEP=1, when it has this run's size."""
    from insertion.models import Organisation

    if not KEEP:
        return []
    found = list(Organisation.objects.filter(slug__startswith="bench-").order_by("pk"))
    if len(found) != ORGANISATIONS:
        if found:
            sys.exit("The kept bench database has another size: drop it (dropdb test_bench) or leave BENCH_KEEP out.")
        return []
    return found


def median_seconds(action, repeats):
    action()  # warm up
    samples = []
    for _ in range(repeats):
        begin = time.perf_counter()
        action()
        samples.append(time.perf_counter() - begin)
    return statistics.median(samples)


def get(client, url):
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response


def floor_params(scope):
    from beneficiaries.models import one_month_before
    from reporting.indicators import years_before

    return {
        "orgs": scope.organisation_ids,
        "start": scope.start,
        "end": scope.end,
        "start_year": scope.start.year,
        "end_year": scope.end.year,
        "born_26": years_before(scope.end, 26),
        "born_45": years_before(scope.end, 45),
        "born_55": years_before(scope.end, 55),
        "month_before_end": one_month_before(scope.end),
    }


def headline(value):
    """A figure as the report's JSON gives it, for comparison: a plain string of its number."""
    if value is None:
        return "0"
    if isinstance(value, float | Decimal):
        value = Decimal(value).normalize()
        return f"{value:f}"
    return str(value)


def sql_floor(scope, repeats, breakdown=False):
    """The hand-written queries of the scope's indicators (and of the network breakdown), timed together; each
    indicator's floor figure is checked against the report's. Returns (seconds, number of queries)."""
    from reporting_floor import BREAKDOWN_FLOOR, FLOOR

    from reporting.indicators import REGISTRY, compute

    params = floor_params(scope)
    statements = list(FLOOR.values()) + (list(BREAKDOWN_FLOOR.values()) if breakdown else [])
    results = compute(scope)
    missing = set(REGISTRY) - set(FLOOR)
    if missing:
        sys.exit(f"No hand-written floor for {sorted(missing)}: add one to bench/reporting_floor.py.")
    with connection.cursor() as cursor:
        for code, sql in FLOOR.items():
            cursor.execute(sql, params)
            rows = cursor.fetchall()
            floor = headline(rows[0][0] if rows else 0)
            report = results[code].value
            if REGISTRY[code].unit in ("hours", "kg", "euros"):
                report = Decimal(report)
            if headline(report) != floor:
                sys.exit(f"{code}: the report says {headline(report)}, the hand-written query {floor}.")

    def replay():
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql, params)
                cursor.fetchall()

    return median_seconds(replay, repeats), len(statements)


def pdf_floor(html_text, repeats):
    from weasyprint import HTML

    from insertion.pdf import StaticFilesFetcher

    with tempfile.NamedTemporaryFile("w", suffix=".html", delete=False, encoding="utf-8") as file:
        file.write(html_text)
        path = file.name
    try:
        return median_seconds(lambda: HTML(filename=path, url_fetcher=StaticFilesFetcher()).write_pdf(), repeats)
    finally:
        os.unlink(path)


def line(label, seconds, floor, target):
    ratio = seconds / floor if floor else float("inf")
    verdict = "ok" if seconds < target else "MISSED"
    print(
        f"{label}: {seconds * 1000:.0f} ms (target < {target * 1000:.0f} ms, {verdict}); floor {floor * 1000:.0f} ms;"
        f" ratio {ratio:.1f}×"
    )
    return seconds < target


def main():
    from reporting.indicators import Scope
    from reporting.report import build_report, report_pdf_html

    setup_test_environment()
    settings.ALLOWED_HOSTS = ["testserver"]
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=not KEEP, keepdb=KEEP)
    met = []
    try:
        begin = time.perf_counter()
        coordinator = "coordination@example.org"
        organisations, rows = kept(), 0
        if organisations:
            from gardens.models import Attendance

            rows = Attendance.objects.count()
        else:
            for index in range(ORGANISATIONS):
                organisation, attendance = build(index, coordinator)
                organisations.append(organisation)
                rows += attendance
        with connection.cursor() as cursor:
            # What autovacuum does on a live database: statistics for the planner, the visibility map for
            # index-only scans.
            cursor.execute("VACUUM ANALYZE")
        print(
            f"Database: {connection.vendor}; {ORGANISATIONS} organisations × {YEARS} years, "
            f"{rows} attendance rows (built in {time.perf_counter() - begin:.0f} s)"
        )
        from insertion.models import User

        client = Client()
        client.force_login(User.objects.get(email=coordinator))
        session = client.session
        session["organisation_id"] = organisations[0].pk
        session.save()
        period = f"period=custom&start=01/01/{LAST_YEAR}&end=31/12/{LAST_YEAR}"
        page = f"{reverse('reporting:report')}?{period}"
        seconds = median_seconds(lambda: get(client, page), 7)
        with CaptureQueriesContext(connection) as captured:
            get(client, page)
        scope = Scope((organisations[0],), datetime.date(LAST_YEAR, 1, 1), datetime.date(LAST_YEAR, 12, 31))
        floor, queries = sql_floor(scope, 7)
        print(f"(the yearly report page runs {len(captured)} queries; its floor {queries})")
        met.append(line("Yearly report page, one organisation", seconds, floor, PAGE_TARGET_MS / 1000))

        pdf = f"{reverse('reporting:report_pdf')}?{period}"
        seconds = median_seconds(lambda: get(client, pdf), 3)
        floor = pdf_floor(report_pdf_html(build_report(scope)), 3)
        met.append(line("Yearly report PDF, one organisation", seconds, floor, PDF_TARGET_S))

        network = f"{reverse('reporting:network_report')}?{period}"
        seconds = median_seconds(lambda: get(client, network), 3)
        with CaptureQueriesContext(connection) as captured:
            get(client, network)
        network_scope = Scope(organisations, datetime.date(LAST_YEAR, 1, 1), datetime.date(LAST_YEAR, 12, 31))
        floor, queries = sql_floor(network_scope, 3, breakdown=True)
        print(f"(the network report runs {len(captured)} queries; its floor {queries})")
        met.append(line(f"Network report, {ORGANISATIONS} organisations", seconds, floor, NETWORK_TARGET_S))
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0, keepdb=KEEP)
    if all(met):
        print("All targets met.")
        return 0
    print("Targets missed.")
    return 1


if __name__ == "__main__":
    sys.exit(main())
