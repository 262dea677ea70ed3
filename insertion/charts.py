"""Charts drawn on the server as SVG, so that a page and its PDF show the same picture.

No JavaScript (WeasyPrint runs none) and no dependency: each function returns a `Chart` holding the `<svg>`
markup and the `Table` of the same data, which the template shows next to the picture. The SVG has a title and
a text summary for screen readers, scales with its viewBox, and never relies on colour alone: series differ by
marker shape and dash pattern too, and bars carry their value as text. Every text is escaped (labels come from
users), and the same input always gives the same string, so that tests and caches can compare charts.
"""

import datetime
import hashlib
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import formats
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

WIDTH = 640
PAD = 12
FONT_SIZE = 12
AXIS_SIZE = 11
SMALL_AXIS_SIZE = 10
TITLE_SIZE = 14
CHAR_WIDTH = 0.6  # DejaVu Sans averages about 0.6 em per character: enough to lay labels out
INK = "#1a1a1a"
MUTED = "#4d4d4d"
GRID = "#c8c8c8"
BAR = "#24572d"  # the garden green of the interface, 8:1 on white
# Dark enough for 4.5:1 on white; shapes and dashes tell the series apart in black and white.
PALETTE = ("#24572d", "#0b4f8a", "#8a3b00", "#5b2a86", "#9c1c3f", "#00545c", "#4d4d4d", "#6b5300")
MARKERS = ("circle", "square", "triangle", "diamond", "triangle-down", "cross")
DASHES = ("", "6 3", "2 3", "8 3 2 3")
NO_VALUE = "—"


@dataclass(frozen=True)
class Table:
    """The chart's data as a table: `headers`, then `rows` whose first cell names the row."""

    caption: str
    headers: tuple
    rows: tuple


@dataclass(frozen=True)
class Chart:
    title: str
    description: str  # the text alternative: what the chart shows, in a sentence or two
    svg: SafeString
    table: Table
    is_empty: bool = False  # nothing to draw: the SVG says so, and the template may leave the table out

    def __html__(self):
        return self.svg

    def __str__(self):
        return self.svg


@dataclass(frozen=True)
class Panel:
    """One small chart of `small_multiples`: a single series of values over the shared categories."""

    title: str
    values: tuple
    y_min: float
    y_max: float
    y_labels: Mapping = field(default_factory=dict)


def line_chart(title, categories, series, y_min, y_max, y_labels=None, *, series_header="", empty_text=None):
    """Several series over the same categories (dates, months…), on a scale from `y_min` to `y_max`.

    `series` maps each name to its values, one per category (None where there is none: the line breaks);
    a mapping or a sequence of (name, values) pairs. `y_labels` maps values to the words shown on the axis and
    in the table (`{1: "Major obstacle", 4: "No obstacle"}`); other values are shown as numbers.
    """
    title, categories = str(title), [_text(category) for category in categories]
    series = _named_series(series, len(categories))
    y_labels = {value: str(label) for value, label in (y_labels or {}).items()}
    table = _series_table(title, categories, [(name, values, y_labels) for name, values in series], series_header)
    if not categories or not any(value is not None for _name, values in series for value in values):
        return _empty_chart(title, table, empty_text)

    ticks = _ticks(y_min, y_max, y_labels)
    room = min(max(_text_width(y_labels.get(tick, _number(tick)), AXIS_SIZE) for tick in ticks), WIDTH * 0.35)
    tick_texts = [_fit(y_labels.get(tick, _number(tick)), room, AXIS_SIZE) for tick in ticks]
    left = PAD + room + 8
    top = PAD + TITLE_SIZE + 14
    plot_height = min(240, max(140, 36 * len(ticks)))
    parts = [_title_text(title)]
    parts += _plot(left, top, WIDTH - PAD - left, plot_height, categories, series, y_min, y_max, ticks, tick_texts)
    height = top + plot_height + 2 * FONT_SIZE
    if len(series) > 1:
        legend, legend_height = _legend([name for name, _values in series], height + 4)
        parts += legend
        height += 4 + legend_height
    description = _series_description(title, categories, [(name, values, y_labels) for name, values in series])
    return _chart(title, description, parts, height + PAD, table)


