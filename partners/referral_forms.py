from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from insertion.forms import ConcurrentEditMixin, DateField
from partners.models import Partner, Referral


class ReferralForm(ConcurrentEditMixin, forms.ModelForm):
    """A person oriented towards a partner, and what came of it.

    The partners offered are the organisation's own, not archived, those that orient or receive people first; a
    partner archived since the referral stays offered on that referral, so that editing it does not lose it.
    """

    date = DateField(label=_("Date of the referral"))
    result_date = DateField(label=_("Date of the result"), required=False)

    class Meta:
        model = Referral
        fields = ["partner", "date", "reason", "result", "result_date", "result_notes"]
        widgets = {
            "reason": forms.Textarea(attrs={"rows": 3}),
            "result_notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        offered = Q(is_archived=False)
        if self.instance.partner_id:
            offered |= Q(pk=self.instance.partner_id)
        self.fields["partner"].queryset = (
            Partner.objects.filter(organisation=organisation).filter(offered).order_by("-orients_people", "name")
        )
        self.fields["partner"].empty_label = _("Choose a partner")
        self.fields["reason"].help_text = _("Why the person is oriented there. Only social workers read it.")
        self.fields["result_notes"].help_text = _("What the partner answered, what comes next. Social workers only.")
        if not self.instance.pk:
            # The new record's own empty date comes first in a model form's initial values: today replaces it.
            self.initial["date"] = self.initial.get("date") or timezone.localdate()
