"""Every request is atomic (ATOMIC_REQUESTS): a view that fails after a first write leaves nothing behind.

The test runs with real commits (transactional_db), as in production, not inside a test transaction that would
roll everything back anyway. The new-assessment view writes the assessment, then its domains, without a
transaction of its own: making the second write fail shows what the request's transaction does.
"""

import datetime

import pytest
import time_machine
from django.db import connection
from django.urls import reverse

from beneficiaries.models import Assessment, AssessmentItem
from tests.beneficiaries.factories import BeneficiaryFactory
from tests.utils import TwoFactorClient

ASSESSMENT = {"date": "10/11/2026", "kind": "entry", "autonomy": "2", "security": "1", "health-level": "2"}


@pytest.fixture
def failing_second_write(monkeypatch):
    def fail(*args, **kwargs):
        raise RuntimeError("the database went away after the first write")

    monkeypatch.setattr(AssessmentItem, "save", fail)


@pytest.fixture
def browser(transactional_db, social_worker):
    """A client that answers a server error with a 500 page, as a browser gets, instead of raising in the test."""
    client = TwoFactorClient(raise_request_exception=False)
    client.force_login(social_worker)
    return client


def _post_assessment(client, organisation):
    beneficiary = BeneficiaryFactory(organisation=organisation)
    with time_machine.travel(datetime.datetime(2026, 11, 20, 10, 0, tzinfo=datetime.UTC), tick=False):
        return client.post(reverse("beneficiaries:assessment_add", args=[beneficiary.pk]), ASSESSMENT)


def test_the_assessment_and_its_domains_are_saved_together(browser, organisation):
    assert _post_assessment(browser, organisation).status_code == 302
    assert Assessment.objects.count() == 1 and AssessmentItem.objects.count() == 1


@pytest.mark.usefixtures("failing_second_write")
def test_a_request_failing_after_a_first_write_writes_nothing(browser, organisation):
    assert _post_assessment(browser, organisation).status_code == 500
    assert Assessment.objects.count() == 0
    assert AssessmentItem.objects.count() == 0


@pytest.mark.usefixtures("failing_second_write")
def test_without_atomic_requests_the_same_failure_would_leave_half_an_assessment(browser, organisation, monkeypatch):
    """The counter-proof: the test above passes because of ATOMIC_REQUESTS, not by accident."""
    monkeypatch.setitem(connection.settings_dict, "ATOMIC_REQUESTS", False)
    assert _post_assessment(browser, organisation).status_code == 500
    assert Assessment.objects.count() == 1
    assert AssessmentItem.objects.count() == 0
