"""The report's downloads: JSON of every indicator by code, CSV per table, XLSX, PDF; the same figures as the page."""

import csv
import datetime
import io
import json
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from reporting import report as report_module
from reporting.indicators import REGISTRY, Scope, by_section, compute
from reporting.report import build_report, report_csv, report_json, report_pdf, report_xlsx, xlsx_sheet_names
from tests.reporting.test_report_views import YEAR_2025, add_volume, build_people, indicator_queries, table_row
from tests.utils import read_response

D = datetime.date
# Besides the indicators' queries: the session, the user, the memberships, the request's savepoint and its release
# (the form's lists are not rendered).
EXPORT_QUERIES = 5


@pytest.fixture(autouse=True)
def _english_and_frozen(settings):
    settings.LANGUAGE_CODE = "en"
    with time_machine.travel(datetime.datetime(2026, 3, 20, 11, 0, tzinfo=datetime.UTC), tick=False):
        yield


@pytest.fixture
def people(organisation, other_organisation):
    return build_people(organisation, other_organisation)


@pytest.fixture
def coordinator_client(client, coordinator):
    client.force_login(coordinator)
    return client


@pytest.fixture
def year_2025(organisation):
    return Scope((organisation,), D(2025, 1, 1), D(2025, 12, 31))


def _export(client, fmt, **params):
    return client.get(reverse("reporting:report_export", kwargs={"fmt": fmt}), {**YEAR_2025, **params})


# JSON


def test_the_json_has_every_registered_indicator_and_what_the_report_covers(coordinator_client, organisation, people):
    response = _export(coordinator_client, "json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"] == 'attachment; filename="rapport-jardins-2025-01-01-2025-12-31.json"'
    data = json.loads(response.content)
    assert set(data["indicators"]) == set(REGISTRY)
    assert data["organisations"] == [{"slug": "jardins", "name": "Les Jardins"}]
    assert data["period"] == {"start": "2025-01-01", "end": "2025-12-31", "label": "2025"}
    assert data["site"] is None and data["programme"] is None
    assert data["generated_at"].startswith("2026-03-20T11:00:00")


def test_the_json_figures_are_the_indicators_results(coordinator_client, organisation, people, year_2025):
    data = json.loads(_export(coordinator_client, "json").content)["indicators"]
    assert data["beneficiaries_reached"]["value"] == 3
    assert data["beneficiaries_reached"]["unit"] == "people"
    assert data["beneficiaries_by_sex"]["label"] == "People reached by sex"
    assert data["beneficiaries_by_sex"]["rows"] == [
        {"key": "F", "label": "Female", "value": 2, "share": "66.7"},
        {"key": "M", "label": "Male", "value": 1, "share": "33.3"},
        {"key": "X", "label": "Other or not stated", "value": 0, "share": "0.0"},
    ]
    assert data["exits_by_category"]["rows"][0] == {
        "key": "sustainable_employment",
        "label": "Sustainable employment",
        "value": 2,  # Béatrice and Camille left to a CDI
        "share": "100.0",
    }
    for code, result in compute(year_2025).items():
        assert {key: value for key, value in data[code].items() if key in ("value", "rows", "base")} == (
            result.as_dict() | ({"rows": []} if REGISTRY[code].table and not result.rows else {})
        ), code


def test_the_json_of_a_site_names_the_site(coordinator_client, people):
    data = json.loads(_export(coordinator_client, "json", site=people["site"].pk).content)
    assert data["site"] == {"id": people["site"].pk, "name": "Jardin du Moulin"}
    assert data["indicators"]["beneficiaries_reached"]["value"] == 1


# CSV


def test_a_table_as_csv_for_french_spreadsheets(coordinator_client, people):
    response = _export(coordinator_client, "csv", table="beneficiaries_by_sex")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "rapport-jardins-2025-01-01-2025-12-31-beneficiaries_by_sex.csv" in response["Content-Disposition"]
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff")), delimiter=";"))
    assert rows == [
        ["Label", "People", "Share (%)"],
        ["Female", "2", "66.7"],
        ["Male", "1", "33.3"],
        ["Other or not stated", "0", "0.0"],
        ["Total", "3", "100"],
    ]


def test_the_csv_writes_decimals_with_a_comma_in_french(people, organisation, settings, year_2025):
    with translation.override("fr"):
        text = report_csv(build_report(year_2025), "beneficiaries_by_sex")
    assert ";2;66,7\r\n" in text
    assert ";1;33,3\r\n" in text


@pytest.mark.parametrize("table", ["", "no_such_table", "beneficiaries_reached"])
def test_a_csv_of_an_unknown_table_or_of_a_single_figure_is_a_404(coordinator_client, people, table):
    assert _export(coordinator_client, "csv", table=table).status_code == 404


def test_an_unknown_format_is_a_404(coordinator_client, people):
    assert _export(coordinator_client, "ods").status_code == 404


def test_a_csv_cell_that_would_run_as_a_formula_is_quoted(organisation, year_2025):
    report = build_report(year_2025)
    item = report.item("beneficiaries_by_sex")
    item.result.rows[0].label = "=HYPERLINK(1)"
    assert "'=HYPERLINK(1);" in report_csv(report, "beneficiaries_by_sex")


# XLSX


