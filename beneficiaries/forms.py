from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from beneficiaries.enums import ActionStatus, Domain, Level, Relaunch
from beneficiaries.models import (
    CONTRACT_NEEDS_EMPLOYMENT,
    Action,
    Assessment,
    AssessmentItem,
    Beneficiary,
    Enrolment,
    Interview,
    Objective,
)
from insertion.enums import Role
from insertion.forms import ConcurrentEditMixin, DateField, DateInput, OrganisationModelForm, TimeInput
from insertion.models import EducationLevel, ExitOutcome, Neighbourhood, Programme, SocialSituation, User
from partners.enums import PartnerRole
from partners.models import Partner


def _active(model, organisation, current=None):
    """The organisation's active entries, plus the one already chosen even if it was deactivated since."""
    queryset = model.objects.filter(organisation=organisation)
    if current is not None:
        return queryset.filter(is_active=True) | queryset.filter(pk=current)
    return queryset.filter(is_active=True)


def partner_select(field, organisation, *, role, group_label, current=None):
    """Limit a partner select to the organisation's directory, the partners playing `role` first, in a group.

    Archived partners are left out, except the one already chosen: a file keeps its partner once archived.
    The choices are read when the select is drawn, in one query; a posted id is checked against the same
    queryset, so that another organisation's partner is refused with a message on the field.
    """
    partners = Partner.objects.filter(organisation=organisation)
    queryset = partners.filter(Q(is_archived=False) | Q(pk=current)) if current else partners.active()
    field.queryset = queryset.order_by("name", "pk")
    field.error_messages["invalid_choice"] = _("Choose a partner of your organisation's directory.")
    attribute = PartnerRole(role).value

    def label(partner):
        return _("%(name)s (archived)") % {"name": partner.name} if partner.is_archived else partner.name

    def choices():
        listed = list(field.queryset)
        first = [(partner.pk, label(partner)) for partner in listed if getattr(partner, attribute)]
        others = [(partner.pk, label(partner)) for partner in listed if not getattr(partner, attribute)]
        if first and others:
            return [("", field.empty_label), (group_label, first), (_("Other partners"), others)]
        return [("", field.empty_label), *first, *others]

    field.choices = choices


class BeneficiaryForm(ConcurrentEditMixin, OrganisationModelForm):
    birth_date = DateField(label=_("Date of birth"))
    confirm_duplicate = forms.BooleanField(label=_("This is another person: create the file anyway"), required=False)

    class Meta:
        model = Beneficiary
        fields = [
            "first_name",
            "last_name",
            "sex",
            "birth_date",
            "phone",
            "email",
            "address",
            "postcode",
            "city",
            "neighbourhood",
            "education_level",
            "social_situations",
            "household",
            "dependent_children",
            "referring_partner",
            "referent",
        ]
        widgets = {"social_situations": forms.CheckboxSelectMultiple, "sex": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        instance = self.instance
        self.fields["neighbourhood"].queryset = _active(Neighbourhood, self.organisation, instance.neighbourhood_id)
        self.fields["education_level"].queryset = _active(
            EducationLevel, self.organisation, instance.education_level_id
        )
        self.fields["social_situations"].queryset = SocialSituation.objects.filter(
            organisation=self.organisation, is_active=True
        )
        self.fields["referent"].queryset = User.objects.members_with_role(self.organisation, Role.SOCIAL_WORKER)
        partner_select(
            self.fields["referring_partner"],
            self.organisation,
            role=PartnerRole.ORIENTS_PEOPLE,
            group_label=_("Partners who orient people in"),
            current=instance.referring_partner_id,
        )
        self.fields["sex"].choices = self.fields["sex"].choices[1:]  # no empty radio button
        self.duplicates = []
        if instance.pk:
            del self.fields["confirm_duplicate"]

    def clean(self):
        cleaned = super().clean()
        first, last, birth = cleaned.get("first_name"), cleaned.get("last_name"), cleaned.get("birth_date")
        if first and last and birth and "confirm_duplicate" in self.fields:
            self.duplicates = list(
                Beneficiary.objects.likely_duplicates(
                    organisation=self.organisation, first_name=first, last_name=last, birth_date=birth
                )
            )
            if self.duplicates and not cleaned.get("confirm_duplicate"):
                self.add_error(
                    "confirm_duplicate",
                    _(
                        "A file with this name and date of birth already exists. Open it, or tick this box if it is "
                        "another person."
                    ),
                )
        return cleaned


class FirstEnrolmentForm(forms.Form):
    """Optional on the new file: enrol the person at once, as most files are opened on the day of entry."""

    programme = forms.ModelChoiceField(label=_("Enrol in"), queryset=Programme.objects.none(), required=False)
    entry_date = DateField(label=_("Entry date"), required=False)

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, prefix="enrolment", **kwargs)
        self.fields["programme"].queryset = _active(Programme, organisation)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("programme") and not cleaned.get("entry_date"):
            self.add_error("entry_date", _("Give the entry date."))
        if cleaned.get("entry_date") and not cleaned.get("programme"):
            self.add_error("programme", _("Choose the programme."))
        return cleaned


