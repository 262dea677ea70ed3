"""Forms of the committees, the synthesis sheet and the network view.

The period is chosen as on the report page (reporting.forms.ReportForm: a month, a quarter, a year, or any days
from … to …), so that a report attached to a committee, a synthesis sheet and a network report name their
periods the same way, and the report page's parameters post unchanged to the attach form.
"""

import math
from urllib.parse import urlencode

from django import forms
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from insertion.forms import DateField, OrganisationModelForm
from reporting.forms import PeriodKind, ReportForm
from reporting.models import Committee, SynthesisSheet

# What fits on the one page of the synthesis sheet beside its nine figures (tests/reporting/test_synthesis.py
# prints the longest analysis allowed): characters, and lines of print of about 90 characters, a blank line
# between paragraphs counting as one.
ANALYSIS_MAX_LENGTH = 2500
ANALYSIS_MAX_LINES = 30
PRINTED_LINE_LENGTH = 90


def printed_lines(text):
    """About how many lines the text takes on the synthesis sheet."""
    return sum(max(1, math.ceil(len(line) / PRINTED_LINE_LENGTH)) for line in text.strip().splitlines())


def last_year_data(today):
    """The choices of a first visit: last calendar year, the report a steering committee usually reads."""
    return {**ReportForm.defaults(today), "period": PeriodKind.YEAR, "year": str(today.year - 1)}


def chosen_data(data, today):
    """The choices of the query string or form, else last calendar year."""
    return data if ReportForm.has_choices(data) else last_year_data(today)


class CommitteeForm(OrganisationModelForm):
    date = DateField(label=_("Date"))

    class Meta:
        model = Committee
        fields = ["kind", "date", "title", "attendees", "minutes"]
        widgets = {
            "attendees": forms.Textarea(attrs={"rows": 4}),
            "minutes": forms.Textarea(attrs={"rows": 10}),
        }


class PeriodForm(ReportForm):
    """A period only, for a whole organisation (the synthesis sheet) or several (the network view).

    Without "this year to date": the sheet's analysis is kept per period, and a period ending today would lose
    it tomorrow.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["site"], self.fields["programme"]
        self.fields["period"].choices = [
            (value, label) for value, label in PeriodKind.choices if value != PeriodKind.YEAR_TO_DATE
        ]

    def query_string(self):
        start, end = self.period_bounds()
        return period_query(start, end)


def period_query(start, end):
    """The query string of exact days (the same figures tomorrow as today)."""
    return urlencode({"period": PeriodKind.CUSTOM, "start": f"{start:%d/%m/%Y}", "end": f"{end:%d/%m/%Y}"})


class AttachForm(ReportForm):
    """Which committee, and the report of which period (and site or programme), to freeze onto it."""

    committee = forms.ModelChoiceField(
        label=_("Committee"),
        queryset=Committee.objects.none(),
        error_messages={
            "required": _("Choose the committee to attach the report to."),
            "invalid_choice": _("Choose one of your organisation's committees."),
        },
    )
    field_order = ["committee", "period", "year", "quarter", "month", "start", "end", "site", "programme"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["committee"].queryset = Committee.objects.of(self.organisation)


class FrozenReportRemoveForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I understand that the figures and the PDF shown to the committee will be deleted for good."),
        error_messages={"required": _("Tick the box to confirm the removal.")},
    )


class SynthesisForm(forms.ModelForm):
    class Meta:
        model = SynthesisSheet
        fields = ["analysis"]
        widgets = {"analysis": forms.Textarea(attrs={"rows": 12, "maxlength": ANALYSIS_MAX_LENGTH})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["analysis"].validators.append(MaxLengthValidator(ANALYSIS_MAX_LENGTH))
        self.fields["analysis"].help_text = _(
            "What the figures say: highlights, difficulties, outlook. No names of people. "
            "At most %(count)s characters and about %(lines)s lines, so that the sheet holds on one page."
        ) % {"count": ANALYSIS_MAX_LENGTH, "lines": ANALYSIS_MAX_LINES}

    def clean_analysis(self):
        analysis = self.cleaned_data["analysis"]
        if printed_lines(analysis) > ANALYSIS_MAX_LINES:
            raise forms.ValidationError(
                _(
                    "The analysis would not hold on the one page of the sheet: shorten it or join short "
                    "paragraphs (about %(lines)s lines of print at most)."
                )
                % {"lines": ANALYSIS_MAX_LINES},
                code="too_many_lines",
            )
        return analysis
