"""Two social workers edit the same record: the second save is refused, both versions are shown, nothing is lost.

Optimistic locking without a version column (insertion.forms.ConcurrentEditMixin): the form carries a hash of the
record as stored when the page was opened, and the save is checked against the record as stored now.
"""

import datetime

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from beneficiaries.enums import ActionStatus, Domain
from beneficiaries.forms import AssessmentForm, InterviewForm
from beneficiaries.models import Action, Assessment, Interview
from tests.beneficiaries.factories import ActionFactory, AssessmentItemFactory, InterviewFactory
from tests.conftest import _member
from tests.utils import form_data

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


CONFLICT = "Someone else saved this record while you were editing it"


@pytest.fixture(autouse=True)
def _frozen_time():
    with time_machine.travel(datetime.datetime(2026, 11, 20, 10, 0, tzinfo=datetime.UTC), tick=False):
        yield


@pytest.fixture
def two_social_workers(client, organisation, social_worker):
    """Anna (the `client` fixture) and Bruno (a second browser), both social workers of the organisation."""
    client.force_login(social_worker)
    other = Client()
    other.force_login(_member(organisation, "bruno@example.org", social_worker=True))
    return client, other


def _edit_concurrently(clients, url, change_a, change_b):
    """Both open the page; A saves first, then B: returns B's response."""
    anna, bruno = clients
    data_a, data_b = form_data(anna.get(url)), form_data(bruno.get(url))
    assert data_a["version"] == data_b["version"] and data_a["version"][0]
    saved = anna.post(url, {**data_a, **change_a})
    assert saved.status_code == 302, saved.context["form"].errors if saved.context else saved
    return bruno.post(url, {**data_b, **change_b}), data_b


def _their_version_and_yours(response, name):
    """(their saved value, the value typed) for the form field `name`, as the conflict table shows them."""
    form = response.context["form"]
    rows = {label: (theirs, yours) for label, theirs, yours in form.conflict_rows}
    return rows[form.fields[name].label]


def test_the_second_save_of_an_interview_is_refused_with_both_versions_and_nothing_lost(
    two_social_workers, organisation
):
    interview = InterviewFactory(beneficiary__organisation=organisation, summary="Premier résumé")
    url = reverse("beneficiaries:interview_edit", args=[interview.pk])

    refused, data_b = _edit_concurrently(
        two_social_workers, url, {"summary": "Version d'Anna"}, {"summary": "Version de Bruno"}
    )

    assert refused.status_code == 200
    form = refused.context["form"]
    assert CONFLICT in str(form.non_field_errors())
    assert form.conflict[form.fields["summary"].label] == "Version d'Anna"
    assert _their_version_and_yours(refused, "summary") == ("Version d'Anna", "Version de Bruno")
    page = refused.content.decode()
    assert 'class="table-warning"' in page and "Version d&#x27;Anna" in page
    assert form_data(refused)["summary"] == ["Version de Bruno"]  # what Bruno typed is still in his form
    interview.refresh_from_db()
    assert interview.summary == "Version d'Anna"

    # Saving again, having seen Anna's version, overwrites it knowingly.
    again = two_social_workers[1].post(url, form_data(refused))
    assert again.status_code == 302
    interview.refresh_from_db()
    assert interview.summary == "Version de Bruno"
    assert form_data(refused)["version"] != data_b["version"]


def test_the_second_save_of_an_assessment_is_refused_when_a_domain_changed(two_social_workers, organisation):
    item = AssessmentItemFactory(
        assessment__beneficiary__organisation=organisation, domain=Domain.HEALTH, level=2, situation="Suivi CMP"
    )
    url = reverse("beneficiaries:assessment_edit", args=[item.assessment.pk])

    refused, _data_b = _edit_concurrently(
        two_social_workers,
        url,
        {"health-situation": "Soins réguliers"},
        {"health-situation": "Rendez-vous manqués", "comment": "Bilan de Bruno"},
    )

    assert refused.status_code == 200
    assert CONFLICT in str(refused.context["form"].non_field_errors())
    assert _their_version_and_yours(refused, "health-situation") == ("Soins réguliers", "Rendez-vous manqués")
    assert form_data(refused)["comment"] == ["Bilan de Bruno"]
    assert Assessment.objects.get().comment == item.assessment.comment
    item.refresh_from_db()
    assert item.situation == "Soins réguliers"

    assert two_social_workers[1].post(url, form_data(refused)).status_code == 302
    item.refresh_from_db()
    assert item.situation == "Rendez-vous manqués"
    assert Assessment.objects.get().comment == "Bilan de Bruno"


