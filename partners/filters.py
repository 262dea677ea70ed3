import datetime

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from insertion.forms import DateInput
from insertion.models import PartnerTheme
from partners.enums import PartnerKind, PartnerRole
from partners.models import Contact, Partner, Partnership


class PartnerFilter(django_filters.FilterSet):
    """The directory's search and filters; archived partners stay hidden unless asked for."""

    q = django_filters.CharFilter(label=_("Search"), method="filter_search")
    theme = django_filters.ModelChoiceFilter(
        label=_("Theme"), queryset=PartnerTheme.objects.none(), method="filter_theme", empty_label=_("All")
    )
    role = django_filters.ChoiceFilter(
        label=_("Their roles with us"), choices=PartnerRole.choices, method="filter_role", empty_label=_("All")
    )
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=PartnerKind.choices, empty_label=_("All"))
    archived = django_filters.BooleanFilter(
        label=_("Show archived partners"), method="filter_archived", widget=forms.CheckboxInput
    )

    class Meta:
        model = Partner
        fields = ["q", "theme", "role", "kind", "archived"]

    def __init__(self, data=None, *args, organisation, **kwargs):
        super().__init__(data, *args, **kwargs)
        self.filters["theme"].queryset = PartnerTheme.objects.filter(organisation=organisation)

    def filter_search(self, queryset, name, value):
        """Every word in the name, the activity, the town or the name of one of the partner's contacts."""
        for word in value.split():
            contact = Contact.objects.filter(partner=OuterRef("pk"), name__icontains=word)
            queryset = queryset.filter(
                Q(name__icontains=word) | Q(activity__icontains=word) | Q(city__icontains=word) | Exists(contact)
            )
        return queryset

    def filter_theme(self, queryset, name, value):
        return queryset.filter(
            Exists(Partner.themes.through.objects.filter(partner=OuterRef("pk"), partnertheme=value))
        )

    def filter_role(self, queryset, name, value):
        return queryset.with_role(value)

    def filter_archived(self, queryset, name, value):
        return queryset if value else queryset.active()


class PeriodForm(forms.Form):
    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end < start:
            self.add_error("end", _("The end of the period cannot come before its start."))
        return cleaned


def current_year():
    """The default period of the partnership list: the current calendar year."""
    today = timezone.localdate()
    return datetime.date(today.year, 1, 1), datetime.date(today.year, 12, 31)


class PartnershipFilter(django_filters.FilterSet):
    """The partnerships formed (started) in a period, both days included, by theme and partner."""

    start = django_filters.DateFilter(
        label=_("Formed from"), field_name="start_date", lookup_expr="gte", widget=DateInput()
    )
    end = django_filters.DateFilter(label=_("to"), field_name="start_date", lookup_expr="lte", widget=DateInput())
    theme = django_filters.ModelChoiceFilter(
        label=_("Theme"), queryset=PartnerTheme.objects.none(), empty_label=_("All")
    )
    partner = django_filters.ModelChoiceFilter(
        label=_("Partner"), queryset=Partner.objects.none(), empty_label=_("All")
    )

    class Meta:
        model = Partnership
        fields = ["start", "end", "theme", "partner"]
        form = PeriodForm

    def __init__(self, data=None, *args, organisation, **kwargs):
        if data is not None:
            # An absent or emptied bound of the period is the current year's, shown in the form and kept in links.
            data = data.copy()
            for key, default in zip(("start", "end"), current_year(), strict=True):
                if not data.get(key):
                    data[key] = default.strftime("%d/%m/%Y")
        super().__init__(data, *args, **kwargs)
        self.filters["theme"].queryset = PartnerTheme.objects.filter(organisation=organisation)
        self.filters["partner"].queryset = Partner.objects.filter(organisation=organisation)

    def period(self):
        """(start, end) of the period asked for; call it once the filters are valid."""
        return self.form.cleaned_data["start"], self.form.cleaned_data["end"]
