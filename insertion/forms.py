from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.utils.translation import gettext_lazy as _

from insertion.enums import Role
from insertion.models import Membership, Organisation, User


class DateInput(forms.DateInput):
    """A date typed dd/mm/yyyy, as people write it: the browsers' date pickers show other formats by locale."""

    def __init__(self, attrs=None):
        defaults = {"placeholder": _("dd/mm/yyyy"), "inputmode": "numeric", "autocomplete": "off", "class": "date"}
        super().__init__(attrs={**defaults, **(attrs or {})}, format="%d/%m/%Y")


class TimeInput(forms.TimeInput):
    def __init__(self, attrs=None):
        defaults = {"placeholder": _("hh:mm"), "inputmode": "numeric", "autocomplete": "off"}
        super().__init__(attrs={**defaults, **(attrs or {})}, format="%H:%M")


class DateField(forms.DateField):
    widget = DateInput

    def __init__(self, **kwargs):
        kwargs.setdefault("error_messages", {"invalid": _("Enter a date as dd/mm/yyyy, for example 09/03/2026.")})
        super().__init__(**kwargs)


class OrganisationModelForm(forms.ModelForm):
    """A form for a record of the current organisation.

    The organisation is not a field the user picks: it is given by the view. It is set on the instance before
    validation and kept in the unique checks, so that a duplicate within the organisation gets a message on
    the form instead of a database error.
    """

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        if getattr(self.instance, "organisation_id", None) is None:
            self.instance.organisation = organisation

    def validate_unique(self):
        exclude = self._get_validation_exclusions()
        exclude.discard("organisation")
        try:
            self.instance.validate_unique(exclude=exclude)
            self.instance.validate_constraints(exclude=exclude)
        except forms.ValidationError as error:
            self._update_errors(error)


class EmailAuthenticationForm(AuthenticationForm):
    """Sign-in by e-mail. One message for a wrong password and an unknown address, so that nobody can probe."""

    username = forms.EmailField(
        label=_("E-mail address"),
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )
    error_messages = {
        "invalid_login": _(
            "This e-mail address and password do not match an active account. Check them and try again."
        ),
        "inactive": _("This e-mail address and password do not match an active account. Check them and try again."),
    }

    def clean_username(self):
        # Addresses are stored in lower case: the lockout (django-axes) then counts "Ana@x.org" and "ana@x.org"
        # as one address.
        return User.objects.normalize_email(self.cleaned_data["username"])


class NewMemberPasswordResetForm(PasswordResetForm):
    """Also sends the link to members who never chose a password (added by an administrator or a script).

    Django skips accounts without a usable password because some sites disable passwords on purpose;
    here every account signs in with a password, so a new member's first one is chosen through this link.
    """

    def get_users(self, email):
        return User.objects.filter(email__iexact=email, is_active=True)


class RolesField(forms.TypedMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Roles"))
        kwargs.setdefault("error_messages", {"required": _("Choose at least one role.")})
        super().__init__(choices=Role.choices, coerce=Role, **kwargs)


class MemberAddForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"))
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    roles = RolesField()

    def __init__(self, *args, organisation, **kwargs):
        self.organisation = organisation
        super().__init__(*args, **kwargs)

    def clean_email(self):
        email = User.objects.normalize_email(self.cleaned_data["email"])
        if Membership.objects.filter(organisation=self.organisation, user__email__iexact=email).exists():
            raise forms.ValidationError(
                _("This person is already a member of the organisation: edit their roles instead.")
            )
        return email


class MembershipForm(forms.ModelForm):
    roles = RolesField()

    class Meta:
        model = Membership
        fields = ["is_active"]
        labels = {"is_active": _("Active member (can sign in to this organisation)")}

    def __init__(self, *args, acting_membership, **kwargs):
        self.acting_membership = acting_membership
        super().__init__(*args, **kwargs)
        self.fields["roles"].initial = self.instance.roles
        self.order_fields(["roles", "is_active"])

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk == self.acting_membership.pk:
            roles = cleaned.get("roles") or []
            if Role.ADMINISTRATOR not in roles or not cleaned.get("is_active"):
                raise forms.ValidationError(
                    _("You cannot remove your own administrator role: ask another administrator to do it.")
                )
        return cleaned

    def save(self, commit=True):
        self.instance.set_roles(self.cleaned_data["roles"])
        return super().save(commit=commit)


class OrganisationSettingsForm(forms.ModelForm):
    class Meta:
        model = Organisation
        fields = ["name", "kind", "city", "yearly_target"]


class SwitchOrganisationForm(forms.Form):
    organisation = forms.IntegerField(widget=forms.HiddenInput)
