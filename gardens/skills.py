"""Work skills: trainers rate a trainee against the organisation's grid from time to time (issue "Skills").

The social worker reads the ratings and the hours of presence in the file and the livret. Of a trainee, the pages
here show what insertion.inventory lets a trainer read, and nothing else: the name, the enrolment, the sites,
the hours and the skills; never the date of birth, the contact details, the social situation or the notes.
"""

from decimal import Decimal

from django import forms
from django.contrib import messages
from django.db import transaction
from django.db.models import Count, Prefetch, Q, Sum
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from beneficiaries import perms as beneficiary_perms
from beneficiaries.models import Beneficiary
from gardens import perms
from gardens.enums import SkillLevel
from gardens.models import Attendance, Site, SkillCriterion, SkillEvaluation, SkillRating
from insertion.forms import DateField
from insertion.perms import get_for_organisation, role_required

# Reads


def one_year_before(day):
    """The same day a year earlier; 29 February becomes the 28th."""
    try:
        return day.replace(year=day.year - 1)
    except ValueError:
        return day.replace(year=day.year - 1, day=28)


def presence_hours(beneficiary, today=None):
    """The hours of presence this month, over the last 12 months and in total, and the workshops attended.

    One aggregate query. Only `present` lines count: an absence or an excused absence carries no hours.
    """
    today = today or timezone.localdate()
    in_month = Q(workshop__date__gte=today.replace(day=1), workshop__date__lte=today)
    in_year = Q(workshop__date__gt=one_year_before(today), workshop__date__lte=today)
    totals = (
        Attendance.objects.present()
        .filter(beneficiary=beneficiary)
        .aggregate(
            this_month=Sum("hours", filter=in_month),
            last_12_months=Sum("hours", filter=in_year),
            total=Sum("hours"),
            workshops=Count("pk"),
        )
    )
    return {
        "this_month": totals["this_month"] or Decimal("0"),
        "last_12_months": totals["last_12_months"] or Decimal("0"),
        "total": totals["total"] or Decimal("0"),
        "workshops": totals["workshops"],
    }


def ratings_prefetch(*fields):
    """An evaluation's ratings with their criterion, in the order of the grid; `fields` restricts what is loaded."""
    queryset = SkillRating.objects.select_related("criterion").order_by("criterion__position", "criterion__label")
    if fields:
        queryset = queryset.only(*fields)
    return Prefetch("ratings", queryset=queryset)


def progression(evaluations):
    """The grid criterion × evaluation: `[(criterion, [rating or None for each evaluation])]`.

    `evaluations` in the order of the columns, with `ratings_prefetch()`. The rows are the criteria rated at least
    once, in the order of the grid; no query.
    """
    by_evaluation = [
        {rating.criterion_id: rating for rating in evaluation.ratings.all()} for evaluation in evaluations
    ]
    criteria = {rating.criterion_id: rating.criterion for ratings in by_evaluation for rating in ratings.values()}
    rows = sorted(criteria.values(), key=lambda criterion: (criterion.position, criterion.label))
    return [(criterion, [ratings.get(criterion.pk) for ratings in by_evaluation]) for criterion in rows]


def skills_progress(evaluations):
    """The latest evaluation and, when there are several, where each of its skills stood at the first one.

    `evaluations` in date order with their ratings prefetched: `{"latest", "first", "rows"}` where each row is
    `(criterion label, level at the first evaluation or None, latest level)`; None when there is no evaluation.
    """
    if not evaluations:
        return None
    first, latest = evaluations[0], evaluations[-1]
    several = first is not latest
    at_first = {rating.criterion_id: rating for rating in first.ratings.all()} if several else {}
    rows = []
    for rating in latest.ratings.all():
        earlier = at_first.get(rating.criterion_id)
        rows.append(
            (rating.criterion.label, earlier.get_level_display() if earlier else None, rating.get_level_display())
        )
    return {"latest": latest, "first": first if several else None, "rows": rows}


def skills_and_hours(beneficiary, *, skills=True, today=None):
    """For the social worker's file page: the hours of presence and the latest skills evaluation.

    Three queries at most (the hours; the latest evaluation with its evaluator; its ratings with their criteria).
    `skills=False` for a reader who may see the hours but not the skills (a coordinator, insertion.inventory).
    """
    latest = None
    if skills:
        latest = (
            SkillEvaluation.objects.filter(beneficiary=beneficiary)
            .select_related("evaluator")
            .prefetch_related(ratings_prefetch())
            .order_by("-date", "-pk")
            .first()
        )
    return {
        "hours": presence_hours(beneficiary, today),
        "show_skills": skills,
        "latest_evaluation": latest,
        "trainee_url": reverse("gardens:trainee", args=[beneficiary.pk]),
    }


def trainee_for(request, pk):
    """What a trainer may know of a trainee of the organisation (insertion.inventory), as a dict; 404 otherwise.

    A dict rather than the model, so that a template cannot reach the date of birth or the social situation.
    """
    beneficiary = get_for_organisation(
        Beneficiary.objects.with_follow_up().only("id", "organisation_id", "first_name", "last_name"), request, pk=pk
    )
    return {"pk": beneficiary.pk, "full_name": beneficiary.full_name, "enrolled_since": beneficiary.open_entry_date}


