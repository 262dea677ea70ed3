"""The monthly attendance sheet (ESF+): one line per trainee on a register of the site, hours per day and in
total, a box to sign; names and hours, and nothing else of the person."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation

from gardens import attendance_sheet
from gardens.attendance_sheet import Cell, Day, monthly_sheet
from gardens.models import Site
from insertion.models import SocialSituation
from tests.beneficiaries.factories import BeneficiaryFactory
from tests.gardens.factories import AttendanceFactory, SiteFactory, WorkshopFactory

pytestmark = pytest.mark.django_db

T = datetime.time


@pytest.fixture(autouse=True)
def _frozen_and_english(settings):
    settings.LANGUAGE_CODE = "en"
    with time_machine.travel(datetime.datetime(2026, 12, 2, 10, 0, tzinfo=datetime.UTC), tick=False):
        yield


@pytest.fixture
def site(organisation):
    return SiteFactory(organisation=organisation, name="Jardin du Moulin")


def _url(site, year=2026, month=11):
    return reverse("gardens:attendance_sheet", kwargs={"site_pk": site.pk, "year": year, "month": month})


def _person(organisation, last_name, first_name, **kwargs):
    return BeneficiaryFactory(organisation=organisation, last_name=last_name, first_name=first_name, **kwargs)


def _attend(workshop, person, status="present", hours=None):
    if hours is None:
        hours = workshop.hours if status == "present" else Decimal("0")
    return AttendanceFactory(workshop=workshop, beneficiary=person, status=status, hours=Decimal(hours))


@pytest.fixture
def november(organisation, site):
    """Four workshops on the site in November 2026, two of them on Monday the 2nd; noise around them."""
    morning = WorkshopFactory(site=site, date=datetime.date(2026, 11, 2), start_time=T(8), end_time=T(12))
    afternoon = WorkshopFactory(site=site, date=datetime.date(2026, 11, 2), start_time=T(14), end_time=T(16))
    thursday = WorkshopFactory(site=site, date=datetime.date(2026, 11, 5), start_time=T(8), end_time=T(10))
    WorkshopFactory(site=site, date=datetime.date(2026, 11, 12), start_time=T(8), end_time=T(10))  # no register yet
    martin = _person(organisation, "Martin", "Alice")
    durand = _person(organisation, "Durand", "Bruno")
    petit = _person(organisation, "Petit", "Chloé")
    leroy = _person(organisation, "Leroy", "Dan")
    _attend(morning, martin)  # 4 h
    _attend(afternoon, martin, hours="1.5")  # left early
    _attend(thursday, martin)  # 2 h
    _attend(morning, durand, "absent")
    _attend(afternoon, durand)  # 2 h
    _attend(thursday, durand, "excused")
    _attend(morning, petit, "absent")
    _attend(thursday, petit, "absent")
    _attend(morning, leroy, "absent")
    _attend(afternoon, leroy, "excused")
    # Not on this sheet: another site of ours the same month, this site in October and in December.
    other_site = WorkshopFactory(site=SiteFactory(organisation=organisation), date=datetime.date(2026, 11, 3))
    _attend(other_site, _person(organisation, "Autresite", "Eve"))
    _attend(WorkshopFactory(site=site, date=datetime.date(2026, 10, 30)), _person(organisation, "Octobre", "Félix"))
    _attend(WorkshopFactory(site=site, date=datetime.date(2026, 12, 1)), martin)
    return site


def test_the_sheet_has_a_column_per_workshop_day_with_its_times(november):
    sheet = monthly_sheet(november, 2026, 11)
    assert sheet.days == (
        Day(datetime.date(2026, 11, 2), ((T(8), T(12)), (T(14), T(16)))),
        Day(datetime.date(2026, 11, 5), ((T(8), T(10)),)),
        Day(datetime.date(2026, 11, 12), ((T(8), T(10)),)),
    )
    assert sheet.month == datetime.date(2026, 11, 1)


def test_the_sheet_sums_the_hours_of_a_day_and_marks_absences_and_excuses(november):
    with translation.override("en"):
        sheet = monthly_sheet(november, 2026, 11)
    blank = Cell()
    absent, excused = Cell(mark="abs."), Cell(mark="exc.")
    assert [(line.name, line.cells, line.total) for line in sheet.lines] == [
        ("DURAND Bruno", (Cell(hours=Decimal("2")), excused, blank), Decimal("2")),
        # Absent from one workshop of the day and excused from the other: the absence shows.
        ("LEROY Dan", (absent, blank, blank), Decimal("0")),
        ("MARTIN Alice", (Cell(hours=Decimal("5.5")), Cell(hours=Decimal("2")), blank), Decimal("7.5")),
        # Never present: still a line, with 0 hours, to sign.
        ("PETIT Chloé", (absent, absent, blank), Decimal("0")),
    ]
    assert sheet.day_totals == (Decimal("7.5"), Decimal("2"), Decimal("0"))
    assert sheet.total == Decimal("9.5")


def test_the_marks_are_translated(november):
    with translation.override("fr"):
        sheet = monthly_sheet(november, 2026, 11)
    marks = {cell.mark for line in sheet.lines for cell in line.cells}
    assert marks == {"", str(attendance_sheet.ABSENT_MARK), str(attendance_sheet.EXCUSED_MARK)}


def test_a_month_without_any_workshop_gives_an_empty_sheet(site):
    sheet = monthly_sheet(site, 2026, 11)
    assert (sheet.days, sheet.lines, sheet.day_totals, sheet.total) == ((), (), (), Decimal("0"))


def test_the_sheet_loads_names_and_hours_and_nothing_else_of_the_person(november, django_assert_num_queries):
    site = Site.objects.get(pk=november.pk)  # the organisation not loaded: the sheet does not need it
    with django_assert_num_queries(2) as captured:
        monthly_sheet(site, 2026, 11)
    sql = " ".join(query["sql"] for query in captured.captured_queries)
    assert "first_name" in sql  # the capture sees the columns the queries read
    for column in ["birth_date", "phone", "email", "address", "city", "household", "social"]:
        assert column not in sql, column


def test_the_sheet_downloads_as_a_pdf_named_after_the_site_and_month(client, trainer, november):
    client.force_login(trainer)
    response = client.get(_url(november))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="presences-jardin-du-moulin-2026-11.pdf"'
    assert response["Cache-Control"] == "no-store"
    assert response.content.startswith(b"%PDF-")


def test_the_printed_sheet_shows_names_days_hours_and_totals(client, trainer, november, rendered_html):
    client.force_login(trainer)
    assert client.get(_url(november)).status_code == 200
    [html] = rendered_html
    assert "size: A4 landscape" in html
    assert "Les Jardins" in html and "Jardin du Moulin" in html and "November 2026" in html
    for name in ["DURAND Bruno", "LEROY Dan", "MARTIN Alice", "PETIT Chloé"]:
        assert f'<th scope="row" class="name">{name}</th>' in html
    assert "Autresite" not in html and "Octobre" not in html
    assert '<span class="day">02/11</span>' in html
    assert "08:00–&#8203;12:00" in html and "14:00–&#8203;16:00" in html  # may break after the dash
    assert '<td class="total">7.5</td>' in html  # Alice's month, without trailing zeros
    assert '<td class="total">9.5</td>' in html  # the grand total
    assert html.count('<td class="signature"></td>') == 4
    assert "Certified exact by the technical trainer" in html


def test_the_printed_sheet_never_shows_the_persons_other_data(client, organisation, trainer, site, rendered_html):
    situation = SocialSituation.objects.filter(organisation=organisation).first()
    person = _person(
        organisation,
        "Quenouille",
        "Zoé",
        birth_date=datetime.date(1979, 8, 23),
        phone="06 99 88 77 66",
        email="zoe.quenouille@example.org",
        address="7 impasse Secrète",
        city="Valenciennes-Secret",
        situations=[situation],
    )
    _attend(WorkshopFactory(site=site, date=datetime.date(2026, 11, 16)), person)
    client.force_login(trainer)
    assert client.get(_url(site)).status_code == 200
    [html] = rendered_html
    assert "QUENOUILLE Zoé" in html
    for private in [
        "23/08/1979",
        "1979",
        "06 99 88 77 66",
        "zoe.quenouille",
        "impasse Secrète",
        "Valenciennes-Secret",
    ]:
        assert private not in html, private
    assert situation.label not in html


def test_a_month_nobody_attended_still_prints(client, trainer, site, rendered_html):
    client.force_login(trainer)
    response = client.get(_url(site))
    assert response.content.startswith(b"%PDF-")
    assert "Nobody was on a register of this site this month." in rendered_html[0]


def test_an_archived_site_still_has_its_sheets(client, coordinator, organisation):
    archived = SiteFactory(organisation=organisation, is_archived=True)
    client.force_login(coordinator)
    assert client.get(_url(archived)).status_code == 200


@pytest.mark.parametrize("persona", ["trainer", "coordinator", "social_worker"])
def test_the_roles_that_read_attendance_may_print_the_sheet(client, request, site, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(_url(site)).status_code == 200


def test_an_administrator_cannot_print_the_sheet(client, administrator, site):
    client.force_login(administrator)
    assert client.get(_url(site)).status_code == 403
    assert client.get(reverse("gardens:attendance_sheet_choose")).status_code == 403


def test_another_organisations_member_gets_a_404(client, outsider, site):
    client.force_login(outsider)
    assert client.get(_url(site)).status_code == 404


def test_a_site_of_another_organisation_is_a_404(client, trainer, other_organisation):
    client.force_login(trainer)
    assert client.get(_url(SiteFactory(organisation=other_organisation))).status_code == 404


@pytest.mark.parametrize(("year", "month"), [(2026, 13), (2026, 0), (1999, 12), (10000, 1)])
def test_a_month_that_is_not_one_is_a_404(client, trainer, site, year, month):
    client.force_login(trainer)
    assert client.get(_url(site, year, month)).status_code == 404


def test_an_anonymous_visitor_is_sent_to_the_login_page(client, site):
    response = client.get(_url(site))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_the_sheet_is_only_read(client, trainer, site):
    client.force_login(trainer)
    assert client.post(_url(site)).status_code == 405


@pytest.mark.parametrize("trainees", [3, 25])
def test_the_sheet_costs_the_same_queries_whatever_the_number_of_trainees(
    client, organisation, trainer, site, django_assert_num_queries, trainees
):
    workshops = [
        WorkshopFactory(site=site, date=datetime.date(2026, 11, day), start_time=T(8), end_time=T(12))
        for day in (2, 3, 4, 5, 9, 10, 11, 12)
    ]
    for index in range(trainees):
        person = _person(organisation, f"Nom{index:02d}", "Prénom")
        for workshop in workshops:
            _attend(workshop, person, "present" if index % 3 else "absent")
    client.force_login(trainer)
    # session, user, memberships; the savepoint of the request's transaction; the site; the workshops; the
    # attendance with the names; the access-log entry; the release of the savepoint.
    with django_assert_num_queries(9):
        response = client.get(_url(site))
    assert response.status_code == 200


def test_the_choose_page_offers_the_sites_and_the_recent_months(client, trainer, organisation, site):
    SiteFactory(organisation=organisation, name="Ancien verger", is_archived=True)
    SiteFactory(organisation=SiteFactory().organisation, name="Jardin d'ailleurs")
    client.force_login(trainer)
    response = client.get(reverse("gardens:attendance_sheet_choose"))
    assert response.status_code == 200
    form = response.context["form"]
    assert [label for _pk, label in form.fields["site"].choices] == ["Jardin du Moulin", "Ancien verger (archived)"]
    months = [value for value, _label in form.fields["month"].choices]
    assert months[:2] == ["2026-12", "2026-11"]  # this month first, then last month's, printed now
    assert form["month"].value() == "2026-12"
    assert 'for="id_site"' in response.content.decode()  # a label for each field


def test_choosing_a_site_and_a_month_sends_to_its_sheet(client, trainer, site):
    client.force_login(trainer)
    response = client.get(reverse("gardens:attendance_sheet_choose"), {"site": site.pk, "month": "2026-11"})
    assert response.status_code == 302
    assert response["Location"] == f"/jardins/sites/{site.pk}/presences/2026-11.pdf"


def test_a_site_of_another_organisation_cannot_be_chosen(client, trainer, site, other_organisation):
    foreign = SiteFactory(organisation=other_organisation)
    client.force_login(trainer)
    response = client.get(reverse("gardens:attendance_sheet_choose"), {"site": foreign.pk, "month": "2026-11"})
    assert response.status_code == 200
    assert "site" in response.context["form"].errors


def test_the_choose_page_says_when_there_is_no_site_yet(client, trainer):
    client.force_login(trainer)
    response = client.get(reverse("gardens:attendance_sheet_choose"))
    assert "No site yet" in response.content.decode()
