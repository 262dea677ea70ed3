"""`manage.py report`: the report of any days in each format, read back from the file; clear refusals."""

import csv
import datetime
import json

import pytest
import time_machine
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from insertion.models import Programme
from reporting.indicators import REGISTRY
from tests.reporting.test_report_views import build_people

ARGS = ["--organisation", "jardins", "--from", "2025-01-01", "--to", "2025-12-31"]


@pytest.fixture(autouse=True)
def _english_and_frozen(settings):
    settings.LANGUAGE_CODE = "en"
    with time_machine.travel(datetime.datetime(2026, 3, 20, 11, 0, tzinfo=datetime.UTC), tick=False):
        yield


@pytest.fixture
def people(organisation, other_organisation):
    return build_people(organisation, other_organisation)


def _run(*args):
    call_command("report", *args)


def test_json_holds_every_indicator_with_the_figures(people, tmp_path):
    path = tmp_path / "rapport.json"
    _run(*ARGS, "--format", "json", "--output", str(path))
    data = json.loads(path.read_text())
    assert set(data["indicators"]) == set(REGISTRY)
    assert data["indicators"]["beneficiaries_reached"]["value"] == 3
    assert data["indicators"]["beneficiaries_by_sex"]["rows"][0] == {
        "key": "F",
        "label": "Female",
        "value": 2,
        "share": "66.7",
    }
    assert data["period"] == {"start": "2025-01-01", "end": "2025-12-31", "label": "2025"}
    assert data["organisations"] == [{"slug": "jardins", "name": "Les Jardins"}]


def test_csv_writes_one_table(people, tmp_path):
    path = tmp_path / "sexe.csv"
    _run(*ARGS, "--format", "csv", "--table", "beneficiaries_by_sex", "--output", str(path))
    text = path.read_text(encoding="utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(text.removeprefix("\ufeff").splitlines(), delimiter=";"))
    assert rows[1:3] == [["Female", "2", "66.7"], ["Male", "1", "33.3"]]
    assert rows[-1] == ["Total", "3", "100"]


def test_xlsx_has_the_summary_and_the_tables(people, tmp_path):
    path = tmp_path / "rapport.xlsx"
    _run(*ARGS, "--format", "xlsx", "--output", str(path))
    workbook = load_workbook(path)
    assert workbook.sheetnames[0] == "Summary"
    rows = list(workbook["beneficiaries_by_sex"].iter_rows(min_row=3, max_row=4, values_only=True))
    assert rows == [("Female", 2, 66.7), ("Male", 1, 33.3)]


def test_pdf_is_a_pdf_with_its_cover(people, tmp_path, rendered_html):
    pages = rendered_html
    path = tmp_path / "rapport.pdf"
    _run(*ARGS, "--format", "pdf", "--output", str(path))
    assert path.read_bytes().startswith(b"%PDF")
    assert '<section class="cover"' in pages[0]
    assert '<nav class="toc"' in pages[0]


def test_a_site_and_a_programme_narrow_the_report(people, organisation, tmp_path):
    path = tmp_path / "site.json"
    _run(*ARGS, "--format", "json", "--site", str(people["site"].pk), "--output", str(path))
    data = json.loads(path.read_text())
    assert data["site"]["name"] == "Jardin du Moulin"
    assert data["indicators"]["beneficiaries_reached"]["value"] == 1
    Programme.objects.create(organisation=organisation, code="chantier", label="Chantier tremplin")
    _run(*ARGS, "--format", "json", "--programme", "chantier", "--output", str(path))
    data = json.loads(path.read_text())
    assert data["programme"] == {"code": "chantier", "label": "Chantier tremplin"}
    assert data["indicators"]["beneficiaries_reached"]["value"] == 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--organisation", "nobody", "--from", "2025-01-01", "--to", "2025-12-31"], "No organisation has the short"),
        (["--organisation", "jardins", "--from", "01/01/2025", "--to", "2025-12-31"], "--from '01/01/2025' is not a"),
        (["--organisation", "jardins", "--from", "2025-02-30", "--to", "2025-12-31"], "--from '2025-02-30' is not a"),
        (["--organisation", "jardins", "--from", "2025-12-31", "--to", "2025-01-01"], "comes before its start"),
    ],
)
def test_bad_arguments_are_refused_with_a_clear_message(people, tmp_path, args, message):
    path = tmp_path / "rapport.json"
    with pytest.raises(CommandError, match=message):
        _run(*args, "--format", "json", "--output", str(path))
    assert not path.exists()


def test_an_unknown_format_a_missing_table_or_another_organisation_site_are_refused(
    people, tmp_path, other_organisation
):
    from tests.gardens.factories import SiteFactory

    path = str(tmp_path / "out")
    with pytest.raises(CommandError, match="Unknown format 'ods': choose one of json, csv, xlsx, pdf."):
        _run(*ARGS, "--format", "ods", "--output", path)
    with pytest.raises(CommandError, match="add --table"):
        _run(*ARGS, "--format", "csv", "--output", path)
    with pytest.raises(CommandError, match="No table has the code 'beneficiaries_reached'"):
        _run(*ARGS, "--format", "csv", "--table", "beneficiaries_reached", "--output", path)
    theirs = SiteFactory(organisation=other_organisation)
    with pytest.raises(CommandError, match=f"Les Jardins has no site number {theirs.pk}."):
        _run(*ARGS, "--format", "json", "--site", str(theirs.pk), "--output", path)
    with pytest.raises(CommandError, match="has no programme with the code 'nope'"):
        _run(*ARGS, "--format", "json", "--programme", "nope", "--output", path)
