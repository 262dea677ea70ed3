"""What the reports keep: the committees with the reports frozen for them, and the coordinator's synthesis sheets.

None of these models points at a person: a frozen report holds the aggregates of reporting.report (no name ever),
the attendees of a committee are staff and partners.
"""

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from insertion.models import Organisation

END_AFTER_START = _("The end of the period cannot come before its start.")


class CommitteeQuerySet(models.QuerySet):
    def of(self, organisation):
        return self.filter(organisation=organisation)

    def with_report_count(self):
        # An aggregate drops Meta.ordering: the order is given again.
        return self.annotate(report_count=models.Count("reports")).order_by("-date", "-pk")


class Committee(models.Model):
    """A meeting of the steering committee (comité de pilotage, yearly) or of the technical committee."""

    class Kind(models.TextChoices):
        STEERING = "steering", _("Steering committee")
        TECHNICAL = "technical", _("Technical committee")
        OTHER = "other", _("Other meeting")

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, verbose_name=_("organisation"))
    date = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=12, choices=Kind, default=Kind.STEERING)
    title = models.CharField(
        _("title"), max_length=200, blank=True, help_text=_("For instance: Annual steering committee 2026.")
    )
    attendees = models.TextField(
        _("attendees"),
        blank=True,
        help_text=_(
            "The people and bodies present: staff, partners, funders. Never the names of the people accompanied."
        ),
    )
    minutes = models.TextField(_("minutes"), blank=True, help_text=_("What was presented, discussed and decided."))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = CommitteeQuerySet.as_manager()

    class Meta:
        verbose_name = _("committee")
        verbose_name_plural = _("committees")
        ordering = ["-date", "-pk"]
        indexes = [models.Index(fields=["organisation", "date"], name="committee_org_date_idx")]

    def __str__(self):
        if self.title:
            return self.title
        return _("%(kind)s of %(date)s") % {
            "kind": self.get_kind_display(),
            "date": formats.date_format(self.date, "SHORT_DATE_FORMAT"),
        }

    def get_absolute_url(self):
        return reverse("reporting:committee_detail", args=[self.pk])


class FrozenReportQuerySet(models.QuerySet):
    def of(self, organisation):
        return self.filter(committee__organisation=organisation)


class FrozenReport(models.Model):
    """The report of a period as a committee saw it: its figures and its PDF, stored once and never recomputed.

    Years later, after files were corrected or people erased, the committee's report prints exactly as it was
    handed out; `sha256` lets anyone check that the PDF downloaded is the one stored. A frozen report is removed,
    never edited.
    """

    committee = models.ForeignKey(
        Committee, on_delete=models.PROTECT, related_name="reports", verbose_name=_("committee")
    )
    start = models.DateField(_("start of the period"))
    end = models.DateField(_("end of the period"))
    site_label = models.CharField(_("site"), max_length=200, blank=True, help_text=_("Empty: every site."))
    programme_label = models.CharField(
        _("programme"), max_length=200, blank=True, help_text=_("Empty: every programme.")
    )
    figures = models.JSONField(_("figures"), encoder=DjangoJSONEncoder)
    # In the database rather than under MEDIA_ROOT: the backups (insertion/backup.py) copy the database only.
    pdf = models.BinaryField(_("PDF"))
    sha256 = models.CharField(_("SHA-256 of the PDF"), max_length=64)
    frozen_at = models.DateTimeField(_("frozen at"), auto_now_add=True)
    frozen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("frozen by")
    )

    objects = FrozenReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("frozen report")
        verbose_name_plural = _("frozen reports")
        ordering = ["-end", "-start", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gte=F("start")),
                name="frozenreport_end_after_start",
                violation_error_message=END_AFTER_START,
            )
        ]

    def __str__(self):
        period = _("%(start)s to %(end)s") % {
            "start": formats.date_format(self.start, "SHORT_DATE_FORMAT"),
            "end": formats.date_format(self.end, "SHORT_DATE_FORMAT"),
        }
        scope = " · ".join(label for label in (self.site_label, self.programme_label) if label)
        return f"{period} · {scope}" if scope else period

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValueError("A frozen report is never changed: remove it and attach a new one.")
        super().save(*args, **kwargs)

    def filename(self, extension):
        """rapport-2025-01-01-2025-12-31.pdf: an ASCII name to file it under."""
        return f"rapport-{self.start:%Y-%m-%d}-{self.end:%Y-%m-%d}.{extension}"


class SynthesisSheet(models.Model):
    """The coordinator's own analysis of a period, printed beside its key figures (fiche de synthèse)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, verbose_name=_("organisation"))
    start = models.DateField(_("start of the period"))
    end = models.DateField(_("end of the period"))
    analysis = models.TextField(
        _("analysis"),
        blank=True,
        help_text=_("What the figures say: the year's highlights, difficulties, outlook. No names of people."),
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("updated by")
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("synthesis sheet")
        verbose_name_plural = _("synthesis sheets")
        ordering = ["-end", "-start"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "start", "end"],
                name="synthesissheet_unique_period",
                violation_error_message=_("There is already a synthesis sheet for this period."),
            ),
            models.CheckConstraint(
                condition=Q(end__gte=F("start")),
                name="synthesissheet_end_after_start",
                violation_error_message=END_AFTER_START,
            ),
        ]

    def __str__(self):
        return _("Synthesis sheet %(start)s to %(end)s") % {
            "start": formats.date_format(self.start, "SHORT_DATE_FORMAT"),
            "end": formats.date_format(self.end, "SHORT_DATE_FORMAT"),
        }
