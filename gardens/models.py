import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q, Sum
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from beneficiaries.models import Beneficiary, Enrolment
from gardens.enums import AttendanceStatus, EquipmentKind, SiteKind, SkillLevel, Unit, Weekday
from insertion.models import Neighbourhood, Organisation, Programme, ReferenceItem, WorkshopKind

DEFAULT_WORKSHOP_LENGTH = datetime.timedelta(hours=2)  # seed 001: "ateliers de 2 heures"


def hours_between(start, end):
    """The length of a slot in hours, as a Decimal with two places (1 h 30 → 1.50)."""
    minutes = (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)
    return (Decimal(minutes) / 60).quantize(Decimal("0.01"))


class SiteQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_archived=False)


class Site(models.Model):
    """A garden site: an urban plot, an agricultural zone, a shared garden (seed 001 has three)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, verbose_name=_("organisation"))
    name = models.CharField(_("name"), max_length=150)
    kind = models.CharField(_("kind"), max_length=20, choices=SiteKind, default=SiteKind.URBAN_PLOT)
    address = models.CharField(_("address"), max_length=250, blank=True)
    neighbourhood = models.ForeignKey(
        Neighbourhood, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("neighbourhood")
    )
    area_m2 = models.PositiveIntegerField(_("area (m²)"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    is_archived = models.BooleanField(_("archived"), default=False)

    objects = SiteQuerySet.as_manager()

    class Meta:
        verbose_name = _("site")
        verbose_name_plural = _("sites")
        ordering = ["is_archived", "name"]
        constraints = [models.UniqueConstraint(fields=["organisation", "name"], name="site_unique_name")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("gardens:site_detail", args=[self.pk])

    def has_records(self):
        return self.workshops.exists() or self.harvests.exists()


class Plot(models.Model):
    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="plots", verbose_name=_("site"))
    name = models.CharField(_("name"), max_length=100)
    area_m2 = models.PositiveIntegerField(_("area (m²)"), null=True, blank=True)

    class Meta:
        verbose_name = _("plot")
        verbose_name_plural = _("plots")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["site", "name"], name="plot_unique_name")]

    def __str__(self):
        return self.name


class Equipment(models.Model):
    """A line of a site's simple inventory: greenhouses, hives, a chalet, the tool library…"""

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="equipment", verbose_name=_("site"))
    kind = models.CharField(_("kind"), max_length=20, choices=EquipmentKind)
    description = models.CharField(_("description"), max_length=200, blank=True)
    quantity = models.PositiveSmallIntegerField(_("quantity"), default=1, validators=[MinValueValidator(1)])

    class Meta:
        verbose_name = _("equipment")
        verbose_name_plural = _("equipment")
        ordering = ["kind", "description"]

    def __str__(self):
        return f"{self.quantity} × {self.description or self.get_kind_display()}"


class Variety(ReferenceItem):
    """A vegetable variety of the organisation's catalogue (the label is the variety, e.g. "Noire de Crimée")."""

    species = models.CharField(_("species"), max_length=100, help_text=_("Tomato, leek, potato…"))
    family = models.CharField(_("botanical family"), max_length=100, blank=True)
    is_heritage = models.BooleanField(_("heritage variety"), default=False)

    class Meta(ReferenceItem.Meta):
        verbose_name = _("variety")
        verbose_name_plural = _("varieties")
        ordering = ["species", "label"]
        constraints = ReferenceItem.unique_constraints("variety")

    def __str__(self):
        return f"{self.species} — {self.label}"


