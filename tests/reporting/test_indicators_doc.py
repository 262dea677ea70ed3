"""docs/indicators.md is generated from the registry: it can never say something the code does not do."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from reporting.indicators import REGISTRY, _load
from reporting.management.commands.indicators_doc import DEFAULT_OUTPUT, render


def test_the_documentation_is_what_the_command_writes():
    assert DEFAULT_OUTPUT.read_text(encoding="utf-8") == render(), (
        "docs/indicators.md is out of date: run `python manage.py indicators_doc` and commit it."
    )


def test_every_indicator_is_documented_with_its_formula_source_and_unit():
    _load()
    text = render()
    for code, indicator in REGISTRY.items():
        assert f"### `{code}` — " in text
        section = text.split(f"### `{code}` — ", 1)[1].split("\n### ", 1)[0]
        for field in ("**Formula:**", "**Source:**", f"**Unit:** {indicator.unit}"):
            assert field in section, (code, field)


def test_the_documentation_is_in_english_whatever_the_language(settings):
    settings.LANGUAGE_CODE = "fr"
    assert "### `beneficiaries_reached` — People reached" in render()


def test_the_command_writes_the_file_and_checks_it(tmp_path):
    output = tmp_path / "indicators.md"
    call_command("indicators_doc", output=str(output), stdout=StringIO())
    assert output.read_text(encoding="utf-8") == render()
    out = StringIO()
    call_command("indicators_doc", output=str(output), check=True, stdout=out)
    assert "up to date" in out.getvalue()
    output.write_text("# Indicators\n", encoding="utf-8")
    with pytest.raises(CommandError, match="out of date"):
        call_command("indicators_doc", output=str(output), check=True)
