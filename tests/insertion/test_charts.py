"""Server-side SVG charts: escaped, described for screen readers, backed by their table, and deterministic."""

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.utils import translation

from insertion.charts import Panel, bar_chart, line_chart, small_multiples

SVG = "{http://www.w3.org/2000/svg}"
DATES = [datetime.date(2026, 1, 5), datetime.date(2026, 4, 6), datetime.date(2026, 7, 6)]


@pytest.fixture(autouse=True)
def _english():
    """The source strings, so that the expected texts do not change when the catalogue does."""
    with translation.override("en"):
        yield


def _parse(chart):
    return ET.fromstring(str(chart.svg))


def _series(root):
    return list(root.iterfind(f".//{SVG}g[@class='series']"))


def _texts(root):
    return ["".join(element.itertext()) for element in root.iter(f"{SVG}text")]


def _levels_chart(**kwargs):
    return line_chart(
        "Distance parcourue",
        DATES,
        {"Santé": [1, 2, 4], "Logement": [2, None, 3]},
        1,
        4,
        {1: "Frein majeur", 4: "Pas de frein"},
        **kwargs,
    )


def test_a_label_like_a_script_tag_is_escaped_everywhere():
    hostile = '<script>alert("x")</script>'
    charts = [
        line_chart(hostile, [hostile], {hostile: [1]}, 0, 2, {1: hostile}),
        bar_chart(hostile, [hostile], [3], unit=hostile),
        small_multiples(hostile, [hostile], [Panel(hostile, [1], 0, 2, {1: hostile})]),
        line_chart(hostile, [], {}, 0, 1, empty_text=hostile),
    ]
    for chart in charts:
        assert "<script>" not in chart.svg
        assert "&lt;script&gt;" in chart.svg
        root = _parse(chart)
        assert root.find(f"{SVG}title").text == hostile
        assert root.find(f".//{SVG}script") is None


def test_the_svg_parses_as_xml_and_names_its_title_and_description():
    for chart in [_levels_chart(), bar_chart("Récoltes", ["Serre"], [4]), line_chart("Vide", [], {}, 0, 1)]:
        root = _parse(chart)
        assert root.tag == f"{SVG}svg"
        assert root.get("role") == "img"
        assert root.get("viewBox").startswith("0 0 640 ")
        title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
        assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
        assert title.text == chart.title
        assert desc.text == chart.description


def test_the_text_alternative_says_where_each_series_starts_and_ends():
    chart = _levels_chart()
    assert chart.description == (
        "Distance parcourue. "
        "Santé: from Frein majeur on 05/01/2026 to Pas de frein on 06/07/2026. "
        "Logement: from 2 on 05/01/2026 to 3 on 06/07/2026."
    )


def test_the_table_holds_the_data_of_the_line_chart():
    chart = _levels_chart(series_header="Domaine")
    assert chart.table.caption == "Distance parcourue"
    assert chart.table.headers == ("Domaine", "05/01/2026", "06/04/2026", "06/07/2026")
    assert chart.table.rows == (
        ("Santé", "Frein majeur", "2", "Pas de frein"),
        ("Logement", "2", "—", "3"),
    )


def test_the_axis_shows_the_words_given_for_the_values():
    texts = _texts(_parse(_levels_chart()))
    assert "Frein majeur" in texts and "Pas de frein" in texts
    assert {"2", "3"} <= set(texts)
    assert {"05/01/2026", "06/04/2026", "06/07/2026"} <= set(texts)


def test_a_missing_value_breaks_the_line_instead_of_joining_across_it():
    health, housing = _series(_parse(_levels_chart()))
    assert health.find(f"{SVG}path").get("d").count("M") == 1
    assert housing.find(f"{SVG}path").get("d").count("M") == 2
    assert len(list(housing)) == 1 + 2  # the line, and a marker for each of the two known values


def test_series_differ_by_marker_and_dash_pattern_not_by_colour_alone():
    health, housing = _series(_parse(_levels_chart()))
    assert health.find(f"{SVG}circle") is not None and health.find(f"{SVG}rect") is None
    assert housing.find(f"{SVG}rect") is not None and housing.find(f"{SVG}circle") is None
    assert health.find(f"{SVG}path").get("stroke-dasharray") is None
    assert housing.find(f"{SVG}path").get("stroke-dasharray") == "6 3"
    root = _parse(_levels_chart())
    keys = list(root.iterfind(f".//{SVG}g[@class='key']"))
    assert [key.find(f"{SVG}path").get("stroke-dasharray") for key in keys] == [None, "6 3"]
    assert {"Santé", "Logement"} <= set(_texts(root))


