import datetime
from decimal import Decimal

import factory

from gardens.models import Attendance, Harvest, Site, SkillEvaluation, SkillRating, Variety, Workshop
from insertion.models import WorkshopKind
from tests.beneficiaries.factories import BeneficiaryFactory
from tests.insertion.factories import OrganisationFactory


class SiteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Site

    organisation = factory.SubFactory(OrganisationFactory, with_defaults=True)
    name = factory.Sequence(lambda n: f"Jardin {n}")


def _kind(workshop, code="market-gardening"):
    return WorkshopKind.objects.get_or_create(
        organisation=workshop.organisation, code=code, defaults={"label": "Maraîchage"}
    )[0]


class WorkshopFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Workshop
        skip_postgeneration_save = True

    organisation = factory.LazyAttribute(lambda o: o.site.organisation)
    site = factory.SubFactory(SiteFactory)
    date = datetime.date(2026, 11, 16)
    start_time = datetime.time(8)
    end_time = datetime.time(10)
    kind = factory.LazyAttribute(_kind)

    @factory.post_generation
    def trainers(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.trainers.set(extracted)


class AttendanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Attendance

    workshop = factory.SubFactory(WorkshopFactory)
    beneficiary = factory.SubFactory(BeneficiaryFactory, organisation=factory.SelfAttribute("..workshop.organisation"))
    status = "present"
    hours = Decimal("2")


def _variety(harvest):
    return Variety.objects.filter(organisation=harvest.organisation).first()


class HarvestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Harvest

    organisation = factory.LazyAttribute(lambda o: o.site.organisation)
    site = factory.SubFactory(SiteFactory)
    date = datetime.date(2026, 11, 16)
    variety = factory.LazyAttribute(_variety)
    quantity = Decimal("12.5")
    unit = "kg"
    weight_kg = factory.LazyAttribute(lambda o: o.quantity)


class SkillEvaluationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SkillEvaluation

    beneficiary = factory.SubFactory(BeneficiaryFactory)
    date = datetime.date(2026, 11, 16)
    comment = "Ponctuel, bon esprit d'équipe."


class SkillRatingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SkillRating

    evaluation = factory.SubFactory(SkillEvaluationFactory)
    criterion = factory.LazyAttribute(lambda o: o.evaluation.beneficiary.organisation.skillcriterion_set.first())
    level = 3
