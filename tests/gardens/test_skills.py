"""Work skills: trainers rate them, social workers read them; the trainee page never shows social data."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.conf import settings
from django.contrib.messages import get_messages
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from gardens import skills
from gardens.enums import SkillLevel
from gardens.models import SkillCriterion, SkillEvaluation, SkillRating
from insertion.models import SocialSituation
from tests.beneficiaries.factories import (
    AssessmentFactory,
    BeneficiaryFactory,
    EnrolmentFactory,
    InterviewFactory,
)
from tests.gardens.factories import AttendanceFactory, SiteFactory, SkillEvaluationFactory, SkillRatingFactory
from tests.insertion.factories import UserFactory
from tests.partners.factories import PartnerFactory

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 11, 20, 10, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def grid(organisation):
    """The organisation's default grid, by code."""
    return {criterion.code: criterion for criterion in SkillCriterion.objects.filter(organisation=organisation)}


@pytest.fixture
def trainee(organisation):
    return BeneficiaryFactory(organisation=organisation, first_name="Samir", last_name="Benali")


@pytest.fixture
def site(organisation):
    return SiteFactory(organisation=organisation, name="Jardin des Tertiaux")


def _field(criterion):
    return f"criterion-{criterion.pk}"


def _add_url(beneficiary):
    return reverse("gardens:skill_evaluation_add", args=[beneficiary.pk])


def _trainee_url(beneficiary):
    return reverse("gardens:trainee", args=[beneficiary.pk])


def _evaluation(beneficiary, day, levels, **kwargs):
    evaluation = SkillEvaluationFactory(beneficiary=beneficiary, date=day, **kwargs)
    for criterion, level in levels.items():
        SkillRatingFactory(evaluation=evaluation, criterion=criterion, level=level)
    return evaluation


def _present(beneficiary, site, day, start=8, end=10, hours="2", status="present"):
    return AttendanceFactory(
        beneficiary=beneficiary,
        workshop__site=site,
        workshop__date=day,
        workshop__start_time=datetime.time(*divmod(int(start * 60), 60)),
        workshop__end_time=datetime.time(*divmod(int(end * 60), 60)),
        status=status,
        hours=Decimal(hours),
    )


# Rating


