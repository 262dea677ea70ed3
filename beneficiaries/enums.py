from django.db import models
from django.utils.translation import gettext_lazy as _


class Sex(models.TextChoices):
    FEMALE = "F", _("Female")
    MALE = "M", _("Male")
    OTHER = "X", _("Other or not stated")


class Household(models.TextChoices):
    SINGLE = "single", _("Single, no child")
    SINGLE_PARENT = "single_parent", _("Single parent")
    COUPLE = "couple", _("Couple, no child")
    COUPLE_WITH_CHILDREN = "couple_children", _("Couple with children")
    HOSTED = "hosted", _("Hosted by family or friends")
    OTHER = "other", _("Other")


class Domain(models.TextChoices):
    """The pathway domains of the livret (GLOSSARY: "Pathway domains")."""

    EMPLOYMENT = "employment", _("Employment")
    TRAINING = "training", _("Training")
    HOUSING = "housing", _("Housing")
    HEALTH = "health", _("Health")
    MOBILITY = "mobility", _("Mobility")
    FAMILY = "family", _("Family and childcare")
    BUDGET = "budget", _("Budget")
    RIGHTS = "rights", _("Administrative rights")
    LANGUAGE = "language", _("French language and literacy")
    DIGITAL = "digital", _("Digital skills")


class Level(models.IntegerChoices):
    """How far the domain holds the person back, from a major obstacle to none."""

    MAJOR_OBSTACLE = 1, _("1 · Major obstacle")
    OBSTACLE = 2, _("2 · Obstacle")
    IN_PROGRESS = 3, _("3 · Improving")
    NO_OBSTACLE = 4, _("4 · No obstacle")


class ObservatoryScore(models.IntegerChoices):
    """Seed 002's observatory scales, from 1 (dependence, precarity) to 5 (autonomy, security)."""

    ONE = 1, "1"
    TWO = 2, "2"
    THREE = 3, "3"
    FOUR = 4, "4"
    FIVE = 5, "5"


class AssessmentKind(models.TextChoices):
    ENTRY = "entry", _("Entry assessment")
    REVIEW = "review", _("Re-assessment")
    EXIT = "exit", _("Exit assessment")


class InterviewKind(models.TextChoices):
    INDIVIDUAL = "individual", _("Individual interview")
    COLLECTIVE = "collective", _("Collective monthly review")
    PHONE = "phone", _("Phone call")
    HOME_VISIT = "home_visit", _("Home visit")


class ActionStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    ABANDONED = "abandoned", _("Abandoned")


class Relaunch(models.TextChoices):
    """Seed 001 counts the "parcours relancés" on health, housing, training and employment."""

    HEALTH = "health", _("Health")
    HOUSING = "housing", _("Housing")
    TRAINING = "training", _("Return to training")
    EMPLOYMENT = "employment", _("Access to employment")


class ContractType(models.TextChoices):
    """The contract obtained when a pathway is relaunched on employment (seed 001's indicator)."""

    SUBSIDISED = "subsidised", _("Subsidised contract")
    CDD = "cdd", _("Fixed-term contract (CDD)")
    CDI = "cdi", _("Permanent contract (CDI)")
    CDDI = "cddi", _("Insertion contract (CDDI)")
    INTERIM = "interim", _("Temporary work (interim)")


class EnrolmentStatus(models.TextChoices):
    ENROLLED = "enrolled", _("Enrolled")
    EXITED = "exited", _("Exited")
    NEVER = "never", _("Not enrolled")
