import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, Exists, F, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce, Greatest, Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from beneficiaries.enums import (
    ActionStatus,
    AssessmentKind,
    ContractType,
    Domain,
    EnrolmentStatus,
    Household,
    InterviewKind,
    Level,
    ObservatoryScore,
    Relaunch,
    Sex,
)
from insertion.models import EducationLevel, ExitOutcome, Neighbourhood, Organisation, Programme, SocialSituation

MINIMUM_AGE = 16
CONTRACT_NEEDS_EMPLOYMENT = _(
    "A contract goes with an access to employment only: choose Access to employment, or remove the contract."
)


def one_month_before(day):
    """The same day a calendar month earlier, clamped to the month's end (31 March → 28 or 29 February)."""
    year, month = (day.year, day.month - 1) if day.month > 1 else (day.year - 1, 12)
    for candidate in (day.day, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=candidate)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def age_on(birth_date, day):
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


class BeneficiaryQuerySet(models.QuerySet):
    def of(self, organisation):
        return self.filter(organisation=organisation)

    def enrolled_on(self, day):
        """People with an enrolment running on `day` (entered on or before it, not yet out)."""
        running = Enrolment.objects.filter(beneficiary=OuterRef("pk"), entry_date__lte=day).filter(
            Q(exit_date__isnull=True) | Q(exit_date__gte=day)
        )
        return self.filter(Exists(running))

    def with_follow_up(self, today=None):
        """Annotates the last interview, the open enrolment's entry, the enrolment status and `interview_overdue`.

        Overdue (seed 001: "une fois par mois minimum"): enrolled, and no interview for more than a calendar
        month, counted from the last interview or, when there has been none since, from the entry (a person who
        comes back is not overdue on the day of their return because of an interview of their earlier stay).
        """
        cutoff = one_month_before(today or timezone.localdate())
        last_interview = Interview.objects.filter(beneficiary=OuterRef("pk")).order_by("-date").values("date")[:1]
        open_entry = (
            Enrolment.objects.filter(beneficiary=OuterRef("pk"), exit_date__isnull=True)
            .order_by("entry_date")
            .values("entry_date")[:1]
        )
        return self.annotate(
            last_interview_date=Subquery(last_interview),
            open_entry_date=Subquery(open_entry),
            has_enrolment=Exists(Enrolment.objects.filter(beneficiary=OuterRef("pk"))),
            # The later of the two; each side falls back on the other, as SQLite's MAX() of a NULL is NULL.
            last_contact_date=Greatest(
                Coalesce(F("last_interview_date"), F("open_entry_date")),
                Coalesce(F("open_entry_date"), F("last_interview_date")),
            ),
        ).annotate(
            interview_overdue=Case(
                When(open_entry_date__isnull=False, last_contact_date__lt=cutoff, then=Value(True)),
                default=Value(False),
                output_field=models.BooleanField(),
            )
        )

    def interview_overdue(self, today=None):
        return self.with_follow_up(today).filter(interview_overdue=True)

    def with_status(self, status):
        qs = self.with_follow_up()
        if status == EnrolmentStatus.ENROLLED:
            return qs.filter(open_entry_date__isnull=False)
        if status == EnrolmentStatus.EXITED:
            return qs.filter(open_entry_date__isnull=True, has_enrolment=True)
        if status == EnrolmentStatus.NEVER:
            return qs.filter(has_enrolment=False)
        return qs

    def likely_duplicates(self, *, organisation, first_name, last_name, birth_date, exclude_pk=None):
        """Same name (whatever the case) and date of birth in the organisation."""
        qs = self.annotate(first_lower=Lower("first_name"), last_lower=Lower("last_name")).filter(
            organisation=organisation,
            first_lower=first_name.strip().lower(),
            last_lower=last_name.strip().lower(),
            birth_date=birth_date,
        )
        return qs.exclude(pk=exclude_pk) if exclude_pk else qs