def small_multiples(title, categories, panels, *, columns=2, series_header="", empty_text=None):
    """One small line chart per `Panel`, side by side over the same categories, each on its own scale.

    Easier to read than many crossing lines, and every panel keeps its own range (a level out of 4 next to a
    score out of 5). The axes show the numbers; the table and the text alternative use the `y_labels`.
    """
    title, categories = str(title), [_text(category) for category in categories]
    panels = [
        Panel(
            str(panel.title),
            _values(panel.values, len(categories)),
            panel.y_min,
            panel.y_max,
            {value: str(label) for value, label in (panel.y_labels or {}).items()},
        )
        for panel in panels
    ]
    rows = [(panel.title, panel.values, panel.y_labels) for panel in panels]
    table = _series_table(title, categories, rows, series_header)
    if not categories or not any(value is not None for panel in panels for value in panel.values):
        return _empty_chart(title, table, empty_text)

    gap = 24
    panel_width = (WIDTH - 2 * PAD - (columns - 1) * gap) / columns
    top = PAD + TITLE_SIZE + 10
    parts = [_title_text(title)]
    for start in range(0, len(panels), columns):
        row = panels[start : start + columns]
        row_height = 0
        for column, panel in enumerate(row):
            ticks = _ticks(panel.y_min, panel.y_max, {})
            tick_texts = [_number(tick) for tick in ticks]
            x = PAD + column * (panel_width + gap)
            left = x + max(_text_width(text, SMALL_AXIS_SIZE) for text in tick_texts) + 6
            plot_height = 18 * max(3, len(ticks) - 1)
            parts.append(
                f'<text x="{_n(x)}" y="{_n(top + FONT_SIZE)}" font-weight="bold">'
                f"{escape(_fit(panel.title, panel_width))}</text>"
            )
            parts += _plot(
                left,
                top + FONT_SIZE + 12,
                x + panel_width - left,
                plot_height,
                categories,
                [(panel.title, panel.values)],
                panel.y_min,
                panel.y_max,
                ticks,
                tick_texts,
                axis_size=SMALL_AXIS_SIZE,
            )
            row_height = max(row_height, FONT_SIZE + 12 + plot_height + SMALL_AXIS_SIZE + 10)
        top += row_height + 14
    return _chart(title, _series_description(title, categories, rows), parts, top + PAD - 14, table)


def bar_chart(title, labels, values, unit="", *, label_header="", value_header="", empty_text=None):
    """Horizontal bars, one per label, each with its value written at its end (`unit` after it: "kg", "%")."""
    title, labels = str(title), [_text(label) for label in labels]
    values = list(values)
    if len(values) != len(labels):
        raise ValueError(f"{len(labels)} labels but {len(values)} values.")
    if any(value is None or value < 0 for value in values):
        raise ValueError("A bar chart draws values of zero or more.")
    unit = str(unit)
    value_texts = [_with_unit(_number(value), unit) for value in values]
    table = Table(title, (str(label_header), str(value_header)), tuple(zip(labels, value_texts, strict=True)))
    if not labels:
        return _empty_chart(title, table, empty_text)

    bar_height, gap = 22, 10
    label_width = min(max(_text_width(label) for label in labels), WIDTH * 0.4)
    value_width = max(_text_width(text) for text in value_texts)
    x0 = PAD + label_width + 8
    span = WIDTH - PAD - value_width - 6 - x0
    largest = max(values) or 1
    top = PAD + TITLE_SIZE + 14
    parts = [_title_text(title)]
    for index, (label, value, text) in enumerate(zip(labels, values, value_texts, strict=True)):
        y = top + index * (bar_height + gap)
        length = span * float(value) / float(largest)
        middle = y + bar_height / 2 + FONT_SIZE * 0.35
        parts.append(
            f'<text x="{_n(x0 - 8)}" y="{_n(middle)}" text-anchor="end">{escape(_fit(label, label_width))}</text>'
        )
        parts.append(f'<rect x="{_n(x0)}" y="{_n(y)}" width="{_n(length)}" height="{bar_height}" fill="{BAR}"/>')
        parts.append(f'<text x="{_n(x0 + length + 6)}" y="{_n(middle)}">{escape(text)}</text>')
    bottom = top + len(labels) * (bar_height + gap) - gap
    parts.append(_line(x0, top - 4, x0, bottom + 4, INK))
    description = _("%(title)s: %(items)s.") % {
        "title": title,
        "items": "; ".join(f"{label} {text}" for label, text in zip(labels, value_texts, strict=True)),
    }
    return _chart(title, description, parts, bottom + PAD + 4, table)


