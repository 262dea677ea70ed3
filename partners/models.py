"""The organisation's network: partners, partnerships, redistribution of the harvest, referrals, funding, budget."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q, Sum
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from beneficiaries.models import Beneficiary
from gardens.models import Site, Variety
from insertion.models import Organisation, PartnerTheme
from partners.enums import (
    ACCOUNT_CHOICES,
    ACCOUNT_SIDE,
    BudgetSide,
    PartnerKind,
    PartnerRole,
    PartnershipKind,
    RecipientKind,
    ReferralResult,
)

POSITIVE_AMOUNT = _("The amount must be more than zero.")
POSITIVE_QUANTITY = _("The quantity must be more than zero.")


class PartnerQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_archived=False)

    def with_role(self, role):
        return self.filter(**{PartnerRole(role).value: True})


class Partner(models.Model):
    """Another organisation: it orients people in, receives produce, co-leads workshops, funds, lends land…"""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, verbose_name=_("organisation"))
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=PartnerKind, default=PartnerKind.ASSOCIATION)
    themes = models.ManyToManyField(PartnerTheme, blank=True, related_name="partners", verbose_name=_("themes"))
    activity = models.CharField(
        _("what they do with us"),
        max_length=250,
        blank=True,
        help_text=_("Food distribution, health checks, examination of applications…"),
    )
    orients_people = models.BooleanField(_("orients people in"), default=False)
    receives_produce = models.BooleanField(_("receives produce"), default=False)
    co_leads_workshops = models.BooleanField(_("co-leads workshops"), default=False)
    funds = models.BooleanField(_("funds"), default=False)
    lends_premises = models.BooleanField(_("lends land or premises"), default=False)
    address = models.CharField(_("address"), max_length=250, blank=True)
    postcode = models.CharField(_("postcode"), max_length=10, blank=True)
    city = models.CharField(_("town"), max_length=120, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("email"), blank=True)
    website = models.URLField(_("website"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    is_archived = models.BooleanField(_("archived"), default=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = PartnerQuerySet.as_manager()

    class Meta:
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        ordering = ["is_archived", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"],
                name="partner_unique_name",
                violation_error_message=_("A partner of this name is already in the directory."),
            )
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("partners:detail", args=[self.pk])

    @property
    def roles(self):
        return [role for role in PartnerRole if getattr(self, role.value)]

    def has_records(self):
        """Whether anything points at the partner: then it is archived, never deleted."""
        return (
            self.partnerships.exists()
            or self.distributions.exists()
            or self.referrals.exists()
            or self.fundings.exists()
            or self.referred_beneficiaries.exists()
            or self.co_led_workshops.exists()
        )


class Contact(models.Model):
    """A person to call at a partner (staff of the partner, not a beneficiary)."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="contacts", verbose_name=_("partner"))
    name = models.CharField(_("name"), max_length=150)
    position = models.CharField(_("position"), max_length=150, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("email"), blank=True)

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["name", "pk"]

    def __str__(self):
        return self.name


class Partnership(models.Model):
    """A dated agreement with a partner, signed or informal, and what each side brings."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, verbose_name=_("organisation"))
    partner = models.ForeignKey(
        Partner, on_delete=models.PROTECT, related_name="partnerships", verbose_name=_("partner")
    )
    kind = models.CharField(_("kind"), max_length=12, choices=PartnershipKind, default=PartnershipKind.CONVENTION)
    title = models.CharField(_("title"), max_length=200)
    theme = models.ForeignKey(
        PartnerTheme,
        on_delete=models.PROTECT,
        related_name="partnerships",
        verbose_name=_("theme"),
        help_text=_("The reports count the partnerships formed in a period by this theme."),
    )
    start_date = models.DateField(_("start date"), help_text=_("When it was formed (signed, or first agreed)."))
    end_date = models.DateField(_("end date"), null=True, blank=True, help_text=_("Empty while it runs."))
    partner_brings = models.TextField(_("what the partner brings"), blank=True)
    organisation_brings = models.TextField(_("what we bring"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("partnership")
        verbose_name_plural = _("partnerships")
        ordering = ["-start_date", "-pk"]
        indexes = [models.Index(fields=["organisation", "start_date"], name="partnership_org_start_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="partnership_end_after_start",
                violation_error_message=_("The end date cannot come before the start date."),
            )
        ]

    def __str__(self):
        return f"{self.partner} — {self.title}"

    def clean(self):
        super().clean()
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The end date cannot come before the start date.")})


class Distribution(models.Model):
    """Produce given away on a day from a site: to a partner charity, or shared among the growers."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, verbose_name=_("organisation"))
    date = models.DateField(_("date"))
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="distributions", verbose_name=_("site"))
    recipient_kind = models.CharField(
        _("recipient"), max_length=10, choices=RecipientKind, default=RecipientKind.PARTNER
    )
    partner = models.ForeignKey(
        Partner,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="distributions",
        verbose_name=_("partner receiving"),
    )
    notes = models.TextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("recorded by")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("distribution")
        verbose_name_plural = _("distributions")
        ordering = ["-date", "-pk"]
        indexes = [models.Index(fields=["organisation", "date"], name="distribution_org_date_idx")]
        constraints = [
            models.CheckConstraint(
                condition=(Q(recipient_kind=RecipientKind.PARTNER) & Q(partner__isnull=False))
                | (Q(recipient_kind=RecipientKind.GROWERS) & Q(partner__isnull=True)),
                name="distribution_recipient_consistent",
                violation_error_message=_("Choose the partner receiving, or the growers (then no partner)."),
            )
        ]

    def __str__(self):
        return f"{self.date:%d/%m/%Y} — {self.recipient_name}"

    def get_absolute_url(self):
        return reverse("partners:distribution_detail", args=[self.pk])

    @property
    def recipient_name(self):
        if self.recipient_kind == RecipientKind.GROWERS:
            return str(_("The growers"))
        return str(self.partner) if self.partner_id else ""

    def clean(self):
        super().clean()
        if self.recipient_kind == RecipientKind.PARTNER and not self.partner_id:
            raise ValidationError({"partner": _("Choose the partner receiving the produce.")})
        if self.recipient_kind == RecipientKind.GROWERS:
            self.partner = None