def test_a_trainer_rates_a_trainees_skills(client, trainer, trainee, grid):
    client.force_login(trainer)
    response = client.post(
        _add_url(trainee),
        {
            "date": "18/11/2026",
            _field(grid["punctuality"]): SkillLevel.ACQUIRED,
            _field(grid["teamwork"]): SkillLevel.IN_PROGRESS,
            _field(grid["safety"]): "",
            "comment": "Toujours à l'heure.",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == _trainee_url(trainee)
    [evaluation] = SkillEvaluation.objects.all()
    assert (evaluation.beneficiary, evaluation.date, evaluation.evaluator) == (
        trainee,
        datetime.date(2026, 11, 18),
        trainer,
    )
    assert evaluation.comment == "Toujours à l'heure."
    assert {(rating.criterion.code, rating.level) for rating in evaluation.ratings.all()} == {
        ("punctuality", 3),
        ("teamwork", 2),
    }
    assert [str(message) for message in get_messages(response.wsgi_request)] != []


def test_the_form_offers_the_active_grid_in_order_dated_today(client, trainer, trainee, grid):
    grid["tools"].is_active = False
    grid["tools"].save()
    client.force_login(trainer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(_add_url(trainee))
    assert response.status_code == 200
    form = response.context["form"]
    assert [criterion.code for criterion in form.criteria] == [
        "punctuality",
        "attendance",
        "teamwork",
        "instructions",
        "safety",
        "gardening",
        "autonomy",
    ]
    html = response.content.decode()
    assert 'value="20/11/2026"' in html
    assert f'name="{_field(grid["tools"])}"' not in html
    assert "<legend" in html and "Ponctualité</legend>" in html
    assert "Not rated" in html and str(SkillLevel.MASTERED.label) in html


def test_an_evaluation_dated_in_the_future_is_refused(client, trainer, trainee, grid):
    client.force_login(trainer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.post(_add_url(trainee), {"date": "21/11/2026", _field(grid["punctuality"]): 3})
    assert response.status_code == 200
    assert response.context["form"].errors["date"] == [
        "An evaluation cannot be dated in the future: rate what you have seen."
    ]
    assert not SkillEvaluation.objects.exists()


def test_an_evaluation_without_any_rating_is_refused_with_a_message(client, trainer, trainee, grid):
    client.force_login(trainer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.post(_add_url(trainee), {"date": "18/11/2026", _field(grid["punctuality"]): ""})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == ["Rate at least one skill: choose a level for it."]
    assert "Rate at least one skill: choose a level for it." in response.content.decode()
    assert not SkillEvaluation.objects.exists()
    assert not SkillRating.objects.exists()


def test_a_skill_of_another_organisations_grid_cannot_be_rated(client, trainer, trainee, grid, other_organisation):
    theirs = SkillCriterion.objects.get(organisation=other_organisation, code="punctuality")
    client.force_login(trainer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.post(_add_url(trainee), {"date": "18/11/2026", _field(theirs): 4})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == ["Rate at least one skill: choose a level for it."]
    assert not SkillEvaluation.objects.exists()

    response = client.post(_add_url(trainee), {"date": "18/11/2026", _field(theirs): 4, _field(grid["safety"]): 1})
    assert response.status_code == 302
    assert list(SkillRating.objects.values_list("criterion", "level")) == [(grid["safety"].pk, 1)]


def test_a_trainer_edits_an_evaluation_and_keeps_a_skill_taken_off_the_grid_since(
    client, trainer, trainee, grid, organisation
):
    evaluator = UserFactory()
    evaluation = _evaluation(
        trainee, datetime.date(2026, 10, 5), {grid["punctuality"]: 1, grid["tools"]: 2}, evaluator=evaluator
    )
    grid["tools"].is_active = False
    grid["tools"].save()
    client.force_login(trainer)
    url = reverse("gardens:skill_evaluation_edit", args=[evaluation.pk])
    response = client.get(url)
    assert response.status_code == 200
    form = response.context["form"]
    assert form[_field(grid["tools"])].value() == 2  # still offered, with its level, though off the grid now
    assert form[_field(grid["punctuality"])].value() == 1
    response = client.post(
        url,
        {
            "date": "05/10/2026",
            _field(grid["punctuality"]): 2,
            _field(grid["tools"]): "",
            _field(grid["teamwork"]): 4,
            "comment": "",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == _trainee_url(trainee)
    evaluation.refresh_from_db()
    assert evaluation.evaluator == evaluator  # the author of the rating stays who rated first
    assert {(rating.criterion.code, rating.level) for rating in evaluation.ratings.all()} == {
        ("punctuality", 2),
        ("teamwork", 4),
    }


# The trainee page


@pytest.fixture
def distinctive_trainee(organisation, site, grid, trainer):
    """A trainee whose file holds a distinctive value in every field a trainer must never see."""
    situation = SocialSituation.objects.create(
        organisation=organisation, code="distinctive", label="Situation-sociale-distinctive"
    )
    person = BeneficiaryFactory(
        organisation=organisation,
        first_name="Samir",
        last_name="Benali",
        birth_date=datetime.date(1971, 7, 3),
        phone="06 55 44 33 22",
        email="samir.secret@example.org",
        address="9 impasse Discrète",
        postcode="59399",
        city="Ville-Distinctive",
        referring_partner=PartnerFactory(organisation=organisation, name="Partenaire-orienteur-distinctif"),
        situations=[situation],
    )
    EnrolmentFactory(beneficiary=person, entry_date=datetime.date(2026, 9, 7))
    InterviewFactory(
        beneficiary=person, summary="Résumé-distinctif", confidential_note="Note-confidentielle-distinctive"
    )
    AssessmentFactory(beneficiary=person, comment="Bilan-distinctif")
    _present(person, site, datetime.date(2026, 11, 16))
    _present(person, site, datetime.date(2026, 10, 12), end=9.5, hours="1.5")
    _evaluation(person, datetime.date(2026, 9, 28), {grid["punctuality"]: 1, grid["safety"]: 2}, evaluator=trainer)
    _evaluation(
        person,
        datetime.date(2026, 11, 16),
        {grid["punctuality"]: 3, grid["teamwork"]: 2},
        evaluator=trainer,
        comment="Progrès nets sur la ponctualité.",
    )
    return person


def test_the_trainee_page_shows_the_name_enrolment_sites_hours_and_progression(client, trainer, distinctive_trainee):
    trainer.first_name, trainer.last_name = "Marc", "Jardinier"
    trainer.save()
    client.force_login(trainer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(_trainee_url(distinctive_trainee))
    assert response.status_code == 200
    html = response.content.decode()
    for text in [
        "Samir BENALI",
        "Enrolled",
        "07/09/2026",
        "Jardin des Tertiaux",
        "2 h",  # this month
        "3.50 h",  # in total
        "28/09/2026",
        "16/11/2026",
        "Ponctualité",
        "Sécurité et gestes et postures",
        "Travail en équipe",
        "Marc Jardinier",
        "Progrès nets sur la ponctualité.",
        "Rate skills",
        reverse("gardens:skill_evaluation_add", args=[distinctive_trainee.pk]),
    ]:
        assert text in html, text
    rows = {
        criterion.code: [r.level if r else None for r in ratings]
        for criterion, ratings in response.context["progression"]
    }
    assert rows == {"punctuality": [1, 3], "teamwork": [None, 2], "safety": [2, None]}
    assert list(rows) == ["punctuality", "teamwork", "safety"]  # the order of the grid


@pytest.mark.parametrize("persona", ["trainer", "social_worker"])
def test_the_trainee_page_never_shows_social_data(client, request, distinctive_trainee, persona):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(_trainee_url(distinctive_trainee))
    assert response.status_code == 200
    html = response.content.decode()
    for secret in [
        "03/07/1971",
        "1971",
        "06 55 44 33 22",
        "samir.secret@example.org",
        "impasse Discrète",
        "59399",
        "Ville-Distinctive",
        "Partenaire-orienteur-distinctif",
        "Situation-sociale-distinctive",
        "Résumé-distinctif",
        "Note-confidentielle-distinctive",
        "Bilan-distinctif",
    ]:
        assert secret not in html, secret
    assert set(response.context["trainee"]) == {"pk", "full_name", "enrolled_since"}


def test_a_social_worker_reads_the_page_without_the_button_to_rate(client, social_worker, distinctive_trainee):
    client.force_login(social_worker)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(_trainee_url(distinctive_trainee)).content.decode()
    assert "Ponctualité" in html
    assert reverse("gardens:skill_evaluation_add", args=[distinctive_trainee.pk]) not in html
    assert reverse("beneficiaries:detail", args=[distinctive_trainee.pk]) in html


def test_a_trainee_without_any_record_yet_says_what_to_do(client, trainer, trainee):
    client.force_login(trainer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(_trainee_url(trainee)).content.decode()
    assert "Not enrolled at the moment" in html
    assert "No skills evaluation yet" in html
    assert "Not on any workshop register yet." in html


@pytest.mark.parametrize("count", [1, 6])
def test_the_trainee_page_costs_the_same_queries_whatever_the_number_of_evaluations(
    client, trainer, trainee, site, grid, django_assert_num_queries, count
):
    for index in range(count):
        day = datetime.date(2026, 1, 5) + datetime.timedelta(weeks=index)
        _evaluation(trainee, day, {criterion: 1 + index % 4 for criterion in grid.values()}, evaluator=trainer)
        _present(trainee, SiteFactory(organisation=trainee.organisation), day)
    client.force_login(trainer)
    # session, user, memberships; the request's savepoint and its release; the trainee with its enrolment; the
    # evaluations with their evaluator; their ratings with the criteria; the sites; the hours.
    with django_assert_num_queries(10):
        response = client.get(_trainee_url(trainee))
    assert response.status_code == 200
    assert len(response.context["sites"]) == count


# Who may do what


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("social_worker", 200), ("trainer", 200), ("coordinator", 403), ("administrator", 403), ("outsider", 404)],
)
def test_social_workers_and_trainers_read_the_trainee_page(client, request, trainee, persona, expected):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(_trainee_url(trainee)).status_code == expected


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("trainer", 200), ("social_worker", 403), ("coordinator", 403), ("administrator", 403), ("outsider", 404)],
)
def test_only_trainers_rate_and_edit_skills(client, request, trainee, grid, persona, expected):
    evaluation = _evaluation(trainee, datetime.date(2026, 11, 2), {grid["safety"]: 2})
    client.force_login(request.getfixturevalue(persona))
    assert client.get(_add_url(trainee)).status_code == expected
    assert client.get(reverse("gardens:skill_evaluation_edit", args=[evaluation.pk])).status_code == expected
    response = client.post(_add_url(trainee), {"date": "18/11/2026", _field(grid["safety"]): 4})
    assert response.status_code == (302 if expected == 200 else expected)


def test_an_outsider_trainer_cannot_rate_nor_read_our_trainees(client, outsider, trainee, grid):
    client.force_login(outsider)
    response = client.post(_add_url(trainee), {"date": "18/11/2026", _field(grid["safety"]): 4})
    assert response.status_code == 404
    assert not SkillEvaluation.objects.exists()


# For the file page and the livret


def test_skills_and_hours_adds_up_the_present_hours_only(organisation, trainee, site, grid, trainer):
    _present(trainee, site, datetime.date(2026, 11, 16))  # 2 h, this month
    _present(trainee, site, datetime.date(2026, 11, 17), start=14, end=15.5, hours="1.5")  # 1.5 h, this month
    _present(trainee, site, datetime.date(2026, 11, 18), hours="0", status="absent")  # 0 h
    _present(trainee, site, datetime.date(2026, 11, 19), hours="0", status="excused")  # 0 h
    _present(trainee, site, datetime.date(2026, 6, 15))  # 2 h, within the last 12 months
    _present(trainee, site, datetime.date(2025, 11, 20))  # 2 h, a year ago to the day: only in the total
    _present(BeneficiaryFactory(organisation=organisation), site, datetime.date(2026, 11, 16))  # someone else
    _evaluation(trainee, datetime.date(2026, 9, 28), {grid["punctuality"]: 1})
    latest = _evaluation(
        trainee, datetime.date(2026, 11, 16), {grid["safety"]: 4, grid["punctuality"]: 3}, evaluator=trainer
    )

    summary = skills.skills_and_hours(trainee)

    assert summary["hours"] == {
        "this_month": Decimal("3.5"),  # 2 + 1.5
        "last_12_months": Decimal("5.5"),  # 2 + 1.5 + 2
        "total": Decimal("7.5"),  # 2 + 1.5 + 2 + 2
        "workshops": 4,
    }
    assert summary["latest_evaluation"] == latest
    assert summary["latest_evaluation"].evaluator == trainer
    assert [(r.criterion.code, r.level) for r in summary["latest_evaluation"].ratings.all()] == [
        ("punctuality", 3),
        ("safety", 4),
    ]
    assert summary["trainee_url"] == _trainee_url(trainee)


def test_skills_and_hours_of_a_newcomer_is_zero_and_nothing(trainee):
    summary = skills.skills_and_hours(trainee)
    assert summary["hours"] == {
        "this_month": Decimal("0"),
        "last_12_months": Decimal("0"),
        "total": Decimal("0"),
        "workshops": 0,
    }
    assert summary["latest_evaluation"] is None


def test_skills_and_hours_costs_three_queries_or_one_without_the_skills(
    trainee, grid, site, django_assert_num_queries
):
    _present(trainee, site, datetime.date(2026, 11, 16))
    for index in range(3):
        _evaluation(trainee, datetime.date(2026, 9, 1 + index), {criterion: 2 for criterion in grid.values()})
    with django_assert_num_queries(3):  # the hours; the latest evaluation with its evaluator; its ratings
        summary = skills.skills_and_hours(trainee)
        assert len(summary["latest_evaluation"].ratings.all()) == len(grid)
    with django_assert_num_queries(1):
        summary = skills.skills_and_hours(trainee, skills=False)
    assert summary["latest_evaluation"] is None
    assert summary["show_skills"] is False


def test_the_file_fragment_shows_the_hours_and_the_latest_evaluation(trainee, grid, site, trainer):
    trainer.first_name, trainer.last_name = "Marc", "Jardinier"
    trainer.save()
    _present(trainee, site, datetime.date(2026, 11, 17), start=14, end=15.5, hours="1.5")
    _evaluation(trainee, datetime.date(2026, 11, 16), {grid["teamwork"]: SkillLevel.MASTERED}, evaluator=trainer)
    with translation.override("en"):
        html = render_to_string(
            "beneficiaries/includes/skills_and_hours.html", {"skills_and_hours": skills.skills_and_hours(trainee)}
        )
        level = str(SkillLevel.MASTERED.label)
    assert "1.50 h" in html
    assert "Latest skills evaluation, 16/11/2026, by Marc Jardinier" in html
    assert "Travail en équipe" in html and level in html
    assert _trainee_url(trainee) in html


def test_the_file_fragment_without_the_skills_shows_only_the_hours(trainee, grid):
    _evaluation(trainee, datetime.date(2026, 11, 16), {grid["teamwork"]: 4})
    with translation.override("en"):
        html = render_to_string(
            "beneficiaries/includes/skills_and_hours.html",
            {"skills_and_hours": skills.skills_and_hours(trainee, skills=False)},
        )
    assert "0 h" in html
    assert "Travail en équipe" not in html
    assert _trainee_url(trainee) not in html


def test_the_progress_compares_the_latest_evaluation_with_the_first(trainee, grid):
    _evaluation(trainee, datetime.date(2026, 3, 2), {grid["punctuality"]: 1, grid["safety"]: 2})
    _evaluation(trainee, datetime.date(2026, 6, 1), {grid["punctuality"]: 2})
    _evaluation(trainee, datetime.date(2026, 9, 7), {grid["punctuality"]: 4, grid["teamwork"]: 3})
    evaluations = list(
        SkillEvaluation.objects.filter(beneficiary=trainee)
        .prefetch_related(skills.ratings_prefetch())
        .order_by("date", "pk")
    )
    with translation.override("en"):
        progress = skills.skills_progress(evaluations)
        assert progress["rows"] == [
            ("Ponctualité", "1 · To acquire", "4 · Mastered"),
            ("Travail en équipe", None, "3 · Acquired"),
        ]
    assert progress["first"].date == datetime.date(2026, 3, 2)
    assert progress["latest"].date == datetime.date(2026, 9, 7)
    assert skills.skills_progress(evaluations[:1])["first"] is None
    assert skills.skills_progress([]) is None


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (datetime.date(2026, 11, 20), datetime.date(2025, 11, 20)),
        (datetime.date(2028, 2, 29), datetime.date(2027, 2, 28)),
    ],
)
def test_a_year_before_a_leap_day_is_the_28th(today, expected):
    assert skills.one_year_before(today) == expected
