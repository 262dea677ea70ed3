import datetime
from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, DecimalField, Q, Sum, Value
from django.db.models.functions import Coalesce
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from beneficiaries.models import Beneficiary
from gardens.enums import AttendanceStatus
from gardens.forms import (
    EquipmentFormSet,
    HarvestForm,
    HarvestHeaderForm,
    HarvestLineFormSet,
    PlotFormSet,
    RegisterForm,
    SiteForm,
    TermForm,
    VarietyForm,
    WorkshopForm,
    default_times,
)
from gardens.models import Attendance, Harvest, Site, Variety, Workshop
from gardens.perms import PLAN_ROLES, READ_ROLES, RECORD_ROLES, SKILLS_READ_ROLES, can_plan, can_record
from insertion.perms import get_for_organisation, role_required
from partners.perms import can_edit_directory

ZERO_HOURS = Value(Decimal("0"), output_field=DecimalField(max_digits=8, decimal_places=2))


def _week_bounds(day):
    monday = day - datetime.timedelta(days=day.weekday())
    return monday, monday + datetime.timedelta(days=6)


def _month_bounds(day):
    first = day.replace(day=1)
    following = (first + datetime.timedelta(days=32)).replace(day=1)
    return first, following - datetime.timedelta(days=1)


def _hours_this_month(organisation, day):
    """The trainees enrolled today with their hours of presence this month, in one query."""
    first, last = _month_bounds(day)
    in_month = Q(
        attendances__status=AttendanceStatus.PRESENT,
        attendances__workshop__date__gte=first,
        attendances__workshop__date__lte=last,
    )
    return (
        Beneficiary.objects.of(organisation)
        .enrolled_on(day)
        .annotate(month_hours=Coalesce(Sum("attendances__hours", filter=in_month), ZERO_HOURS))
        .only("id", "first_name", "last_name")
        .order_by("last_name", "first_name")
    )


@require_GET
@role_required(*RECORD_ROLES)
def home(request):
    """The trainer's home: today's and this week's workshops, one tap to the register, the month's hours."""
    today = timezone.localdate()
    # The last fortnight (registers still to take) and the coming week, in one query.
    workshops = list(
        Workshop.objects.of(request.organisation)
        .between(today - datetime.timedelta(days=14), today + datetime.timedelta(days=7))
        .select_related("kind", "site", "neighbourhood")
        .prefetch_related("trainers")
        .with_attendance_counts()
    )
    return render(
        request,
        "gardens/home.html",
        {
            "today": today,
            "today_workshops": [w for w in workshops if w.date == today],
            "week_workshops": [w for w in workshops if w.date > today],
            "to_complete": [w for w in workshops if w.date < today and not w.recorded_count and w.site_id],
            "trainees": _hours_this_month(request.organisation, today),
        },
    )


@require_GET
@role_required(*SKILLS_READ_ROLES)
def trainee_list(request):
    """The trainees enrolled today, as a trainer sees them: name and hours this month, nothing else."""
    trainees = _hours_this_month(request.organisation, timezone.localdate())
    page = Paginator(trainees, 50).get_page(request.GET.get("page"))
    return render(request, "gardens/trainee_list.html", {"page_obj": page})


# Sites -----------------------------------------------------------------------------------------------------


@require_GET
@role_required(*READ_ROLES)
def site_list(request):
    sites = (
        Site.objects.filter(organisation=request.organisation)
        .annotate(workshop_count=Count("workshops"))
        .order_by("is_archived", "name")
    )
    return render(request, "gardens/site_list.html", {"sites": sites, "can_plan": can_plan(request)})


@require_GET
@role_required(*READ_ROLES)
def site_detail(request, pk):
    site = get_for_organisation(Site.objects.prefetch_related("plots", "equipment"), request, pk=pk)
    year_ago = timezone.localdate() - datetime.timedelta(days=365)
    harvested = (
        Harvest.objects.filter(site=site, date__gte=year_ago)
        .values("variety__species")
        .annotate(total=Sum("weight_kg"))
        .order_by("-total")[:10]
    )
    recent = site.workshops.select_related("kind").order_by("-date", "-start_time")[:10]
    return render(
        request,
        "gardens/site_detail.html",
        {"site": site, "harvested": harvested, "recent": recent, "can_plan": can_plan(request)},
    )