class DistributionLine(models.Model):
    """One variety given, by weight: the stock compares it with the weight harvested on the site."""

    distribution = models.ForeignKey(
        Distribution, on_delete=models.CASCADE, related_name="lines", verbose_name=_("distribution")
    )
    variety = models.ForeignKey(
        Variety, on_delete=models.PROTECT, related_name="distribution_lines", verbose_name=_("variety")
    )
    weight_kg = models.DecimalField(_("weight (kg)"), max_digits=8, decimal_places=2)

    class Meta:
        verbose_name = _("distribution line")
        verbose_name_plural = _("distribution lines")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(weight_kg__gt=0),
                name="distributionline_weight_positive",
                violation_error_message=POSITIVE_QUANTITY,
            ),
            models.UniqueConstraint(
                fields=["distribution", "variety"],
                name="distributionline_unique_variety",
                violation_error_message=_("This variety is already on the distribution."),
            ),
        ]

    def __str__(self):
        return f"{self.variety} — {self.weight_kg} kg"


class ReferralQuerySet(models.QuerySet):
    def of(self, organisation):
        return self.filter(beneficiary__organisation=organisation)


class Referral(models.Model):
    """A person oriented towards a partner: France Travail, a training centre, a health check…"""

    beneficiary = models.ForeignKey(
        Beneficiary, on_delete=models.CASCADE, related_name="referrals", verbose_name=_("beneficiary")
    )
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="referrals", verbose_name=_("partner"))
    date = models.DateField(_("date"))
    reason = models.TextField(_("reason"), help_text=_("Why the person is oriented there."))
    result = models.CharField(_("result"), max_length=15, choices=ReferralResult, default=ReferralResult.PENDING)
    result_date = models.DateField(_("date of the result"), null=True, blank=True)
    result_notes = models.TextField(_("about the result"), blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("author")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = ReferralQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        ordering = ["-date", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(result_date__isnull=True) | Q(result_date__gte=models.F("date")),
                name="referral_result_after_referral",
                violation_error_message=_("The result cannot come before the referral."),
            )
        ]

    def __str__(self):
        return f"{self.partner} — {self.date:%d/%m/%Y}"

    def clean(self):
        super().clean()
        if self.date and self.result_date and self.result_date < self.date:
            raise ValidationError({"result_date": _("The result cannot come before the referral.")})


class Funding(models.Model):
    """A funder's contribution for a year and what it finances (seed 001: the State, 25,000 €, 25.7 %)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, verbose_name=_("organisation"))
    year = models.PositiveSmallIntegerField(_("year"))
    funder = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="fundings", verbose_name=_("funder"))
    amount = models.DecimalField(_("amount (€)"), max_digits=12, decimal_places=2)
    purpose = models.CharField(
        _("what it finances"),
        max_length=250,
        blank=True,
        help_text=_("For instance: the people from the priority neighbourhoods (contrat de ville)."),
    )

    class Meta:
        verbose_name = _("funding grant")
        verbose_name_plural = _("funding grants")
        ordering = ["year", "-amount", "pk"]
        indexes = [models.Index(fields=["organisation", "year"], name="funding_org_year_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0), name="funding_amount_positive", violation_error_message=POSITIVE_AMOUNT
            )
        ]

    def __str__(self):
        return f"{self.year} — {self.funder} — {self.amount} €"


class Budget(models.Model):
    """A year's budget of the action, by the associative chart of accounts; a final budget balances."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, verbose_name=_("organisation"))
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=200, default="", blank=True, help_text=_("The action budgeted."))
    is_final = models.BooleanField(
        _("final"), default=False, help_text=_("A final budget must balance: charges equal products.")
    )
    notes = models.TextField(_("notes"), blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("budget")
        verbose_name_plural = _("budgets")
        ordering = ["-year", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "year", "title"],
                name="budget_unique_title",
                violation_error_message=_("There is already a budget of this title for this year."),
            )
        ]

    def __str__(self):
        return f"{self.year} — {self.title}" if self.title else str(self.year)

    def get_absolute_url(self):
        return reverse("partners:budget_detail", args=[self.pk])

    def totals(self):
        """{"charges": Decimal, "products": Decimal} in one query."""
        sums = {side: Decimal("0") for side in BudgetSide}
        for row in self.lines.values("account").annotate(total=Sum("amount")):
            sums[ACCOUNT_SIDE[row["account"]]] += row["total"]
        return {"charges": sums[BudgetSide.CHARGES], "products": sums[BudgetSide.PRODUCTS]}


class BudgetLine(models.Model):
    budget = models.ForeignKey(Budget, on_delete=models.CASCADE, related_name="lines", verbose_name=_("budget"))
    account = models.CharField(_("account"), max_length=2, choices=ACCOUNT_CHOICES)
    label = models.CharField(_("detail"), max_length=200, blank=True, help_text=_("Fuel, insurance, the State…"))
    amount = models.DecimalField(_("amount (€)"), max_digits=12, decimal_places=2)

    class Meta:
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        ordering = ["account", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0), name="budgetline_amount_positive", violation_error_message=POSITIVE_AMOUNT
            )
        ]

    def __str__(self):
        return f"{self.get_account_display()} {self.label} — {self.amount} €"

    @property
    def side(self):
        return ACCOUNT_SIDE[self.account]