# The drawing.


def _chart(title, description, parts, height, table, is_empty=False):
    height = math.ceil(height)
    identifier = "chart-" + hashlib.sha1("\x1f".join([title, description, *parts]).encode()).hexdigest()[:10]
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" viewBox="0 0 {WIDTH} {height}" '
        # No style attribute (the CSP refuses inline styles): the page's and the PDF's CSS size `svg.chart`.
        f'width="{WIDTH}" height="{height}" '
        f'aria-labelledby="{identifier}-title {identifier}-desc" font-family="DejaVu Sans, Verdana, sans-serif" '
        f'font-size="{FONT_SIZE}" fill="{INK}">'
        f'<title id="{identifier}-title">{escape(title)}</title>'
        f'<desc id="{identifier}-desc">{escape(description)}</desc>' + "".join(parts) + "</svg>"
    )
    # Safe: every text in it went through escape().
    return Chart(title=title, description=description, svg=mark_safe(svg), table=table, is_empty=is_empty)


def _empty_chart(title, table, empty_text):
    """A frame that says there is nothing to draw yet, rather than empty axes that look like zeros."""
    text = str(empty_text or _("No data yet."))
    top, height = PAD + TITLE_SIZE + 10, 120
    box = height - PAD - top
    parts = [
        _title_text(title),
        f'<rect x="{PAD}" y="{top}" width="{WIDTH - 2 * PAD}" height="{box}" fill="#f4f4f4" stroke="{MUTED}" '
        'stroke-dasharray="6 4"/>',
        f'<text x="{_n(WIDTH / 2)}" y="{_n(top + box / 2 + FONT_SIZE * 0.35)}" text-anchor="middle">'
        f"{escape(_fit(text, WIDTH - 4 * PAD))}</text>",
    ]
    return _chart(title, text, parts, height, table, is_empty=True)


def _title_text(title):
    return (
        f'<text x="{PAD}" y="{PAD + TITLE_SIZE}" font-size="{TITLE_SIZE}" font-weight="bold">'
        f"{escape(_fit(title, WIDTH - 2 * PAD, TITLE_SIZE))}</text>"
    )


