from django.db import models
from django.utils.translation import gettext_lazy as _


class SiteKind(models.TextChoices):
    URBAN_PLOT = "urban_plot", _("Urban plot")
    AGRICULTURAL_ZONE = "agricultural_zone", _("Agricultural zone")
    SHARED_GARDEN = "shared_garden", _("Shared garden")


class EquipmentKind(models.TextChoices):
    GREENHOUSE = "greenhouse", _("Greenhouse")
    HIVE = "hive", _("Hive")
    CHALET = "chalet", _("Chalet")
    TOOL_LIBRARY = "tool_library", _("Tool library")
    VEHICLE = "vehicle", _("Vehicle")
    OTHER = "other", _("Other")


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("Present")
    ABSENT = "absent", _("Absent")
    EXCUSED = "excused", _("Excused")


class Unit(models.TextChoices):
    KG = "kg", _("kg")
    BUNCH = "bunch", _("bunches")
    PIECE = "piece", _("pieces")


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class SkillLevel(models.IntegerChoices):
    TO_ACQUIRE = 1, _("1 · To acquire")
    IN_PROGRESS = 2, _("2 · In progress")
    ACQUIRED = 3, _("3 · Acquired")
    MASTERED = 4, _("4 · Mastered")
