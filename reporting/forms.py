"""The report's choices: a period (a month, a quarter, a year, the year to date, or any days from … to …) and
optionally one site or one programme of the current organisation."""

import datetime
from urllib.parse import urlencode

from django import forms
from django.db import models
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from gardens.models import Site
from insertion.forms import DateField
from insertion.models import Programme
from reporting.charts import add_months, month_end
from reporting.indicators import Scope

FIRST_YEAR = 2000


class PeriodKind(models.TextChoices):
    YEAR_TO_DATE = "ytd", _("This year to date")
    MONTH = "month", _("A month")
    QUARTER = "quarter", _("A quarter")
    YEAR = "year", _("A year")
    CUSTOM = "custom", _("From … to …")


class SiteChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, site):
        return _("%(site)s (archived)") % {"site": site.name} if site.is_archived else site.name


class ProgrammeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, programme):
        if programme.is_active:
            return programme.label
        return _("%(programme)s (no longer offered)") % {"programme": programme.label}


class ReportForm(forms.Form):
    """Read from the query string, so that a report is a link one can bookmark and its downloads carry it."""

    period = forms.ChoiceField(
        label=_("Period"), choices=PeriodKind.choices, initial=PeriodKind.YEAR_TO_DATE, widget=forms.RadioSelect
    )
    year = forms.IntegerField(
        label=_("Year"),
        required=False,
        help_text=_("For a month, a quarter or a year."),
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    quarter = forms.TypedChoiceField(
        label=_("Quarter"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "—")] + [(number, _("Q%(quarter)s") % {"quarter": number}) for number in range(1, 5)],
    )
    month = forms.TypedChoiceField(label=_("Month"), required=False, coerce=int, empty_value=None)
    start = DateField(label=_("From"), required=False, help_text=_("For “from … to …”: the first day, dd/mm/yyyy."))
    end = DateField(label=_("To"), required=False, help_text=_("The last day, included."))
    # Archived sites and programmes no longer offered stay in the lists: last year's report may need them.
    site = SiteChoiceField(
        label=_("Site"),
        queryset=Site.objects.none(),
        required=False,
        empty_label=_("All sites"),
        error_messages={"invalid_choice": _("Choose one of your organisation's sites.")},
    )
    programme = ProgrammeChoiceField(
        label=_("Programme"),
        queryset=Programme.objects.none(),
        required=False,
        empty_label=_("All programmes"),
        error_messages={"invalid_choice": _("Choose one of your organisation's programmes.")},
    )

    def __init__(self, *args, organisation, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation, self.today = organisation, today
        self.fields["site"].queryset = Site.objects.filter(organisation=organisation)
        self.fields["programme"].queryset = Programme.objects.filter(organisation=organisation)
        self.fields["month"].choices = [("", "—")] + [
            (number, formats.date_format(datetime.date(2000, number, 1), "F").capitalize()) for number in range(1, 13)
        ]
        self.fields["year"].validators.append(_year_validator(FIRST_YEAR, today.year + 1))
        self.fields["year"].widget.attrs.update(min=FIRST_YEAR, max=today.year + 1)

    @classmethod
    def defaults(cls, today):
        """The data of a first visit: the year to date, the organisation's year and month already chosen."""
        return {
            "period": PeriodKind.YEAR_TO_DATE,
            "year": str(today.year),
            "quarter": str((today.month - 1) // 3 + 1),
            "month": str(today.month),
        }

    @classmethod
    def has_choices(cls, data):
        return any(name in data for name in cls.base_fields)

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("period")
        needs_year = kind in (PeriodKind.MONTH, PeriodKind.QUARTER, PeriodKind.YEAR)
        if needs_year and cleaned.get("year") is None and "year" not in self.errors:
            self.add_error("year", _("Enter the year, for example %(year)s.") % {"year": self.today.year})
        if kind == PeriodKind.MONTH and cleaned.get("month") is None and "month" not in self.errors:
            self.add_error("month", _("Choose the month."))
        if kind == PeriodKind.QUARTER and cleaned.get("quarter") is None and "quarter" not in self.errors:
            self.add_error("quarter", _("Choose the quarter."))
        if kind == PeriodKind.CUSTOM:
            for name, message in [
                ("start", _("Enter the first day of the period, as dd/mm/yyyy.")),
                ("end", _("Enter the last day of the period, as dd/mm/yyyy.")),
            ]:
                if cleaned.get(name) is None and name not in self.errors:
                    self.add_error(name, message)
            start, end = cleaned.get("start"), cleaned.get("end")
            if start and end and end < start:
                self.add_error("end", _("The end of the period cannot come before its start."))
            elif start and start.year < FIRST_YEAR:
                self.add_error("start", _("Choose a day from %(year)s on.") % {"year": FIRST_YEAR})
        return cleaned

    def period_bounds(self):
        """The first and last days of the chosen period (both included)."""
        data = self.cleaned_data
        kind, year = data["period"], data.get("year")
        if kind == PeriodKind.YEAR_TO_DATE:
            return self.today.replace(month=1, day=1), self.today
        if kind == PeriodKind.YEAR:
            return datetime.date(year, 1, 1), datetime.date(year, 12, 31)
        if kind == PeriodKind.QUARTER:
            first = datetime.date(year, 3 * data["quarter"] - 2, 1)
            return first, month_end(add_months(first, 2))
        if kind == PeriodKind.MONTH:
            first = datetime.date(year, data["month"], 1)
            return first, month_end(first)
        return data["start"], data["end"]

    def scope(self):
        start, end = self.period_bounds()
        return Scope(
            (self.organisation,), start, end, site=self.cleaned_data["site"], programme=self.cleaned_data["programme"]
        )

    def query_string(self):
        """The same report as exact days, for the download links (they give the same figures tomorrow)."""
        start, end = self.period_bounds()
        params = {"period": PeriodKind.CUSTOM, "start": f"{start:%d/%m/%Y}", "end": f"{end:%d/%m/%Y}"}
        if self.cleaned_data["site"] is not None:
            params["site"] = self.cleaned_data["site"].pk
        if self.cleaned_data["programme"] is not None:
            params["programme"] = self.cleaned_data["programme"].pk
        return urlencode(params)


def _year_validator(low, high):
    def validate(value):
        if value is not None and not low <= value <= high:
            raise forms.ValidationError(
                _("Enter a year between %(low)s and %(high)s.") % {"low": low, "high": high}, code="year"
            )

    return validate


def month_query(first):
    """The query string of the report of one month."""
    return urlencode({"period": PeriodKind.MONTH, "year": first.year, "month": first.month})