def _plot(left, top, width, height, categories, series, y_min, y_max, ticks, tick_texts, axis_size=AXIS_SIZE):
    """The grid, the axes' labels and the lines of one plot area."""
    parts = []

    def y_of(value):
        value = min(max(float(value), float(y_min)), float(y_max))
        return top + height - (value - float(y_min)) / ((float(y_max) - float(y_min)) or 1) * height

    for tick, text in zip(ticks, tick_texts, strict=True):
        y = y_of(tick)
        parts.append(_line(left, y, left + width, y, GRID))
        parts.append(
            f'<text x="{_n(left - 6)}" y="{_n(y + axis_size * 0.35)}" text-anchor="end" fill="{MUTED}" '
            f'font-size="{axis_size}">{escape(text)}</text>'
        )
    band = width / len(categories)

    def x_of(index):
        return left + (index + 0.5) * band

    for index in _shown_labels(categories, band, axis_size):
        parts.append(
            f'<text x="{_n(x_of(index))}" y="{_n(top + height + axis_size + 6)}" text-anchor="middle" '
            f'fill="{MUTED}" font-size="{axis_size}">{escape(categories[index])}</text>'
        )
    for look, (_name, values) in enumerate(series):
        colour, marker, dash = PALETTE[look % len(PALETTE)], MARKERS[look % len(MARKERS)], DASHES[look % len(DASHES)]
        path, pen_down = [], False
        for index, value in enumerate(values):
            if value is None:
                pen_down = False
                continue
            path.append(f"{'L' if pen_down else 'M'}{_n(x_of(index))} {_n(y_of(value))}")
            pen_down = True
        dasharray = f' stroke-dasharray="{dash}"' if dash else ""
        parts.append(f'<g class="series" fill="{colour}" stroke="{colour}">')
        if path:
            parts.append(f'<path d="{" ".join(path)}" fill="none" stroke-width="2"{dasharray}/>')
        parts += [_marker(marker, x_of(i), y_of(v)) for i, v in enumerate(values) if v is not None]
        parts.append("</g>")
    return parts


def _marker(shape, x, y, size=4.5):
    if shape == "circle":
        return f'<circle cx="{_n(x)}" cy="{_n(y)}" r="{_n(size)}"/>'
    if shape == "square":
        return f'<rect x="{_n(x - size)}" y="{_n(y - size)}" width="{_n(2 * size)}" height="{_n(2 * size)}"/>'
    if shape == "cross":
        return (
            f'<path d="M{_n(x - size)} {_n(y - size)}L{_n(x + size)} {_n(y + size)}'
            f'M{_n(x - size)} {_n(y + size)}L{_n(x + size)} {_n(y - size)}" stroke-width="2.5" fill="none"/>'
        )
    points = {
        "triangle": [(x, y - size * 1.2), (x + size * 1.1, y + size * 0.8), (x - size * 1.1, y + size * 0.8)],
        "triangle-down": [(x, y + size * 1.2), (x + size * 1.1, y - size * 0.8), (x - size * 1.1, y - size * 0.8)],
        "diamond": [(x, y - size * 1.3), (x + size * 1.3, y), (x, y + size * 1.3), (x - size * 1.3, y)],
    }[shape]
    return f'<polygon points="{" ".join(f"{_n(px)},{_n(py)}" for px, py in points)}"/>'


def _legend(names, top):
    """The key of a chart with several series: a sample of each line with its marker, then the name."""
    parts, x, y = [], PAD, top + FONT_SIZE
    for look, name in enumerate(names):
        width = 30 + _text_width(name) + 18
        if x > PAD and x + width > WIDTH - PAD:
            x, y = PAD, y + FONT_SIZE + 10
        colour, marker, dash = PALETTE[look % len(PALETTE)], MARKERS[look % len(MARKERS)], DASHES[look % len(DASHES)]
        dasharray = f' stroke-dasharray="{dash}"' if dash else ""
        middle = y - FONT_SIZE * 0.35
        parts.append(f'<g class="key" fill="{colour}" stroke="{colour}">')
        parts.append(f'<path d="M{_n(x)} {_n(middle)}H{_n(x + 24)}" stroke-width="2" fill="none"{dasharray}/>')
        parts.append(_marker(marker, x + 12, middle))
        parts.append("</g>")
        parts.append(f'<text x="{_n(x + 30)}" y="{_n(y)}">{escape(_fit(name, WIDTH - 2 * PAD - 30))}</text>')
        x += width
    return parts, y - top + 6


