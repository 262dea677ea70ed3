"""Every form of the project, filled with generated values: no request ends in a server error, none half-saves.

The forms are found, not listed: every page of the role × URL matrix is opened by a persona allowed on it, and
its own <form method="post"> is read from the HTML (tests.utils.page_form). Hypothesis then fills each field
with text, numbers, dates in several formats, empty or very long values, unicode, unknown choices and the ids of
another organisation's records. A refused form (200 with errors) must leave every table as it was.
"""

import datetime

import pytest
import time_machine
from django.apps import apps
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from insertion import inventory
from tests.beneficiaries.factories import ActionFactory
from tests.test_url_matrix import AD, CO, MATRIX, SW, TR, World, _url
from tests.utils import page_form, read_response

ORDER = [SW, TR, CO, AD]
FORM_PAGES = sorted(
    name
    for name, entry in MATRIX.items()
    if entry.method == "get" and entry.ok == 200 and entry.allowed and not entry.path and not name.startswith("admin")
)

TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40)
DATES = st.dates(min_value=datetime.date(1900, 1, 1), max_value=datetime.date(2100, 12, 31)).flatmap(
    lambda day: st.sampled_from(
        [day.strftime("%d/%m/%Y"), day.isoformat(), day.strftime("%d/%m/%y"), day.strftime("%m/%d/%Y")]
    )
)
NUMBERS = st.one_of(st.integers(), st.floats(allow_nan=True, allow_infinity=True)).map(str)
ODD = st.sampled_from(["", " ", "0", "-1", "x" * 5000, "é" * 300, "<script>alert(1)</script>", "'; --", "12:60"])


@pytest.fixture
def world(organisation, other_organisation, social_worker, trainer, coordinator, administrator, outsider):
    built = World(organisation, social_worker, {SW: social_worker, TR: trainer, CO: coordinator, AD: administrator})
    elsewhere = ActionFactory(objective__beneficiary__organisation=other_organisation)
    built.foreign_ids = [
        str(pk) for pk in (elsewhere.pk, elsewhere.objective.pk, elsewhere.objective.beneficiary.pk, 10**9)
    ]
    return built


def _row_counts():
    return {
        model._meta.label: model._default_manager.count()
        for app in inventory.PROJECT_APPS
        for model in apps.get_app_config(app).get_models()
    }


def _value(field, original, foreign_ids):
    choices = field["choices"]
    strategies = [TEXT, DATES, NUMBERS, ODD, st.sampled_from(foreign_ids)]
    if original:
        strategies.append(st.sampled_from(original))
    if choices:
        strategies.append(st.sampled_from(choices))
        if field["kind"] == "checkbox" or field.get("multiple"):
            return st.lists(st.sampled_from(choices + foreign_ids), max_size=3)
    return st.one_of(strategies)


@pytest.mark.parametrize("name", FORM_PAGES)
@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_no_generated_input_makes_a_form_fail_or_half_save(client, world, name, data):
    entry = MATRIX[name]
    persona = next(persona for persona in ORDER if persona in entry.allowed)
    client.force_login(world.users[persona])
    with time_machine.travel(datetime.datetime(2026, 11, 20, 10, 0, tzinfo=datetime.UTC), tick=False):
        url = _url(entry, name, world)
        page = client.get(url)
        read_response(page)  # a download holds its file open until read
        if not page["Content-Type"].startswith("text/html"):
            return  # a download: no form
        forms = [form for form in [_own_form(page)] if form and form["fields"]]
        if not forms:
            return  # a page without a form of its own (a list, a report)
        form = forms[0]
        post = {"csrfmiddlewaretoken": form["data"].get("csrfmiddlewaretoken", [""])}
        for field_name, field in form["fields"].items():
            if field_name == "csrfmiddlewaretoken":
                continue
            original = form["data"].get(field_name, [])
            post[field_name] = data.draw(_value(field, original, world.foreign_ids), label=field_name)
        before = _row_counts()
        response = client.post(url, post)
        assert response.status_code < 500, (url, post)
        if response.status_code == 200:
            assert _row_counts() == before, f"{url} refused the form but wrote: {post}"


def _own_form(response):
    try:
        return page_form(response)
    except AssertionError:
        return None
