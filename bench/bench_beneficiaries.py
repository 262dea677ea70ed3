"""Benchmark of the beneficiaries app at the size of a large structure (issue "Beneficiaries", Performance).

Targets, on PostgreSQL on a 2-core machine: the list answers in under 200 ms with 10,000 beneficiaries, and
importing 10,000 rows takes under 20 s. Run with `make bench` (PostgreSQL on 127.0.0.1 by default) or:

    DEBUG=1 DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/bench_beneficiaries.py

It works in a throw-away test database (test_<name>), prints the timings, and exits 1 when a target is missed.
"""

import datetime
import io
import os
import random
import statistics
import sys
import time
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

SIZE = int(os.environ.get("BENCH_SIZE", "10000"))
LIST_TARGET_MS = 200
IMPORT_TARGET_S = 20


def build_organisation():
    from insertion.enums import Role
    from insertion.services import member_add, organisation_create

    organisation = organisation_create(slug="bench", name="Bench")
    membership = member_add(
        organisation=organisation,
        email="bench@example.org",
        roles=[Role.SOCIAL_WORKER],
        password="bench-password-2026",
    )
    return organisation, membership.user


def populate(organisation, user, size):
    from beneficiaries.models import Beneficiary, Enrolment, Interview
    from insertion.models import Neighbourhood, Programme

    rng = random.Random(10_000)
    neighbourhoods = list(Neighbourhood.objects.filter(organisation=organisation))
    programme = Programme.objects.get(organisation=organisation)
    people = Beneficiary.objects.bulk_create(
        [
            Beneficiary(
                organisation=organisation,
                first_name=f"Prénom{i}",
                last_name=f"Nom{i:05d}",
                sex=rng.choice("FM"),
                birth_date=datetime.date(1960 + i % 40, 1 + i % 12, 1 + i % 28),
                neighbourhood=rng.choice(neighbourhoods),
                referent=user,
            )
            for i in range(size)
        ],
        batch_size=2000,
    )
    Enrolment.objects.bulk_create(
        [Enrolment(beneficiary=b, programme=programme, entry_date=datetime.date(2026, 1, 5)) for b in people],
        batch_size=2000,
    )
    Interview.objects.bulk_create(
        [
            Interview(beneficiary=b, date=datetime.date(2026, 1 + month, 10), author=user, summary="Point mensuel")
            for b in people
            for month in range(3)
        ],
        batch_size=5000,
    )


def time_list(client, repeats=15):
    url = reverse("beneficiaries:list")
    timings = {}
    for label, params in [("first page", {}), ("search", {"q": "Nom0999"}), ("overdue filter", {"overdue": "on"})]:
        client.get(url, params)  # warm-up
        samples = []
        for _ in range(repeats):
            start = time.perf_counter()
            response = client.get(url, params)
            samples.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, response.status_code
        timings[label] = statistics.median(samples)
    return timings


def sample_csv(size):
    from insertion.defaults import NEIGHBOURHOODS

    rng = random.Random(20_000)
    lines = ["nom;prenom;sexe;date_naissance;quartier;niveau_formation;situations;orienteur;programme;date_entree"]
    for i in range(size):
        lines.append(
            f"Import{i:05d};Personne{i};{rng.choice('FMX')};{1 + i % 28:02d}/{1 + i % 12:02d}/{1960 + i % 40};"
            f"{rng.choice(NEIGHBOURHOODS)[1]};CAP, BEP (ou niveau 2nde/1ère);Allocataire du RSA;France Travail;"
            f"Atelier maraîchage;05/01/2026"
        )
    return "\n".join(lines).encode("utf-8")


def time_import(organisation, user, size):
    from beneficiaries.importing import import_apply, import_parse

    data = sample_csv(size)
    start = time.perf_counter()
    result = import_parse(organisation=organisation, file=io.BytesIO(data), filename="bench.csv")
    parsed = time.perf_counter() - start
    assert not result.errors, result.errors[:5]
    created = import_apply(organisation=organisation, result=result, user=user)
    total = time.perf_counter() - start
    assert created == size, created
    return parsed, total


def main():
    setup_test_environment()
    settings.ALLOWED_HOSTS = ["testserver"]
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        print(f"Database: {connection.vendor}, {SIZE} beneficiaries")
        organisation, user = build_organisation()
        start = time.perf_counter()
        populate(organisation, user, SIZE)
        print(f"Populated in {time.perf_counter() - start:.1f} s")
        client = Client()
        client.force_login(user)
        list_timings = time_list(client)
        for label, value in list_timings.items():
            print(f"List ({label}): median {value:.0f} ms (target < {LIST_TARGET_MS} ms)")
        parsed, total = time_import(organisation, user, SIZE)
        print(
            f"Import of {SIZE} rows: checked in {parsed:.1f} s, imported in {total:.1f} s "
            f"(target < {IMPORT_TARGET_S} s)"
        )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    missed = [label for label, value in list_timings.items() if value >= LIST_TARGET_MS]
    if total >= IMPORT_TARGET_S:
        missed.append("import")
    if missed:
        print(f"Targets missed: {', '.join(missed)}")
        return 1
    print("All targets met.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
