"""The livret as a document: a PDF the person keeps, for social workers only, without what the team keeps."""

import datetime
import logging

import pytest
import time_machine
from django.conf import settings
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone, translation

from beneficiaries import livret
from beneficiaries.enums import ActionStatus, Domain, InterviewKind, Level
from beneficiaries.models import Beneficiary
from gardens.models import SkillCriterion
from insertion import pdf
from tests.beneficiaries.factories import (
    ActionFactory,
    AssessmentFactory,
    AssessmentItemFactory,
    BeneficiaryFactory,
    EnrolmentFactory,
    InterviewFactory,
    ObjectiveFactory,
)
from tests.gardens.factories import AttendanceFactory, SiteFactory, SkillEvaluationFactory, SkillRatingFactory
from tests.partners.factories import ReferralFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.datetime(2026, 3, 9, 10, 0, tzinfo=datetime.UTC)

# What the team keeps for itself: none of it may reach the livret.
SUMMARY = "Résumé-d-entretien-interne"
CONFIDENTIAL = "Note-confidentielle-secrete"
SITUATION = "Situation-du-bilan-privee"
OBSTACLES = "Freins-du-bilan-prives"
ASSESSMENT_COMMENT = "Commentaire-du-bilan-prive"
EXIT_COMMENT = "Commentaire-de-sortie-prive"
EVALUATION_COMMENT = "Commentaire-du-formateur-prive"
REFERRAL_RESULT_NOTES = "Suite-de-l-orientation-privee"


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(TODAY, tick=False):
        yield


def _file(organisation, referent, *, size=1):
    """A beneficiary with `size` objectives (each with an action), assessments, interviews, workshops attended and
    skills evaluations."""
    person = BeneficiaryFactory(
        organisation=organisation,
        first_name="Éloïse",
        last_name="Dupont-Lefèvre",
        birth_date=datetime.date(1980, 5, 17),
        referent=referent,
    )
    EnrolmentFactory(beneficiary=person, entry_date=datetime.date(2025, 1, 6), exited=True, exit_comment=EXIT_COMMENT)
    EnrolmentFactory(beneficiary=person, entry_date=datetime.date(2026, 1, 5))
    domains = list(Domain)
    site = SiteFactory(organisation=organisation)
    criteria = list(SkillCriterion.objects.filter(organisation=organisation)[:2])
    for index in range(size):
        objective = ObjectiveFactory(
            beneficiary=person, domain=domains[index % len(domains)], title=f"Objectif numéro {index}"
        )
        ActionFactory(
            objective=objective,
            title=f"Démarche numéro {index}",
            date=datetime.date(2026, 2, 10),
            status=ActionStatus.DONE,
            partner="France Travail",
        )
        assessment = AssessmentFactory(
            beneficiary=person,
            date=datetime.date(2026, 1, 5) + datetime.timedelta(days=7 * index),
            autonomy=2,
            security=3,
            comment=ASSESSMENT_COMMENT,
        )
        AssessmentItemFactory(
            assessment=assessment,
            domain=Domain.HEALTH,
            level=Level.OBSTACLE,
            situation=SITUATION,
            obstacles=OBSTACLES,
        )
        InterviewFactory(
            beneficiary=person,
            date=datetime.date(2026, 2, 2) + datetime.timedelta(days=index),
            kind=InterviewKind.HOME_VISIT,
            summary=SUMMARY,
            confidential_note=CONFIDENTIAL,
        )
        AttendanceFactory(beneficiary=person, workshop__site=site, workshop__date=datetime.date(2026, 2, 2 + index))
        evaluation = SkillEvaluationFactory(
            beneficiary=person,
            date=datetime.date(2026, 1, 12) + datetime.timedelta(days=7 * index),
            comment=EVALUATION_COMMENT,
        )
        for criterion in criteria:
            SkillRatingFactory(evaluation=evaluation, criterion=criterion, level=1 + index % 4)
        ReferralFactory(
            beneficiary=person,
            date=datetime.date(2026, 2, 3) + datetime.timedelta(days=index),
            result="taken_on",
            result_notes=REFERRAL_RESULT_NOTES,
        )
    return person


@pytest.fixture
def person(organisation, social_worker):
    return _file(organisation, social_worker)


def _url(person):
    return reverse("beneficiaries:livret", args=[person.pk])


