import datetime
import hashlib

import factory

from reporting.models import Committee, FrozenReport, SynthesisSheet
from tests.insertion.factories import OrganisationFactory

# A small but real PDF, so that a download can be compared byte for byte.
SAMPLE_PDF = b"%PDF-1.7\n% frozen for a committee\n%%EOF\n"


class CommitteeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Committee

    organisation = factory.SubFactory(OrganisationFactory, with_defaults=True)
    date = datetime.date(2026, 3, 12)
    kind = Committee.Kind.STEERING
    title = factory.Sequence(lambda n: f"Comité de pilotage {n}")
    attendees = "CCAS, Conseil Départemental du Nord, Direction de la politique de la Ville"
    minutes = "Bilan présenté et approuvé."

    class Params:
        technical = factory.Trait(kind=Committee.Kind.TECHNICAL, title="Comité technique")


def _figures(frozen):
    return {
        "title": "Rapport d'indicateurs",
        "period": {"start": frozen.start.isoformat(), "end": frozen.end.isoformat(), "label": str(frozen.start.year)},
        "indicators": {
            "beneficiaries_reached": {
                "label": "Personnes accompagnées",
                "section": "people",
                "unit": "people",
                "table": False,
                "overlapping": False,
                "value": 56,
            }
        },
    }


class FrozenReportFactory(factory.django.DjangoModelFactory):
    """A frozen report with stored figures and PDF given as they are (no report is computed)."""

    class Meta:
        model = FrozenReport

    committee = factory.SubFactory(CommitteeFactory)
    start = datetime.date(2025, 1, 1)
    end = datetime.date(2025, 12, 31)
    figures = factory.LazyAttribute(_figures)
    pdf = SAMPLE_PDF
    sha256 = factory.LazyAttribute(lambda o: hashlib.sha256(bytes(o.pdf)).hexdigest())


class SynthesisSheetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SynthesisSheet

    organisation = factory.SubFactory(OrganisationFactory, with_defaults=True)
    start = datetime.date(2025, 1, 1)
    end = datetime.date(2025, 12, 31)
    analysis = "Une année de consolidation des parcours."
