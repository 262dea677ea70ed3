from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import Q
from django.forms import inlineformset_factory
from django.utils.translation import gettext_lazy as _

from insertion.forms import DateField, OrganisationModelForm
from insertion.models import PartnerTheme
from partners.enums import PartnerRole
from partners.models import Contact, Partner, Partnership

ROLE_FIELDS = [role.value for role in PartnerRole]


def _constraint_message(model, name):
    return next(c.violation_error_message for c in model._meta.constraints if c.name == name)


class PartnerForm(OrganisationModelForm):
    # A website typed without its scheme ("restosducoeur.org") is taken as https, Django 6's default.
    website = forms.URLField(label=_("Website"), required=False, max_length=200, assume_scheme="https")

    class Meta:
        model = Partner
        fields = [
            "name",
            "kind",
            "themes",
            *ROLE_FIELDS,
            "activity",
            "address",
            "postcode",
            "city",
            "phone",
            "email",
            "website",
            "notes",
        ]
        widgets = {
            "themes": forms.CheckboxSelectMultiple,
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The active themes, and those the partner already has even if no longer offered (unticked, they would go).
        themes = Q(is_active=True)
        if self.instance.pk:
            themes |= Q(pk__in=self.instance.themes.values("pk"))
        self.fields["themes"].queryset = PartnerTheme.objects.filter(themes, organisation=self.organisation)

    @property
    def role_fields(self):
        return [self[name] for name in ROLE_FIELDS]

    def validate_unique(self):
        """As the base form does, with the unique name's message on the name field, where it can be corrected."""
        exclude = self._get_validation_exclusions()
        exclude.discard("organisation")
        try:
            self.instance.validate_unique(exclude=exclude)
            self.instance.validate_constraints(exclude=exclude)
        except ValidationError as error:
            errors = error.update_error_dict({})
            unique_name = _constraint_message(Partner, "partner_unique_name")
            for item in errors.pop(NON_FIELD_ERRORS, []):
                errors.setdefault("name" if item.message == unique_name else NON_FIELD_ERRORS, []).append(item)
            self._update_errors(ValidationError(errors))


class ContactForm(forms.ModelForm):
    class Meta:
        model = Contact
        fields = ["name", "position", "phone", "email"]


ContactFormSet = inlineformset_factory(
    Partner, Contact, form=ContactForm, extra=1, can_delete=True, max_num=50, validate_max=True
)


class PartnershipForm(OrganisationModelForm):
    """An end before the start is refused on the end date by the model's own clean()."""

    start_date = DateField(label=_("Start date"), help_text=Partnership._meta.get_field("start_date").help_text)
    end_date = DateField(
        label=_("End date"), required=False, help_text=Partnership._meta.get_field("end_date").help_text
    )

    class Meta:
        model = Partnership
        fields = [
            "partner",
            "kind",
            "title",
            "theme",
            "start_date",
            "end_date",
            "partner_brings",
            "organisation_brings",
            "notes",
        ]
        widgets = {
            "partner_brings": forms.Textarea(attrs={"rows": 3}),
            "organisation_brings": forms.Textarea(attrs={"rows": 3}),
            "notes": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        organisation = self.organisation
        current_partner = Q(pk=self.instance.partner_id) if self.instance.partner_id else Q(pk__in=[])
        self.fields["partner"].queryset = Partner.objects.filter(
            Q(is_archived=False) | current_partner, organisation=organisation
        )
        current_theme = Q(pk=self.instance.theme_id) if self.instance.theme_id else Q(pk__in=[])
        self.fields["theme"].queryset = PartnerTheme.objects.filter(
            Q(is_active=True) | current_theme, organisation=organisation
        )