# Forms


class SkillEvaluationForm(forms.ModelForm):
    """The date, a level for each skill of the organisation's grid (or none), and a comment."""

    date = DateField(label=gettext_lazy("Date"))

    class Meta:
        model = SkillEvaluation
        fields = ["date", "comment"]
        widgets = {"comment": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"comment": gettext_lazy("What went well, what to work on next.")}

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        current = (
            {rating.criterion_id: rating.level for rating in self.instance.ratings.all()} if self.instance.pk else {}
        )
        # The active grid, and the skills this evaluation already rated even if taken off the grid since.
        self.criteria = list(
            SkillCriterion.objects.filter(organisation=organisation)
            .filter(Q(is_active=True) | Q(pk__in=list(current)))
            .order_by("position", "label")
        )
        for criterion in self.criteria:
            self.fields[self.level_field_name(criterion)] = forms.TypedChoiceField(
                label=criterion.label,
                choices=[("", gettext_lazy("Not rated")), *SkillLevel.choices],
                coerce=int,
                empty_value=None,
                required=False,
                initial=current.get(criterion.pk, ""),
                widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
            )

    @staticmethod
    def level_field_name(criterion):
        return f"criterion-{criterion.pk}"

    def level_fields(self):
        return [self[self.level_field_name(criterion)] for criterion in self.criteria]

    def levels(self):
        """`{criterion: level}` for the skills rated."""
        return {
            criterion: level
            for criterion in self.criteria
            if (level := self.cleaned_data.get(self.level_field_name(criterion)))
        }

    def clean_date(self):
        date = self.cleaned_data["date"]
        if date > timezone.localdate():
            raise forms.ValidationError(_("An evaluation cannot be dated in the future: rate what you have seen."))
        return date

    def clean(self):
        cleaned = super().clean()
        if not self.criteria:
            raise forms.ValidationError(
                _("The skills grid of your organisation is empty: ask an administrator to add its skills.")
            )
        if not self.errors and not self.levels():
            raise forms.ValidationError(_("Rate at least one skill: choose a level for it."))
        return cleaned

    @transaction.atomic
    def save(self):
        adding = self.instance.pk is None
        evaluation = super().save()
        if not adding:
            evaluation.ratings.all().delete()
        SkillRating.objects.bulk_create(
            [
                SkillRating(evaluation=evaluation, criterion=criterion, level=level)
                for criterion, level in self.levels().items()
            ]
        )
        return evaluation


# Views


def _form_page(request, form, trainee, title):
    return render(request, "gardens/skill_form.html", {"form": form, "trainee": trainee, "title": title})


@require_http_methods(["GET", "POST"])
@role_required(*perms.RECORD_ROLES)
def skill_evaluation_add(request, beneficiary_pk):
    trainee = trainee_for(request, beneficiary_pk)
    form = SkillEvaluationForm(
        request.POST or None,
        instance=SkillEvaluation(beneficiary_id=trainee["pk"], evaluator=request.user),
        organisation=request.organisation,
        initial={"date": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The skills evaluation was saved."))
        return redirect("gardens:trainee", beneficiary_pk=trainee["pk"])
    return _form_page(request, form, trainee, _("Rate skills"))


@require_http_methods(["GET", "POST"])
@role_required(*perms.RECORD_ROLES)
def skill_evaluation_edit(request, pk):
    evaluation = get_object_or_404(
        SkillEvaluation.objects.prefetch_related("ratings"), pk=pk, beneficiary__organisation=request.organisation
    )
    trainee = trainee_for(request, evaluation.beneficiary_id)
    form = SkillEvaluationForm(request.POST or None, instance=evaluation, organisation=request.organisation)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The skills evaluation was saved."))
        return redirect("gardens:trainee", beneficiary_pk=trainee["pk"])
    title = _("Skills evaluation of %(date)s") % {"date": f"{evaluation.date:%d/%m/%Y}"}
    return _form_page(request, form, trainee, title)


@require_GET
@role_required(*perms.SKILLS_READ_ROLES)
def trainee_skills(request, beneficiary_pk):
    """A trainee as a trainer sees them: the enrolment, the sites, the hours and the skills from one rating to the
    next, in five queries however many evaluations (the trainee, the evaluations, their ratings, the sites, the
    hours)."""
    trainee = trainee_for(request, beneficiary_pk)
    sites = Site.objects.filter(workshops__attendances__beneficiary_id=trainee["pk"]).distinct().order_by("name")
    evaluations = list(
        SkillEvaluation.objects.filter(beneficiary_id=trainee["pk"])
        .select_related("evaluator")
        .prefetch_related(ratings_prefetch())
        .order_by("date", "pk")
    )
    return render(
        request,
        "gardens/trainee.html",
        {
            "trainee": trainee,
            "sites": [site.name for site in sites.only("id", "name")],
            "hours": presence_hours(trainee["pk"]),
            "evaluations": evaluations,
            "progression": progression(evaluations),
            "can_rate": perms.can_record(request),
            "can_read_file": beneficiary_perms.can_read(request),
        },
    )
