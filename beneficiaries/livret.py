"""The livret de parcours as a document: a PDF, in plain words, that the person keeps.

It holds who they are, their objectives with the actions taken, their progress between assessments (the
"distance travelled"), the dates of their meetings, the partners they were referred to and why (which they know:
they went), their hours in the gardens and their work skills, and nothing the team keeps for itself: no interview
summary, no confidential note, no assessment text, no comment on an exit, on a skills evaluation or on the result of
a referral. The querysets below load only the fields the livret shows, so a field that is not listed
here cannot reach the document.
"""

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from beneficiaries.enums import Domain, Level, ObservatoryScore
from beneficiaries.models import Action, Assessment, AssessmentItem, Beneficiary, Enrolment, Interview, Objective
from gardens.models import SkillEvaluation
from gardens.skills import presence_hours, ratings_prefetch, skills_progress
from insertion import charts
from insertion.audit import access_log_record
from insertion.enums import Role
from insertion.models import AccessLog
from insertion.pdf import pdf_response
from insertion.perms import get_for_organisation, role_required
from partners.models import Referral


def progress_prefetch():
    """The assessments with their levels only: what `progress_chart` reads, without any assessment text."""
    return Prefetch(
        "assessments",
        queryset=Assessment.objects.only("id", "beneficiary_id", "date", "autonomy", "security").prefetch_related(
            Prefetch("items", queryset=AssessmentItem.objects.only("id", "assessment_id", "domain", "level"))
        ),
    )


def livret_queryset():
    """Beneficiaries with everything the livret shows, in a number of queries that does not grow with the file."""
    return (
        Beneficiary.objects.select_related("organisation", "referent")
        .only(
            "id",
            "organisation__name",
            "first_name",
            "last_name",
            "birth_date",
            "referent__first_name",
            "referent__last_name",
        )
        .prefetch_related(
            Prefetch(
                "enrolments",
                queryset=Enrolment.objects.select_related("programme").only(
                    "id", "beneficiary_id", "entry_date", "exit_date", "programme__label"
                ),
            ),
            Prefetch(
                "objectives",
                queryset=Objective.objects.only(
                    "id", "beneficiary_id", "domain", "title", "achieved_on"
                ).prefetch_related(
                    Prefetch(
                        "actions",
                        queryset=Action.objects.only("id", "objective_id", "title", "date", "status", "partner"),
                    )
                ),
            ),
            progress_prefetch(),
            Prefetch(
                "interviews",
                queryset=Interview.objects.only("id", "beneficiary_id", "date", "kind").order_by("date", "pk"),
            ),
            Prefetch(
                "referrals",
                queryset=Referral.objects.select_related("partner")
                .only("id", "beneficiary_id", "date", "reason", "result", "partner__name")
                .order_by("date", "pk"),
            ),
            Prefetch(
                "skill_evaluations",
                queryset=SkillEvaluation.objects.only("id", "beneficiary_id", "date")
                .order_by("date", "pk")
                .prefetch_related(
                    ratings_prefetch("id", "evaluation_id", "level", "criterion__label", "criterion__position")
                ),
            ),
        )
    )


def progress_chart(beneficiary, assessments=None):
    """The distance travelled: for each assessment date, the level of each domain assessed (1 to 4) and the two
    observatory scores, autonomy and security (1 to 5, seed 002).

    One small chart per domain and per score rather than a tangle of lines on two scales: each keeps its own
    range and reads in black and white. `assessments` in date order with their items prefetched, else the
    beneficiary's, best prefetched with `progress_prefetch()`.
    """
    assessments = list(beneficiary.assessments.all() if assessments is None else assessments)
    levels = [{item.domain: item.level for item in assessment.items.all()} for assessment in assessments]
    level_labels = {level.value: str(level.label) for level in Level}
    score_labels = {score.value: _("%(score)s out of 5") % {"score": score.value} for score in ObservatoryScore}
    panels = [
        charts.Panel(
            domain.label,
            [by_domain.get(domain) for by_domain in levels],
            Level.MAJOR_OBSTACLE,
            Level.NO_OBSTACLE,
            level_labels,
        )
        for domain in Domain
        if any(domain in by_domain for by_domain in levels)
    ]
    if assessments:
        autonomy = [assessment.autonomy for assessment in assessments]
        security = [assessment.security for assessment in assessments]
        panels += [
            charts.Panel(_("Autonomy in daily life"), autonomy, 1, 5, score_labels),
            charts.Panel(_("Security: income, housing, rights"), security, 1, 5, score_labels),
        ]
    return charts.small_multiples(
        _("Progress from one assessment to the next"),
        [assessment.date for assessment in assessments],
        panels,
        series_header=_("Area"),
        empty_text=_("No assessment yet: the progress will show here after the first one."),
    )


def livret_context(beneficiary):
    """What the livret says, and nothing else: the template only lays it out."""
    referent = beneficiary.referent
    enrolments = list(beneficiary.enrolments.all())
    objectives = list(beneficiary.objectives.all())
    return {
        "identity": {
            "first_name": beneficiary.first_name,
            "last_name": beneficiary.last_name,
            "birth_date": f"{beneficiary.birth_date:%d/%m/%Y}",
            "organisation": beneficiary.organisation.name,
            "referent": referent.get_full_name() if referent else "",
        },
        "current_enrolments": [enrolment for enrolment in enrolments if enrolment.is_open],
        "past_enrolments": [enrolment for enrolment in enrolments if not enrolment.is_open],
        "objectives_by_domain": [
            (domain.label, in_domain)
            for domain in Domain
            if (in_domain := [objective for objective in objectives if objective.domain == domain])
        ],
        "progress_chart": progress_chart(beneficiary),
        "interviews": list(beneficiary.interviews.all()),
        "referrals": list(beneficiary.referrals.all()),
        "hours": presence_hours(beneficiary),
        "skills": skills_progress(list(beneficiary.skill_evaluations.all())),
        "printed_on": timezone.localdate(),
    }


def livret_filename(beneficiary, day):
    """An ASCII name the person can find again: livret-dupont-eloise-2026-03-09.pdf."""
    name = "-".join(part for part in (slugify(beneficiary.last_name), slugify(beneficiary.first_name)) if part)
    return f"livret-{name or beneficiary.pk}-{day:%Y-%m-%d}.pdf"


@require_GET
@role_required(Role.SOCIAL_WORKER)
def livret_pdf(request, pk):
    """The livret of one person of the organisation, as a PDF download for their social worker to hand over."""
    beneficiary = get_for_organisation(livret_queryset(), request, pk=pk)
    filename = livret_filename(beneficiary, timezone.localdate())
    access_log_record(request, action=AccessLog.Action.PDF, beneficiary_id=beneficiary.pk, obj=beneficiary)
    return pdf_response(request, "beneficiaries/livret.html", livret_context(beneficiary), filename)
