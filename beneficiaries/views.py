import datetime

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from beneficiaries import exports, perms, privacy
from beneficiaries.filters import BeneficiaryFilter
from beneficiaries.forms import (
    ActionForm,
    AssessmentForm,
    BeneficiaryForm,
    EnrolmentForm,
    FirstEnrolmentForm,
    InterviewForm,
    ObjectiveForm,
)
from beneficiaries.livret import progress_chart
from beneficiaries.models import Action, Assessment, Beneficiary, Enrolment, Interview, Objective
from beneficiaries.perms import beneficiary_for_read, beneficiary_for_write, record_for_write
from gardens.skills import skills_and_hours
from insertion import inventory
from insertion.audit import access_log_record
from insertion.enums import Role
from insertion.models import AccessLog
from insertion.perms import role_required
from partners.perms import can_edit_directory, can_refer

LIST_PAGE_SIZE = 25


def _list_queryset(request):
    return (
        Beneficiary.objects.of(request.organisation)
        .with_follow_up()
        .select_related("neighbourhood", "referent")
        .order_by("last_name", "first_name", "pk")
    )


def _filtered(request):
    return BeneficiaryFilter(request.GET or None, queryset=_list_queryset(request), organisation=request.organisation)


@require_GET
@role_required(Role.SOCIAL_WORKER, Role.COORDINATOR)
def beneficiary_list(request):
    """The list of files, searched and filtered; htmx swaps only the results when a filter changes."""
    filterset = _filtered(request)
    queryset = filterset.qs if filterset.is_bound and filterset.is_valid() else filterset.queryset
    page = Paginator(queryset, LIST_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "filter": filterset,
        "page_obj": page,
        "query": query.urlencode(),
        "can_write": perms.can_write(request),
    }
    if request.htmx:
        return render(request, "beneficiaries/includes/list_results.html", context)
    return render(request, "beneficiaries/list.html", context)