class TimetableSlot(models.Model):
    """A weekly slot of the organisation's timetable (Valenciennes: Monday to Thursday, 8–12 and 14–16)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="timetable_slots")
    weekday = models.PositiveSmallIntegerField(_("day"), choices=Weekday)
    start_time = models.TimeField(_("start"))
    end_time = models.TimeField(_("end"))

    class Meta:
        verbose_name = _("timetable slot")
        verbose_name_plural = _("timetable")
        ordering = ["weekday", "start_time"]
        constraints = [
            models.CheckConstraint(condition=Q(end_time__gt=models.F("start_time")), name="slot_end_after_start"),
            models.UniqueConstraint(fields=["organisation", "weekday", "start_time"], name="slot_unique"),
        ]

    def __str__(self):
        return f"{self.get_weekday_display()} {self.start_time:%H:%M}–{self.end_time:%H:%M}"


class WorkshopQuerySet(models.QuerySet):
    def of(self, organisation):
        return self.filter(organisation=organisation)

    def between(self, start, end):
        return self.filter(date__gte=start, date__lte=end)

    def with_attendance_counts(self):
        return self.annotate(
            present_count=models.Count("attendances", filter=Q(attendances__status=AttendanceStatus.PRESENT)),
            recorded_count=models.Count("attendances"),
        )


class Workshop(models.Model):
    """A dated session (2 hours by default): market gardening, a micro-workshop, a solidarity table…"""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, verbose_name=_("organisation"))
    date = models.DateField(_("date"))
    start_time = models.TimeField(_("start"))
    end_time = models.TimeField(_("end"))
    kind = models.ForeignKey(WorkshopKind, on_delete=models.PROTECT, verbose_name=_("kind"))
    site = models.ForeignKey(
        Site, on_delete=models.PROTECT, null=True, blank=True, related_name="workshops", verbose_name=_("site")
    )
    neighbourhood = models.ForeignKey(
        Neighbourhood,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("neighbourhood"),
        help_text=_("For a solidarity table held in town rather than on a site."),
    )
    programme = models.ForeignKey(
        Programme,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("programme"),
        help_text=_("Whose trainees are on the register; empty: everyone enrolled that day."),
    )
    trainers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="led_workshops", verbose_name=_("trainers")
    )
    co_leading_partner = models.ForeignKey(
        "partners.Partner",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="co_led_workshops",
        verbose_name=_("co-leading partner"),
        help_text=_("CPAM, Institut Pasteur…"),
    )
    theme = models.CharField(_("theme"), max_length=200, blank=True)
    menu = models.TextField(_("menu"), blank=True, help_text=_("For a solidarity table: what was cooked."))
    unregistered_participants = models.PositiveSmallIntegerField(
        _("other participants"), default=0, help_text=_("Inhabitants, seniors… who are not trainees.")
    )
    notes = models.TextField(_("notes"), blank=True)

    objects = WorkshopQuerySet.as_manager()

    class Meta:
        verbose_name = _("workshop")
        verbose_name_plural = _("workshops")
        ordering = ["date", "start_time", "pk"]
        indexes = [models.Index(fields=["organisation", "date"], name="workshop_org_date_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_time__gt=models.F("start_time")),
                name="workshop_end_after_start",
                violation_error_message=_("The end must come after the start."),
            ),
        ]

    def __str__(self):
        place = self.site or self.neighbourhood or ""
        return f"{self.kind} — {self.date:%d/%m/%Y} {self.start_time:%H:%M} {place}".strip()

    def get_absolute_url(self):
        return reverse("gardens:register", args=[self.pk])

    @property
    def hours(self):
        return hours_between(self.start_time, self.end_time)

    def clean(self):
        super().clean()
        errors = {}
        if self.start_time and self.end_time and self.end_time <= self.start_time:
            errors["end_time"] = _("The end must come after the start.")
        if not self.site_id and not self.neighbourhood_id:
            errors["site"] = _("Choose a site, or the neighbourhood where the workshop is held.")
        if errors:
            raise ValidationError(errors)

    def expected_trainees(self):
        """The people enrolled on the workshop's day (in its programme when it has one): the register's lines."""
        running = Enrolment.objects.filter(entry_date__lte=self.date).filter(
            Q(exit_date__isnull=True) | Q(exit_date__gte=self.date)
        )
        if self.programme_id:
            running = running.filter(programme_id=self.programme_id)
        return Beneficiary.objects.filter(
            organisation_id=self.organisation_id, pk__in=running.values("beneficiary_id")
        ).order_by("last_name", "first_name")


class AttendanceQuerySet(models.QuerySet):
    def present(self):
        return self.filter(status=AttendanceStatus.PRESENT)

    def hours(self):
        return self.present().aggregate(total=Sum("hours"))["total"] or Decimal("0")


class Attendance(models.Model):
    """One trainee at one workshop: present (with the hours done), absent or excused."""

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="attendances")
    beneficiary = models.ForeignKey(Beneficiary, on_delete=models.CASCADE, related_name="attendances")
    status = models.CharField(_("presence"), max_length=10, choices=AttendanceStatus)
    hours = models.DecimalField(_("hours"), max_digits=4, decimal_places=2, default=Decimal("0"))

    objects = AttendanceQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(
                fields=["workshop", "beneficiary"],
                name="attendance_once_per_workshop",
                violation_error_message=_("This person is already on the register of this workshop."),
            ),
            models.CheckConstraint(condition=Q(hours__gte=0), name="attendance_hours_not_negative"),
            models.CheckConstraint(
                condition=Q(status=AttendanceStatus.PRESENT) | Q(hours=0),
                name="attendance_hours_only_when_present",
            ),
        ]
        indexes = [
            models.Index(fields=["beneficiary", "workshop"], name="attendance_person_idx"),
            # The reports add up the presences of thousands of workshops: this index holds all they read of a
            # presence, so the database answers from it without reading the table.
            models.Index(
                fields=["workshop", "beneficiary", "hours"],
                condition=Q(status=AttendanceStatus.PRESENT),
                name="attendance_present_idx",
            ),
        ]

    def __str__(self):
        return f"{self.beneficiary} — {self.get_status_display()}"


class Harvest(models.Model):
    """What was picked: a variety, on a site, on a day, in kg or in bunches or pieces with a weight equivalent."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, verbose_name=_("organisation"))
    date = models.DateField(_("date"))
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="harvests", verbose_name=_("site"))
    plot = models.ForeignKey(Plot, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("plot"))
    variety = models.ForeignKey(Variety, on_delete=models.PROTECT, related_name="harvests", verbose_name=_("variety"))
    quantity = models.DecimalField(_("quantity"), max_digits=8, decimal_places=2)
    unit = models.CharField(_("unit"), max_length=5, choices=Unit, default=Unit.KG)
    weight_kg = models.DecimalField(
        _("weight (kg)"),
        max_digits=8,
        decimal_places=2,
        help_text=_("The weight equivalent, for bunches and pieces; the quantity itself for kg."),
    )
    workshop = models.ForeignKey(
        Workshop, on_delete=models.SET_NULL, null=True, blank=True, related_name="harvests", verbose_name=_("workshop")
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("recorded by")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("harvest")
        verbose_name_plural = _("harvests")
        ordering = ["-date", "-pk"]
        indexes = [models.Index(fields=["organisation", "date"], name="harvest_org_date_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gt=0),
                name="harvest_quantity_positive",
                violation_error_message=_("The quantity must be more than zero."),
            ),
            models.CheckConstraint(
                condition=Q(weight_kg__gt=0),
                name="harvest_weight_positive",
                violation_error_message=_("The weight must be more than zero."),
            ),
        ]

    def __str__(self):
        return f"{self.variety} — {self.quantity} {self.get_unit_display()}"


class SkillCriterion(ReferenceItem):
    """A line of the organisation's grid of work skills (punctuality, teamwork, safety, gardening techniques…)."""

    class Meta(ReferenceItem.Meta):
        verbose_name = _("skill")
        verbose_name_plural = _("skills grid")
        constraints = ReferenceItem.unique_constraints("skillcriterion")


class SkillEvaluation(models.Model):
    """A trainer's rating of a trainee's work skills on a day; the social worker reads it in the livret."""

    beneficiary = models.ForeignKey(Beneficiary, on_delete=models.CASCADE, related_name="skill_evaluations")
    date = models.DateField(_("date"))
    evaluator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("evaluator")
    )
    comment = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("skills evaluation")
        verbose_name_plural = _("skills evaluations")
        ordering = ["-date", "-pk"]

    def __str__(self):
        return f"{self.beneficiary} — {self.date:%d/%m/%Y}"


class SkillRating(models.Model):
    evaluation = models.ForeignKey(SkillEvaluation, on_delete=models.CASCADE, related_name="ratings")
    criterion = models.ForeignKey(SkillCriterion, on_delete=models.PROTECT, verbose_name=_("skill"))
    level = models.PositiveSmallIntegerField(_("level"), choices=SkillLevel)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("skill rating")
        verbose_name_plural = _("skill ratings")
        constraints = [models.UniqueConstraint(fields=["evaluation", "criterion"], name="skill_rating_once")]

    def __str__(self):
        return f"{self.criterion}: {self.level}"
