"""The synthesis sheet (fiche de synthèse, issue 6 item 5): the key figures of a period and the coordinator's own
analysis, on one page, as HTML and as a one-page A4 PDF.

The figures come from the indicators (reporting.indicators), one query each whatever the volume; the analysis is
stored per organisation and period (SynthesisSheet), so that the sheet of a year can be reprinted with its text.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

import reporting.definitions  # noqa: F401 (registers the indicators)
from insertion.enums import ExitCategory, Role
from insertion.pdf import pdf_response
from insertion.perms import role_required
from reporting.committee_forms import PeriodForm, SynthesisForm, chosen_data, period_query
from reporting.forms import PeriodKind
from reporting.indicators import REGISTRY, Scope, compute
from reporting.models import SynthesisSheet
from reporting.report import number_text, period_label

SYNTHESIS_ROLES = (Role.COORDINATOR,)

# The "sorties dynamiques" of the IAE: sustainable employment, transitional employment and positive exits.
DYNAMIC_EXITS = {ExitCategory.SUSTAINABLE_EMPLOYMENT, ExitCategory.TRANSITION_EMPLOYMENT, ExitCategory.POSITIVE_EXIT}

# (indicator code, label on the sheet, unit) in the order of the sheet. The exits line shows the dynamic exits.
KEY_FIGURES = [
    ("beneficiaries_reached", gettext_lazy("People reached"), "people"),
    ("entries", gettext_lazy("Entries"), "people"),
    ("exits_by_category", gettext_lazy("Exits"), "people"),
    ("presence_hours", gettext_lazy("Hours of presence"), "hours"),
    ("workshops_by_kind", gettext_lazy("Workshops held"), "workshops"),
    ("harvest_by_variety", gettext_lazy("Harvested (kg)"), "kg"),
    ("redistribution_by_recipient", gettext_lazy("Given away (kg)"), "kg"),
    ("partnerships_by_theme", gettext_lazy("Partnerships formed"), "count"),
    ("funding_by_funder", gettext_lazy("Funding (€)"), "euros"),
]


@dataclass(frozen=True)
class KeyFigure:
    code: str
    label: str
    value: object
    unit: str
    note: str = ""

    @property
    def text(self):
        return number_text(self.value)


def dynamic_exits(result):
    """(dynamic exits, their rate in percent of the exits) from the result of `exits_by_category`."""
    dynamic = sum(row.value for row in result.rows if row.key in DYNAMIC_EXITS)
    total = result.value or 0
    rate = (Decimal(dynamic) * 100 / total).quantize(Decimal("0.1")) if total else Decimal("0.0")
    return dynamic, rate


def key_figures(scope):
    """The key figures of the scope, one query per indicator.

    An indicator not (yet) registered is left out rather than shown as a zero that would be false.
    """
    codes = [code for code, _label, _unit in KEY_FIGURES if code in REGISTRY]
    results = compute(scope, codes)
    figures = []
    for code, label, unit in KEY_FIGURES:
        if code not in results:
            continue
        result = results[code]
        note = ""
        if code == "exits_by_category":
            dynamic, rate = dynamic_exits(result)
            note = _("of which %(dynamic)s dynamic exits (%(rate)s %%)") % {"dynamic": dynamic, "rate": rate}
        figures.append(KeyFigure(code, str(label), result.value, unit, note))
    return figures


def _year_links(today):
    """The last three calendar years, one tap each."""
    return [
        (year, urlencode({"period": PeriodKind.YEAR, "year": year})) for year in range(today.year, today.year - 3, -1)
    ]


def _period_form(request, data):
    today = request.organisation.today()
    return PeriodForm(chosen_data(data, today), organisation=request.organisation, today=today)


@require_http_methods(["GET", "POST"])
@role_required(*SYNTHESIS_ROLES)
def synthesis(request):
    """The synthesis sheet of a period: its key figures and the analysis the coordinator writes beside them.

    The period comes from the query string (last calendar year by default); the analysis form posts it back as
    exact days, and is saved for the organisation and those days.
    """
    organisation = request.organisation
    period = _period_form(request, request.POST if request.method == "POST" else request.GET)
    context = {"period_form": period, "year_links": _year_links(organisation.today()), "form": None}
    if not period.is_valid():
        return render(request, "reporting/synthesis.html", context)
    start, end = period.period_bounds()
    sheet = SynthesisSheet.objects.filter(organisation=organisation, start=start, end=end).first()
    if sheet is None:
        sheet = SynthesisSheet(organisation=organisation, start=start, end=end)
    form = SynthesisForm(request.POST if request.method == "POST" else None, instance=sheet)
    query = period_query(start, end)
    if request.method == "POST" and form.is_valid():
        sheet = form.save(commit=False)
        sheet.updated_by = request.user
        sheet.save()
        messages.success(request, _("The analysis of the synthesis sheet was saved."))
        return redirect(f"{reverse('reporting:synthesis')}?{query}")
    context.update(
        {
            "form": form,
            "sheet": sheet,
            "start": start,
            "end": end,
            "period_label": period_label(start, end),
            "period_fields": {"period": PeriodKind.CUSTOM, "start": f"{start:%d/%m/%Y}", "end": f"{end:%d/%m/%Y}"},
            "figures": key_figures(Scope((organisation,), start, end)),
            "pdf_url": f"{reverse('reporting:synthesis_pdf')}?{query}",
        }
    )
    return render(request, "reporting/synthesis.html", context)


@require_GET
@role_required(*SYNTHESIS_ROLES)
def synthesis_pdf(request):
    """The synthesis sheet as one A4 page."""
    organisation = request.organisation
    period = _period_form(request, request.GET)
    if not period.is_valid():
        messages.error(request, _("Choose a valid period to print the synthesis sheet."))
        return redirect("reporting:synthesis")
    start, end = period.period_bounds()
    sheet = SynthesisSheet.objects.filter(organisation=organisation, start=start, end=end).first()
    context = {
        "organisation_name": organisation.name,
        "start": start,
        "end": end,
        "period_label": period_label(start, end),
        "figures": key_figures(Scope((organisation,), start, end)),
        "analysis": sheet.analysis if sheet else "",
        "printed_on": timezone.localdate(),
    }
    filename = f"synthese-{start:%Y-%m-%d}-{end:%Y-%m-%d}.pdf"
    return pdf_response(request, "reporting/pdf/synthesis.html", context, filename)
