"""The trainer and the coordinator click through the whole demo organisation: no value restricted to social
workers appears on any page they reach.

The values looked for are read from the database for every beneficiary of the demo, field by field, from the
categories insertion.inventory marks as readable by social workers only (the same function as
tests/beneficiaries/test_privacy.py): a new restricted field is checked here without anyone remembering to.
"""

import html
import re
from collections import Counter
from urllib.parse import urljoin, urlsplit

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db.models import CharField, TextField
from django.urls import reverse

from beneficiaries.models import Beneficiary
from insertion import inventory
from insertion.enums import Role
from insertion.models import User
from partners.models import Partner, Referral
from reporting import indicators
from tests.beneficiaries.test_privacy import restricted_values
from tests.utils import read_response

LINK = re.compile(r'href="([^"#]+)')
SKIP = ("/static/", "/compte/deconnexion/", "/admin/")
PER_SHAPE = 4  # instances of each URL shape (/beneficiaires/N/, /ateliers/N/presences/…): several, not all
MAX_PAGES = 250


def crawl(client, start):
    """Breadth-first over same-site GET links: every URL shape, up to PER_SHAPE instances of each.

    Returns [(url, status, text)]; downloads are decoded as text too, for an export is a page like another.
    """
    per_shape, queue, seen, pages = Counter(), [start], {start}, []
    while queue and len(pages) < MAX_PAGES:
        url = queue.pop(0)
        shape = re.sub(r"\d+", "N", urlsplit(url).path)
        if per_shape[shape] >= PER_SHAPE:
            continue
        per_shape[shape] += 1
        response = client.get(url)
        body = read_response(response)
        text = body.decode("utf-8-sig", errors="replace")
        pages.append((url, response.status_code, text))
        if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
            continue
        for href in LINK.findall(text):
            target = urlsplit(urljoin(url, html.unescape(href)))
            if target.netloc not in ("", "testserver") or target.path.startswith(SKIP):
                continue
            link = target.path + (f"?{target.query}" if target.query else "")
            if link not in seen:
                seen.add(link)
                queue.append(link)
    return pages


def _readable_by(role):
    """Every text the role may legitimately read in the demo, longest first.

    - the values of the personal fields the inventory lets the role read (a referring partner, an interview
      summary for the coordinator…);
    - the texts of the records that are not about people (the organisation, its sites, workshops, varieties…).

    Some of them contain, or equal, a restricted value, without anything leaking: the demo's exit interview summary
    (readable by coordinators) repeats the exit comment (restricted); "CPAM" is a referring partner (readable) and
    an action's partner (restricted); the organisation's city is also people's city; a workshop's co-leading
    partner ("Institut Pasteur de Lille") contains a plan's partner ("Institut Pasteur"). Each page is searched
    after removing these exact texts only, so a restricted value shown anywhere else on the page is still caught.
    """
    texts = set()
    for model_label, fields in inventory.INVENTORY.items():
        model = apps.get_model(model_label)
        readable = [
            name
            for name, category in fields.items()
            if category is not inventory.NOT_PERSONAL and role in inventory.READERS[category]
        ]
        for name in readable:
            field = model._meta.get_field(name)
            if isinstance(field, CharField | TextField):
                texts.update(model.objects.values_list(name, flat=True))
    about_people = inventory.models_about_people()
    for app in inventory.PROJECT_APPS:
        for model in apps.get_app_config(app).get_models():
            if model in about_people or model._meta.label in inventory.INVENTORY:
                continue
            for field in model._meta.concrete_fields:
                if isinstance(field, CharField | TextField) and not field.choices:
                    texts.update(model.objects.values_list(field.name, flat=True))
    # The forms' own examples: the workshop form suggests "CPAM, Institut Pasteur…" as co-leading partners.
    texts.update(
        str(field.help_text)
        for app in inventory.PROJECT_APPS
        for model in apps.get_app_config(app).get_models()
        for field in model._meta.concrete_fields
    )
    # The indicators' own texts: a definition may give "the CPAM" or "the Institut Pasteur" as an example.
    texts.update(
        str(text)
        for _section, _label, section_indicators in indicators.by_section()
        for indicator in section_indicators
        for text in (indicator.label, indicator.description, indicator.formula, indicator.source)
    )
    return sorted((text for text in texts if text and len(text) > 3), key=len, reverse=True)


def _without(text, readable):
    for value in readable:
        for variant in _text_variants(value):
            text = text.replace(variant, " ")
    return text


@pytest.fixture
def demo(db):
    call_command("seed_demo", "--force")
    # A referral whose reason is found nowhere else: the pages that name referrals (the file, the partner) must not
    # show it to a trainer or a coordinator.
    organisation = User.objects.get(email="coordinator@demo.local").memberships.first().organisation
    person = Beneficiary.objects.of(organisation).filter(referrals__isnull=False).first()
    partner = Partner.objects.filter(organisation=organisation).first()
    Referral.objects.create(
        beneficiary=person, partner=partner, date=person.created_at.date(), reason="Motif-d-orientation-confidentiel"
    )


@pytest.fixture
def demo_restricted_values(demo):
    """restricted_values() of test_privacy for every file of the demo, without the codes of choice fields.

    A code ("family", "exit", "other") is the same for hundreds of records and names nothing about a person; it is
    in every page's markup as an option value or a field name ("language"). Only free texts are looked for.
    """
    codes = set()
    for model_label, fields in inventory.INVENTORY.items():
        model = apps.get_model(model_label)
        for name in fields:
            field = model._meta.get_field(name)
            if field.choices and field.concrete:
                codes.update(str(code) for code, _label in field.flatchoices)
    values = set()
    for beneficiary in Beneficiary.objects.all():
        values |= restricted_values(beneficiary)
    return values - codes


def _text_variants(value):
    """The value as it may be written in a page: raw (a CSV, a PDF's text) or HTML-escaped."""
    return {value, html.escape(value), html.escape(value, quote=False).replace("'", "&#x27;")}


@pytest.mark.parametrize(
    ("email", "role", "must_reach"),
    [
        ("trainer@demo.local", Role.TRAINER, ["/ateliers/N/presences/", "/stagiaires/N/"]),
        ("coordinator@demo.local", Role.COORDINATOR, ["/beneficiaires/N/"]),
    ],
)
def test_no_restricted_value_appears_anywhere_the_trainer_or_the_coordinator_goes(
    client, demo_restricted_values, email, role, must_reach
):
    assert len(demo_restricted_values) > 50  # the demo has confidential notes, plans, contacts… to look for
    client.force_login(User.objects.get(email=email))
    pages = crawl(client, client.get(reverse("core:home"))["Location"])

    reached = Counter(re.sub(r"\d+", "N", urlsplit(url).path) for url, _status, _text in pages)
    for shape in must_reach:
        matching = [count for reached_shape, count in reached.items() if reached_shape.endswith(shape)]
        assert matching, f"{email} never reached {shape}: {sorted(reached)}"
    assert len(pages) > 15
    assert [(url, status) for url, status, _text in pages if status >= 500] == []

    # Only the readable texts that hold a restricted value need removing, once per page: the search stays fast.
    readable = [text for text in _readable_by(role) if any(value in text for value in demo_restricted_values)]
    leaks = [
        (url, value)
        for url, remaining in ((url, _without(text, readable)) for url, _status, text in pages)
        for value in demo_restricted_values
        if any(variant in remaining for variant in _text_variants(value))
    ]
    assert leaks == []
