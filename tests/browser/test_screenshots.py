"""The README's screenshots: the main page of each daily journey, on a computer and on a phone, from the demo.

Taken by `make screenshots`, which sets SCREENSHOTS to the directory to write (docs/screenshots); the normal runs
leave this test out (see conftest.py), so that they never rewrite files of the repository.
"""

import io
import os
import re
from pathlib import Path

import pytest
from django.db.models import Count
from PIL import Image
from playwright.sync_api import expect

from beneficiaries.models import Beneficiary
from gardens.models import Workshop

pytestmark = pytest.mark.screenshots


def save(tab, name):
    """The visible part of the page (the phone's at its pixel density), in 256 colours: a few dozen kilobytes."""
    page = tab.page
    page.evaluate("document.activeElement && document.activeElement.blur()")
    png = page.screenshot(animations="disabled", caret="hide")
    image = Image.open(io.BytesIO(png)).convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT)
    path = Path(os.environ["SCREENSHOTS"]) / f"{name}-{tab.device}.png"
    image.save(path, optimize=True)


def richest_file(email):
    """A person the social worker follows, with an entry assessment and a re-assessment: a file worth showing."""
    return (
        Beneficiary.objects.filter(referent__email=email, enrolments__exit_date__isnull=True)
        .annotate(assessment_count=Count("assessments", distinct=True))
        .filter(assessment_count__gte=2, objectives__isnull=False)
        .order_by("last_name", "first_name")
        .distinct()
        .first()
    )


@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_the_main_page_of_each_journey(sign_in, today, device):
    person = richest_file("social@demo.local")
    tab = sign_in("social@demo.local", device)
    tab.audit()
    tab.goto(person.get_absolute_url())
    expect(tab.page.get_by_role("heading", level=1)).to_contain_text(person.full_name)
    tab.audit()
    save(tab, "social-worker")

    workshop = Workshop.objects.filter(date=today, trainers__email="trainer@demo.local").get()
    tab = sign_in("trainer@demo.local", device)
    tab.audit()
    tab.goto(f"/jardins/ateliers/{workshop.pk}/presences/")
    tab.page.get_by_role("button", name="Tout le monde présent").click()
    first = workshop.expected_trainees().first()
    tab.page.get_by_role("group", name=f"{first.last_name.upper()} {first.first_name}").get_by_text("Excusé").click()
    tab.audit()
    save(tab, "trainer")

    tab = sign_in("coordinator@demo.local", device)
    expect(tab.page).to_have_url(re.compile(r"/rapports/tableau-de-bord/$"))
    tab.audit()
    save(tab, "coordinator")
