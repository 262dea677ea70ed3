"""The dashboard's month-by-month series and their charts.

A series over 24 months is one grouped query (or one query of 24 conditional counts), never a query per month,
so that the dashboard runs the same number of queries whatever the history. The figures follow the indicators'
definitions (reporting/definitions): people reached in a month are those with an enrolment running on at least
one day of it; hours are those of presences at the organisation's workshops; harvests are counted by weight.
"""

import datetime
import math
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import formats
from django.utils.translation import gettext as _

from beneficiaries.models import Enrolment
from gardens.enums import AttendanceStatus
from gardens.models import Attendance, Harvest
from insertion.charts import bar_chart, line_chart


def add_months(month, count):
    """The first day of the month `count` months after (or before) the month of `month`."""
    index = month.year * 12 + month.month - 1 + count
    return datetime.date(index // 12, index % 12 + 1, 1)


def month_end(month):
    return add_months(month, 1) - datetime.timedelta(days=1)


def months_ending(month, count):
    """The first days of the `count` months that end with `month`, oldest first."""
    return [add_months(month, offset) for offset in range(1 - count, 1)]


def people_reached_by_month(organisation_ids, months):
    """{month: people reached that month}, in one query of one distinct count per month."""
    first, last = months[0], month_end(months[-1])
    enrolments = Enrolment.objects.filter(beneficiary__organisation__in=organisation_ids, entry_date__lte=last).filter(
        Q(exit_date__isnull=True) | Q(exit_date__gte=first)
    )
    counts = enrolments.aggregate(
        **{
            f"m{index}": Count(
                "beneficiary",
                distinct=True,
                filter=Q(entry_date__lte=month_end(month)) & (Q(exit_date__isnull=True) | Q(exit_date__gte=month)),
            )
            for index, month in enumerate(months)
        }
    )
    return {month: counts[f"m{index}"] or 0 for index, month in enumerate(months)}


def harvest_kg_by_month(organisation_ids, months):
    """{month: kg harvested}, in one grouped query."""
    rows = (
        Harvest.objects.filter(organisation__in=organisation_ids, date__gte=months[0], date__lte=month_end(months[-1]))
        .annotate(month=TruncMonth("date"))
        .values("month")
        .annotate(kg=Sum("weight_kg"))
        .order_by()
    )
    found = {_as_date(row["month"]): row["kg"] for row in rows}
    return {month: found.get(month) or Decimal("0") for month in months}


def presence_hours_by_month(organisation_ids, months):
    """{month: hours of presence at workshops}, in one grouped query."""
    rows = (
        Attendance.objects.filter(
            workshop__organisation__in=organisation_ids,
            workshop__date__gte=months[0],
            workshop__date__lte=month_end(months[-1]),
            status=AttendanceStatus.PRESENT,
        )
        .annotate(month=TruncMonth("workshop__date"))
        .values("month")
        .annotate(hours=Sum("hours"))
        .order_by()
    )
    found = {_as_date(row["month"]): row["hours"] for row in rows}
    return {month: found.get(month) or Decimal("0") for month in months}


def _as_date(value):
    return value.date() if isinstance(value, datetime.datetime) else value


def month_label(month):
    return formats.date_format(month, "M Y")


def nice_ceiling(value):
    """A round top for a scale: 7 → 8, 23 → 25, 130 → 150; at least 1."""
    value = float(value or 0)
    if value <= 0:
        return 1
    magnitude = 10 ** math.floor(math.log10(value))
    return next(step * magnitude for step in (1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10) if step * magnitude >= value)


def year_on_year_chart(title, by_month, month, *, unit_header, empty_text):
    """The 12 months ending with `month` beside the 12 months a year earlier, as two lines over the same months.

    `by_month` holds the 24 months ending with `month`."""
    recent = months_ending(month, 12)
    earlier = [add_months(day, -12) for day in recent]
    current_values = [by_month[day] for day in recent]
    earlier_values = [by_month[day] for day in earlier]
    top = nice_ceiling(max([*current_values, *earlier_values], default=0))
    if not any(current_values) and not any(earlier_values):
        current_values = earlier_values = [None] * len(recent)
    return line_chart(
        title,
        [month_label(day) for day in recent],
        [
            (_("12 months to %(month)s") % {"month": month_label(month)}, current_values),
            (_("A year earlier"), earlier_values),
        ],
        0,
        top,
        series_header=unit_header,
        empty_text=empty_text,
    )


def rows_chart(title, result, unit="", *, label_header="", value_header="", empty_text=None):
    """The bars of an indicator's table (its rows' labels and values)."""
    rows = result.rows if result is not None else []
    return bar_chart(
        title,
        [str(row.label) for row in rows],
        [row.value for row in rows],
        unit,
        label_header=label_header,
        value_header=value_header,
        empty_text=empty_text,
    )