def test_the_second_save_of_an_action_is_refused(two_social_workers, organisation):
    action = ActionFactory(objective__beneficiary__organisation=organisation, title="Appeler la Mission Locale")
    url = reverse("beneficiaries:action_edit", args=[action.pk])

    refused, _data_b = _edit_concurrently(
        two_social_workers, url, {"status": "done"}, {"title": "Appeler France Travail"}
    )

    assert refused.status_code == 200
    assert CONFLICT in str(refused.context["form"].non_field_errors())
    assert _their_version_and_yours(refused, "status") == (
        str(ActionStatus.DONE.label),
        str(ActionStatus.PLANNED.label),
    )
    action.refresh_from_db()
    assert (action.title, action.status) == ("Appeler la Mission Locale", "done")

    assert two_social_workers[1].post(url, form_data(refused)).status_code == 302
    action.refresh_from_db()
    assert (action.title, action.status) == ("Appeler France Travail", "planned")


def test_a_save_without_a_concurrent_change_goes_through(two_social_workers, organisation):
    action = ActionFactory(objective__beneficiary__organisation=organisation)
    url = reverse("beneficiaries:action_edit", args=[action.pk])
    anna = two_social_workers[0]
    assert anna.post(url, {**form_data(anna.get(url)), "title": "Nouveau titre"}).status_code == 302
    assert Action.objects.get().title == "Nouveau titre"


def test_a_save_without_the_version_is_refused(two_social_workers, organisation):
    """A request that does not say which version it edits cannot be told apart from a stale one."""
    action = ActionFactory(objective__beneficiary__organisation=organisation, title="Titre d'origine")
    url = reverse("beneficiaries:action_edit", args=[action.pk])
    data = form_data(two_social_workers[0].get(url))
    del data["version"]
    response = two_social_workers[0].post(url, {**data, "title": "Sans version"})
    assert response.status_code == 200
    assert Action.objects.get().title == "Titre d'origine"


def test_a_record_deleted_meanwhile_cannot_be_saved(organisation):
    interview = InterviewFactory(beneficiary__organisation=organisation)
    version = InterviewForm(instance=interview).initial["version"]
    Interview.objects.filter(pk=interview.pk).delete()
    form = InterviewForm({"date": "02/02/2026", "kind": "individual", "version": version}, instance=interview)
    assert not form.is_valid()
    assert "deleted" in str(form.non_field_errors())


def test_the_version_ignores_unrelated_changes_and_follows_related_ones(organisation):
    item = AssessmentItemFactory(assessment__beneficiary__organisation=organisation, domain=Domain.HEALTH, level=2)
    assessment = item.assessment
    interview = InterviewFactory(beneficiary=assessment.beneficiary)

    def versions():
        return (
            AssessmentForm(instance=Assessment.objects.get(pk=assessment.pk)).initial["version"],
            InterviewForm(instance=Interview.objects.get(pk=interview.pk)).initial["version"],
        )

    before = versions()
    assert before == versions()  # stable: the same record gives the same version
    Assessment.objects.filter(pk=assessment.pk).update(created_at=datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC))
    Interview.objects.filter(pk=interview.pk).update(
        created_at=datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC), author=None
    )
    assert versions() == before  # neither timestamps nor fields outside the form count

    item.obstacles = "Nouvel obstacle"
    item.save()
    assert versions()[0] != before[0]  # an assessment's domains are part of its version
    Interview.objects.filter(pk=interview.pk).update(confidential_note="Autre note")
    assert versions()[1] != before[1]