class Beneficiary(models.Model):
    """A person accompanied: a trainee of the gardens (bénéficiaire, stagiaire, usager-cultivateur)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, verbose_name=_("organisation"))
    first_name = models.CharField(_("first name"), max_length=150)
    last_name = models.CharField(_("last name"), max_length=150)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex)
    birth_date = models.DateField(_("date of birth"))
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail address"), blank=True)
    address = models.CharField(_("address"), max_length=250, blank=True)
    postcode = models.CharField(_("postcode"), max_length=10, blank=True)
    city = models.CharField(_("town"), max_length=120, blank=True)
    neighbourhood = models.ForeignKey(
        Neighbourhood, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("neighbourhood")
    )
    education_level = models.ForeignKey(
        EducationLevel,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("education level"),
        help_text=_("The finest level known; it is shown on both the 1969 and the 2019 scales."),
    )
    social_situations = models.ManyToManyField(
        SocialSituation, blank=True, verbose_name=_("social situations at entry")
    )
    household = models.CharField(_("household"), max_length=20, choices=Household, blank=True)
    dependent_children = models.PositiveSmallIntegerField(_("dependent children"), null=True, blank=True)
    referring_partner = models.ForeignKey(
        "partners.Partner",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referred_beneficiaries",
        verbose_name=_("referring partner"),
        help_text=_("Who oriented the person here: CHRS, ADOMA, Restos du Cœur, France Travail…"),
    )
    referent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="followed_beneficiaries",
        verbose_name=_("referent social worker"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    anonymised_at = models.DateTimeField(_("anonymised at"), null=True, blank=True, editable=False)

    objects = BeneficiaryQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[social_situations])

    class Meta:
        verbose_name = _("beneficiary")
        verbose_name_plural = _("beneficiaries")
        ordering = ["last_name", "first_name", "pk"]
        indexes = [models.Index(fields=["organisation", "last_name", "first_name"], name="beneficiary_name_idx")]

    def __str__(self):
        return self.full_name

    def get_absolute_url(self):
        return reverse("beneficiaries:detail", args=[self.pk])

    @property
    def full_name(self):
        return f"{self.first_name} {self.last_name.upper()}"

    def age(self, day=None):
        return age_on(self.birth_date, day or timezone.localdate())

    def clean(self):
        super().clean()
        today = timezone.localdate()
        if self.birth_date:
            if self.birth_date > today:
                raise ValidationError({"birth_date": _("The date of birth cannot be in the future.")})
            if age_on(self.birth_date, today) < MINIMUM_AGE:
                raise ValidationError(
                    {"birth_date": _("The person must be at least %(age)s years old.") % {"age": MINIMUM_AGE}}
                )


class EnrolmentQuerySet(models.QuerySet):
    def open(self):
        return self.filter(exit_date__isnull=True)


class Enrolment(models.Model):
    """A stay in a programme, with rolling entry and exit: a person may come back later (a new enrolment)."""

    beneficiary = models.ForeignKey(
        Beneficiary, on_delete=models.CASCADE, related_name="enrolments", verbose_name=_("beneficiary")
    )
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, verbose_name=_("programme"))
    entry_date = models.DateField(_("entry date"))
    exit_date = models.DateField(_("exit date"), null=True, blank=True)
    exit_outcome = models.ForeignKey(
        ExitOutcome, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("exit outcome")
    )
    exit_comment = models.TextField(_("comment on the exit"), blank=True)

    objects = EnrolmentQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        ordering = ["-entry_date", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["beneficiary", "programme"],
                condition=Q(exit_date__isnull=True),
                name="enrolment_one_open_per_programme",
                violation_error_message=_("This person is already enrolled in this programme."),
            ),
            models.CheckConstraint(
                condition=Q(exit_date__isnull=True) | Q(exit_date__gte=F("entry_date")),
                name="enrolment_exit_after_entry",
                violation_error_message=_("The exit cannot be before the entry."),
            ),
            models.CheckConstraint(
                condition=Q(exit_date__isnull=True, exit_outcome__isnull=True)
                | Q(exit_date__isnull=False, exit_outcome__isnull=False),
                name="enrolment_exit_has_outcome",
                violation_error_message=_("An exit needs both its date and its outcome."),
            ),
        ]
        # "Was this person enrolled in the period?" is the first question of every report: answered from the
        # index, person by person, without reading the other organisations' enrolments.
        indexes = [models.Index(fields=["beneficiary", "entry_date", "exit_date"], name="enrolment_stay_idx")]

    def __str__(self):
        return f"{self.programme} ({self.entry_date:%d/%m/%Y})"

    @property
    def is_open(self):
        return self.exit_date is None

    def clean(self):
        super().clean()
        errors = {}
        if self.exit_date and self.entry_date and self.exit_date < self.entry_date:
            errors["exit_date"] = _("The exit cannot be before the entry.")
        if self.exit_date and not self.exit_outcome_id:
            errors["exit_outcome"] = _("Choose the outcome of the exit.")
        if self.exit_outcome_id and not self.exit_date:
            errors["exit_date"] = _("Give the date of the exit.")
        today = timezone.localdate()
        if self.exit_date and self.exit_date > today:
            errors["exit_date"] = _("The exit cannot be in the future: record it once the person has left.")
        if not errors and self.beneficiary_id and self.programme_id and self.entry_date:
            others = Enrolment.objects.filter(beneficiary_id=self.beneficiary_id, programme_id=self.programme_id)
            if self.pk:
                others = others.exclude(pk=self.pk)
            end = self.exit_date or datetime.date.max
            overlapping = others.filter(entry_date__lte=end).filter(
                Q(exit_date__isnull=True) | Q(exit_date__gte=self.entry_date)
            )
            if overlapping.exists():
                errors["entry_date"] = _("This person is already enrolled in this programme over these dates.")
        if errors:
            raise ValidationError(errors)


class Assessment(models.Model):
    """The full assessment made at entry, and the re-assessments after it (bilan d'entrée, bilan)."""

    beneficiary = models.ForeignKey(
        Beneficiary, on_delete=models.CASCADE, related_name="assessments", verbose_name=_("beneficiary")
    )
    date = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=10, choices=AssessmentKind, default=AssessmentKind.ENTRY)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("author")
    )
    autonomy = models.PositiveSmallIntegerField(
        _("autonomy ↔ dependence"),
        choices=ObservatoryScore,
        help_text=_("From 1 (dependent on others for daily life) to 5 (autonomous)."),
    )
    security = models.PositiveSmallIntegerField(
        _("security ↔ precarity"),
        choices=ObservatoryScore,
        help_text=_("From 1 (great precarity: income, housing, rights) to 5 (secure)."),
    )
    comment = models.TextField(_("overall comment"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        ordering = ["date", "pk"]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.date:%d/%m/%Y})"

    def clean(self):
        super().clean()
        if self.date and self.date > timezone.localdate():
            raise ValidationError(
                {"date": _("An assessment cannot be dated in the future: record it once it has taken place.")}
            )