def test_the_workbook_has_a_summary_and_a_sheet_per_table(coordinator_client, people, year_2025):
    response = _export(coordinator_client, "xlsx")
    assert response.status_code == 200
    assert response["Content-Type"] == report_module.XLSX_CONTENT_TYPE
    workbook = load_workbook(io.BytesIO(read_response(response)))
    tables = [
        indicator.code for _key, _label, indicators in by_section() for indicator in indicators if indicator.table
    ]
    names = xlsx_sheet_names(tables)
    assert workbook.sheetnames == ["Summary", *[names[code] for code in tables]]
    assert len(set(workbook.sheetnames)) == len(workbook.sheetnames)
    summary = {row[4]: row[2] for row in workbook["Summary"].iter_rows(min_row=8, values_only=True)}
    assert summary["beneficiaries_reached"] == 3
    assert summary["entries"] == 2
    assert set(summary) == set(REGISTRY)
    sheet = list(workbook["beneficiaries_by_sex"].iter_rows(values_only=True))
    assert sheet == [
        ("People reached by sex", None, None),
        ("Label", "People", "Share (%)"),
        ("Female", 2, 66.7),
        ("Male", 1, 33.3),
        ("Other or not stated", 0, 0.0),
        ("Total", 3, 100.0),
    ]
    info = {row[0]: row[1] for row in workbook["Summary"].iter_rows(min_row=2, max_row=5, values_only=True)}
    assert info["Organisations"] == "Les Jardins"
    assert info["Period"] == "2025 (01/01/2025 – 31/12/2025)"


def test_the_workbook_figures_equal_the_indicators_results(organisation, people, year_2025):
    workbook = load_workbook(io.BytesIO(report_xlsx(build_report(year_2025))))
    results = compute(year_2025)
    names = xlsx_sheet_names([code for code in results if REGISTRY[code].table])
    for code, result in results.items():
        if not REGISTRY[code].table:
            continue
        rows = list(workbook[names[code]].iter_rows(min_row=3, values_only=True))
        for row, expected in zip(rows, result.rows, strict=False):
            assert row[0] == str(expected.label)
            assert Decimal(str(row[1])) == Decimal(expected.value)
            assert Decimal(str(row[2])) == expected.share


# PDF


def test_the_pdf_has_a_cover_a_table_of_contents_and_every_section(coordinator_client, people, rendered_html):
    response = coordinator_client.get(reverse("reporting:report_pdf"), YEAR_2025)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="rapport-jardins-2025-01-01-2025-12-31.pdf"'
    assert read_response(response).startswith(b"%PDF")
    (html,) = rendered_html
    cover = html[html.index('<section class="cover"') : html.index("</section>", html.index('<section class="cover"'))]
    assert "Les Jardins" in cover
    assert "Indicator report" in cover
    assert "From 01/01/2025 to 31/12/2025, both included" in cover
    assert "All sites and programmes" in cover
    assert "20/03/2026" in cover
    toc = html[html.index('<nav class="toc"') : html.index("</nav>")]
    for key, label, indicators in by_section():
        if indicators:
            assert f'<a href="#section-{key}">{label}</a>' in toc
            assert f'<section class="report-section" id="section-{key}">' in html
        for indicator in indicators:
            assert f'<a href="#indicator-{indicator.code}">' in toc
            assert f'id="indicator-{indicator.code}"' in html
    # The page numbers of the contents come from the printable base's CSS.
    assert "target-counter(attr(href), page)" in html
    assert "counter(page)" in html
    assert table_row("Female", 2, "66.7") in html
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="chart"' in html
    for name in ("Martin", "Durand", "Petit", "Diallo"):
        assert name not in html


def test_the_pdf_can_be_made_without_a_request(organisation, people, year_2025, rendered_html):
    """The committees freeze reports and `manage.py report` prints them without a web request."""
    pdf = report_pdf(build_report(year_2025))
    assert pdf.startswith(b"%PDF")
    assert "Les Jardins" in rendered_html[0]


def test_the_pdf_table_of_contents_gets_page_numbers(organisation, people, year_2025):
    from weasyprint import HTML

    from insertion.pdf import StaticFilesFetcher

    document = HTML(
        string=report_module.report_pdf_html(build_report(year_2025)),
        base_url="http://localhost/",
        url_fetcher=StaticFilesFetcher(),
    ).render()
    assert len(document.pages) >= 3  # the cover, the contents, a section or more
    anchors = {name for page in document.pages for name in page.anchors}
    assert {"cover", "contents", "section-people", "indicator-beneficiaries_by_sex"} <= anchors


# Queries


@pytest.mark.parametrize(
    ("name", "kwargs", "params"),
    [
        ("reporting:report_export", {"fmt": "json"}, {}),
        ("reporting:report_export", {"fmt": "xlsx"}, {}),
        ("reporting:report_export", {"fmt": "csv"}, {"table": "beneficiaries_by_sex"}),
        ("reporting:report_pdf", {}, {}),
    ],
)
def test_each_download_runs_the_same_number_of_queries_whatever_the_volume(
    coordinator_client, organisation, people, year_2025, django_assert_num_queries, name, kwargs, params
):
    url = reverse(name, kwargs=kwargs)
    per_indicator = indicator_queries(year_2025)
    with django_assert_num_queries(EXPORT_QUERIES + per_indicator):
        read_response(coordinator_client.get(url, {**YEAR_2025, **params}))
    add_volume(organisation, people["site"])
    with django_assert_num_queries(EXPORT_QUERIES + per_indicator):
        response = coordinator_client.get(url, {**YEAR_2025, **params})
        read_response(response)
    assert response.status_code == 200


def test_report_json_is_plain_data(organisation, people, year_2025):
    """What the committees store: it goes through json.dumps untouched."""
    data = report_json(build_report(year_2025))
    assert json.loads(json.dumps(data)) == data