def _site_form_page(request, site):
    form = SiteForm(request.POST or None, instance=site, organisation=request.organisation)
    plots = PlotFormSet(request.POST or None, instance=site, prefix="plots")
    equipment = EquipmentFormSet(request.POST or None, instance=site, prefix="equipment")
    if request.method == "POST" and form.is_valid() and plots.is_valid() and equipment.is_valid():
        with transaction.atomic():
            site = form.save()
            plots.instance = equipment.instance = site
            plots.save()
            equipment.save()
        messages.success(request, _("The site %(name)s was saved.") % {"name": site})
        return redirect(site)
    return render(request, "gardens/site_form.html", {"form": form, "plots": plots, "equipment": equipment})


@require_http_methods(["GET", "POST"])
@role_required(*PLAN_ROLES)
def site_create(request):
    return _site_form_page(request, Site(organisation=request.organisation))


@require_http_methods(["GET", "POST"])
@role_required(*PLAN_ROLES)
def site_edit(request, pk):
    return _site_form_page(request, get_for_organisation(Site.objects.all(), request, pk=pk))


@require_POST
@role_required(*PLAN_ROLES)
def site_archive(request, pk):
    """Archive (or bring back) a site: its workshops and harvests stay in the reports."""
    site = get_for_organisation(Site.objects.all(), request, pk=pk)
    site.is_archived = not site.is_archived
    site.save(update_fields=["is_archived"])
    if site.is_archived:
        messages.success(request, _("%(name)s is archived: it is no longer offered for new records.") % {"name": site})
    else:
        messages.success(request, _("%(name)s is back in use.") % {"name": site})
    return redirect(site)


@require_POST
@role_required(*PLAN_ROLES)
def site_delete(request, pk):
    site = get_for_organisation(Site.objects.all(), request, pk=pk)
    if site.has_records():
        messages.error(request, _("%(name)s has workshops or harvests: archive it instead.") % {"name": site})
        return redirect(site)
    site.delete()
    messages.success(request, _("The site was deleted."))
    return redirect("gardens:site_list")


# Varieties -------------------------------------------------------------------------------------------------


@require_GET
@role_required(*READ_ROLES)
def variety_list(request):
    varieties = (
        Variety.objects.filter(organisation=request.organisation)
        .annotate(harvested=Coalesce(Sum("harvests__weight_kg"), ZERO_HOURS))
        .order_by("species", "label")
    )
    page = Paginator(varieties, 50).get_page(request.GET.get("page"))
    return render(request, "gardens/variety_list.html", {"page_obj": page, "can_plan": can_plan(request)})


@require_http_methods(["GET", "POST"])
@role_required(*PLAN_ROLES)
def variety_create(request):
    return _variety_form_page(request, Variety(organisation=request.organisation))


@require_http_methods(["GET", "POST"])
@role_required(*PLAN_ROLES)
def variety_edit(request, pk):
    return _variety_form_page(request, get_for_organisation(Variety.objects.all(), request, pk=pk))


def _variety_form_page(request, variety):
    form = VarietyForm(request.POST or None, instance=variety, organisation=request.organisation)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The variety was saved."))
        return redirect("gardens:variety_list")
    title = _("New variety") if variety.pk is None else str(variety)
    return render(
        request,
        "gardens/simple_form.html",
        {"form": form, "title": title, "cancel_url": reverse("gardens:variety_list")},
    )


# Workshops -------------------------------------------------------------------------------------------------


@require_GET
@role_required(*READ_ROLES)
def workshop_list(request):
    """A week of workshops, with the week before and after one tap away."""
    try:
        day = datetime.date.fromisoformat(request.GET.get("semaine", ""))
    except ValueError:
        day = timezone.localdate()
    monday, sunday = _week_bounds(day)
    workshops = (
        Workshop.objects.of(request.organisation)
        .between(monday, sunday)
        .select_related("kind", "site", "neighbourhood", "co_leading_partner")
        .prefetch_related("trainers")
        .with_attendance_counts()
    )
    days = [(monday + datetime.timedelta(days=offset)) for offset in range(7)]
    by_day = [(day, [w for w in workshops if w.date == day]) for day in days]
    return render(
        request,
        "gardens/workshop_list.html",
        {
            "by_day": [(day, items) for day, items in by_day if items or day.weekday() < 5],
            "monday": monday,
            "sunday": sunday,
            "previous_week": (monday - datetime.timedelta(days=7)).isoformat(),
            "next_week": (monday + datetime.timedelta(days=7)).isoformat(),
            "this_week": _week_bounds(timezone.localdate())[0] == monday,
            "can_plan": can_plan(request),
            "empty": not any(items for _day, items in by_day),
        },
    )


