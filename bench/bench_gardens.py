"""Benchmark of the gardens at the size of a network of structures (issue "Gardens", Performance).

Targets, on PostgreSQL on a 2-core machine, with a year of attendance for 50 organisations (about 1.4 million
rows): the trainer's home and the register answer in under 150 ms; the monthly attendance sheet PDF for 25
trainees renders in under 2 s. Run with `make bench` or:

    DEBUG=1 DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/bench_gardens.py

It works in a throw-away test database (test_<name>), prints the timings, and exits 1 when a target is missed.
BENCH_ORGANISATIONS and BENCH_ROWS_PER_ORGANISATION shrink it for a quick try.
"""

import datetime
import os
import statistics
import sys
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
from django.test.utils import setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

ORGANISATIONS = int(os.environ.get("BENCH_ORGANISATIONS", "50"))
ROWS_PER_ORGANISATION = int(os.environ.get("BENCH_ROWS_PER_ORGANISATION", "28000"))
TRAINEES = 25  # a group: the people enrolled in each organisation, all on every register
PAGE_TARGET_MS = 150
SHEET_TARGET_S = 2


def build(index, today):
    """One organisation: its trainer, 25 enrolled trainees, a year of workshops on three sites and attendance."""
    from beneficiaries.models import Beneficiary, Enrolment
    from gardens.models import Attendance, Site, Workshop
    from insertion.enums import Role
    from insertion.models import Programme, WorkshopKind
    from insertion.services import member_add, organisation_create

    organisation = organisation_create(slug=f"bench-{index}", name=f"Structure {index}")
    trainer = member_add(
        organisation=organisation, email=f"trainer{index}@example.org", roles=[Role.TRAINER], password="bench-pw-2026!"
    ).user
    programme = Programme.objects.get(organisation=organisation)
    kind = WorkshopKind.objects.get(organisation=organisation, code="market-gardening")
    sites = Site.objects.bulk_create([Site(organisation=organisation, name=f"Site {n}") for n in range(3)])
    start = today - datetime.timedelta(days=365)
    people = Beneficiary.objects.bulk_create(
        [
            Beneficiary(
                organisation=organisation,
                first_name=f"Prénom{n}",
                last_name=f"Nom{n:03d}",
                sex="F" if n % 3 else "M",
                birth_date=datetime.date(1970 + n % 30, 1 + n % 12, 1 + n % 28),
            )
            for n in range(TRAINEES)
        ]
    )
    Enrolment.objects.bulk_create([Enrolment(beneficiary=b, programme=programme, entry_date=start) for b in people])
    per_workshop = 25
    workshop_count = max(ROWS_PER_ORGANISATION // per_workshop, 1)
    days = [
        start + datetime.timedelta(days=d) for d in range(366) if (start + datetime.timedelta(days=d)).weekday() < 4
    ]
    slots = [
        (datetime.time(8), datetime.time(10)),
        (datetime.time(10), datetime.time(12)),
        (datetime.time(14), datetime.time(16)),
    ]
    workshops = Workshop.objects.bulk_create(
        [
            Workshop(
                organisation=organisation,
                date=days[n % len(days)],
                start_time=slots[(n // len(days)) % 3][0],
                end_time=slots[(n // len(days)) % 3][1],
                kind=kind,
                site=sites[n % 3],
            )
            for n in range(workshop_count)
        ],
        batch_size=2000,
    )
    Workshop.trainers.through.objects.bulk_create(
        [Workshop.trainers.through(workshop_id=w.pk, user_id=trainer.pk) for w in workshops], batch_size=5000
    )
    rows = []
    for number, workshop in enumerate(workshops):
        if workshop.date >= today:
            continue
        for offset in range(per_workshop):
            person = people[offset]
            present = (number + offset) % 5 != 0
            rows.append(
                Attendance(
                    workshop=workshop,
                    beneficiary=person,
                    status="present" if present else "absent",
                    hours=Decimal("2") if present else Decimal("0"),
                )
            )
    Attendance.objects.bulk_create(rows, batch_size=10000)
    today_workshop = Workshop.objects.create(
        organisation=organisation, date=today, start_time=slots[0][0], end_time=slots[0][1], kind=kind, site=sites[0]
    )
    today_workshop.trainers.add(trainer)
    return organisation, trainer, today_workshop, sites[0], len(rows)


def median_ms(client, url, method="get", data=None, repeats=15):
    call = client.post if method == "post" else client.get
    call(url, data) if data else call(url)
    samples = []
    for _ in range(repeats):
        start = time.perf_counter()
        response = call(url, data) if data else call(url)
        samples.append((time.perf_counter() - start) * 1000)
        assert response.status_code in (200, 302), response.status_code
    return statistics.median(samples)


def main():
    setup_test_environment()
    settings.ALLOWED_HOSTS = ["testserver"]
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    results = {}
    try:
        today = timezone.localdate()
        start = time.perf_counter()
        total_rows = 0
        for index in range(ORGANISATIONS):
            built = build(index, today)
            total_rows += built[4]
            if index == 0:
                organisation, trainer, workshop, site, _rows = built
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("ANALYZE")
        print(
            f"Database: {connection.vendor}; {ORGANISATIONS} organisations, {total_rows} attendance rows "
            f"(built in {time.perf_counter() - start:.0f} s)"
        )
        client = Client()
        client.force_login(trainer)
        results["trainer's home"] = median_ms(client, reverse("gardens:home"))
        register = reverse("gardens:register", args=[workshop.pk])
        results["register (25 trainees)"] = median_ms(client, register)
        form = client.get(register).context["form"]
        data = {f"status-{t.pk}": "present" for t, _s, _h in form.lines()}
        data |= {f"hours-{t.pk}": "2" for t, _s, _h in form.lines()}
        results["register saved (25 trainees)"] = median_ms(client, register, "post", data)
        for label, value in results.items():
            print(f"{label}: median {value:.0f} ms (target < {PAGE_TARGET_MS} ms)")
        sheet = reverse("gardens:attendance_sheet", args=[site.pk, today.year, today.month])
        client.get(sheet)
        samples = []
        for _ in range(3):
            begin = time.perf_counter()
            response = client.get(sheet)
            samples.append(time.perf_counter() - begin)
            assert response.status_code == 200
        sheet_seconds = statistics.median(samples)
        print(f"Monthly attendance sheet PDF: median {sheet_seconds:.2f} s (target < {SHEET_TARGET_S} s)")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    missed = [label for label, value in results.items() if value >= PAGE_TARGET_MS]
    if sheet_seconds >= SHEET_TARGET_S:
        missed.append("attendance sheet")
    if missed:
        print(f"Targets missed: {', '.join(missed)}")
        return 1
    print("All targets met.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
