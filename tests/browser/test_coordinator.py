"""The coordinator prepares the March steering committee: the monthly dashboard, last year's report as a PDF, and
that report frozen onto the committee."""

import re

from playwright.sync_api import expect

from reporting.models import Committee, FrozenReport
from tests.browser.utils import field, pdf_text

ORGANISATION = "Les Jardins du Cœur — CCAS de Valenciennes"


def test_a_coordinator_reads_the_dashboard_and_freezes_last_years_report_onto_the_steering_committee(sign_in, today):
    steering = Committee.objects.get(kind=Committee.Kind.STEERING, date__gt=today)
    # The demo prepares the coming committee's report itself; here the coordinator does it.
    FrozenReport.objects.filter(committee=steering).delete()

    tab = sign_in("coordinator@demo.local")
    page = tab.page
    expect(page).to_have_url(re.compile(r"/rapports/tableau-de-bord/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Tableau de bord : février 2027")
    tab.audit()

    # Back two months, to December: the year 2026 is complete.
    months = page.get_by_role("navigation", name="Autres mois")
    months.get_by_role("link", name="← Janvier 2027").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tableau de bord : janvier 2027")
    tab.audit()
    months.get_by_role("link", name="← Décembre 2026").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tableau de bord : décembre 2026")
    tab.audit()

    # The yearly report, on the page and as a PDF.
    page.get_by_role("link", name="Rapport de 2026").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Rapport d'indicateurs")
    expect(page.get_by_text("du 01/01/2026 au 31/12/2026", exact=False)).to_be_visible()
    tab.audit()
    content, filename = tab.download(page.get_by_role("link", name="PDF à imprimer").click)
    assert filename.endswith(".pdf")
    text = pdf_text(content)
    assert ORGANISATION in text
    assert "2026" in text

    # Frozen onto the coming steering committee, with the period chosen on the report page.
    page.get_by_role("link", name="Joindre à un comité").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Joindre un rapport à un comité")
    tab.audit()
    field(page, "Comité").select_option(label=str(steering))
    page.get_by_role("button", name="Figer le rapport pour le comité").click()
    expect(page.get_by_role("status")).to_contain_text("est figé pour le comité")
    expect(page.get_by_role("heading", level=1)).to_have_text(str(steering))
    tab.audit()
    frozen = FrozenReport.objects.get(committee=steering)
    assert (frozen.start.isoformat(), frozen.end.isoformat()) == ("2026-01-01", "2026-12-31")
    assert bytes(frozen.pdf).startswith(b"%PDF-")
