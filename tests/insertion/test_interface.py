"""The interface: French by default with English available, dates dd/mm/yyyy, an accessible layout."""

import datetime
import re
from pathlib import Path

import pytest
from django import forms
from django.conf import settings
from django.template import Context, Engine, Template
from django.template.base import Origin
from django.urls import reverse
from django.utils import formats, translation

pytestmark = pytest.mark.django_db


def test_the_interface_is_french_by_default(client):
    page = client.get(reverse("accounts:login")).content.decode()
    assert '<html lang="fr">' in page
    assert "Se connecter" in page
    assert "Mot de passe oublié" in page


def test_the_language_switcher_turns_the_interface_to_english(client):
    response = client.post(reverse("core:set_language"), {"language": "en", "next": reverse("accounts:login")})
    assert response.status_code == 302
    page = client.get(reverse("accounts:login")).content.decode()
    assert '<html lang="en">' in page
    assert "Sign in" in page


def _po_entries(path):
    """(msgid, msgstrs, flags) for each entry of a .po file but the header."""
    entries, current, key = [], None, None
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        if not line.strip():
            if current:
                entries.append(current)
            current, key = None, None
            continue
        current = current or {"msgid": "", "msgstr": {}, "flags": ""}
        if line.startswith("#,"):
            current["flags"] += line
        elif line.startswith("msgid ") or line.startswith("msgid_plural "):
            key = "msgid"
            current["msgid"] += line.split(" ", 1)[1].strip('"')
        elif line.startswith("msgstr"):
            key = line.split(" ", 1)[0]
            current["msgstr"][key] = line.split(" ", 1)[1].strip('"')
        elif line.startswith('"') and key:
            if key == "msgid":
                current["msgid"] += line.strip('"')
            else:
                current["msgstr"][key] += line.strip('"')
    return [entry for entry in entries if entry["msgid"]]


def test_the_french_catalogue_has_no_untranslated_or_fuzzy_entry():
    entries = _po_entries(Path(settings.BASE_DIR) / "locale" / "fr" / "LC_MESSAGES" / "django.po")
    assert len(entries) > 100
    untranslated = [entry["msgid"] for entry in entries if not all(entry["msgstr"].values())]
    fuzzy = [entry["msgid"] for entry in entries if "fuzzy" in entry["flags"]]
    assert untranslated == []
    assert fuzzy == []


@pytest.mark.parametrize("language", ["fr", "en"])
def test_dates_are_dd_mm_yyyy_in_input_and_display(language):
    with translation.override(language):
        assert formats.date_format(datetime.date(2026, 3, 9), "SHORT_DATE_FORMAT") == "09/03/2026"
        field = forms.DateField()
        assert field.clean("09/03/2026") == datetime.date(2026, 3, 9)
        assert str(forms.DateInput().format_value(datetime.date(2026, 3, 9))) == "09/03/2026"


def test_the_layout_has_landmarks_a_skip_link_and_labelled_controls(client, social_worker):
    client.force_login(social_worker)
    page = client.get(reverse("beneficiaries:dashboard")).content.decode()
    assert 'href="#main"' in page and 'id="main"' in page
    assert "<header>" in page and "<main" in page and "<footer" in page
    assert '<nav class="navbar' in page and "aria-label=" in page
    assert '<label for="language-select"' in page
    # Assets are served by the application itself, never from a CDN.
    assert not re.search(r'(src|href)="https?://', page)


def test_strict_mode_fails_on_an_undefined_variable_in_a_project_template():
    origin = Origin(name=str(Path(settings.BASE_DIR) / "templates" / "example.html"), template_name="example.html")
    template = Template("Hello {{ nobody.name }}", origin=origin, engine=Engine.get_default())
    with pytest.raises(pytest.fail.Exception, match="nobody.name"):
        template.render(Context({}))


def test_a_browser_set_to_english_still_gets_french_until_the_person_chooses(client):
    page = client.get(reverse("accounts:login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="fr">' in page
