import datetime
from decimal import Decimal

from django import forms
from django.forms import inlineformset_factory
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from beneficiaries.forms import partner_select
from gardens.enums import AttendanceStatus, Unit
from gardens.models import (
    DEFAULT_WORKSHOP_LENGTH,
    Equipment,
    Harvest,
    Plot,
    Site,
    TimetableSlot,
    Variety,
    Workshop,
)
from insertion.enums import Role
from insertion.forms import DateField, OrganisationModelForm, TimeInput
from insertion.models import Neighbourhood, Programme, User, WorkshopKind
from partners.enums import PartnerRole

MAX_TERM_WORKSHOPS = 300


def plain_hours(hours):
    """Hours as a trainer types them, "2" or "1.5" rather than "2.00" (the browser shows them in its own language)."""
    text = f"{hours:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


class SiteForm(OrganisationModelForm):
    class Meta:
        model = Site
        fields = ["name", "kind", "address", "neighbourhood", "area_m2", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["neighbourhood"].queryset = Neighbourhood.objects.filter(organisation=self.organisation)


PlotFormSet = inlineformset_factory(Site, Plot, fields=["name", "area_m2"], extra=1, can_delete=True)
EquipmentFormSet = inlineformset_factory(
    Site, Equipment, fields=["kind", "description", "quantity"], extra=1, can_delete=True
)


class VarietyForm(OrganisationModelForm):
    class Meta:
        model = Variety
        fields = ["species", "label", "family", "is_heritage", "is_active"]
        labels = {"label": _("Variety")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["is_active"].help_text = _("Untick to hide it from the harvest form; its harvests stay.")

    def clean(self):
        cleaned = super().clean()
        if not self.instance.code and cleaned.get("species") and cleaned.get("label"):
            base = slugify(f"{cleaned['species']}-{cleaned['label']}")[:50] or "variete"
            code, number = base, 2
            while Variety.objects.filter(organisation=self.organisation, code=code).exists():
                code, number = f"{base}-{number}", number + 1
            self.instance.code = code
        return cleaned


class WorkshopForm(OrganisationModelForm):
    date = DateField(label=_("Date"))

    class Meta:
        model = Workshop
        fields = [
            "date",
            "start_time",
            "end_time",
            "kind",
            "site",
            "neighbourhood",
            "programme",
            "trainers",
            "co_leading_partner",
            "theme",
            "menu",
            "unregistered_participants",
            "notes",
        ]
        widgets = {
            "start_time": TimeInput(),
            "end_time": TimeInput(),
            "trainers": forms.CheckboxSelectMultiple,
            "menu": forms.Textarea(attrs={"rows": 2}),
            "notes": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        organisation = self.organisation
        self.fields["kind"].queryset = WorkshopKind.objects.filter(organisation=organisation, is_active=True)
        self.fields["site"].queryset = Site.objects.filter(organisation=organisation).active()
        self.fields["neighbourhood"].queryset = Neighbourhood.objects.filter(organisation=organisation)
        self.fields["programme"].queryset = Programme.objects.filter(organisation=organisation, is_active=True)
        self.fields["trainers"].queryset = User.objects.members_with_role(organisation, Role.TRAINER)
        partner_select(
            self.fields["co_leading_partner"],
            organisation,
            role=PartnerRole.CO_LEADS_WORKSHOPS,
            group_label=_("Partners who co-lead workshops"),
            current=self.instance.co_leading_partner_id,
        )
        for name in ("start_time", "end_time"):
            self.fields[name].input_formats = ["%H:%M", "%Hh%M", "%Hh", "%H:%M:%S"]


class TermForm(forms.Form):
    """A term's recurring workshops in one go: every chosen slot of the timetable between two dates."""

    start = DateField(label=_("From"))
    end = DateField(label=_("To"))
    slots = forms.ModelMultipleChoiceField(
        label=_("Slots of the timetable"), queryset=TimetableSlot.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    kind = forms.ModelChoiceField(label=_("Kind"), queryset=WorkshopKind.objects.none())
    site = forms.ModelChoiceField(label=_("Site"), queryset=Site.objects.none())
    trainers = forms.ModelMultipleChoiceField(
        label=_("Trainers"), queryset=User.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    skip = forms.CharField(
        label=_("Days without workshops"),
        required=False,
        help_text=_("Public holidays or closures, as dd/mm/yyyy separated by commas."),
    )

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        self.fields["slots"].queryset = TimetableSlot.objects.filter(organisation=organisation)
        self.fields["kind"].queryset = WorkshopKind.objects.filter(organisation=organisation, is_active=True)
        self.fields["site"].queryset = Site.objects.filter(organisation=organisation).active()
        self.fields["trainers"].queryset = User.objects.members_with_role(organisation, Role.TRAINER)

    def clean_skip(self):
        days = set()
        for part in self.cleaned_data["skip"].replace(";", ",").split(","):
            if part.strip():
                try:
                    days.add(datetime.datetime.strptime(part.strip(), "%d/%m/%Y").date())
                except ValueError:
                    raise forms.ValidationError(
                        _("“%(value)s” is not a date: write dd/mm/yyyy.") % {"value": part.strip()}
                    ) from None
        return days

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end:
            if end < start:
                self.add_error("end", _("The end of the term must come after its start."))
            elif (end - start).days > 366:
                self.add_error("end", _("A term lasts a year at most."))
            elif cleaned.get("slots") is not None and len(self.workshop_dates()) > MAX_TERM_WORKSHOPS:
                self.add_error(
                    "end",
                    _("That makes more than %(max)s workshops: choose a shorter term.") % {"max": MAX_TERM_WORKSHOPS},
                )
        return cleaned

    def workshop_dates(self):
        """(date, slot) for every workshop of the term."""
        cleaned = self.cleaned_data
        by_weekday = {}
        for slot in cleaned["slots"]:
            by_weekday.setdefault(slot.weekday, []).append(slot)
        day, result = cleaned["start"], []
        while day <= cleaned["end"]:
            if day not in cleaned.get("skip", set()):
                result.extend((day, slot) for slot in by_weekday.get(day.weekday(), []))
            day += datetime.timedelta(days=1)
        return result


def default_times(organisation, day):
    """The first slot of the timetable on that weekday, else 2 hours from 8 am (seed 001's morning)."""
    slot = TimetableSlot.objects.filter(organisation=organisation, weekday=day.weekday()).first()
    if slot:
        return slot.start_time, slot.end_time
    start = datetime.time(8)
    return start, (datetime.datetime.combine(day, start) + DEFAULT_WORKSHOP_LENGTH).time()


class RegisterForm(forms.Form):
    """The attendance register: a presence and hours per trainee enrolled on the workshop's day, saved at once."""

    def __init__(self, *args, workshop, trainees, attendances, **kwargs):
        super().__init__(*args, **kwargs)
        self.workshop = workshop
        self.trainees = list(trainees)
        self.max_hours = workshop.hours
        self.rows = []
        for trainee in self.trainees:
            existing = attendances.get(trainee.pk)
            status = forms.ChoiceField(
                label=trainee.full_name,
                choices=AttendanceStatus.choices,
                required=False,
                widget=forms.RadioSelect(attrs={"class": "btn-check", "autocomplete": "off"}),
                initial=existing.status if existing else None,
            )
            hours = forms.DecimalField(
                label=_("Hours — %(name)s") % {"name": trainee.full_name},
                min_value=Decimal("0"),
                max_digits=4,
                decimal_places=2,
                required=False,
                initial=plain_hours(
                    existing.hours if existing and existing.status == AttendanceStatus.PRESENT else self.max_hours
                ),
                widget=forms.NumberInput(
                    attrs={"step": "0.25", "inputmode": "decimal", "class": "form-control hours-input"}
                ),
            )
            self.fields[f"status-{trainee.pk}"] = status
            self.fields[f"hours-{trainee.pk}"] = hours
            self.rows.append((trainee, f"status-{trainee.pk}", f"hours-{trainee.pk}"))
        expected = {trainee.pk for trainee in self.trainees}
        if self.is_bound:
            self.strangers = sorted(
                {
                    key.split("-", 1)[1]
                    for key in self.data
                    if key.startswith("status-")
                    and key.split("-", 1)[1].isdigit()
                    and int(key.split("-", 1)[1]) not in expected
                }
            )
        else:
            self.strangers = []

    def lines(self):
        """(trainee, status bound field, hours bound field) for the template."""
        return [(trainee, self[status], self[hours]) for trainee, status, hours in self.rows]

    def clean(self):
        cleaned = super().clean()
        if self.strangers:
            raise forms.ValidationError(
                _("Someone on this register is not enrolled on the day of the workshop: reload the page.")
            )
        for _trainee, status, hours in self.rows:
            value = cleaned.get(hours)
            if cleaned.get(status) == AttendanceStatus.PRESENT:
                if value is None:
                    self.add_error(hours, _("Give the hours done."))
                elif value == 0:
                    self.add_error(hours, _("Present with 0 hours: give the hours done, or mark absent."))
                elif value > self.max_hours:
                    self.add_error(
                        hours,
                        _("At most %(hours)s h: the workshop lasts %(hours)s h.") % {"hours": self.max_hours},
                    )
        return cleaned

    def decisions(self):
        """{beneficiary pk: (status, hours)} for the lines that were marked; unmarked lines are not recorded."""
        result = {}
        for trainee, status, hours in self.rows:
            value = self.cleaned_data.get(status)
            if value:
                result[trainee.pk] = (
                    value,
                    self.cleaned_data.get(hours) if value == AttendanceStatus.PRESENT else Decimal("0"),
                )
        return result


class HarvestHeaderForm(forms.Form):
    date = DateField(label=_("Date"))
    site = forms.ModelChoiceField(label=_("Site"), queryset=Site.objects.none())
    workshop = forms.ModelChoiceField(label=_("During the workshop"), queryset=Workshop.objects.none(), required=False)

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = Site.objects.filter(organisation=organisation).active()
        recent = organisation.today() - datetime.timedelta(days=14)
        self.fields["workshop"].queryset = (
            Workshop.objects.filter(organisation=organisation, date__gte=recent, site__isnull=False)
            .select_related("kind", "site")
            .order_by("-date", "-start_time")
        )

    def clean(self):
        cleaned = super().clean()
        workshop = cleaned.get("workshop")
        if workshop and cleaned.get("site") and workshop.site_id != cleaned["site"].pk:
            self.add_error("workshop", _("This workshop was held on another site."))
        if workshop and cleaned.get("date") and workshop.date != cleaned["date"]:
            self.add_error("workshop", _("This workshop was held on another day."))
        return cleaned


class HarvestLineForm(forms.ModelForm):
    class Meta:
        model = Harvest
        fields = ["variety", "quantity", "unit", "weight_kg"]
        widgets = {
            "quantity": forms.NumberInput(attrs={"step": "0.1", "inputmode": "decimal"}),
            "weight_kg": forms.NumberInput(attrs={"step": "0.1", "inputmode": "decimal"}),
        }

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["variety"].queryset = Variety.objects.filter(organisation=organisation, is_active=True)
        self.fields["weight_kg"].required = False
        self.fields["weight_kg"].help_text = _("For bunches and pieces only.")

    def has_changed(self):
        """A line counts once a variety, a quantity or a weight is typed: the unit alone is its default."""
        return any(self[name].value() not in (None, "") for name in ("variety", "quantity", "weight_kg"))

    def clean(self):
        cleaned = super().clean()
        quantity, unit, weight = cleaned.get("quantity"), cleaned.get("unit"), cleaned.get("weight_kg")
        if quantity is not None and quantity <= 0:
            self.add_error("quantity", _("The quantity must be more than zero."))
        if unit == Unit.KG and quantity:
            cleaned["weight_kg"] = quantity
        elif unit and unit != Unit.KG:
            if weight is None:
                self.add_error("weight_kg", _("Give the weight in kg of these bunches or pieces."))
            elif weight <= 0:
                self.add_error("weight_kg", _("The weight must be more than zero."))
        return cleaned


class BaseHarvestLineFormSet(forms.BaseFormSet):
    def clean(self):
        super().clean()
        if any(self.errors):
            return
        if not any(form.has_changed() and form.cleaned_data for form in self.forms):
            raise forms.ValidationError(_("Enter at least one variety and its quantity."))


HarvestLineFormSet = forms.formset_factory(HarvestLineForm, formset=BaseHarvestLineFormSet, extra=5, max_num=30)


class HarvestForm(OrganisationModelForm):
    """One harvest line, to correct it afterwards."""

    date = DateField(label=_("Date"))

    class Meta:
        model = Harvest
        fields = ["date", "site", "variety", "quantity", "unit", "weight_kg", "workshop"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = Site.objects.filter(organisation=self.organisation)
        self.fields["variety"].queryset = Variety.objects.filter(organisation=self.organisation)
        self.fields["workshop"].queryset = Workshop.objects.filter(organisation=self.organisation).select_related(
            "kind", "site"
        )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("unit") == Unit.KG and cleaned.get("quantity"):
            cleaned["weight_kg"] = cleaned["quantity"]
            self.instance.weight_kg = cleaned["quantity"]
        return cleaned
