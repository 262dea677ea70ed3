"""The synthesis sheet (fiche de synthèse): the key figures of a period beside the coordinator's analysis, on one
page, as HTML and PDF."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse
from weasyprint import HTML

from gardens.models import Variety
from insertion import pdf
from insertion.models import ExitOutcome
from reporting.committee_forms import ANALYSIS_MAX_LENGTH
from reporting.models import SynthesisSheet
from tests.beneficiaries.factories import BeneficiaryFactory, EnrolmentFactory
from tests.gardens.factories import AttendanceFactory, HarvestFactory, SiteFactory, WorkshopFactory
from tests.partners.factories import DistributionFactory, FundingFactory, PartnerFactory, PartnershipFactory
from tests.reporting.factories import SynthesisSheetFactory
from tests.utils import read_response

pytestmark = pytest.mark.django_db

D = datetime.date
SYNTHESIS = reverse("reporting:synthesis")
PDF = reverse("reporting:synthesis_pdf")
YEAR_2025 = {"period": "year", "year": "2025"}


@pytest.fixture(autouse=True)
def _frozen_and_english(settings):
    settings.LANGUAGE_CODE = "en"
    with time_machine.travel(datetime.datetime(2026, 11, 23, 10, 0, tzinfo=datetime.UTC), tick=False):
        yield


@pytest.fixture
def coordinator_client(client, coordinator):
    client.force_login(coordinator)
    return client


def _outcome(organisation, code):
    return ExitOutcome.objects.get(organisation=organisation, code=code)


@pytest.fixture
def year_2025(organisation, other_organisation):
    """2025 at the organisation, with noise in 2024, 2026 and at another organisation.

    - Anne: in since 2024 → reached, no entry, no exit; present 1.5 h.
    - Bruno: 10/03 → 30/06/2025, CDI (sustainable employment) → entry, dynamic exit; present 2 h.
    - Chloé: 01/05 → 30/09/2025, job seeking (other exit) → entry, exit.
    - David: 01/02 → 30/11/2025, qualifying training (positive exit) → entry, dynamic exit.
    Workshops: one in 2025 (the presences above), one in 2024. Harvests: 12.5 kg and 7.5 kg in 2025, 30 kg in
    2026. Given away: 4.5 kg in 2025. Partnerships formed: one in 2025, one in 2026. Funding for 2025: 25,000 €
    and 31,500 €; for 2026: 20,700 €.
    """
    anne = BeneficiaryFactory(organisation=organisation)
    EnrolmentFactory(beneficiary=anne, entry_date=D(2024, 3, 1))
    bruno = BeneficiaryFactory(organisation=organisation)
    EnrolmentFactory(
        beneficiary=bruno,
        entry_date=D(2025, 3, 10),
        exit_date=D(2025, 6, 30),
        exit_outcome=_outcome(organisation, "cdi"),
    )
    chloe = BeneficiaryFactory(organisation=organisation)
    EnrolmentFactory(
        beneficiary=chloe,
        entry_date=D(2025, 5, 1),
        exit_date=D(2025, 9, 30),
        exit_outcome=_outcome(organisation, "job-seeking"),
    )
    david = BeneficiaryFactory(organisation=organisation)
    EnrolmentFactory(
        beneficiary=david,
        entry_date=D(2025, 2, 1),
        exit_date=D(2025, 11, 30),
        exit_outcome=_outcome(organisation, "qualifying-training"),
    )
    EnrolmentFactory(beneficiary=BeneficiaryFactory(organisation=other_organisation), entry_date=D(2025, 1, 6))

    site = SiteFactory(organisation=organisation)
    workshop = WorkshopFactory(site=site, date=D(2025, 4, 8))
    AttendanceFactory(workshop=workshop, beneficiary=anne, hours=Decimal("1.5"))
    AttendanceFactory(workshop=workshop, beneficiary=bruno, hours=Decimal("2"))
    WorkshopFactory(site=site, date=D(2024, 4, 8))
    HarvestFactory(site=site, date=D(2025, 7, 1), quantity=Decimal("12.5"))
    HarvestFactory(site=site, date=D(2025, 8, 1), quantity=Decimal("7.5"))
    HarvestFactory(site=site, date=D(2026, 7, 1), quantity=Decimal("30"))
    variety = Variety.objects.filter(organisation=organisation).first()
    DistributionFactory(site=site, date=D(2025, 7, 2), lines=[(variety, "4.5")])
    partner = PartnerFactory(organisation=organisation)
    PartnershipFactory(partner=partner, start_date=D(2025, 4, 1))
    PartnershipFactory(partner=partner, start_date=D(2026, 4, 1))
    FundingFactory(funder=partner, year=2025, amount=Decimal("25000"))
    FundingFactory(funder=PartnerFactory(organisation=organisation), year=2025, amount=Decimal("31500"))
    FundingFactory(funder=partner, year=2026, amount=Decimal("20700"))
    return organisation


def test_the_sheet_shows_the_key_figures_of_the_period(coordinator_client, year_2025):
    response = coordinator_client.get(SYNTHESIS, YEAR_2025)
    figures = {figure.code: (figure.value, figure.note) for figure in response.context["figures"]}
    assert figures == {
        "beneficiaries_reached": (4, ""),
        "entries": (3, ""),
        "exits_by_category": (3, "of which 2 dynamic exits (66.7 %)"),
        "presence_hours": (Decimal("3.50"), ""),
        "workshops_by_kind": (1, ""),
        "harvest_by_variety": (Decimal("20.00"), ""),
        "redistribution_by_recipient": (Decimal("4.50"), ""),
        "partnerships_by_theme": (1, ""),
        "funding_by_funder": (Decimal("56500.00"), ""),
    }
    assert (response.context["start"], response.context["end"]) == (D(2025, 1, 1), D(2025, 12, 31))
    assert "56,500" in response.content.decode()


def test_without_a_period_the_sheet_is_of_last_calendar_year(coordinator_client, year_2025):
    response = coordinator_client.get(SYNTHESIS)
    assert (response.context["start"], response.context["end"]) == (D(2025, 1, 1), D(2025, 12, 31))


def test_the_analysis_is_kept_for_the_organisation_and_the_period(coordinator_client, coordinator, organisation):
    response = coordinator_client.get(SYNTHESIS, {"period": "quarter", "year": "2026", "quarter": "2"})
    hidden = {"period": "custom", "start": "01/04/2026", "end": "30/06/2026"}
    assert response.context["period_fields"] == hidden
    response = coordinator_client.post(SYNTHESIS, {**hidden, "analysis": "Un trimestre de montée en charge."})
    assert response.status_code == 302
    assert response["Location"] == f"{SYNTHESIS}?period=custom&start=01%2F04%2F2026&end=30%2F06%2F2026"
    sheet = SynthesisSheet.objects.get()
    assert (sheet.organisation, sheet.start, sheet.end) == (organisation, D(2026, 4, 1), D(2026, 6, 30))
    assert (sheet.analysis, sheet.updated_by) == ("Un trimestre de montée en charge.", coordinator)
    # Saved again: the same sheet, changed.
    coordinator_client.post(SYNTHESIS, {**hidden, "analysis": "Revu."})
    assert list(SynthesisSheet.objects.values_list("analysis", flat=True)) == ["Revu."]
    # Another period has its own (empty) analysis.
    other = coordinator_client.get(SYNTHESIS, {"period": "quarter", "year": "2026", "quarter": "1"})
    assert other.context["form"]["analysis"].value() in ("", None)


def test_an_analysis_too_long_for_the_page_is_refused(coordinator_client):
    data = {
        "period": "custom",
        "start": "01/01/2025",
        "end": "31/12/2025",
        "analysis": "x" * (ANALYSIS_MAX_LENGTH + 1),
    }
    response = coordinator_client.post(SYNTHESIS, data)
    assert response.status_code == 200
    assert response.context["form"].errors["analysis"] == [
        f"Ensure this value has at most {ANALYSIS_MAX_LENGTH} characters (it has {ANALYSIS_MAX_LENGTH + 1})."
    ]
    assert not SynthesisSheet.objects.exists()


def test_a_bad_period_says_what_is_wrong_and_saves_nothing(coordinator_client):
    data = {"period": "custom", "start": "31/12/2025", "end": "01/01/2025", "analysis": "Bilan"}
    response = coordinator_client.post(SYNTHESIS, data)
    assert response.status_code == 200
    assert response.context["period_form"].errors == {"end": ["The end of the period cannot come before its start."]}
    assert response.context["form"] is None
    assert not SynthesisSheet.objects.exists()


def test_another_organisations_analysis_is_not_shown(coordinator_client, other_organisation):
    SynthesisSheetFactory(organisation=other_organisation, analysis="Leur analyse")
    response = coordinator_client.get(SYNTHESIS, YEAR_2025)
    assert response.context["sheet"].pk is None
    assert "Leur analyse" not in response.content.decode()


@pytest.mark.parametrize("persona", ["social_worker", "trainer", "administrator"])
def test_only_coordinators_open_the_sheet(client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(SYNTHESIS).status_code == 403
    assert client.get(PDF).status_code == 403


WORDS = "Une année de consolidation des parcours, des partenariats et des jardins partagés au cœur des quartiers. "


def _line(length):
    return (WORDS * 10)[:length].strip()


# The longest analyses the form accepts, in their different shapes.
LONGEST_ANALYSES = {
    "one paragraph": (WORDS * 40)[:ANALYSIS_MAX_LENGTH],
    "lines of 90 characters": "\n".join([_line(90)] * 27),
    "short lines": "\n".join([_line(40)] * 30),
    "paragraphs": "\n\n".join([_line(90)] * 15),
    "paragraphs of two lines": "\n\n".join([(WORDS * 5)[:170]] * 10),
}


@pytest.mark.parametrize("shape", sorted(LONGEST_ANALYSES))
def test_the_pdf_holds_the_figures_and_the_longest_analysis_on_one_page(
    coordinator_client, year_2025, rendered_html, shape
):
    analysis = LONGEST_ANALYSES[shape]
    data = {"period": "custom", "start": "01/01/2025", "end": "31/12/2025", "analysis": analysis}
    assert coordinator_client.post(SYNTHESIS, data).status_code == 302
    response = coordinator_client.get(PDF, YEAR_2025)
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="synthese-2025-01-01-2025-12-31.pdf"'
    assert read_response(response).startswith(b"%PDF")
    html = rendered_html[0]
    assert "of which 2 dynamic exits (66.7 %)" in html
    assert "Une année de consolidation" in html
    assert len(HTML(string=html, url_fetcher=pdf.StaticFilesFetcher()).render().pages) == 1


def test_an_analysis_of_too_many_lines_is_refused(coordinator_client):
    data = {"period": "custom", "start": "01/01/2025", "end": "31/12/2025", "analysis": "\n".join(["Ligne"] * 31)}
    response = coordinator_client.post(SYNTHESIS, data)
    assert response.context["form"].errors["analysis"] == [
        "The analysis would not hold on the one page of the sheet: shorten it or join short paragraphs "
        "(about 30 lines of print at most)."
    ]
    assert not SynthesisSheet.objects.exists()


def test_the_pdf_runs_the_same_queries_whatever_the_volume(
    coordinator_client, organisation, year_2025, django_assert_num_queries
):
    SynthesisSheetFactory(organisation=organisation)
    # Session, user, memberships; savepoint; the sheet; one query per key figure (nine); savepoint released.
    with django_assert_num_queries(15):
        read_response(coordinator_client.get(PDF, YEAR_2025))
    _more_people(organisation)
    with django_assert_num_queries(15):
        read_response(coordinator_client.get(PDF, YEAR_2025))


def _more_people(organisation):
    for _index in range(5):
        person = BeneficiaryFactory(organisation=organisation)
        EnrolmentFactory(beneficiary=person, entry_date=D(2025, 6, 1))
        AttendanceFactory(workshop__site__organisation=organisation, workshop__date=D(2025, 6, 3), beneficiary=person)


def test_the_page_runs_the_same_queries_whatever_the_volume(
    coordinator_client, organisation, year_2025, django_assert_num_queries
):
    SynthesisSheetFactory(organisation=organisation)
    with django_assert_num_queries(15):
        coordinator_client.get(SYNTHESIS, YEAR_2025)
    _more_people(organisation)
    with django_assert_num_queries(15):
        response = coordinator_client.get(SYNTHESIS, YEAR_2025)
    assert response.context["figures"][0].value == 9
