from decimal import Decimal

from django import forms
from django.db.models import Q
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from insertion.forms import OrganisationModelForm
from partners.enums import ACCOUNT_SIDE, ACCOUNTS, BudgetSide
from partners.models import POSITIVE_AMOUNT, Budget, BudgetLine, Funding, Partner

FIRST_YEAR, LAST_YEAR = 1990, 2100
MAX_LINES = 100


def euros(value):
    """An amount as people read it in the current language: 97 200,00 € (fr), 97,200.00 € (en)."""
    return f"{formats.number_format(value, 2, use_l10n=True, force_grouping=True)} €"


class AmountField(forms.DecimalField):
    """An amount in euros, typed as people write it: "25 000", "25000,50", "1 200 €"."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Amount (€)"))
        kwargs.setdefault("max_digits", 12)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}))
        super().__init__(localize=True, **kwargs)

    def to_python(self, value):
        if isinstance(value, str):
            for character in (" ", "\xa0", "\u202f", "€"):
                value = value.replace(character, "")
        return super().to_python(value)

    def validate(self, value):
        super().validate(value)
        if value is not None and value <= 0:
            raise forms.ValidationError(POSITIVE_AMOUNT, code="not_positive")


# Funding -----------------------------------------------------------------------------------------------------


class FundingLineForm(forms.ModelForm):
    """One funder's contribution for the year; the funders are loaded once for the whole formset."""

    amount = AmountField()

    class Meta:
        model = Funding
        fields = ["funder", "amount", "purpose"]

    def __init__(self, *args, funders, organisation, year, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            self.instance.organisation, self.instance.year = organisation, year
        field = self.fields["funder"]
        field.queryset = funders["queryset"]
        field.choices = funders["choices"]
        # The example goes in the box rather than under each line.
        self.fields["purpose"].widget.attrs["placeholder"] = self.fields["purpose"].help_text
        self.fields["purpose"].help_text = ""


class BaseFundingFormSet(forms.BaseModelFormSet):
    """The year's funding lines of the organisation: edit them, add some in the blank lines, tick to remove."""

    def __init__(self, *args, organisation, year, **kwargs):
        self.organisation, self.year = organisation, year
        kwargs["queryset"] = Funding.objects.filter(organisation=organisation, year=year).order_by("-amount", "pk")
        super().__init__(*args, **kwargs)
        # Offered: the partners in use, those marked as funders first, and a funder archived since it was entered.
        queryset = (
            Partner.objects.filter(organisation=organisation)
            .filter(Q(is_archived=False) | Q(pk__in=kwargs["queryset"].values("funder")))
            .order_by("-funds", "name")
        )
        partners = list(queryset.only("id", "name", "funds"))
        groups = [
            (_("Funders"), [(partner.pk, partner.name) for partner in partners if partner.funds]),
            (_("Other partners"), [(partner.pk, partner.name) for partner in partners if not partner.funds]),
        ]
        self.funders = {
            "queryset": queryset,
            "choices": [("", _("Choose a funder"))] + [(label, options) for label, options in groups if options],
            "count": len(partners),
        }

    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = _("Remove")

    def get_form_kwargs(self, index):
        return {
            **super().get_form_kwargs(index),
            "funders": self.funders,
            "organisation": self.organisation,
            "year": self.year,
        }


FundingFormSet = forms.modelformset_factory(
    Funding,
    form=FundingLineForm,
    formset=BaseFundingFormSet,
    extra=5,
    can_delete=True,
    can_delete_extra=False,
    max_num=MAX_LINES,
    absolute_max=MAX_LINES,
    validate_max=True,
)


# Budgets -----------------------------------------------------------------------------------------------------


class BudgetForm(OrganisationModelForm):
    year = forms.IntegerField(label=_("Year"), min_value=FIRST_YEAR, max_value=LAST_YEAR)

    class Meta:
        model = Budget
        fields = ["year", "title", "is_final", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}


ACCOUNT_GROUPS = [
    ("", _("Choose an account")),
    (BudgetSide.CHARGES.label, [(code, label) for code, side, label in ACCOUNTS if side == BudgetSide.CHARGES]),
    (BudgetSide.PRODUCTS.label, [(code, label) for code, side, label in ACCOUNTS if side == BudgetSide.PRODUCTS]),
]


class BudgetLineForm(forms.ModelForm):
    account = forms.ChoiceField(label=_("Account"), choices=ACCOUNT_GROUPS)
    amount = AmountField()

    class Meta:
        model = BudgetLine
        fields = ["account", "label", "amount"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["label"].widget.attrs["placeholder"] = self.fields["label"].help_text
        self.fields["label"].help_text = ""


class BaseBudgetLineFormSet(forms.BaseInlineFormSet):
    """The budget's lines. A final budget must balance: set `must_balance` before validating."""

    must_balance = False

    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = _("Remove")

    def totals(self):
        """{"charges", "products"} of the lines kept (neither blank nor ticked for removal)."""
        sums = {BudgetSide.CHARGES: Decimal("0"), BudgetSide.PRODUCTS: Decimal("0")}
        for form in self.forms:
            data = getattr(form, "cleaned_data", None) or {}
            if not data or data.get("DELETE") or data.get("amount") is None or not data.get("account"):
                continue
            sums[ACCOUNT_SIDE[data["account"]]] += data["amount"]
        return {"charges": sums[BudgetSide.CHARGES], "products": sums[BudgetSide.PRODUCTS]}

    def clean(self):
        super().clean()
        if any(self.errors) or not self.must_balance:
            return
        totals = self.totals()
        if totals["charges"] != totals["products"]:
            raise forms.ValidationError(
                _(
                    "A final budget must balance: charges %(charges)s, products %(products)s, "
                    "a difference of %(difference)s."
                )
                % {
                    "charges": euros(totals["charges"]),
                    "products": euros(totals["products"]),
                    "difference": euros(abs(totals["charges"] - totals["products"])),
                },
                code="unbalanced",
            )


def _budget_lines_formset(extra):
    return forms.inlineformset_factory(
        Budget,
        BudgetLine,
        form=BudgetLineForm,
        formset=BaseBudgetLineFormSet,
        extra=extra,
        can_delete=True,
        can_delete_extra=False,
        max_num=MAX_LINES,
        absolute_max=MAX_LINES,
        validate_max=True,
    )


# A new budget is written in one go (seed 001's has 13 lines); an existing one gets a few blank lines more.
NewBudgetLineFormSet = _budget_lines_formset(extra=15)
BudgetLineFormSet = _budget_lines_formset(extra=4)
