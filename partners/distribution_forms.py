"""The forms of the redistribution of the harvest: a distribution with its lines, the list's filters, the stock's."""

import datetime

import django_filters
from django import forms
from django.db.models import Q
from django.forms.models import ModelChoiceIterator
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from gardens.models import Site, Variety
from insertion.forms import DateField, DateInput, OrganisationModelForm
from partners.enums import RecipientKind
from partners.models import Distribution, Partner

MAX_LINES = 30
MONTHS_OFFERED = 24
GROWERS = "growers"
ALL_PARTNERS = "partners"


class SiteChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, site):
        return _("%(site)s (archived)") % {"site": site.name} if site.is_archived else site.name


class PartnerChoiceIterator(ModelChoiceIterator):
    """The partners in two groups: those that receive produce first, then the others."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        receivers, others = [], []
        for partner in self.queryset:
            (receivers if partner.receives_produce else others).append(self.choice(partner))
        if receivers:
            yield (_("They receive produce"), receivers)
        if others:
            yield (_("Other partners"), others)


class PartnerChoiceField(forms.ModelChoiceField):
    iterator = PartnerChoiceIterator


class DistributionForm(OrganisationModelForm):
    """The head of a distribution: when, from which site, to whom.

    Every partner of the directory still in use is offered, those marked as receiving produce first: a trainer
    giving to a shelter for the first time must be able to record it (only social workers and coordinators edit
    the directory), and the mark keeps the usual recipients at the top of the list.
    """

    date = DateField(label=_("Date"))

    class Meta:
        model = Distribution
        fields = ["date", "site", "recipient_kind", "partner", "notes"]
        field_classes = {"site": SiteChoiceField, "partner": PartnerChoiceField}
        widgets = {"recipient_kind": forms.RadioSelect, "notes": forms.Textarea(attrs={"rows": 2})}
        labels = {"recipient_kind": _("Given to"), "partner": _("Partner")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        organisation, instance = self.organisation, self.instance
        # An archived site or partner stays possible on a distribution that already has it, so it can be corrected.
        self.fields["site"].queryset = Site.objects.filter(organisation=organisation).filter(
            Q(is_archived=False) | Q(pk=instance.site_id)
        )
        self.fields["partner"].queryset = (
            Partner.objects.filter(organisation=organisation)
            .filter(Q(is_archived=False) | Q(pk=instance.partner_id))
            .order_by("-receives_produce", "name")
        )
        self.fields["partner"].required = False
        self.fields["partner"].help_text = _("Only when the produce goes to a partner.")

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("recipient_kind") == RecipientKind.GROWERS:
            cleaned["partner"] = None
        return cleaned


class LineForm(forms.Form):
    """One variety given and its weight; a blank line is ignored, and emptying a line removes it."""

    variety = forms.TypedChoiceField(label=_("Variety"), coerce=int, empty_value=None, required=False)
    weight_kg = forms.DecimalField(
        label=_("Weight (kg)"),
        max_digits=8,
        decimal_places=2,
        required=False,
        localize=True,  # "2,5" as well as "2.5"
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )

    def __init__(self, *args, varieties, **kwargs):
        super().__init__(*args, **kwargs)
        self.varieties = varieties
        self.fields["variety"].choices = [("", "---------")] + [(pk, str(v)) for pk, v in varieties.items()]

    @property
    def is_blank(self):
        return not self.cleaned_data.get("variety") and self.cleaned_data.get("weight_kg") is None

    def clean_variety(self):
        pk = self.cleaned_data["variety"]
        return self.varieties[pk] if pk is not None else None

    def clean(self):
        cleaned = super().clean()
        variety, weight = cleaned.get("variety"), cleaned.get("weight_kg")
        if "weight_kg" in self.errors or "variety" in self.errors:
            return cleaned
        if variety and weight is None:
            self.add_error("weight_kg", _("Give the weight in kg."))
        elif weight is not None and not variety:
            self.add_error("variety", _("Choose the variety."))
        elif weight is not None and weight <= 0:
            self.add_error("weight_kg", _("The weight must be more than zero."))
        return cleaned


class BaseLineFormSet(forms.BaseFormSet):
    def __init__(self, *args, varieties, **kwargs):
        super().__init__(*args, form_kwargs={"varieties": varieties}, **kwargs)

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        seen = {}  # variety pk -> line number
        for number, form in enumerate(self.forms, start=1):
            if form.is_blank:
                continue
            variety = form.cleaned_data["variety"]
            if variety.pk in seen:
                form.add_error(
                    "variety",
                    _("%(variety)s is already on line %(line)s: give its whole weight on one line.")
                    % {"variety": variety, "line": seen[variety.pk]},
                )
            else:
                seen[variety.pk] = number
        if not seen:
            raise forms.ValidationError(_("Enter at least one variety and its weight."))

    def lines(self):
        """[(variety, weight_kg)] of the lines filled in, in their order."""
        return [(f.cleaned_data["variety"], f.cleaned_data["weight_kg"]) for f in self.forms if not f.is_blank]

    def add_shortfalls(self, shortfalls):
        """Put each stock shortfall (partners.stock.Shortfall) on its line, with the figures (under the whole line:
        the weight's narrow column would not hold them on a phone)."""
        by_variety = {shortfall.variety.pk: shortfall for shortfall in shortfalls}
        for form in self.forms:
            if not form.is_blank and form.cleaned_data["variety"].pk in by_variety:
                form.add_error(None, str(by_variety[form.cleaned_data["variety"].pk]))


_LineFormSet = forms.formset_factory(
    LineForm, formset=BaseLineFormSet, extra=0, max_num=MAX_LINES, validate_max=True, absolute_max=MAX_LINES
)


def line_formset(data=None, *, organisation, distribution=None):
    """The lines of a new distribution (six blank lines) or of an existing one (its lines and three blank ones).

    The varieties are loaded once for all the lines: the organisation's active ones, and those already on the
    distribution even if no longer active.
    """
    existing = list(distribution.lines.all()) if distribution is not None and distribution.pk else []
    varieties = {
        variety.pk: variety
        for variety in Variety.objects.filter(organisation=organisation).filter(
            Q(is_active=True) | Q(pk__in=[line.variety_id for line in existing])
        )
    }
    initial = [{"variety": line.variety_id, "weight_kg": line.weight_kg} for line in existing]
    formset = _LineFormSet(data, prefix="lines", initial=initial, varieties=varieties)
    formset.extra = 3 if existing else 6
    return formset


# The list's filters -----------------------------------------------------------------------------------------


def recent_months(today, count=MONTHS_OFFERED):
    month = today.replace(day=1)
    for _index in range(count):
        yield month
        month = (month - datetime.timedelta(days=1)).replace(day=1)


class HouseDateFilter(django_filters.DateFilter):
    field_class = DateField


class DistributionFilter(django_filters.FilterSet):
    month = django_filters.ChoiceFilter(label=_("Month"), method="filter_month", empty_label=_("All"))
    start = HouseDateFilter(label=_("From"), field_name="date", lookup_expr="gte", widget=DateInput)
    end = HouseDateFilter(label=_("To"), field_name="date", lookup_expr="lte", widget=DateInput)
    site = django_filters.ModelChoiceFilter(label=_("Site"), queryset=Site.objects.none(), empty_label=_("All"))
    recipient = django_filters.ChoiceFilter(label=_("Recipient"), method="filter_recipient", empty_label=_("All"))

    class Meta:
        model = Distribution
        fields = ["month", "start", "end", "site", "recipient"]

    def __init__(self, data=None, *args, organisation, today, **kwargs):
        super().__init__(data, *args, **kwargs)
        self.filters["month"].extra["choices"] = [
            (f"{month:%Y-%m}", formats.date_format(month, "F Y").capitalize()) for month in recent_months(today)
        ]
        self.filters["site"].queryset = Site.objects.filter(organisation=organisation)
        partners = (
            Partner.objects.filter(organisation=organisation)
            .filter(Q(receives_produce=True) | Q(distributions__isnull=False))
            .distinct()
            .order_by("name")
            .values_list("pk", "name")
        )
        self.filters["recipient"].extra["choices"] = [
            (GROWERS, _("The growers")),
            (ALL_PARTNERS, _("All partners")),
            (_("Partners"), [(str(pk), name) for pk, name in partners]),
        ]

    def filter_month(self, queryset, name, value):
        year, month = (int(part) for part in value.split("-"))
        return queryset.filter(date__year=year, date__month=month)

    def filter_recipient(self, queryset, name, value):
        if value == GROWERS:
            return queryset.filter(recipient_kind=RecipientKind.GROWERS)
        if value == ALL_PARTNERS:
            return queryset.filter(recipient_kind=RecipientKind.PARTNER)
        return queryset.filter(recipient_kind=RecipientKind.PARTNER, partner_id=int(value))


class StockForm(forms.Form):
    """The stock page's choices: a site (or all) and the day it is read on (or today)."""

    site = SiteChoiceField(label=_("Site"), queryset=Site.objects.none(), required=False, empty_label=_("All"))
    on = DateField(label=_("As of"), required=False)

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = Site.objects.filter(organisation=organisation)
