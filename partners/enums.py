from django.db import models
from django.utils.translation import gettext_lazy as _


class PartnerKind(models.TextChoices):
    ASSOCIATION = "association", _("Association")
    PUBLIC_BODY = "public_body", _("Public body")
    INSERTION = "insertion", _("Insertion structure")
    HEALTH = "health", _("Health body")
    COMPANY = "company", _("Company")
    FOUNDATION = "foundation", _("Foundation")
    VOLUNTEER = "volunteer", _("Volunteer")
    OTHER = "other", _("Other")


class PartnerRole(models.TextChoices):
    """What a partner does for the organisation; each value is the name of the partner's boolean field."""

    ORIENTS_PEOPLE = "orients_people", _("Refers people to us")
    RECEIVES_PRODUCE = "receives_produce", _("Receives produce")
    CO_LEADS_WORKSHOPS = "co_leads_workshops", _("Co-leads workshops")
    FUNDS = "funds", _("Funds")
    LENDS_PREMISES = "lends_premises", _("Lends land or premises")


class PartnershipKind(models.TextChoices):
    CONVENTION = "convention", _("Signed convention")
    INFORMAL = "informal", _("Informal partnership")


class RecipientKind(models.TextChoices):
    PARTNER = "partner", _("A partner (charity, shelter…)")
    GROWERS = "growers", _("The growers themselves")


class ReferralResult(models.TextChoices):
    PENDING = "pending", _("Awaiting an answer")
    TAKEN_ON = "taken_on", _("Taken on by the partner")
    NOT_TAKEN_ON = "not_taken_on", _("Not taken on by the partner")
    DID_NOT_GO = "did_not_go", _("The person did not go")
    CANCELLED = "cancelled", _("Cancelled")


class BudgetSide(models.TextChoices):
    CHARGES = "charges", _("Charges")
    PRODUCTS = "products", _("Products")


# The French associative chart of accounts (plan comptable des associations, as on the CERFA 12156 budget):
# class 6 and 86 are charges, class 7 and 87 products.
ACCOUNTS = [
    ("60", BudgetSide.CHARGES, _("60 – Purchases")),
    ("61", BudgetSide.CHARGES, _("61 – External services")),
    ("62", BudgetSide.CHARGES, _("62 – Other external services")),
    ("63", BudgetSide.CHARGES, _("63 – Taxes")),
    ("64", BudgetSide.CHARGES, _("64 – Staff costs")),
    ("65", BudgetSide.CHARGES, _("65 – Other current management charges")),
    ("66", BudgetSide.CHARGES, _("66 – Financial charges")),
    ("67", BudgetSide.CHARGES, _("67 – Exceptional charges")),
    ("68", BudgetSide.CHARGES, _("68 – Depreciation, provisions and commitments")),
    ("86", BudgetSide.CHARGES, _("86 – Use of voluntary contributions in kind")),
    ("70", BudgetSide.PRODUCTS, _("70 – Sales of goods and services")),
    ("71", BudgetSide.PRODUCTS, _("71 – Stored production")),
    ("72", BudgetSide.PRODUCTS, _("72 – Capitalised production")),
    ("73", BudgetSide.PRODUCTS, _("73 – Allocations and pricing income")),
    ("74", BudgetSide.PRODUCTS, _("74 – Operating subsidies")),
    ("75", BudgetSide.PRODUCTS, _("75 – Other current management income")),
    ("76", BudgetSide.PRODUCTS, _("76 – Financial income")),
    ("77", BudgetSide.PRODUCTS, _("77 – Exceptional income")),
    ("78", BudgetSide.PRODUCTS, _("78 – Reversals of depreciation and provisions")),
    ("87", BudgetSide.PRODUCTS, _("87 – Voluntary contributions in kind")),
]
ACCOUNT_CHOICES = [(code, label) for code, _side, label in ACCOUNTS]
ACCOUNT_SIDE = {code: side for code, side, _label in ACCOUNTS}
