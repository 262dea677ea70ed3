import hashlib
import json

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection
from django.db.models import Model
from django.utils import formats, timezone
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


class ConcurrentEditMixin:
    """Optimistic locking for a ModelForm that edits an existing record, without a version column.

    The unbound form carries, in a hidden `version` field, a hash of the record's values as stored when the page
    was opened (the form's fields only, so that an unrelated change such as a timestamp is no conflict). On
    validation the record is read again, locked where the database can (inside the request's transaction,
    ATOMIC_REQUESTS), and hashed: if someone saved it in between, the form is refused with a non-field error,
    `conflict` holds the saved values (label → value) to show next to what was typed, and the hidden version is
    refreshed, so that saving again overwrites the other version knowingly. Nothing typed is lost: the posted
    values stay in the form.

    A form with values outside its model's own fields (an assessment's domains) adds them in `extra_stored_values`.
    Put the mixin first in the bases, before the ModelForm.
    """

    conflict_message = _(
        "Someone else saved this record while you were editing it. Their version is shown next to yours: "
        "compare them, keep what matters in the form, then save again to replace their version with yours."
    )
    deleted_message = _("Someone else deleted this record while you were editing it: it can no longer be saved.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.conflict = None
        self.conflict_rows = []
        if self.instance.pk is None:
            return
        self.fields["version"] = forms.CharField(widget=forms.HiddenInput, required=False)
        if not self.is_bound:
            stored = self._stored_instance(lock=False)
            self.initial["version"] = self.version_of(stored) if stored is not None else ""

    def _locked_fields(self):
        """The names of the form's fields that are the model's own, in the form's order."""
        return [name for name in self._meta.fields if name in self.fields]

    def extra_stored_values(self, instance):
        """{form field name: stored value} for the form's fields that are not the model's own."""
        return {}

    def _stored_instance(self, *, lock):
        queryset = type(self.instance)._default_manager.filter(pk=self.instance.pk)
        # SELECT … FOR UPDATE holds the row until the request's transaction ends, so that two saves cannot both
        # pass the check; outside a transaction (a form used in a script) there is nothing to hold it for.
        if lock and connection.features.has_select_for_update and not connection.get_autocommit():
            queryset = queryset.select_for_update()
        return queryset.first()

    def _stored_values(self, instance):
        """{form field name: value as stored}, with ids for relations (sorted for many-to-many)."""
        values = {}
        for name in self._locked_fields():
            field = instance._meta.get_field(name)
            if field.many_to_many:
                values[name] = sorted(getattr(instance, name).values_list("pk", flat=True))
            else:
                values[name] = getattr(instance, field.attname)
        values.update(self.extra_stored_values(instance))
        return values

    def version_of(self, instance):
        payload = json.dumps(self._stored_values(instance), cls=DjangoJSONEncoder, sort_keys=True)
        return hashlib.sha256(payload.encode()).hexdigest()

    def clean(self):
        cleaned = super().clean()
        if "version" not in self.fields:
            return cleaned
        stored = self._stored_instance(lock=True)
        if stored is None:
            self.add_error(None, self.deleted_message)
            return cleaned
        version = self.version_of(stored)
        if cleaned.get("version") != version:
            self.conflict_rows = self._conflict_rows(stored)
            self.conflict = {label: theirs for label, theirs, _yours in self.conflict_rows}
            data = self.data.copy()
            data[self.add_prefix("version")] = version
            self.data = data
            self.add_error(None, self.conflict_message)
        return cleaned

    def _conflict_rows(self, stored):
        """(label, their saved value, the value typed) for each field, as text."""
        extra = self.extra_stored_values(stored)
        rows = []
        for name in [*self._locked_fields(), *extra]:
            if name in extra:
                theirs = extra[name]
            elif stored._meta.get_field(name).many_to_many:
                theirs = list(getattr(stored, name).all())
            else:
                theirs = getattr(stored, name)
            yours = self.cleaned_data[name] if name in self.cleaned_data else self[name].value()
            rows.append((self.fields[name].label, self._as_text(name, theirs), self._as_text(name, yours)))
        return rows

    def _as_text(self, name, value):
        field = self.fields[name]
        if value in (None, "", []):
            return "—"
        if isinstance(value, Model):
            return str(value)
        if isinstance(value, list | tuple) or hasattr(value, "model"):
            return ", ".join(str(item) for item in value)
        if isinstance(field, forms.ChoiceField) and not isinstance(field, forms.ModelChoiceField):
            labels = {str(key): label for key, label in field.choices}
            return str(labels.get(str(value), value))
        if hasattr(value, "tzinfo") and hasattr(value, "hour"):
            value = timezone.localtime(value) if timezone.is_aware(value) else value
        return str(formats.localize(value))


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
        fields = ["name", "kind", "city", "yearly_target", "time_zone"]


class SwitchOrganisationForm(forms.Form):
    organisation = forms.IntegerField(widget=forms.HiddenInput)
