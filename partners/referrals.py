"""Referrals of a beneficiary to a partner: social workers only, for the reason and the result are confidential."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from beneficiaries.models import Beneficiary
from insertion.perms import get_for_organisation, role_required
from partners.models import Referral
from partners.perms import REFERRAL_ROLES
from partners.referral_forms import ReferralForm


def _referral_for_write(request, pk):
    """A referral of a person of the current organisation; a 404 for anything else."""
    return get_object_or_404(
        Referral.objects.select_related("beneficiary"), beneficiary__organisation=request.organisation, pk=pk
    )


def _file_url(beneficiary):
    return reverse("beneficiaries:detail", args=[beneficiary.pk]) + "#referrals"


def _form_page(request, referral, title):
    form = ReferralForm(request.POST or None, instance=referral, organisation=request.organisation)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The referral to %(partner)s was saved.") % {"partner": form.instance.partner})
        return redirect(_file_url(referral.beneficiary))
    return render(
        request,
        "partners/referral_form.html",
        {"form": form, "beneficiary": referral.beneficiary, "referral": referral, "title": title},
    )


@require_http_methods(["GET", "POST"])
@role_required(*REFERRAL_ROLES)
def referral_add(request, pk):
    beneficiary = get_for_organisation(Beneficiary.objects.all(), request, pk=pk)
    return _form_page(request, Referral(beneficiary=beneficiary, author=request.user), _("Refer to a partner"))


@require_http_methods(["GET", "POST"])
@role_required(*REFERRAL_ROLES)
def referral_edit(request, pk):
    return _form_page(request, _referral_for_write(request, pk), _("Referral to a partner"))


@require_POST
@role_required(*REFERRAL_ROLES)
def referral_delete(request, pk):
    referral = _referral_for_write(request, pk)
    beneficiary = referral.beneficiary
    referral.delete()
    messages.success(request, _("The referral was deleted."))
    return redirect(_file_url(beneficiary))
