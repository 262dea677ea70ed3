import zoneinfo

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from insertion.enums import ExitCategory, OrganisationKind, Role, Scale1969, Scale2019


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields["is_staff"] = True
        extra_fields["is_superuser"] = True
        return self._create_user(email, password, **extra_fields)

    def get_by_natural_key(self, username):
        return self.get(email__iexact=username)

    @classmethod
    def normalize_email(cls, email):
        return (email or "").strip().lower()

    def members_with_role(self, organisation, role):
        """The active members of `organisation` holding `role` (referents to choose, trainers to assign)."""
        memberships = Membership.objects.active().filter(organisation=organisation).with_role(role)
        return self.filter(memberships__in=memberships).order_by("last_name", "first_name")


class User(AbstractBaseUser, PermissionsMixin):
    """A member of staff. People accompanied are Beneficiaries, never users."""

    email = models.EmailField(_("e-mail address"), unique=True)
    first_name = models.CharField(_("first name"), max_length=150, blank=True)
    last_name = models.CharField(_("last name"), max_length=150, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(
        _("platform staff"),
        default=False,
        help_text=_("Platform operators only. Organisation administrators do not need it."),
    )
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)

    objects = UserManager()

    EMAIL_FIELD = "email"
    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["last_name", "first_name", "email"]

    def __str__(self):
        return self.get_full_name() or self.email

    def clean(self):
        super().clean()
        self.email = self.__class__.objects.normalize_email(self.email)

    def get_full_name(self):
        return f"{self.first_name} {self.last_name}".strip()

    def get_short_name(self):
        return self.first_name or self.email


# France and its overseas departments and territories, where such structures work.
TIME_ZONE_CHOICES = [
    ("Europe/Paris", "Europe/Paris"),
    ("America/Cayenne", "America/Cayenne"),
    ("America/Guadeloupe", "America/Guadeloupe"),
    ("America/Martinique", "America/Martinique"),
    ("America/Miquelon", "America/Miquelon"),
    ("Indian/Mayotte", "Indian/Mayotte"),
    ("Indian/Reunion", "Indian/Reunion"),
    ("Pacific/Noumea", "Pacific/Noumea"),
    ("Pacific/Tahiti", "Pacific/Tahiti"),
    ("Pacific/Wallis", "Pacific/Wallis"),
]


def default_time_zone():
    zones = {zone for zone, _label in TIME_ZONE_CHOICES}
    return settings.TIME_ZONE if settings.TIME_ZONE in zones else "Europe/Paris"


class OrganisationQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def of_user(self, user):
        return self.filter(memberships__user=user, memberships__is_active=True).distinct()


class Organisation(models.Model):
    """The structure (a CCAS, a Régie de quartier, an association) that employs the staff and owns every record."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name"), max_length=60, unique=True)
    kind = models.CharField(_("kind"), max_length=30, choices=OrganisationKind, default=OrganisationKind.ASSOCIATION)
    city = models.CharField(_("city"), max_length=120, blank=True)
    yearly_target = models.PositiveIntegerField(
        _("people to welcome per year"),
        default=60,
        help_text=_("The occupancy target of the programme (for example, 60 people a year)."),
    )
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        choices=TIME_ZONE_CHOICES,
        default=default_time_zone,
        help_text=_("Where the organisation works: its days, months and report periods follow this clock."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def today(self):
        """The current day where the organisation works."""
        return timezone.localtime(timezone.now(), zoneinfo.ZoneInfo(self.time_zone)).date()


class MembershipQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True, user__is_active=True)

    def with_role(self, role):
        return self.filter(**{Membership.ROLE_FIELDS[Role(role)]: True})


class Membership(models.Model):
    """A user's place in an organisation, with one or more roles (a project lead often coordinates and accompanies)."""

    ROLE_FIELDS = {
        Role.SOCIAL_WORKER: "is_social_worker",
        Role.TRAINER: "is_trainer",
        Role.COORDINATOR: "is_coordinator",
        Role.ADMINISTRATOR: "is_administrator",
    }

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("user"))
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("organisation")
    )
    is_social_worker = models.BooleanField(Role.SOCIAL_WORKER.label, default=False)
    is_trainer = models.BooleanField(Role.TRAINER.label, default=False)
    is_coordinator = models.BooleanField(Role.COORDINATOR.label, default=False)
    is_administrator = models.BooleanField(Role.ADMINISTRATOR.label, default=False)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["organisation__name", "user__last_name", "user__first_name"]
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="membership_unique_user_organisation"),
            models.CheckConstraint(
                condition=Q(is_social_worker=True)
                | Q(is_trainer=True)
                | Q(is_coordinator=True)
                | Q(is_administrator=True),
                name="membership_has_a_role",
                violation_error_message=_("Choose at least one role."),
            ),
        ]

    def __str__(self):
        return f"{self.user} · {self.organisation}"

    @property
    def roles(self):
        """The member's roles, in the order the menus show them."""
        return [role for role, field in self.ROLE_FIELDS.items() if getattr(self, field)]

    def has_role(self, *roles):
        return any(getattr(self, self.ROLE_FIELDS[Role(role)]) for role in roles)

    def set_roles(self, roles):
        wanted = {Role(role) for role in roles}
        for role, field in self.ROLE_FIELDS.items():
            setattr(self, field, role in wanted)


class ReferenceQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def for_organisation(self, organisation):
        return self.filter(organisation=organisation)


class ReferenceItem(models.Model):
    """An entry of a list an organisation edits (neighbourhoods, social situations…).

    `code` is stable across renamings so that reports and defaults can find an entry; entries are
    deactivated rather than deleted once records point at them.
    """

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, verbose_name=_("organisation"))
    label = models.CharField(_("label"), max_length=200)
    code = models.SlugField(_("code"), max_length=60, help_text=_("Stable identifier used by the reports."))
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    objects = ReferenceQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["position", "label"]

    def __str__(self):
        return self.label

    @classmethod
    def unique_constraints(cls, prefix):
        return [
            models.UniqueConstraint(fields=["organisation", "code"], name=f"{prefix}_unique_code"),
            models.UniqueConstraint(fields=["organisation", "label"], name=f"{prefix}_unique_label"),
        ]


class Neighbourhood(ReferenceItem):
    is_priority = models.BooleanField(
        _("priority neighbourhood (QPV)"),
        default=False,
        help_text=_("Quartier prioritaire de la politique de la ville."),
    )

    class Meta(ReferenceItem.Meta):
        verbose_name = _("neighbourhood")
        verbose_name_plural = _("neighbourhoods")
        constraints = ReferenceItem.unique_constraints("neighbourhood")


class EducationLevel(ReferenceItem):
    """The finest education level known; shown on both the 1969 scale and the 2019 scale (décret 2019-14)."""

    scale_1969 = models.CharField(_("1969 scale"), max_length=4, choices=Scale1969)
    scale_2019 = models.CharField(_("2019 scale"), max_length=8, choices=Scale2019)

    class Meta(ReferenceItem.Meta):
        verbose_name = _("education level")
        verbose_name_plural = _("education levels")
        constraints = ReferenceItem.unique_constraints("educationlevel")

    def __str__(self):
        return f"{self.label} ({self.scale_1969} · {self.get_scale_2019_display()})"


class SocialSituation(ReferenceItem):
    class Meta(ReferenceItem.Meta):
        verbose_name = _("social situation")
        verbose_name_plural = _("social situations")
        constraints = ReferenceItem.unique_constraints("socialsituation")


class ExitOutcome(ReferenceItem):
    category = models.CharField(_("category"), max_length=30, choices=ExitCategory)

    class Meta(ReferenceItem.Meta):
        verbose_name = _("exit outcome")
        verbose_name_plural = _("exit outcomes")
        ordering = ["position", "label"]
        constraints = ReferenceItem.unique_constraints("exitoutcome")


class WorkshopKind(ReferenceItem):
    class Meta(ReferenceItem.Meta):
        verbose_name = _("workshop kind")
        verbose_name_plural = _("workshop kinds")
        constraints = ReferenceItem.unique_constraints("workshopkind")


class PartnerTheme(ReferenceItem):
    class Meta(ReferenceItem.Meta):
        verbose_name = _("partner theme")
        verbose_name_plural = _("partner themes")
        constraints = ReferenceItem.unique_constraints("partnertheme")


class Programme(ReferenceItem):
    """What a person is enrolled in: an organisation runs several (the gardening workshop, a Chantier Tremplin…)."""

    class Meta(ReferenceItem.Meta):
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        constraints = ReferenceItem.unique_constraints("programme")


class AccessLogQuerySet(models.QuerySet):
    def older_than(self, moment):
        return self.filter(created_at__lt=moment)


class AccessLog(models.Model):
    """Who read a confidential note or an assessment, exported or printed something about a person, and when.

    It never holds the content read, nor a name: the beneficiary is a plain number, so that erasing a person does
    not erase the trace of who read their file. Purged after twelve months (`purge_access_log`).
    """

    class Action(models.TextChoices):
        READ_CONFIDENTIAL = "read_confidential", _("Read of confidential content")
        EXPORT = "export", _("Export of the list")
        PDF = "pdf", _("PDF")
        SUBJECT_EXPORT = "subject_export", _("Export of everything held about a person")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="+", verbose_name=_("organisation")
    )
    user = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("user"))
    action = models.CharField(_("action"), max_length=20, choices=Action)
    beneficiary_id = models.PositiveIntegerField(_("beneficiary number"), null=True, blank=True, db_index=True)
    object_type = models.CharField(_("object type"), max_length=60, blank=True)
    object_id = models.PositiveIntegerField(_("object number"), null=True, blank=True)
    created_at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)

    objects = AccessLogQuerySet.as_manager()

    class Meta:
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.created_at:%d/%m/%Y %H:%M} · {self.user} · {self.get_action_display()}"


REFERENCE_MODELS = [Neighbourhood, EducationLevel, SocialSituation, ExitOutcome, WorkshopKind, PartnerTheme, Programme]
