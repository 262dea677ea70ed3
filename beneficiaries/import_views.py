"""The upload page of the spreadsheet import: upload, preview, confirm.

The confirmation trusts nothing from the browser but a token: the file itself waits in the session (at most
5 MB) and is read and checked again on confirmation, so that what is imported is what the checks passed,
in the organisation the user works in at that moment.
"""

import base64
import secrets
from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.validators import FileExtensionValidator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from beneficiaries.importing import COLUMNS, MAX_FILE_SIZE, import_apply, import_parse
from insertion.enums import Role
from insertion.perms import role_required

SESSION_KEY = "beneficiaries_import"
PREVIEW_ROWS = 50
# A file where every row is wrong would otherwise make a page of tens of thousands of lines.
ERRORS_SHOWN = 1000


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Spreadsheet"),
        help_text=gettext_lazy("A CSV (.csv) or Excel (.xlsx) file of at most 5 MB, headers on the first line."),
        validators=[FileExtensionValidator(["csv", "xlsx"])],
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_SIZE:
            raise forms.ValidationError(
                _("The file is larger than %(size)s MB: split it into several files.")
                % {"size": MAX_FILE_SIZE // (1024 * 1024)}
            )
        return upload


SAMPLES = Path(settings.BASE_DIR) / "docs" / "samples"


@require_GET
@role_required(Role.SOCIAL_WORKER)
def import_sample(request, fmt):
    """The documented sample file, to start from the right columns."""
    if fmt not in ("csv", "xlsx"):
        raise Http404
    return FileResponse(open(SAMPLES / f"beneficiaires.{fmt}", "rb"), as_attachment=True)


def _page(request, form, result=None, token=""):
    context = {
        "form": form,
        "columns": COLUMNS,
        "result": result,
        "token": token,
        "preview_rows": result.rows[:PREVIEW_ROWS] if result else [],
        "shown_errors": result.errors[:ERRORS_SHOWN] if result else [],
        "hidden_error_count": max(len(result.errors) - ERRORS_SHOWN, 0) if result else 0,
    }
    return render(request, "beneficiaries/import.html", context)


@require_http_methods(["GET", "POST"])
@role_required(Role.SOCIAL_WORKER)
def import_upload(request):
    if request.method == "GET":
        return _page(request, ImportUploadForm())
    form = ImportUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, form)
    upload = form.cleaned_data["file"]
    content = upload.read()
    result = import_parse(organisation=request.organisation, file=content, filename=upload.name)
    request.session.pop(SESSION_KEY, None)
    if not result.is_valid:
        return _page(request, ImportUploadForm(), result)
    token = secrets.token_urlsafe(24)
    request.session[SESSION_KEY] = {
        "token": token,
        "organisation": request.organisation.pk,
        "filename": upload.name,
        "content": base64.b64encode(content).decode("ascii"),
    }
    return _page(request, form, result, token)


@require_POST
@role_required(Role.SOCIAL_WORKER)
def import_confirm(request):
    stored = request.session.get(SESSION_KEY)
    if (
        not stored
        or not constant_time_compare(stored["token"], request.POST.get("token", ""))
        or stored["organisation"] != request.organisation.pk
    ):
        messages.warning(request, _("No file is waiting to be imported: choose it again."))
        return redirect("beneficiaries:import")
    del request.session[SESSION_KEY]
    content = base64.b64decode(stored["content"])
    # Checked again: someone may have added one of these people, or edited a list, since the preview.
    result = import_parse(organisation=request.organisation, file=content, filename=stored["filename"])
    if not result.is_valid:
        return _page(request, ImportUploadForm(), result)
    count = import_apply(organisation=request.organisation, result=result, user=request.user)
    messages.success(
        request,
        ngettext("%(count)s person was imported.", "%(count)s people were imported.", count) % {"count": count},
    )
    return redirect("beneficiaries:list")
