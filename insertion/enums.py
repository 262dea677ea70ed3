from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """The four roles of the team (seed 001: social workers, technical trainers, a project lead who coordinates)."""

    SOCIAL_WORKER = "social_worker", _("Social worker")
    TRAINER = "trainer", _("Technical trainer")
    COORDINATOR = "coordinator", _("Coordinator")
    ADMINISTRATOR = "administrator", _("Administrator")


class OrganisationKind(models.TextChoices):
    CCAS = "ccas", _("CCAS / CIAS")
    CPAS = "cpas", _("CPAS")
    REGIE = "regie", _("Régie de quartier")
    ASSOCIATION = "association", _("Association")
    INSERTION_STRUCTURE = "insertion_structure", _("Insertion structure (ACI, EI…)")
    OTHER = "other", _("Other")


class Scale1969(models.TextChoices):
    """The 1969 French scale of education levels (VI lowest, I highest)."""

    VI = "VI", "VI"
    VBIS = "Vbis", "Vbis"
    V = "V", "V"
    IV = "IV", "IV"
    III = "III", "III"
    II = "II", "II"
    I = "I", "I"  # noqa: E741


class Scale2019(models.TextChoices):
    """The 2019 scale of the national qualifications framework (décret 2019-14), levels 3 to 8."""

    BELOW_3 = "below_3", _("below 3")
    L3 = "3", "3"
    L4 = "4", "4"
    L5 = "5", "5"
    L6 = "6", "6"
    L7 = "7", "7"
    L8 = "8", "8"


class ExitCategory(models.TextChoices):
    """The IAE "sorties dynamiques" categories an exit outcome counts under."""

    SUSTAINABLE_EMPLOYMENT = "sustainable_employment", _("Sustainable employment")
    TRANSITION_EMPLOYMENT = "transition_employment", _("Transitional employment")
    POSITIVE_EXIT = "positive_exit", _("Positive exit")
    OTHER = "other", _("Other exit")
