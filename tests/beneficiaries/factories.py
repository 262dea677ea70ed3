import datetime

import factory

from beneficiaries.enums import ActionStatus, Domain, InterviewKind, Level, Sex
from beneficiaries.models import Action, Assessment, AssessmentItem, Beneficiary, Enrolment, Interview, Objective
from insertion.models import ExitOutcome, Programme
from tests.insertion.factories import OrganisationFactory, UserFactory


class BeneficiaryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Beneficiary
        skip_postgeneration_save = True

    organisation = factory.SubFactory(OrganisationFactory)
    first_name = factory.Faker("first_name", locale="fr_FR")
    last_name = factory.Faker("last_name", locale="fr_FR")
    sex = Sex.FEMALE
    birth_date = datetime.date(1980, 5, 17)

    class Params:
        with_contact = factory.Trait(
            phone="06 12 34 56 78", email=factory.Faker("email"), address="12 rue des Jardins", city="Valenciennes"
        )

    @factory.post_generation
    def situations(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.social_situations.set(extracted)


def _programme(enrolment):
    organisation = enrolment.beneficiary.organisation
    return Programme.objects.get_or_create(
        organisation=organisation, code="market-gardening-workshop", defaults={"label": "Atelier maraîchage"}
    )[0]


class EnrolmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enrolment

    beneficiary = factory.SubFactory(BeneficiaryFactory)
    programme = factory.LazyAttribute(_programme)
    entry_date = datetime.date(2026, 1, 5)

    class Params:
        exited = factory.Trait(
            exit_date=datetime.date(2026, 6, 30),
            exit_outcome=factory.LazyAttribute(
                lambda o: ExitOutcome.objects.get(organisation=o.beneficiary.organisation, code="cdi")
            ),
        )


class AssessmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assessment

    beneficiary = factory.SubFactory(BeneficiaryFactory)
    date = datetime.date(2026, 1, 5)
    author = factory.SubFactory(UserFactory)
    autonomy = 2
    security = 2


class AssessmentItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AssessmentItem

    assessment = factory.SubFactory(AssessmentFactory)
    domain = Domain.HEALTH
    situation = "Pas de médecin traitant"
    obstacles = "Couverture santé à renouveler"
    level = Level.OBSTACLE


class InterviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Interview

    beneficiary = factory.SubFactory(BeneficiaryFactory)
    date = datetime.date(2026, 2, 2)
    author = factory.SubFactory(UserFactory)
    kind = InterviewKind.INDIVIDUAL
    summary = "Point sur la recherche de logement."
    confidential_note = "Violences conjugales évoquées : ne pas transmettre."


class ObjectiveFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Objective

    beneficiary = factory.SubFactory(BeneficiaryFactory)
    domain = Domain.HOUSING
    title = "Trouver un logement autonome"


class ActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Action

    objective = factory.SubFactory(ObjectiveFactory)
    title = "Déposer une demande de logement social"
    date = datetime.date(2026, 2, 10)
    status = ActionStatus.PLANNED