def _workshop_form_page(request, workshop, title):
    form = WorkshopForm(request.POST or None, instance=workshop, organisation=request.organisation)
    if request.method == "POST" and form.is_valid():
        workshop = form.save()
        messages.success(request, _("The workshop was saved."))
        return redirect(f"{reverse('gardens:workshop_list')}?semaine={workshop.date.isoformat()}")
    return render(
        request,
        "gardens/workshop_form.html",
        {
            "form": form,
            "title": title,
            "workshop": workshop if workshop.pk else None,
            "can_add_partner": can_edit_directory(request),
        },
    )


@require_http_methods(["GET", "POST"])
@role_required(*PLAN_ROLES)
def workshop_create(request):
    day = timezone.localdate()
    try:
        day = datetime.date.fromisoformat(request.GET.get("date", ""))
    except ValueError:
        pass
    start, end = default_times(request.organisation, day)
    workshop = Workshop(organisation=request.organisation, date=day, start_time=start, end_time=end)
    return _workshop_form_page(request, workshop, _("New workshop"))


@require_http_methods(["GET", "POST"])
@role_required(*PLAN_ROLES)
def workshop_edit(request, pk):
    workshop = get_for_organisation(Workshop.objects.all(), request, pk=pk)
    return _workshop_form_page(request, workshop, str(workshop))


@require_http_methods(["GET", "POST"])
@role_required(*PLAN_ROLES)
def workshop_term(request):
    """Create a term's recurring workshops in one go, from the weekly timetable."""
    form = TermForm(request.POST or None, organisation=request.organisation)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with transaction.atomic():
            created = Workshop.objects.bulk_create(
                [
                    Workshop(
                        organisation=request.organisation,
                        date=day,
                        start_time=slot.start_time,
                        end_time=slot.end_time,
                        kind=data["kind"],
                        site=data["site"],
                    )
                    for day, slot in form.workshop_dates()
                ]
            )
            if data["trainers"]:
                through = Workshop.trainers.through
                through.objects.bulk_create(
                    [through(workshop_id=w.pk, user_id=t.pk) for w in created for t in data["trainers"]]
                )
        messages.success(
            request,
            ngettext("%(count)s workshop was created.", "%(count)s workshops were created.", len(created))
            % {"count": len(created)},
        )
        return redirect(f"{reverse('gardens:workshop_list')}?semaine={data['start'].isoformat()}")
    return render(request, "gardens/term_form.html", {"form": form})


@require_http_methods(["GET", "POST"])
@role_required(*READ_ROLES)
def register(request, pk):
    """The attendance register: every trainee enrolled on the day, one tap each, saved in one request."""
    workshop = get_for_organisation(Workshop.objects.select_related("kind", "site", "neighbourhood"), request, pk=pk)
    trainees = workshop.expected_trainees().only("id", "first_name", "last_name")
    attendances = {attendance.beneficiary_id: attendance for attendance in workshop.attendances.all()}
    editable = can_record(request)
    form = RegisterForm(
        request.POST if request.method == "POST" else None,
        workshop=workshop,
        trainees=trainees,
        attendances=attendances,
    )
    if request.method == "POST":
        if not editable:
            raise PermissionDenied
        if form.is_valid():
            saved = _save_register(workshop, form.decisions(), attendances)
            messages.success(
                request,
                ngettext(
                    "The register was saved: %(count)s person recorded.",
                    "The register was saved: %(count)s people recorded.",
                    saved,
                )
                % {"count": saved},
            )
            return redirect("gardens:register", pk=workshop.pk)
    return render(request, "gardens/register.html", {"workshop": workshop, "form": form, "editable": editable})