def test_the_livret_downloads_as_a_pdf_for_a_social_worker(client, social_worker, person):
    client.force_login(social_worker)
    response = client.get(_url(person))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    assert response["Content-Disposition"] == 'attachment; filename="livret-dupont-lefevre-eloise-2026-03-09.pdf"'
    assert response["Cache-Control"] == "no-store"


def test_the_pdf_renders_without_any_weasyprint_error(client, social_worker, person, rendered_html, caplog):
    client.force_login(social_worker)
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        assert client.get(_url(person)).status_code == 200
    # A static file it could not read, an image without its text alternative in the tagged PDF…
    assert [record.getMessage() for record in caplog.records if record.name.startswith("weasyprint")] == []
    assert "/static/img/favicon.svg" in rendered_html[0]


def test_the_livret_holds_the_person_their_objectives_actions_and_meetings(
    client, social_worker, person, rendered_html
):
    social_worker.first_name, social_worker.last_name = "Camille", "Martin"
    social_worker.save()
    client.force_login(social_worker)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(_url(person))
    assert response.status_code == 200
    [html] = rendered_html
    for text in [
        "Your pathway booklet",
        "Your objectives",
        "What we did together",
        "Éloïse",
        "Dupont-Lefèvre",
        "17/05/1980",
        "Les Jardins",
        "Camille Martin",
        "Atelier maraîchage",
        "06/01/2025",
        "30/06/2026",
        "05/01/2026",
        "Objectif numéro 0",
        "Démarche numéro 0",
        "10/02/2026",
        "France Travail",
        "02/02/2026",
    ]:
        assert text in html, text
    with translation.override("en"):
        assert str(InterviewKind.HOME_VISIT.label) in html
        assert str(ActionStatus.DONE.label) in html
        assert str(Domain.HEALTH.label) in html  # the progress chart, with the domain assessed
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img"' in html


def test_the_livret_never_shows_what_the_team_keeps_for_itself(client, social_worker, person, rendered_html):
    client.force_login(social_worker)
    assert client.get(_url(person)).status_code == 200
    [html] = rendered_html
    for secret in [
        SUMMARY,
        CONFIDENTIAL,
        SITUATION,
        OBSTACLES,
        ASSESSMENT_COMMENT,
        EXIT_COMMENT,
        EVALUATION_COMMENT,
        REFERRAL_RESULT_NOTES,
    ]:
        assert secret not in html, secret


def test_the_livret_does_not_even_load_the_confidential_fields(organisation, social_worker):
    person = livret.livret_queryset().get(pk=_file(organisation, social_worker).pk)
    context = livret.livret_context(person)
    [interview] = context["interviews"]
    assert {"summary", "confidential_note", "next_appointment"} <= interview.get_deferred_fields()
    [assessment] = person.assessments.all()
    assert "comment" in assessment.get_deferred_fields()
    [item] = assessment.items.all()
    assert {"situation", "obstacles"} <= item.get_deferred_fields()
    assert "exit_comment" in context["past_enrolments"][0].get_deferred_fields()
    assert {"comment", "evaluator_id"} <= context["skills"]["latest"].get_deferred_fields()
    [referral] = context["referrals"]
    assert {"result_notes", "result_date", "author_id"} <= referral.get_deferred_fields()