class EnrolmentForm(forms.ModelForm):
    entry_date = DateField(label=_("Entry date"))
    exit_date = DateField(label=_("Exit date"), required=False)

    class Meta:
        model = Enrolment
        fields = ["programme", "entry_date", "exit_date", "exit_outcome", "exit_comment"]
        widgets = {"exit_comment": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = _active(Programme, organisation, self.instance.programme_id)
        self.fields["exit_outcome"].queryset = _active(ExitOutcome, organisation, self.instance.exit_outcome_id)
        self.fields["exit_outcome"].label_from_instance = lambda o: f"{o.get_category_display()} — {o.label}"
        if not self.instance.pk:
            for name in ("exit_date", "exit_outcome", "exit_comment"):
                del self.fields[name]


class AssessmentForm(ConcurrentEditMixin, forms.ModelForm):
    """The assessment and, for each pathway domain, the situation, the obstacles found and a level."""

    date = DateField(label=_("Date"))

    class Meta:
        model = Assessment
        fields = ["date", "kind", "autonomy", "security", "comment"]
        widgets = {
            "comment": forms.Textarea(attrs={"rows": 3}),
            "autonomy": forms.RadioSelect,
            "security": forms.RadioSelect,
        }

    def __init__(self, *args, previous=None, **kwargs):
        """`previous`: for a re-assessment, the last assessment, whose levels and texts are the starting point."""
        super().__init__(*args, **kwargs)
        source = self.instance if self.instance.pk else previous
        existing = {item.domain: item for item in source.items.all()} if source else {}
        if previous and not self.instance.pk:
            self.initial.setdefault("autonomy", previous.autonomy)
            self.initial.setdefault("security", previous.security)
        self.domain_rows = []
        for domain in Domain:
            item = existing.get(domain.value)
            level = forms.TypedChoiceField(
                label=_("Level — %(domain)s") % {"domain": domain.label},
                choices=[("", "—"), *Level.choices],
                coerce=int,
                empty_value=None,
                required=False,
                initial=item.level if item else None,
            )
            situation = forms.CharField(
                label=_("Situation — %(domain)s") % {"domain": domain.label},
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
                initial=item.situation if item else "",
            )
            obstacles = forms.CharField(
                label=_("Obstacles found — %(domain)s") % {"domain": domain.label},
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
                initial=item.obstacles if item else "",
            )
            names = (f"{domain.value}-level", f"{domain.value}-situation", f"{domain.value}-obstacles")
            self.fields.update(dict(zip(names, (level, situation, obstacles), strict=True)))
            self.domain_rows.append((domain, names))
        self.fields["autonomy"].choices = self.fields["autonomy"].choices[1:]
        self.fields["security"].choices = self.fields["security"].choices[1:]

    def extra_stored_values(self, assessment):
        """The domains as stored, so that a change to one of them is a conflict too (optimistic locking)."""
        items = {item.domain: item for item in assessment.items.all()}
        values = {}
        for domain in Domain:  # not self.domain_rows: the version is computed before __init__ builds them
            level, situation, obstacles = (
                f"{domain.value}-level",
                f"{domain.value}-situation",
                f"{domain.value}-obstacles",
            )
            item = items.get(domain.value)
            values[level] = item.level if item else None
            values[situation] = item.situation if item else ""
            values[obstacles] = item.obstacles if item else ""
        return values

    def domain_fields(self):
        """(domain label, level, situation, obstacles) bound fields, for the template's table."""
        return [(domain.label, *(self[name] for name in names)) for domain, names in self.domain_rows]

    def clean_date(self):
        date = self.cleaned_data["date"]
        if date > timezone.localdate():
            raise forms.ValidationError(
                _("An assessment cannot be dated in the future: record it once it has taken place.")
            )
        return date

    def clean(self):
        cleaned = super().clean()
        levels = 0
        for _domain, (level, situation, obstacles) in self.domain_rows:
            if cleaned.get(level):
                levels += 1
            elif cleaned.get(situation) or cleaned.get(obstacles):
                self.add_error(level, _("Give a level for this domain, or leave it empty."))
        if levels == 0 and not self.errors:
            raise forms.ValidationError(_("Assess at least one domain: give it a level."))
        return cleaned

    def save(self, commit=True):
        assessment = super().save(commit=commit)
        keep = []
        for domain, (level, situation, obstacles) in self.domain_rows:
            if not self.cleaned_data.get(level):
                continue
            AssessmentItem.objects.update_or_create(
                assessment=assessment,
                domain=domain.value,
                defaults={
                    "level": self.cleaned_data[level],
                    "situation": self.cleaned_data[situation],
                    "obstacles": self.cleaned_data[obstacles],
                },
            )
            keep.append(domain.value)
        assessment.items.exclude(domain__in=keep).delete()
        return assessment


class InterviewForm(ConcurrentEditMixin, forms.ModelForm):
    date = DateField(label=_("Date"))
    next_appointment = forms.SplitDateTimeField(
        label=_("Next appointment"),
        required=False,
        widget=forms.SplitDateTimeWidget(date_format="%d/%m/%Y", time_format="%H:%M"),
        input_date_formats=["%d/%m/%Y", "%d/%m/%y", "%Y-%m-%d"],
        input_time_formats=["%H:%M", "%Hh%M", "%Hh"],
        help_text=_("Date dd/mm/yyyy and time hh:mm."),
    )

    class Meta:
        model = Interview
        fields = ["date", "kind", "summary", "confidential_note", "next_appointment"]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 4}),
            "confidential_note": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        widget = self.fields["next_appointment"].widget
        # Each of the two boxes needs a name of its own: a placeholder is no label (RGAA 11.1).
        widget.widgets[0].attrs.update(DateInput().attrs, **{"aria-label": _("Date of the next appointment")})
        widget.widgets[1].attrs.update(TimeInput().attrs, **{"aria-label": _("Time of the next appointment")})
        if not self.instance.pk:
            # The new record's own empty date comes first in a model form's initial values: today replaces it.
            self.initial["date"] = self.initial.get("date") or timezone.localdate()


class ObjectiveForm(ConcurrentEditMixin, forms.ModelForm):
    achieved_on = DateField(label=_("Achieved on"), required=False)

    class Meta:
        model = Objective
        fields = ["domain", "title", "achieved_on"]


class ActionForm(ConcurrentEditMixin, forms.ModelForm):
    date = DateField(label=_("Date"), help_text=_("When it is planned, or when it was done."))

    class Meta:
        model = Action
        fields = ["title", "date", "status", "partner", "relaunch", "contract_type"]

    def clean(self):
        cleaned = super().clean()
        date, status = cleaned.get("date"), cleaned.get("status")
        if date and status == ActionStatus.DONE and date > timezone.localdate():
            self.add_error("date", _("An action cannot be done at a future date: mark it as planned."))
        if cleaned.get("contract_type") and cleaned.get("relaunch") != Relaunch.EMPLOYMENT:
            self.add_error(
                "contract_type",
                CONTRACT_NEEDS_EMPLOYMENT,
            )
        return cleaned