@transaction.atomic
def _save_register(workshop, decisions, existing):
    """Three statements at most whatever the group's size: insert, update, delete."""
    new, changed = [], []
    for beneficiary_id, (status, hours) in decisions.items():
        attendance = existing.get(beneficiary_id)
        if attendance is None:
            new.append(Attendance(workshop=workshop, beneficiary_id=beneficiary_id, status=status, hours=hours))
        elif (attendance.status, attendance.hours) != (status, hours):
            attendance.status, attendance.hours = status, hours
            changed.append(attendance)
    removed = [a.pk for beneficiary_id, a in existing.items() if beneficiary_id not in decisions]
    if removed:
        Attendance.objects.filter(pk__in=removed).delete()
    # With their history rows (one more insert for each): the user comes from HistoryRequestMiddleware.
    if changed:
        bulk_update_with_history(changed, Attendance, ["status", "hours"])
    if new:
        bulk_create_with_history(new, Attendance)
    return len(decisions)


# Harvests --------------------------------------------------------------------------------------------------


@require_GET
@role_required(*READ_ROLES)
def harvest_list(request):
    harvests = (
        Harvest.objects.filter(organisation=request.organisation)
        .select_related("site", "variety")
        .order_by("-date", "-pk")
    )
    site = request.GET.get("site")
    if site and site.isdigit():
        harvests = harvests.filter(site_id=int(site))
    page = Paginator(harvests, 50).get_page(request.GET.get("page"))
    year_ago = timezone.localdate() - datetime.timedelta(days=365)
    totals = (
        Harvest.objects.filter(organisation=request.organisation, date__gte=year_ago)
        .values("site__name")
        .annotate(total=Sum("weight_kg"))
        .order_by("site__name")
    )
    return render(
        request,
        "gardens/harvest_list.html",
        {
            "page_obj": page,
            "totals": totals,
            "sites": Site.objects.filter(organisation=request.organisation),
            "current_site": site or "",
            "query": f"site={site}" if site else "",
            "can_record": can_record(request),
        },
    )


@require_http_methods(["GET", "POST"])
@role_required(*RECORD_ROLES)
def harvest_create(request):
    """Several varieties at once, after a harvest."""
    organisation = request.organisation
    initial = {"date": timezone.localdate()}
    workshop_pk = request.GET.get("atelier")
    if workshop_pk and workshop_pk.isdigit():
        workshop = Workshop.objects.filter(organisation=organisation, pk=int(workshop_pk)).first()
        if workshop:
            initial.update(date=workshop.date, site=workshop.site_id, workshop=workshop.pk)
    header = HarvestHeaderForm(request.POST or None, organisation=organisation, initial=initial)
    lines = HarvestLineFormSet(request.POST or None, prefix="lines", form_kwargs={"organisation": organisation})
    if request.method == "POST" and header.is_valid() and lines.is_valid():
        common = header.cleaned_data
        harvests = [
            Harvest(
                organisation=organisation,
                date=common["date"],
                site=common["site"],
                workshop=common["workshop"],
                recorded_by=request.user,
                **{name: form.cleaned_data[name] for name in ("variety", "quantity", "unit", "weight_kg")},
            )
            for form in lines
            if form.has_changed() and form.cleaned_data
        ]
        Harvest.objects.bulk_create(harvests)
        total = sum(harvest.weight_kg for harvest in harvests)
        messages.success(
            request,
            ngettext(
                "%(count)s harvest line saved (%(total)s kg).",
                "%(count)s harvest lines saved (%(total)s kg).",
                len(harvests),
            )
            % {"count": len(harvests), "total": total},
        )
        return redirect("gardens:harvest_list")
    return render(request, "gardens/harvest_form.html", {"header": header, "lines": lines})


@require_http_methods(["GET", "POST"])
@role_required(*RECORD_ROLES)
def harvest_edit(request, pk):
    harvest = get_for_organisation(Harvest.objects.all(), request, pk=pk)
    form = HarvestForm(request.POST or None, instance=harvest, organisation=request.organisation)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The harvest was saved."))
        return redirect("gardens:harvest_list")
    return render(
        request,
        "gardens/simple_form.html",
        {"form": form, "title": str(harvest), "cancel_url": reverse("gardens:harvest_list")},
    )