@pytest.mark.parametrize("persona", ["trainer", "coordinator", "administrator"])
def test_other_roles_cannot_download_the_livret(client, request, person, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(_url(person)).status_code == 403


def test_another_organisations_social_worker_gets_a_404(client, outsider, person):
    client.force_login(outsider)
    assert client.get(_url(person)).status_code == 404


def test_an_anonymous_visitor_is_sent_to_the_login_page(client, person):
    response = client.get(_url(person))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_the_livret_is_only_read(client, social_worker, person):
    client.force_login(social_worker)
    assert client.post(_url(person)).status_code == 405


@pytest.mark.parametrize("size", [1, 10])
def test_the_livret_costs_the_same_queries_whatever_the_size_of_the_file(
    client, organisation, social_worker, django_assert_num_queries, size
):
    person = _file(organisation, social_worker, size=size)
    client.force_login(social_worker)
    # session, user, memberships; the savepoint of the request's transaction; the beneficiary with its
    # organisation and referent; enrolments, objectives, actions, assessments, their levels, interviews; skills
    # evaluations, their ratings with the skills; referrals with their partners; the hours of presence (one
    # aggregate); the access-log entry.
    with django_assert_num_queries(17):
        response = client.get(_url(person))
    assert response.status_code == 200


def test_the_livret_shows_the_hours_in_the_gardens_and_the_work_skills(
    client, organisation, social_worker, rendered_html
):
    person = BeneficiaryFactory(organisation=organisation)
    site = SiteFactory(organisation=organisation)
    for day, status, hours in [
        (datetime.date(2026, 3, 2), "present", "2"),  # in the last 12 months
        (datetime.date(2026, 3, 3), "absent", "0"),  # no hours, not a workshop attended
        (datetime.date(2025, 6, 16), "present", "1.5"),  # in the last 12 months
        (datetime.date(2025, 1, 13), "present", "2"),  # more than a year ago: in the total only
    ]:
        AttendanceFactory(beneficiary=person, workshop__site=site, workshop__date=day, status=status, hours=hours)
    grid = {criterion.code: criterion for criterion in SkillCriterion.objects.filter(organisation=organisation)}
    for day, levels in [
        (datetime.date(2026, 1, 12), {"punctuality": 1, "safety": 2}),
        (datetime.date(2026, 2, 9), {"punctuality": 2}),
        (datetime.date(2026, 3, 2), {"punctuality": 3, "teamwork": 4}),
    ]:
        evaluation = SkillEvaluationFactory(beneficiary=person, date=day)
        for code, level in levels.items():
            SkillRatingFactory(evaluation=evaluation, criterion=grid[code], level=level)
    client.force_login(social_worker)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert client.get(_url(person)).status_code == 200
    [html] = rendered_html
    for text in [
        "Your hours in the gardens",
        "You took part in 3 workshops.",
        "5.50 h",  # 2 + 1.5 + 2
        "3.50 h",  # 2 + 1.5 in the last 12 months
        "Your work skills",
        "Your progress from 12/01/2026 to 02/03/2026",
        "Ponctualité",
        "Travail en équipe",
        "1 · To acquire",
        "3 · Acquired",
        "4 · Mastered",
    ]:
        assert text in html, text
    assert "Sécurité et gestes et postures" not in html  # not in the latest evaluation
    assert "Ponctuel, bon esprit d'équipe." not in html  # the trainer's comment stays with the team


def test_the_livret_of_a_person_never_in_the_gardens_says_so(organisation):
    person = BeneficiaryFactory(organisation=organisation)
    context = livret.livret_context(livret.livret_queryset().get(pk=person.pk))
    assert context["hours"]["workshops"] == 0
    assert context["skills"] is None


def test_the_livret_context_is_in_the_order_the_person_reads_it(organisation, social_worker):
    person = _file(organisation, social_worker, size=3)
    ObjectiveFactory(beneficiary=person, domain=Domain.EMPLOYMENT, title="Trouver un emploi", achieved_on=None)
    context = livret.livret_context(livret.livret_queryset().get(pk=person.pk))
    assert context["identity"] == {
        "first_name": "Éloïse",
        "last_name": "Dupont-Lefèvre",
        "birth_date": "17/05/1980",
        "organisation": "Les Jardins",
        "referent": social_worker.get_full_name(),
    }
    assert [e.entry_date for e in context["current_enrolments"]] == [datetime.date(2026, 1, 5)]
    assert [(e.entry_date, e.exit_date) for e in context["past_enrolments"]] == [
        (datetime.date(2025, 1, 6), datetime.date(2026, 6, 30))
    ]
    # Domains in the order of the livret (employment first), not in the alphabetical order of their codes.
    assert [
        (str(domain), [o.title for o in objectives]) for domain, objectives in context["objectives_by_domain"]
    ] == [
        (str(Domain.EMPLOYMENT.label), ["Objectif numéro 0", "Trouver un emploi"]),
        (str(Domain.TRAINING.label), ["Objectif numéro 1"]),
        (str(Domain.HOUSING.label), ["Objectif numéro 2"]),
    ]
    assert [i.date for i in context["interviews"]] == [datetime.date(2026, 2, day) for day in (2, 3, 4)]
    assert context["printed_on"] == timezone.localdate()


def test_the_progress_chart_shows_each_assessed_domain_and_both_scores(organisation):
    person = BeneficiaryFactory(organisation=organisation)
    entry = AssessmentFactory(beneficiary=person, date=datetime.date(2026, 1, 5), autonomy=2, security=1)
    review = AssessmentFactory(beneficiary=person, date=datetime.date(2026, 4, 6), autonomy=4, security=3)
    AssessmentItemFactory(assessment=entry, domain=Domain.HOUSING, level=Level.MAJOR_OBSTACLE)
    AssessmentItemFactory(assessment=review, domain=Domain.HOUSING, level=Level.IN_PROGRESS)
    AssessmentItemFactory(assessment=review, domain=Domain.HEALTH, level=Level.NO_OBSTACLE)
    with translation.override("en"):
        chart = livret.progress_chart(livret.livret_queryset().get(pk=person.pk))
    assert chart.table.headers == ("Area", "05/01/2026", "06/04/2026")
    assert chart.table.rows == (
        ("Housing", "1 · Major obstacle", "3 · Improving"),
        ("Health", "—", "4 · No obstacle"),
        ("Autonomy in daily life", "2 out of 5", "4 out of 5"),
        ("Security: income, housing, rights", "1 out of 5", "3 out of 5"),
    )
    assert "Housing: from 1 · Major obstacle on 05/01/2026 to 3 · Improving on 06/04/2026." in chart.description


def test_the_progress_chart_draws_the_assessments_it_is_given(organisation, django_assert_num_queries):
    person = BeneficiaryFactory(organisation=organisation)
    AssessmentItemFactory(assessment__beneficiary=person, assessment__date=datetime.date(2026, 1, 5))
    assessments = list(person.assessments.prefetch_related("items"))
    with django_assert_num_queries(0):
        chart = livret.progress_chart(person, assessments=assessments)
    assert chart.table.headers[1:] == ("05/01/2026",)
    assert chart.table.rows[0] == (str(Domain.HEALTH.label), str(Level.OBSTACLE.label))
    assert len(chart.table.rows) == 3  # the domain, then autonomy and security


def test_the_progress_chart_says_when_there_is_no_assessment_yet(organisation):
    person = BeneficiaryFactory(organisation=organisation)
    with translation.override("en"):
        chart = livret.progress_chart(livret.livret_queryset().get(pk=person.pk))
    assert chart.is_empty
    assert "No assessment yet" in chart.svg


def test_the_livret_of_a_person_without_any_record_yet_still_prints(client, organisation, social_worker):
    person = BeneficiaryFactory(organisation=organisation, last_name="Nguyen", first_name="An")
    client.force_login(social_worker)
    response = client.get(_url(person))
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF-")


@pytest.mark.parametrize(
    ("first_name", "last_name", "expected"),
    [
        ("Éloïse", "Dupont-Lefèvre", "livret-dupont-lefevre-eloise-2026-03-09.pdf"),
        ("Jean Marie", "D'Artagnan", "livret-dartagnan-jean-marie-2026-03-09.pdf"),
        ("明", "李", "livret-{pk}-2026-03-09.pdf"),
    ],
)
def test_the_file_name_is_plain_ascii(first_name, last_name, expected):
    person = Beneficiary(pk=42, first_name=first_name, last_name=last_name)
    assert livret.livret_filename(person, datetime.date(2026, 3, 9)) == expected.format(pk=42)


def test_the_pdf_reads_static_files_from_disk_and_nothing_else():
    fetcher = pdf.StaticFilesFetcher()
    response = fetcher.fetch("http://testserver/static/img/favicon.svg")
    assert response.content_type == "image/svg+xml"
    assert response.read().startswith(b"<svg")
    for url in [
        "http://example.org/tracker.png",
        "file:///etc/passwd",
        "http://testserver/media/photo.jpg",
        "http://testserver/static/../../insertion/settings.py",
        "http://testserver/static/img/missing.svg",
    ]:
        with pytest.raises(ValueError):
            fetcher.fetch(url)


def test_the_printable_base_numbers_the_pages_in_the_reader_language():
    template = Template('{% extends "layout/printable.html" %}{% block content %}<p>Bonjour</p>{% endblock %}')
    with translation.override("en"):
        html = template.render(Context({}))
    assert 'content: "Page " counter(page) " of " counter(pages) "";' in html
    assert "size: A4;" in html
    assert '<html lang="en">' in html
    assert "http://" not in html and "https://" not in html


def test_the_referent_is_left_out_when_there_is_none(organisation):
    person = BeneficiaryFactory(organisation=organisation, referent=None)
    context = livret.livret_context(livret.livret_queryset().get(pk=person.pk))
    assert context["identity"]["referent"] == ""
