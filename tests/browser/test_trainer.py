"""The technical trainer's morning on a phone in the garden: today's workshop, the register, the harvest, and last
month's attendance sheet to have signed."""

import re
from decimal import Decimal

from playwright.sync_api import expect

from gardens.models import Attendance, Harvest, Variety, Workshop
from tests.browser.utils import field, pdf_text

TRAINER = "trainer@demo.local"


def test_a_trainer_takes_attendance_enters_a_harvest_and_prints_the_sheet_on_a_phone(sign_in, today):
    workshop = Workshop.objects.filter(date=today, trainers__email=TRAINER).select_related("site").get()
    group = list(workshop.expected_trainees())
    late, away = group[0], group[1]

    tab = sign_in(TRAINER, "phone")
    page = tab.page
    expect(page).to_have_url(re.compile(r"/jardins/$"))
    tab.audit()

    # Today's workshop, from the home page.
    today_section = page.get_by_role("region", name="Ateliers du jour")
    today_section.get_by_role("link", name=re.compile("^Faire l'appel")).tap()
    expect(page.get_by_role("heading", level=1)).to_contain_text(workshop.kind.label)
    tab.audit()

    # Everyone present in one tap, then one absence and one late arrival.
    page.get_by_role("button", name="Tout le monde présent").tap()
    page.get_by_role("group", name=f"{late.last_name.upper()} {late.first_name}").get_by_label("Heures").fill("1.5")
    page.get_by_role("group", name=f"{away.last_name.upper()} {away.first_name}").get_by_text("Absent").tap()
    page.get_by_role("button", name="Enregistrer les présences").tap()
    expect(page.get_by_role("status")).to_contain_text(f"{len(group)} personnes saisies")
    tab.audit()
    recorded = {a.beneficiary_id: (a.status, a.hours) for a in Attendance.objects.filter(workshop=workshop)}
    assert len(recorded) == len(group)
    assert recorded[late.pk] == ("present", Decimal("1.5"))
    assert recorded[away.pk][0] == "absent"
    assert sum(status == "present" for status, _hours in recorded.values()) == len(group) - 1

    # The harvest of the workshop: three varieties, one of them in bunches.
    page.get_by_role("link", name="Saisir la récolte de cet atelier").tap()
    expect(page.get_by_role("heading", level=1)).to_have_text("Saisir une récolte")
    tab.audit()
    expect(field(page, "Site")).to_have_value(str(workshop.site_id))
    lines = [("poireau-bleu-de-solaise", "12", "bottes", "9"), ("mache", "3.5", "kg", ""), ("panais", "8", "kg", "")]
    for number, (code, quantity, unit, weight) in enumerate(lines, start=1):
        line = page.get_by_role("group", name=f"Ligne {number}")
        variety = Variety.objects.get(organisation=workshop.organisation, code=code)
        field(line, "Variété").select_option(label=str(variety))
        field(line, "Quantité").fill(quantity)
        field(line, "Unité").select_option(label=unit)
        if weight:
            field(line, "Poids (kg)").fill(weight)
    page.get_by_role("button", name="Enregistrer la récolte").tap()
    expect(page.get_by_role("status")).to_contain_text("3 lignes de récolte enregistrées (20.5 kg)")
    tab.audit()
    harvests = Harvest.objects.filter(workshop=workshop).order_by("weight_kg")
    assert [(h.variety.code, h.weight_kg) for h in harvests] == [
        ("mache", Decimal("3.5")),
        ("panais", Decimal("8")),
        ("poireau-bleu-de-solaise", Decimal("9")),
    ]

    # Last month's attendance sheet of the site, for each trainee to sign (the menu folds away on a phone).
    page.get_by_role("button", name="Ouvrir le menu").tap()
    page.get_by_role("navigation", name="Menu principal").get_by_role("link", name="Aujourd'hui").tap()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bonjour Karim")
    tab.audit()
    page.get_by_role("link", name="États des présences").tap()
    expect(page.get_by_role("heading", level=1)).to_have_text("État des présences mensuel")
    tab.audit()
    field(page, "Site").select_option(label=workshop.site.name)
    field(page, "Mois").select_option(label="Janvier 2027")
    content, filename = tab.download(page.get_by_role("button", name="Télécharger l'état (PDF)").tap)
    assert filename.endswith(".pdf")
    text = pdf_text(content)
    january = Attendance.objects.filter(
        workshop__site=workshop.site, workshop__date__year=2027, workshop__date__month=1, status="present"
    ).select_related("beneficiary")
    assert january.exists()
    for attendance in january:
        assert attendance.beneficiary.last_name.upper() in text.upper()
    assert workshop.site.name in text
