"""The partner directory and the partnerships (issue "Partners", items 1 and 2)."""

from decimal import Decimal

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, DecimalField, IntegerField, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from beneficiaries.models import Beneficiary
from gardens.models import Workshop
from insertion.perms import get_for_organisation, role_required
from partners.figures import partnerships_formed_by_theme
from partners.filters import PartnerFilter, PartnershipFilter
from partners.forms import ContactFormSet, PartnerForm, PartnershipForm
from partners.models import DistributionLine, Partner, Partnership, Referral
from partners.perms import DIRECTORY_EDIT_ROLES, NETWORK_ROLES, READ_ROLES, can_edit_directory, can_manage_network

LIST_PAGE_SIZE = 50

# What keeps a partner from being deleted, as the delete refusal names it.
RECORD_KINDS = [
    ("partnerships", gettext_lazy("partnerships")),
    ("distributions", gettext_lazy("distributions of produce")),
    ("referrals", gettext_lazy("referrals")),
    ("fundings", gettext_lazy("funding")),
    ("referred_beneficiaries", gettext_lazy("people oriented in")),
    ("co_led_workshops", gettext_lazy("co-led workshops")),
]


def _per_partner(queryset, partner_field, aggregate, output_field, zero):
    """A subquery giving, for the partner of the outer query, `aggregate` over its rows of `queryset`."""
    rows = (
        queryset.filter(**{partner_field: OuterRef("pk")})
        .order_by()
        .values(partner_field)
        .annotate(value=aggregate)
        .values("value")
    )
    return Coalesce(Subquery(rows, output_field=output_field), Value(zero, output_field=output_field))


def _with_counts(queryset):
    """The partner's figures for its page, counts only (no name of a person), read with the partner itself."""
    kg = DecimalField(max_digits=12, decimal_places=2)
    count = IntegerField()
    return queryset.annotate(
        referral_count=_per_partner(Referral.objects.all(), "partner", Count("pk"), count, 0),
        referred_count=_per_partner(Beneficiary.objects.all(), "referring_partner", Count("pk"), count, 0),
        workshop_count=_per_partner(Workshop.objects.all(), "co_leading_partner", Count("pk"), count, 0),
        kg_received=_per_partner(
            DistributionLine.objects.all(), "distribution__partner", Sum("weight_kg"), kg, Decimal("0")
        ),
    )


# The directory ---------------------------------------------------------------------------------------------


@require_GET
@role_required(*READ_ROLES)
def partner_list(request):
    """The directory, searched and filtered (filters kept in the URL), with the referrals made to each partner."""
    partners = (
        Partner.objects.filter(organisation=request.organisation)
        .annotate(referral_count=Count("referrals", distinct=True))
        .prefetch_related("themes")
        .order_by("is_archived", "name", "pk")
    )
    filterset = PartnerFilter(request.GET, queryset=partners, organisation=request.organisation)
    page = Paginator(filterset.qs, LIST_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "partners/partner_list.html",
        {
            "filter": filterset,
            "page_obj": page,
            "query": query.urlencode(),
            "can_edit": can_edit_directory(request),
        },
    )


@require_GET
@role_required(*READ_ROLES)
def partner_detail(request, pk):
    partner = get_for_organisation(
        _with_counts(Partner.objects.prefetch_related("themes", "contacts")), request, pk=pk
    )
    partnerships = partner.partnerships.select_related("theme").order_by("-start_date", "-pk")
    return render(
        request,
        "partners/partner_detail.html",
        {
            "partner": partner,
            "partnerships": partnerships,
            "add_partnership_url": reverse("partners:partnership_add") + "?" + urlencode({"partner": partner.pk}),
            "can_edit": can_edit_directory(request),
            "can_manage": can_manage_network(request),
        },
    )


def _partner_form_page(request, partner):
    form = PartnerForm(request.POST or None, instance=partner, organisation=request.organisation)
    contacts = ContactFormSet(request.POST or None, instance=partner, prefix="contacts")
    if request.method == "POST" and form.is_valid() and contacts.is_valid():
        partner = form.save()
        contacts.instance = partner
        contacts.save()
        messages.success(request, _("%(name)s was saved in the directory.") % {"name": partner})
        if "add_contact" in request.POST:
            return redirect(reverse("partners:edit", args=[partner.pk]) + "#contacts")
        return redirect(partner)
    if partner.pk:
        cancel_url = partner.get_absolute_url()
    else:
        cancel_url = reverse("partners:list")
    return render(
        request, "partners/partner_form.html", {"form": form, "contacts": contacts, "cancel_url": cancel_url}
    )


@require_http_methods(["GET", "POST"])
@role_required(*DIRECTORY_EDIT_ROLES)
def partner_create(request):
    return _partner_form_page(request, Partner(organisation=request.organisation))