class AssessmentItem(models.Model):
    """One pathway domain of an assessment: the situation, the obstacles found, and a level."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="items")
    domain = models.CharField(_("domain"), max_length=12, choices=Domain)
    situation = models.TextField(_("situation"), blank=True)
    obstacles = models.TextField(_("obstacles found"), blank=True)
    level = models.PositiveSmallIntegerField(_("level"), choices=Level)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("assessment domain")
        verbose_name_plural = _("assessment domains")
        ordering = ["assessment", "pk"]
        constraints = [models.UniqueConstraint(fields=["assessment", "domain"], name="assessment_item_one_per_domain")]

    def __str__(self):
        return f"{self.get_domain_display()}: {self.level}"


class Interview(models.Model):
    """A meeting with the person: at least one a month (seed 001)."""

    beneficiary = models.ForeignKey(
        Beneficiary, on_delete=models.CASCADE, related_name="interviews", verbose_name=_("beneficiary")
    )
    date = models.DateField(_("date"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("author")
    )
    kind = models.CharField(_("kind"), max_length=12, choices=InterviewKind, default=InterviewKind.INDIVIDUAL)
    summary = models.TextField(
        _("summary"), blank=True, help_text=_("Readable by the accompanying team (social workers and coordinators).")
    )
    confidential_note = models.TextField(
        _("confidential note"), blank=True, help_text=_("Readable by social workers only.")
    )
    next_appointment = models.DateTimeField(_("next appointment"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("interview")
        verbose_name_plural = _("interviews")
        ordering = ["-date", "-pk"]
        indexes = [models.Index(fields=["beneficiary", "-date"], name="interview_last_idx")]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.date:%d/%m/%Y})"

    def clean(self):
        super().clean()
        errors = {}
        if self.date and self.date > timezone.localdate():
            errors["date"] = _("An interview cannot be dated in the future: log it once it has taken place.")
        if self.next_appointment and self.date and self.next_appointment.date() < self.date:
            errors["next_appointment"] = _("The next appointment must come after the interview.")
        if errors:
            raise ValidationError(errors)


class Objective(models.Model):
    """An objective of the pathway plan, in one domain (the heart of the livret de parcours)."""

    beneficiary = models.ForeignKey(
        Beneficiary, on_delete=models.CASCADE, related_name="objectives", verbose_name=_("beneficiary")
    )
    domain = models.CharField(_("domain"), max_length=12, choices=Domain)
    title = models.CharField(_("objective"), max_length=250)
    achieved_on = models.DateField(_("achieved on"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("objective")
        verbose_name_plural = _("objectives")
        ordering = ["domain", "created_at", "pk"]

    def __str__(self):
        return self.title


class ActionQuerySet(models.QuerySet):
    def relaunching(self):
        return self.exclude(relaunch="")


class Action(models.Model):
    """A dated step of the plan; it may relaunch the pathway on health, housing, training or employment."""

    objective = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="actions")
    title = models.CharField(_("action"), max_length=250)
    date = models.DateField(_("date"), help_text=_("When it is planned, or when it was done."))
    status = models.CharField(_("status"), max_length=12, choices=ActionStatus, default=ActionStatus.PLANNED)
    partner = models.CharField(
        _("partner involved"), max_length=200, blank=True, help_text=_("France Travail, Mission Locale, a doctor…")
    )
    relaunch = models.CharField(
        _("relaunches the pathway on"),
        max_length=12,
        choices=Relaunch,
        blank=True,
        help_text=_("Counted in the reports as a relaunched pathway."),
    )
    contract_type = models.CharField(
        _("contract obtained"),
        max_length=12,
        choices=ContractType,
        blank=True,
        help_text=_("For an access to employment only."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ActionQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        ordering = ["date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(contract_type="") | Q(relaunch=Relaunch.EMPLOYMENT),
                name="action_contract_only_for_employment",
                violation_error_message=CONTRACT_NEEDS_EMPLOYMENT,
            )
        ]

    def __str__(self):
        return self.title

    def clean(self):
        super().clean()
        if self.contract_type and self.relaunch != Relaunch.EMPLOYMENT:
            raise ValidationError({"contract_type": CONTRACT_NEEDS_EMPLOYMENT})
