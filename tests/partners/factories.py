import datetime
from decimal import Decimal

import factory

from insertion.models import PartnerTheme
from partners.models import (
    Budget,
    BudgetLine,
    Contact,
    Distribution,
    DistributionLine,
    Funding,
    Partner,
    Partnership,
    Referral,
)
from tests.beneficiaries.factories import BeneficiaryFactory
from tests.gardens.factories import SiteFactory
from tests.insertion.factories import OrganisationFactory


class PartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partner
        skip_postgeneration_save = True

    organisation = factory.SubFactory(OrganisationFactory, with_defaults=True)
    name = factory.Sequence(lambda n: f"Partenaire {n}")

    @factory.post_generation
    def themes(obj, create, extracted, **kwargs):
        """`themes=["health", …]`: theme codes of the partner's organisation."""
        if create and extracted:
            obj.themes.set(PartnerTheme.objects.filter(organisation=obj.organisation, code__in=extracted))


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    partner = factory.SubFactory(PartnerFactory)
    name = factory.Sequence(lambda n: f"Contact {n}")


def _theme(partnership, code="food-aid"):
    return PartnerTheme.objects.get(organisation=partnership.organisation, code=code)


class PartnershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partnership

    partner = factory.SubFactory(PartnerFactory)
    organisation = factory.LazyAttribute(lambda o: o.partner.organisation)
    title = "Convention de distribution"
    theme = factory.LazyAttribute(_theme)
    start_date = datetime.date(2026, 3, 1)


class DistributionFactory(factory.django.DjangoModelFactory):
    """A distribution to a partner charity; pass `lines=[(variety, Decimal("2.5")), …]` to add its lines."""

    class Meta:
        model = Distribution
        skip_postgeneration_save = True

    site = factory.SubFactory(SiteFactory)
    organisation = factory.LazyAttribute(lambda o: o.site.organisation)
    date = datetime.date(2026, 11, 16)
    recipient_kind = "partner"
    partner = factory.SubFactory(
        PartnerFactory, organisation=factory.SelfAttribute("..organisation"), receives_produce=True
    )

    class Params:
        to_growers = factory.Trait(recipient_kind="growers", partner=None)

    @factory.post_generation
    def lines(obj, create, extracted, **kwargs):
        if create and extracted:
            DistributionLine.objects.bulk_create(
                [
                    DistributionLine(distribution=obj, variety=variety, weight_kg=Decimal(weight))
                    for variety, weight in extracted
                ]
            )


class ReferralFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Referral

    beneficiary = factory.SubFactory(BeneficiaryFactory)
    partner = factory.SubFactory(PartnerFactory, organisation=factory.SelfAttribute("..beneficiary.organisation"))
    date = datetime.date(2026, 10, 5)
    reason = "Bilan de santé à l'Institut Pasteur"


class FundingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Funding

    funder = factory.SubFactory(PartnerFactory, funds=True)
    organisation = factory.LazyAttribute(lambda o: o.funder.organisation)
    year = 2026
    amount = Decimal("25000")


class BudgetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Budget

    organisation = factory.SubFactory(OrganisationFactory, with_defaults=True)
    year = 2026
    title = "Du jardin à l'assiette"


class BudgetLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BudgetLine

    budget = factory.SubFactory(BudgetFactory)
    account = "60"
    amount = Decimal("1000")