@require_http_methods(["GET", "POST"])
@role_required(*DIRECTORY_EDIT_ROLES)
def partner_edit(request, pk):
    return _partner_form_page(request, get_for_organisation(Partner.objects.all(), request, pk=pk))


@require_POST
@role_required(*NETWORK_ROLES)
def partner_archive(request, pk):
    """Archive (or bring back) a partner: its records stay, it is no longer offered for new ones."""
    partner = get_for_organisation(Partner.objects.all(), request, pk=pk)
    partner.is_archived = not partner.is_archived
    partner.save(update_fields=["is_archived"])
    if partner.is_archived:
        messages.success(
            request,
            _("%(name)s is archived: it is hidden from the directory and no longer offered.") % {"name": partner},
        )
    else:
        messages.success(request, _("%(name)s is back in the directory.") % {"name": partner})
    return redirect(partner)


@require_POST
@role_required(*NETWORK_ROLES)
def partner_delete(request, pk):
    """Delete a partner entered by mistake (its contacts go with it); one with records is archived instead."""
    partner = get_for_organisation(Partner.objects.all(), request, pk=pk)
    if partner.has_records():
        records = ", ".join(str(label) for name, label in RECORD_KINDS if getattr(partner, name).exists())
        messages.error(
            request,
            _("%(name)s has records (%(records)s): archive it instead.") % {"name": partner, "records": records},
        )
        return redirect(partner)
    name = str(partner)
    partner.delete()
    messages.success(request, _("%(name)s was deleted from the directory.") % {"name": name})
    return redirect("partners:list")


# Partnerships ----------------------------------------------------------------------------------------------


@require_GET
@role_required(*READ_ROLES)
def partnership_list(request):
    """The partnerships formed in a period (the current year unless asked), with their count by theme above."""
    partnerships = (
        Partnership.objects.filter(organisation=request.organisation)
        .select_related("partner", "theme")
        .order_by("-start_date", "-pk")
    )
    filterset = PartnershipFilter(request.GET, queryset=partnerships, organisation=request.organisation)
    start = end = None
    by_theme, total = [], 0
    if filterset.is_valid():
        start, end = filterset.period()
        by_theme = partnerships_formed_by_theme(request.organisation, start, end)
        total = sum(count for _label, count in by_theme)
        results = filterset.qs
    else:
        results = Partnership.objects.none()
    page = Paginator(results, LIST_PAGE_SIZE).get_page(request.GET.get("page"))
    query = filterset.data.copy()
    query.pop("page", None)
    return render(
        request,
        "partners/partnership_list.html",
        {
            "filter": filterset,
            "page_obj": page,
            "query": query.urlencode(),
            "start": start,
            "end": end,
            "by_theme": by_theme,
            "total": total,
            "can_manage": can_manage_network(request),
        },
    )


def _year_of(partnership):
    """The partnership list for the calendar year the partnership started in: where it shows after saving."""
    year = partnership.start_date.year
    return reverse("partners:partnership_list") + "?" + urlencode({"start": f"01/01/{year}", "end": f"31/12/{year}"})


def _partnership_form_page(request, partnership, initial=None, cancel_url=None):
    form = PartnershipForm(
        request.POST or None, instance=partnership, initial=initial, organisation=request.organisation
    )
    if request.method == "POST" and form.is_valid():
        partnership = form.save()
        messages.success(request, _("The partnership “%(title)s” was saved.") % {"title": partnership.title})
        return redirect(_year_of(partnership))
    return render(
        request,
        "partners/partnership_form.html",
        {"form": form, "cancel_url": cancel_url or reverse("partners:partnership_list")},
    )


@require_http_methods(["GET", "POST"])
@role_required(*NETWORK_ROLES)
def partnership_add(request):
    """A new partnership; `?partner=<pk>` (the partner page's button) chooses the partner already."""
    initial, cancel_url = {}, None
    partner_pk = request.GET.get("partner", "")
    if partner_pk.isdigit():
        partner = Partner.objects.filter(organisation=request.organisation, pk=partner_pk).active().first()
        if partner is not None:
            initial["partner"] = partner.pk
            cancel_url = partner.get_absolute_url()
    return _partnership_form_page(
        request, Partnership(organisation=request.organisation), initial=initial, cancel_url=cancel_url
    )


@require_http_methods(["GET", "POST"])
@role_required(*NETWORK_ROLES)
def partnership_edit(request, pk):
    partnership = get_for_organisation(Partnership.objects.all(), request, pk=pk)
    return _partnership_form_page(request, partnership, cancel_url=_year_of(partnership))


@require_POST
@role_required(*NETWORK_ROLES)
def partnership_delete(request, pk):
    partnership = get_for_organisation(Partnership.objects.all(), request, pk=pk)
    back = _year_of(partnership)
    partnership.delete()
    messages.success(request, _("The partnership “%(title)s” was deleted.") % {"title": partnership.title})
    return redirect(back)