def _line(x1, y1, x2, y2, colour):
    return f'<path d="M{_n(x1)} {_n(y1)}L{_n(x2)} {_n(y2)}" stroke="{colour}" stroke-width="1" fill="none"/>'


def _shown_labels(categories, band, size):
    """Which category labels fit under the axis: every one if there is room, else evenly spaced ones."""
    widest = max(_text_width(category, size) for category in categories) + 8
    step = max(1, math.ceil(widest / band))
    shown = list(range(0, len(categories), step))
    last = len(categories) - 1
    if shown[-1] != last:
        if last - shown[-1] < step:
            shown.pop()
        shown.append(last)
    return shown


def _ticks(y_min, y_max, y_labels):
    """Round values for the grid (at most 8 intervals), plus every value that has its own label."""
    span = y_max - y_min
    ticks = {y_min}
    if span > 0:
        magnitude = 10 ** math.floor(math.log10(span / 8)) if span > 8 else 1
        step = next(multiple * magnitude for multiple in (1, 2, 5, 10) if span / (multiple * magnitude) <= 8)
        first = math.ceil(y_min / step) * step
        ticks |= {first + index * step for index in range(int((y_max - first) / step + 1e-9) + 1)}
    ticks |= {value for value in y_labels if y_min <= value <= y_max}
    return sorted(ticks)


# The text.


def _series_table(title, categories, rows, series_header):
    return Table(
        caption=title,
        headers=(str(series_header), *categories),
        rows=tuple(
            (name, *(NO_VALUE if value is None else labels.get(value, _number(value)) for value in values))
            for name, values, labels in rows
        ),
    )


def _series_description(title, categories, rows):
    """The progression of each series in words: where it starts and where it ends."""
    sentences = []
    for name, values, labels in rows:
        known = [(categories[index], value) for index, value in enumerate(values) if value is not None]
        if not known:
            continue
        (first_at, first), (last_at, last) = known[0], known[-1]
        if len(known) == 1:
            sentences.append(
                _("%(series)s: %(value)s on %(category)s.")
                % {"series": name, "value": labels.get(first, _number(first)), "category": first_at}
            )
        else:
            sentences.append(
                _("%(series)s: from %(first)s on %(first_category)s to %(last)s on %(last_category)s.")
                % {
                    "series": name,
                    "first": labels.get(first, _number(first)),
                    "first_category": first_at,
                    "last": labels.get(last, _number(last)),
                    "last_category": last_at,
                }
            )
    return " ".join([f"{title}.", *sentences])


def _named_series(series, length):
    pairs = series.items() if isinstance(series, Mapping) else series
    return [(_text(name), _values(values, length)) for name, values in pairs]


def _values(values, length):
    values = tuple(values)
    if len(values) != length:
        raise ValueError(f"{length} categories but {len(values)} values.")
    return values


def _text(value):
    if isinstance(value, datetime.date):
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return _number(value)
    return str(value)


def _number(value):
    """A number as people write it: no useless decimals, at most two, the language's decimal mark."""
    value = Decimal(str(value)).quantize(Decimal("0.01")).normalize()
    if value == value.to_integral_value():
        value = value.quantize(Decimal(1))
    return formats.number_format(value, use_l10n=True)


def _with_unit(text, unit):
    return f"{text}\N{NO-BREAK SPACE}{unit}" if unit and unit != "%" else f"{text}{unit}"


def _text_width(text, size=FONT_SIZE):
    return len(text) * size * CHAR_WIDTH


def _fit(text, width, size=FONT_SIZE):
    """The text, shortened with an ellipsis if it would overflow `width` (the table keeps it whole)."""
    most = max(1, int(width / (size * CHAR_WIDTH)))
    return text if len(text) <= most else text[: most - 1].rstrip() + "…"


def _n(value):
    """A coordinate, to a tenth: short, and the same string for the same input."""
    text = f"{float(value):.1f}"
    return text[:-2] if text.endswith(".0") else text
