import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from beneficiaries.enums import EnrolmentStatus
from beneficiaries.models import Beneficiary, Enrolment
from insertion.enums import Role
from insertion.models import Neighbourhood, Programme, User


class BeneficiaryFilter(django_filters.FilterSet):
    """The list's search and filters; every filter reads the annotations of `with_follow_up()`."""

    q = django_filters.CharFilter(label=_("Name"), method="filter_name")
    status = django_filters.ChoiceFilter(
        label=_("Enrolment"), choices=EnrolmentStatus.choices, method="filter_status", empty_label=_("All")
    )
    neighbourhood = django_filters.ModelChoiceFilter(
        label=_("Neighbourhood"), queryset=Neighbourhood.objects.none(), empty_label=_("All")
    )
    referent = django_filters.ModelChoiceFilter(
        label=_("Referent"), queryset=Beneficiary.objects.none(), empty_label=_("All")
    )
    programme = django_filters.ModelChoiceFilter(
        label=_("Programme"), queryset=Programme.objects.none(), method="filter_programme", empty_label=_("All")
    )
    overdue = django_filters.BooleanFilter(
        label=_("Interview overdue"), method="filter_overdue", widget=forms.CheckboxInput
    )

    class Meta:
        model = Beneficiary
        fields = ["q", "status", "neighbourhood", "referent", "programme", "overdue"]

    def __init__(self, data=None, *args, organisation, **kwargs):
        super().__init__(data, *args, **kwargs)
        self.filters["neighbourhood"].queryset = Neighbourhood.objects.filter(organisation=organisation)
        self.filters["referent"].queryset = User.objects.members_with_role(organisation, Role.SOCIAL_WORKER)
        self.filters["programme"].queryset = Programme.objects.filter(organisation=organisation)

    def filter_name(self, queryset, name, value):
        for word in value.split():
            queryset = queryset.filter(Q(first_name__icontains=word) | Q(last_name__icontains=word))
        return queryset

    def filter_status(self, queryset, name, value):
        return queryset.with_status(value)

    def filter_programme(self, queryset, name, value):
        return queryset.filter(Exists(Enrolment.objects.filter(beneficiary=OuterRef("pk"), programme=value)))

    def filter_overdue(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.interview_overdue(timezone.localdate())
