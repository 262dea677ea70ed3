"""The rights of the person accompanied (GDPR articles 15 to 17): access, rectification, erasure; and the history.

- access: everything held about the person, as JSON and as a PDF (beneficiaries.privacy.subject_data);
- rectification: the file's usual edit forms, whose changes are kept in the history (django-simple-history);
- erasure: the identity removed with the same anonymisation as retention, history rows deleted, the counts of the
  reports kept.
Social workers only; the history also for administrators, who see which fields changed but not their values.
"""

import json

from django import forms
from django.contrib import messages
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from beneficiaries.models import Beneficiary
from beneficiaries.perms import beneficiary_for_write
from beneficiaries.privacy import beneficiary_anonymise, history_entries, subject_data
from insertion import inventory
from insertion.audit import access_log_record
from insertion.enums import Role
from insertion.models import AccessLog
from insertion.pdf import pdf_response
from insertion.perms import role_required


@require_GET
@role_required(Role.SOCIAL_WORKER, Role.ADMINISTRATOR)
def beneficiary_history(request, pk):
    """Who changed what and when in the file and its records; values only for the fields the viewer may read."""
    beneficiary = get_object_or_404(Beneficiary, organisation=request.organisation, pk=pk)
    membership = request.membership
    return render(
        request,
        "beneficiaries/history.html",
        {
            "beneficiary": beneficiary,
            "show_name": inventory.may_read(membership, inventory.PERSON_MODEL, "last_name"),
            "entries": history_entries(beneficiary, membership),
        },
    )


def _filename(beneficiary, extension):
    return f"donnees-{beneficiary.pk}-{timezone.localdate():%Y-%m-%d}.{extension}"


@require_GET
@role_required(Role.SOCIAL_WORKER)
def subject_export(request, pk):
    """Everything held about the person, as JSON (the right of access, and portability)."""
    beneficiary = beneficiary_for_write(request, pk)
    data = subject_data(beneficiary)
    access_log_record(request, action=AccessLog.Action.SUBJECT_EXPORT, beneficiary_id=beneficiary.pk, obj=beneficiary)
    response = HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2), content_type="application/json"
    )
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=_filename(beneficiary, "json")
    )
    response["Cache-Control"] = "no-store"
    return response


@require_GET
@role_required(Role.SOCIAL_WORKER)
def subject_export_pdf(request, pk):
    """The same data as the JSON export, as a document to hand over to the person."""
    beneficiary = beneficiary_for_write(request, pk)
    data = subject_data(beneficiary)
    access_log_record(request, action=AccessLog.Action.SUBJECT_EXPORT, beneficiary_id=beneficiary.pk, obj=beneficiary)
    context = {
        "data": _with_text(data),
        "organisation_name": request.organisation.name,
        "printed_on": timezone.localdate(),
    }
    return pdf_response(request, "beneficiaries/subject_export.html", context, _filename(beneficiary, "pdf"))


def _with_text(node):
    """Each value as the document prints it: a list joined, nothing as a blank."""
    for field in node["fields"]:
        value = field["value"]
        field["text"] = ", ".join(value) if isinstance(value, list) else ("" if value is None else str(value))
    for child in node["related"]:
        _with_text(child)
    return node


class ErasureForm(forms.Form):
    last_name = forms.CharField(
        label=gettext_lazy("Type the person's last name to confirm"), max_length=150, strip=True
    )

    def __init__(self, *args, beneficiary, **kwargs):
        super().__init__(*args, **kwargs)
        self.beneficiary = beneficiary

    def clean_last_name(self):
        value = self.cleaned_data["last_name"]
        if value.casefold() != self.beneficiary.last_name.strip().casefold():
            raise forms.ValidationError(gettext_lazy("This is not the person's last name."))
        return value


@require_http_methods(["GET", "POST"])
@role_required(Role.SOCIAL_WORKER)
def beneficiary_erase(request, pk):
    """Erase the person at their request: the anonymisation of retention, at once; the reports keep the counts."""
    beneficiary = beneficiary_for_write(request, pk)
    form = ErasureForm(request.POST or None, beneficiary=beneficiary)
    if request.method == "POST" and form.is_valid():
        beneficiary_anonymise(beneficiary)
        messages.success(request, _("The person's data was erased. The reports keep only anonymous counts."))
        return redirect("beneficiaries:list")
    return render(request, "beneficiaries/erase.html", {"beneficiary": beneficiary, "form": form})