@require_GET
@role_required(Role.SOCIAL_WORKER, Role.COORDINATOR)
def beneficiary_export(request, fmt):
    """The filtered list as CSV or XLSX, without any content restricted to social workers."""
    filterset = _filtered(request)
    queryset = filterset.qs if filterset.is_bound and filterset.is_valid() else filterset.queryset
    if fmt not in ("csv", "xlsx"):
        raise Http404
    rows = exports.table(queryset, request.membership)
    stamp = timezone.localdate().isoformat()
    access_log_record(request, action=AccessLog.Action.EXPORT, object_type="export")
    if fmt == "csv":
        response = HttpResponse(exports.to_csv(rows), content_type="text/csv; charset=utf-8")
    elif fmt == "xlsx":
        response = HttpResponse(
            exports.to_xlsx(rows, _("Beneficiaries")),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="beneficiaires-{stamp}.{fmt}"'
    response["Cache-Control"] = "no-store"
    return response


@require_GET
@role_required(Role.SOCIAL_WORKER)
def dashboard(request):
    """The social worker's follow-up dashboard: their people, the last interview, who is overdue, the coming week."""
    today = timezone.localdate()
    mine = (
        Beneficiary.objects.of(request.organisation)
        .with_follow_up()
        .filter(referent=request.user, open_entry_date__isnull=False)
        .select_related("neighbourhood")
        .order_by("last_name", "first_name")
    )
    followed = list(mine)
    overdue = [beneficiary for beneficiary in followed if beneficiary.interview_overdue]
    start = timezone.make_aware(datetime.datetime.combine(today, datetime.time.min))
    appointments = (
        Interview.objects.filter(
            beneficiary__organisation=request.organisation,
            beneficiary__referent=request.user,
            next_appointment__gte=start,
            next_appointment__lt=start + datetime.timedelta(days=8),
        )
        .select_related("beneficiary")
        .order_by("next_appointment")
    )
    return render(
        request,
        "beneficiaries/dashboard.html",
        {
            "followed": followed,
            "overdue": overdue,
            "appointments": appointments,
            "team_overdue": Beneficiary.objects.of(request.organisation).interview_overdue(today).count(),
            "retention_due": privacy.due_soon(
                Beneficiary.objects.of(request.organisation).filter(referent=request.user), today
            ).order_by("last_contact", "pk"),
        },
    )


@require_http_methods(["GET", "POST"])
@role_required(Role.SOCIAL_WORKER)
def beneficiary_create(request):
    organisation = request.organisation
    form = BeneficiaryForm(
        request.POST or None, organisation=organisation, initial={"referent": request.user, "city": organisation.city}
    )
    enrolment_form = FirstEnrolmentForm(request.POST or None, organisation=organisation)
    if request.method == "POST" and form.is_valid() and enrolment_form.is_valid():
        with transaction.atomic():
            beneficiary = form.save()
            if enrolment_form.cleaned_data.get("programme"):
                Enrolment.objects.create(
                    beneficiary=beneficiary,
                    programme=enrolment_form.cleaned_data["programme"],
                    entry_date=enrolment_form.cleaned_data["entry_date"],
                )
        messages.success(
            request, _("The file of %(name)s is open. Start with the entry assessment.") % {"name": beneficiary}
        )
        return redirect(beneficiary)
    return render(
        request,
        "beneficiaries/beneficiary_form.html",
        {
            "form": form,
            "enrolment_form": enrolment_form,
            "duplicates": form.duplicates,
            "can_add_partner": can_edit_directory(request),
        },
    )


@require_http_methods(["GET", "POST"])
@role_required(Role.SOCIAL_WORKER)
def beneficiary_edit(request, pk):
    beneficiary = beneficiary_for_write(request, pk)
    form = BeneficiaryForm(request.POST or None, instance=beneficiary, organisation=request.organisation)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The file was saved."))
        return redirect(beneficiary)
    return render(
        request,
        "beneficiaries/beneficiary_form.html",
        {"form": form, "beneficiary": beneficiary, "can_add_partner": can_edit_directory(request)},
    )


@require_GET
def beneficiary_detail(request, pk):
    """The file. Social workers see all of it; coordinators only what insertion.inventory lets them read."""
    membership = request.membership
    can = inventory.visible_categories(membership)
    queryset = Beneficiary.objects.with_follow_up().select_related(
        "neighbourhood", "education_level", "referent", "referring_partner"
    )
    if can["social_situation"]:
        queryset = queryset.prefetch_related("social_situations")
    beneficiary = beneficiary_for_read(request, pk, queryset)

    enrolments = beneficiary.enrolments.select_related("programme", "exit_outcome")
    interview_fields = inventory.readable_fields(membership, "beneficiaries.Interview")
    interviews = (
        beneficiary.interviews.only(
            *[f for f in interview_fields if f not in {"id", "beneficiary"}], "beneficiary"
        ).select_related("author")
        if can["interview_summary"]
        else Interview.objects.none()
    )
    context = {
        "beneficiary": beneficiary,
        "can": can,
        "can_write": perms.can_write(request),
        "enrolments": enrolments,
        "interviews": interviews,
    }
    context["skills_and_hours"] = skills_and_hours(beneficiary, skills=can["skills"])
    # Referrals to partners: their reason and result are confidential, so the section is the social workers'.
    context["can_refer"] = can_refer(request)
    if context["can_refer"]:
        context["referrals"] = beneficiary.referrals.select_related("partner")
    if can["assessment"]:
        assessments = list(beneficiary.assessments.prefetch_related("items").select_related("author"))
        context["assessments"] = assessments
        context["progress_chart"] = progress_chart(beneficiary, assessments=assessments)
    if can["confidential_note"] or can["assessment"]:
        # The page shows confidential notes and assessments: the read is logged (never what was read).
        access_log_record(
            request, action=AccessLog.Action.READ_CONFIDENTIAL, beneficiary_id=beneficiary.pk, obj=beneficiary
        )
    if can["pathway_plan"]:
        context["objectives"] = beneficiary.objectives.prefetch_related(
            Prefetch("actions", queryset=Action.objects.order_by("date", "pk"))
        ).annotate(open_actions=Count("actions", filter=Q(actions__status__in=["planned", "in_progress"])))
    return render(request, "beneficiaries/beneficiary_detail.html", context)


def _form_page(request, form, beneficiary, title, **extra):
    return render(
        request,
        extra.pop("template", "beneficiaries/record_form.html"),
        {"form": form, "beneficiary": beneficiary, "title": title, **extra},
    )


@require_http_methods(["GET", "POST"])
@role_required(Role.SOCIAL_WORKER)
def enrolment_add(request, pk):
    beneficiary = beneficiary_for_write(request, pk)
    form = EnrolmentForm(
        request.POST or None, instance=Enrolment(beneficiary=beneficiary), organisation=request.organisation
    )
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The enrolment was saved."))
        return redirect(beneficiary)
    return _form_page(request, form, beneficiary, _("New enrolment"))


@require_http_methods(["GET", "POST"])
@role_required(Role.SOCIAL_WORKER)
def enrolment_edit(request, pk):
    enrolment = record_for_write(request, Enrolment, pk)
    form = EnrolmentForm(request.POST or None, instance=enrolment, organisation=request.organisation)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The enrolment was saved."))
        return redirect(enrolment.beneficiary)
    title = _("Enrolment or exit") if enrolment.is_open else _("Enrolment")
    return _form_page(request, form, enrolment.beneficiary, title)


@require_http_methods(["GET", "POST"])
@role_required(Role.SOCIAL_WORKER)
def assessment_add(request, pk):
    beneficiary = beneficiary_for_write(request, pk)
    previous = beneficiary.assessments.prefetch_related("items").order_by("date", "pk").last()
    kind = "review" if previous else "entry"
    instance = Assessment(beneficiary=beneficiary, author=request.user)
    form = AssessmentForm(
        request.POST or None,
        instance=instance,
        previous=previous,
        initial={"date": timezone.localdate(), "kind": kind},
    )
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The assessment was saved."))
        return redirect(beneficiary)
    return _form_page(request, form, beneficiary, _("New assessment"), template="beneficiaries/assessment_form.html")


@require_http_methods(["GET", "POST"])
@role_required(Role.SOCIAL_WORKER)
def assessment_edit(request, pk):
    assessment = record_for_write(request, Assessment, pk)
    form = AssessmentForm(request.POST or None, instance=assessment)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The assessment was saved."))
        return redirect(assessment.beneficiary)
    return _form_page(
        request, form, assessment.beneficiary, str(assessment), template="beneficiaries/assessment_form.html"
    )


@require_http_methods(["GET", "POST"])
@role_required(Role.SOCIAL_WORKER)
def interview_add(request, pk):
    beneficiary = beneficiary_for_write(request, pk)
    form = InterviewForm(request.POST or None, instance=Interview(beneficiary=beneficiary, author=request.user))
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The interview was saved."))
        return redirect(beneficiary)
    return _form_page(request, form, beneficiary, _("New interview"))


@require_http_methods(["GET", "POST"])
@role_required(Role.SOCIAL_WORKER)
def interview_edit(request, pk):
    interview = record_for_write(request, Interview, pk)
    form = InterviewForm(request.POST or None, instance=interview)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The interview was saved."))
        return redirect(interview.beneficiary)
    return _form_page(request, form, interview.beneficiary, str(interview))


@require_http_methods(["GET", "POST"])
@role_required(Role.SOCIAL_WORKER)
def objective_add(request, pk):
    beneficiary = beneficiary_for_write(request, pk)
    form = ObjectiveForm(request.POST or None, instance=Objective(beneficiary=beneficiary))
    if request.method == "POST" and form.is_valid():
        objective = form.save()
        messages.success(request, _("The objective was added: now plan its first action."))
        return redirect("beneficiaries:action_add", pk=objective.pk)
    return _form_page(request, form, beneficiary, _("New objective"))


@require_http_methods(["GET", "POST"])
@role_required(Role.SOCIAL_WORKER)
def objective_edit(request, pk):
    objective = record_for_write(request, Objective, pk)
    form = ObjectiveForm(request.POST or None, instance=objective)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The objective was saved."))
        return redirect(_plan_url(objective.beneficiary))
    return _form_page(request, form, objective.beneficiary, _("Objective"))


@require_http_methods(["GET", "POST"])
@role_required(Role.SOCIAL_WORKER)
def action_add(request, pk):
    objective = record_for_write(request, Objective, pk)
    form = ActionForm(request.POST or None, instance=Action(objective=objective))
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The action was added to the plan."))
        return redirect(_plan_url(objective.beneficiary))
    return _form_page(request, form, objective.beneficiary, _("New action"), subtitle=objective.title)


@require_http_methods(["GET", "POST"])
@role_required(Role.SOCIAL_WORKER)
def action_edit(request, pk):
    action = get_object_or_404(
        Action.objects.select_related("objective__beneficiary"),
        pk=pk,
        objective__beneficiary__organisation=request.organisation,
    )
    form = ActionForm(request.POST or None, instance=action)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The action was saved."))
        return redirect(_plan_url(action.objective.beneficiary))
    return _form_page(request, form, action.objective.beneficiary, _("Action"), subtitle=action.objective.title)


def _plan_url(beneficiary):
    return reverse("beneficiaries:detail", args=[beneficiary.pk]) + "#plan"