def test_the_bar_chart_writes_each_value_with_its_unit_and_keeps_the_table():
    with translation.override("fr"):
        chart = bar_chart("Récoltes", ["Jardin du Nord", "Serre"], [12.5, 0], unit="kg", value_header="Poids")
    texts = _texts(_parse(chart))
    assert "12,5\N{NO-BREAK SPACE}kg" in texts and "0\N{NO-BREAK SPACE}kg" in texts
    assert chart.table.headers == ("", "Poids")
    assert chart.table.rows == (("Jardin du Nord", "12,5\N{NO-BREAK SPACE}kg"), ("Serre", "0\N{NO-BREAK SPACE}kg"))
    widths = [float(rect.get("width")) for rect in _parse(chart).iter(f"{SVG}rect")]
    assert widths[1] == 0 and widths[0] > 0


def test_the_longest_bar_is_the_largest_value():
    chart = bar_chart("Récoltes", ["a", "b", "c"], [10, 40, 20])
    widths = [float(rect.get("width")) for rect in _parse(chart).iter(f"{SVG}rect")]
    assert widths[1] == max(widths)
    assert widths[0] == pytest.approx(widths[1] / 4, abs=0.1)


def test_small_multiples_draw_one_panel_per_series_each_on_its_own_scale():
    chart = small_multiples(
        "Distance parcourue",
        DATES,
        [Panel("Santé", [1, 2, 4], 1, 4, {1: "1 · Frein majeur"}), Panel("Autonomie", [2, 3, 5], 1, 5)],
        series_header="Domaine",
    )
    root = _parse(chart)
    assert len(_series(root)) == 2
    texts = _texts(root)
    assert "Santé" in texts and "Autonomie" in texts and "5" in texts
    assert chart.table.rows == (("Santé", "1 · Frein majeur", "2", "4"), ("Autonomie", "2", "3", "5"))
    assert "Autonomie: from 2 on 05/01/2026 to 5 on 06/07/2026." in chart.description


@pytest.mark.parametrize(
    "draw",
    [
        lambda: line_chart("Distance parcourue", [], {}, 1, 4),
        lambda: line_chart("Distance parcourue", DATES, {"Santé": [None, None, None]}, 1, 4),
        lambda: bar_chart("Récoltes", [], []),
        lambda: small_multiples("Distance parcourue", DATES, [Panel("Santé", [None, None, None], 1, 4)]),
    ],
    ids=["line without categories", "line without values", "bars", "small multiples"],
)
def test_empty_data_gives_an_explicit_no_data_chart(draw):
    chart = draw()
    root = _parse(chart)
    assert chart.is_empty
    assert "No data yet." in _texts(root)
    assert root.find(f"{SVG}desc").text == chart.description == "No data yet."
    assert root.find(f".//{SVG}g") is None  # no series drawn: no axis that would read as zeros
    assert not _levels_chart().is_empty


def test_an_empty_chart_says_what_the_caller_asks():
    chart = line_chart("Distance parcourue", [], {}, 1, 4, empty_text="Pas encore de bilan.")
    assert chart.is_empty
    assert "Pas encore de bilan." in _texts(_parse(chart))
    assert chart.description == "Pas encore de bilan."


def test_the_same_input_gives_the_same_svg():
    assert _levels_chart().svg == _levels_chart().svg
    assert bar_chart("R", ["a"], [1]).svg == bar_chart("R", ["a"], [1]).svg
    assert _levels_chart().svg != line_chart("Distance parcourue", DATES, {"Santé": [1, 2, 3]}, 1, 4).svg


def test_the_chart_renders_as_its_svg_in_a_template():
    chart = bar_chart("R", ["a"], [1])
    assert chart.__html__() == chart.svg == str(chart)


def test_values_must_match_the_categories():
    with pytest.raises(ValueError, match="3 categories but 2 values"):
        line_chart("Distance parcourue", DATES, {"Santé": [1, 2]}, 1, 4)
    with pytest.raises(ValueError, match="2 labels but 1 values"):
        bar_chart("Récoltes", ["a", "b"], [1])


def test_a_bar_chart_refuses_negative_values():
    with pytest.raises(ValueError, match="zero or more"):
        bar_chart("Récoltes", ["a"], [-1])
