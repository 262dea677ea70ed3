"""RGAA (criteria 7.3, 10.7 and 12.13): the attendance register and the interview form are filled in with the
keyboard alone — Tab, arrows, Space, Enter and typing, never a click — with the focus visible at every stop."""

import re
from decimal import Decimal

from django.utils import timezone
from playwright.sync_api import expect

from beneficiaries.models import Interview
from gardens.models import Attendance, Workshop
from insertion.demo import DEMO_PASSWORD
from tests.browser.utils import field, tab_to


def sign_in_with_the_keyboard(tab, email):
    """The login page puts the focus in the e-mail box: type it, Tab, type the password, Enter."""
    page = tab.page
    tab.goto("/")
    tab.audit()
    expect(field(page, "Adresse e-mail")).to_be_focused()
    page.keyboard.type(email)
    page.keyboard.press("Tab")
    page.keyboard.type(DEMO_PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: "/compte/connexion/" not in url)


def test_the_attendance_register_is_taken_with_the_keyboard_alone(open_tab, today):
    workshop = Workshop.objects.filter(date=today, trainers__email="trainer@demo.local").get()
    first, second = list(workshop.expected_trainees())[:2]
    tab = open_tab()
    page = tab.page
    sign_in_with_the_keyboard(tab, "trainer@demo.local")
    expect(page.get_by_role("heading", level=1)).to_have_text("Bonjour Karim")
    tab.audit()

    tab_to(
        page,
        page.get_by_role("region", name="Ateliers du jour").get_by_role("link", name=re.compile("^Faire l'appel")),
    )
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="Tout le monde présent")).to_be_visible()
    tab.audit()

    # Everyone present with Space; the arrows move the first trainee to "absent"; the second came late.
    tab_to(page, page.get_by_role("button", name="Tout le monde présent"))
    page.keyboard.press("Space")
    first_line = page.get_by_role("group", name=f"{first.last_name.upper()} {first.first_name}")
    tab_to(page, first_line.get_by_role("radio", name="Présent"))
    page.keyboard.press("ArrowRight")
    expect(first_line.get_by_role("radio", name="Absent")).to_be_checked()
    second_line = page.get_by_role("group", name=f"{second.last_name.upper()} {second.first_name}")
    tab_to(page, second_line.get_by_role("spinbutton"))
    page.keyboard.press("Control+A")
    page.keyboard.type("1.5")
    tab_to(page, page.get_by_role("button", name="Enregistrer les présences"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("personnes saisies")
    tab.audit()

    recorded = {a.beneficiary_id: (a.status, a.hours) for a in Attendance.objects.filter(workshop=workshop)}
    assert len(recorded) == workshop.expected_trainees().count()
    assert recorded[first.pk][0] == "absent"
    assert recorded[second.pk] == ("present", Decimal("1.5"))


def test_the_interview_form_is_filled_in_with_the_keyboard_alone(open_tab, today):
    tab = open_tab()
    page = tab.page
    sign_in_with_the_keyboard(tab, "social@demo.local")
    expect(page.get_by_role("heading", level=1)).to_have_text("Bonjour Sophie")
    tab.audit()

    # The first person of "To receive first", whose last interview is more than a month old.
    overdue = page.get_by_role("region", name=re.compile("^À recevoir en priorité"))
    button = overdue.get_by_role("link", name=re.compile("^Saisir un entretien")).first
    name = button.inner_text().split("—", 1)[1].strip()
    tab_to(page, button)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Nouvel entretien")
    tab.audit()

    tab_to(page, field(page, "Date"))  # today's date is already there
    page.keyboard.press("Tab")
    expect(field(page, "Type")).to_be_focused()
    page.keyboard.type("Visite")  # a closed list picks the option whose label starts with what is typed
    page.keyboard.press("Tab")
    page.keyboard.type("Visite au domicile : le logement est en ordre, la recherche de formation avance.")
    page.keyboard.press("Tab")
    page.keyboard.type("Inquiète pour la santé de sa mère.")
    page.keyboard.press("Tab")
    page.keyboard.type("02/03/2027")
    page.keyboard.press("Tab")
    page.keyboard.type("14:30")
    tab_to(page, page.get_by_role("button", name="Enregistrer"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("L'entretien a été enregistré")
    tab.audit()

    interview = Interview.objects.select_related("beneficiary", "author").get(
        confidential_note="Inquiète pour la santé de sa mère."
    )
    assert (interview.beneficiary.full_name, interview.author.email) == (name, "social@demo.local")
    assert (interview.date, interview.kind) == (today, "home_visit")
    assert interview.summary.startswith("Visite au domicile")
    assert f"{timezone.localtime(interview.next_appointment):%d/%m/%Y %H:%M}" == "02/03/2027 14:30"
