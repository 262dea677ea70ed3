"""The role × URL matrix: every URL the project resolves, tried by every persona.

- anonymous: sent to the login page (except the few public pages);
- outsider (every role, but in another organisation): a 404 on any URL naming one of our records;
- each role: allowed, or a 403, as the policy of insertion.perms says.

A new URL that is not declared here fails `test_every_url_is_in_the_matrix`: declare it in MATRIX (or, for an
app, in its own section below) with who may see it.
"""

from dataclasses import dataclass, field

import pytest
from django.contrib.admin import site as default_admin_site
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from insertion.admin import AccessLogAdmin, OrganisationScopedAdmin, PlatformAdmin, admin_site
from insertion.models import AccessLog, Membership, Neighbourhood
from tests.beneficiaries.factories import ActionFactory, AssessmentFactory, EnrolmentFactory, InterviewFactory
from tests.gardens.factories import HarvestFactory, SiteFactory, SkillEvaluationFactory, WorkshopFactory
from tests.partners.factories import (
    BudgetFactory,
    DistributionFactory,
    PartnerFactory,
    PartnershipFactory,
    ReferralFactory,
)
from tests.reporting.factories import CommitteeFactory, FrozenReportFactory, SynthesisSheetFactory
from tests.utils import read_response

SW, TR, CO, AD = "social_worker", "trainer", "coordinator", "administrator"
ALL = frozenset({SW, TR, CO, AD})
NOBODY = frozenset()
PERSONAS = ["anonymous", "outsider", SW, TR, CO, AD]


@dataclass(frozen=True)
class Entry:
    allowed: frozenset = ALL
    ok: int = 200  # the status a permitted persona gets
    kwargs: object = None  # callable(world) -> kwargs for reverse()
    method: str = "get"
    data: object = None  # callable(world) -> POST data
    public: bool = False  # reachable without signing in
    public_status: int | None = None  # what an anonymous visitor gets on a public page (default: ok)
    names_record: bool = False  # the URL names one of our organisation's records: a 404 to the outsider
    path: object = None  # for unnamed patterns: callable(world) -> path
    statuses: dict = field(default_factory=dict)  # persona -> status, where a page behaves specially


def _member_pk(world):
    return {"pk": world.social_worker_membership.pk}


MATRIX = {
    # Core
    "core:home": Entry(ok=302),
    "core:home_coordinator": Entry(allowed=frozenset({CO}), ok=302),
    "core:home_administrator": Entry(allowed=frozenset({AD})),
    "core:switch_organisation": Entry(
        method="post", ok=302, data=lambda world: {"organisation": world.organisation.pk}, names_record=True
    ),
    "core:organisation_settings": Entry(allowed=frozenset({AD})),
    "core:members": Entry(allowed=frozenset({AD})),
    "core:member_add": Entry(allowed=frozenset({AD})),
    "core:member_edit": Entry(allowed=frozenset({AD}), kwargs=_member_pk, names_record=True),
    "core:set_language": Entry(method="post", ok=302, data=lambda world: {"language": "en", "next": "/"}, public=True),
    # Accounts
    "accounts:login": Entry(public=True, ok=302, public_status=200),
    "accounts:logout": Entry(method="post", ok=302, public=True),
    "accounts:password_change": Entry(),
    "accounts:password_change_done": Entry(),
    "accounts:password_reset": Entry(public=True),
    "accounts:password_reset_done": Entry(public=True),
    "accounts:password_reset_confirm": Entry(
        public=True, kwargs=lambda world: {"uidb64": "MQ", "token": "set-password"}
    ),
    "accounts:password_reset_complete": Entry(public=True),
    # Two-factor authentication: everyone may set it up; a verified session is sent on from the code page.
    "accounts:otp_setup": Entry(),
    "accounts:otp_verify": Entry(ok=302),
    # The admin's own pages: administrators of the organisation (and platform staff) only.
    "admin:index": Entry(allowed=frozenset({AD})),
    "admin:login": Entry(public=True, ok=302),
    "admin:logout": Entry(allowed=frozenset({AD}), method="post", ok=302),
    "admin:password_change": Entry(allowed=frozenset({AD})),
    "admin:password_change_done": Entry(allowed=frozenset({AD})),
    "admin:autocomplete": Entry(allowed=frozenset({AD}), ok=403),
    "admin:jsi18n": Entry(allowed=frozenset({AD})),
    "admin:app_list": Entry(allowed=frozenset({AD}), kwargs=lambda world: {"app_label": "insertion"}),
    "admin:view_on_site": Entry(
        allowed=frozenset({AD}),
        ok=404,
        kwargs=lambda world: {"content_type_id": 1, "object_id": world.neighbourhood.pk},
    ),
    "admin/(?P<url>.*)$": Entry(allowed=frozenset({AD}), ok=404, path=lambda world: "/admin/not-a-page/"),
}


SW_CO = frozenset({SW, CO})
SW_ONLY = frozenset({SW})


def _record(attribute):
    return lambda world: {"pk": getattr(world, attribute).pk}


MATRIX.update(
    {
        # Beneficiaries: social workers; coordinators read the list and files without confidential content.
        "beneficiaries:list": Entry(allowed=SW_CO),
        "beneficiaries:export": Entry(allowed=SW_CO, kwargs=lambda world: {"fmt": "csv"}),
        "beneficiaries:dashboard": Entry(allowed=SW_ONLY),
        "beneficiaries:create": Entry(allowed=SW_ONLY),
        "beneficiaries:detail": Entry(allowed=SW_CO, kwargs=_record("beneficiary"), names_record=True),
        "beneficiaries:edit": Entry(allowed=SW_ONLY, kwargs=_record("beneficiary"), names_record=True),
        "beneficiaries:livret": Entry(allowed=SW_ONLY, kwargs=_record("beneficiary"), names_record=True),
        "beneficiaries:enrolment_add": Entry(allowed=SW_ONLY, kwargs=_record("beneficiary"), names_record=True),
        "beneficiaries:enrolment_edit": Entry(allowed=SW_ONLY, kwargs=_record("enrolment"), names_record=True),
        "beneficiaries:assessment_add": Entry(allowed=SW_ONLY, kwargs=_record("beneficiary"), names_record=True),
        "beneficiaries:assessment_edit": Entry(allowed=SW_ONLY, kwargs=_record("assessment"), names_record=True),
        "beneficiaries:interview_add": Entry(allowed=SW_ONLY, kwargs=_record("beneficiary"), names_record=True),
        "beneficiaries:interview_edit": Entry(allowed=SW_ONLY, kwargs=_record("interview"), names_record=True),
        "beneficiaries:objective_add": Entry(allowed=SW_ONLY, kwargs=_record("beneficiary"), names_record=True),
        "beneficiaries:objective_edit": Entry(allowed=SW_ONLY, kwargs=_record("objective"), names_record=True),
        "beneficiaries:action_add": Entry(allowed=SW_ONLY, kwargs=_record("objective"), names_record=True),
        "beneficiaries:action_edit": Entry(allowed=SW_ONLY, kwargs=_record("action"), names_record=True),
        "beneficiaries:history": Entry(allowed=frozenset({SW, AD}), kwargs=_record("beneficiary"), names_record=True),
        "beneficiaries:subject_export": Entry(allowed=SW_ONLY, kwargs=_record("beneficiary"), names_record=True),
        "beneficiaries:subject_export_pdf": Entry(allowed=SW_ONLY, kwargs=_record("beneficiary"), names_record=True),
        "beneficiaries:erase": Entry(allowed=SW_ONLY, kwargs=_record("beneficiary"), names_record=True),
        "beneficiaries:import": Entry(allowed=SW_ONLY),
        "beneficiaries:import_confirm": Entry(allowed=SW_ONLY, method="post", ok=302, data=lambda world: {}),
        "beneficiaries:import_sample": Entry(allowed=SW_ONLY, kwargs=lambda world: {"fmt": "xlsx"}),
    }
)

SW_TR_CO = frozenset({SW, TR, CO})
TR_CO = frozenset({TR, CO})
TR_ONLY = frozenset({TR})


def _trainee(world):
    return {"beneficiary_pk": world.beneficiary.pk}


MATRIX.update(
    {
        # Gardens: trainers record; coordinators plan; social workers read attendance and harvests.
        "gardens:home": Entry(allowed=TR_ONLY),
        "gardens:trainees": Entry(allowed=frozenset({SW, TR})),
        "gardens:site_list": Entry(allowed=SW_TR_CO),
        "gardens:site_create": Entry(allowed=TR_CO),
        "gardens:site_detail": Entry(allowed=SW_TR_CO, kwargs=_record("site"), names_record=True),
        "gardens:site_edit": Entry(allowed=TR_CO, kwargs=_record("site"), names_record=True),
        "gardens:site_archive": Entry(allowed=TR_CO, kwargs=_record("site"), names_record=True, method="post", ok=302),
        "gardens:site_delete": Entry(allowed=TR_CO, kwargs=_record("site"), names_record=True, method="post", ok=302),
        "gardens:variety_list": Entry(allowed=SW_TR_CO),
        "gardens:variety_create": Entry(allowed=TR_CO),
        "gardens:variety_edit": Entry(allowed=TR_CO, kwargs=_record("variety"), names_record=True),
        "gardens:workshop_list": Entry(allowed=SW_TR_CO),
        "gardens:workshop_create": Entry(allowed=TR_CO),
        "gardens:workshop_term": Entry(allowed=TR_CO),
        "gardens:workshop_edit": Entry(allowed=TR_CO, kwargs=_record("workshop"), names_record=True),
        "gardens:register": Entry(allowed=SW_TR_CO, kwargs=_record("workshop"), names_record=True),
        "gardens:harvest_list": Entry(allowed=SW_TR_CO),
        "gardens:harvest_create": Entry(allowed=TR_ONLY),
        "gardens:harvest_edit": Entry(allowed=TR_ONLY, kwargs=_record("harvest"), names_record=True),
        "gardens:attendance_sheet_choose": Entry(allowed=SW_TR_CO),
        "gardens:attendance_sheet": Entry(
            allowed=SW_TR_CO,
            kwargs=lambda world: {"site_pk": world.site.pk, "year": 2026, "month": 11},
            names_record=True,
        ),
        # Skills: trainers rate; social workers read; of the person, the trainee page shows no social data.
        "gardens:trainee": Entry(allowed=frozenset({SW, TR}), kwargs=_trainee, names_record=True),
        "gardens:skill_evaluation_add": Entry(allowed=TR_ONLY, kwargs=_trainee, names_record=True),
        "gardens:skill_evaluation_edit": Entry(allowed=TR_ONLY, kwargs=_record("skill_evaluation"), names_record=True),
    }
)


SW_CO_EDIT = frozenset({SW, CO})
CO_ONLY = frozenset({CO})


def _year(world):
    return {"year": 2026}


def _post(record, **extra):
    return dict(kwargs=_record(record), names_record=True, method="post", ok=302, **extra)


MATRIX.update(
    {
        # Partners: everyone but administrators reads the directory; social workers and coordinators edit it;
        # coordinators archive, record partnerships, funding and budgets; trainers and coordinators distribute;
        # social workers refer people.
        "partners:list": Entry(allowed=SW_TR_CO),
        "partners:create": Entry(allowed=SW_CO_EDIT),
        "partners:detail": Entry(allowed=SW_TR_CO, kwargs=_record("partner"), names_record=True),
        "partners:edit": Entry(allowed=SW_CO_EDIT, kwargs=_record("partner"), names_record=True),
        "partners:archive": Entry(allowed=CO_ONLY, **_post("partner")),
        "partners:delete": Entry(allowed=CO_ONLY, **_post("partner")),
        "partners:partnership_list": Entry(allowed=SW_TR_CO),
        "partners:partnership_add": Entry(allowed=CO_ONLY),
        "partners:partnership_edit": Entry(allowed=CO_ONLY, kwargs=_record("partnership"), names_record=True),
        "partners:partnership_delete": Entry(allowed=CO_ONLY, **_post("partnership")),
        "partners:distribution_list": Entry(allowed=TR_CO),
        "partners:distribution_add": Entry(allowed=TR_CO),
        "partners:distribution_totals": Entry(allowed=TR_CO),
        "partners:distribution_detail": Entry(allowed=TR_CO, kwargs=_record("distribution"), names_record=True),
        "partners:distribution_edit": Entry(allowed=TR_CO, kwargs=_record("distribution"), names_record=True),
        "partners:distribution_delete": Entry(allowed=TR_CO, **_post("distribution")),
        "partners:distribution_slip": Entry(allowed=TR_CO, kwargs=_record("distribution"), names_record=True),
        "partners:stock": Entry(allowed=TR_CO),
        "partners:referral_add": Entry(allowed=SW_ONLY, kwargs=_record("beneficiary"), names_record=True),
        "partners:referral_edit": Entry(allowed=SW_ONLY, kwargs=_record("referral"), names_record=True),
        "partners:referral_delete": Entry(allowed=SW_ONLY, **_post("referral")),
        "partners:funding": Entry(allowed=CO_ONLY, ok=302),
        "partners:funding_year": Entry(allowed=CO_ONLY, kwargs=_year),
        "partners:budget_list": Entry(allowed=CO_ONLY),
        "partners:budget_add": Entry(allowed=CO_ONLY),
        "partners:budget_detail": Entry(allowed=CO_ONLY, kwargs=_record("budget"), names_record=True),
        "partners:budget_edit": Entry(allowed=CO_ONLY, kwargs=_record("budget"), names_record=True),
        "partners:budget_delete": Entry(allowed=CO_ONLY, **_post("budget")),
    }
)


MATRIX.update(
    {
        # The monthly dashboard and the indicator report with its downloads: coordinators only.
        "reporting:dashboard": Entry(allowed=frozenset({CO})),
        "reporting:report": Entry(allowed=frozenset({CO})),
        "reporting:report_pdf": Entry(allowed=frozenset({CO})),
        "reporting:report_export": Entry(allowed=frozenset({CO}), kwargs=lambda world: {"fmt": "json"}),
    }
)


MATRIX.update(
    {
        # Committees with their frozen reports, the synthesis sheet: coordinators only. The network report needs a
        # coordinator of two organisations or more: the matrix's coordinator has one, hence a 403 that says why
        # (tests/reporting/test_network.py opens it with two).
        "reporting:committee_list": Entry(allowed=CO_ONLY),
        "reporting:committee_add": Entry(allowed=CO_ONLY),
        "reporting:committee_attach": Entry(allowed=CO_ONLY),
        "reporting:committee_detail": Entry(allowed=CO_ONLY, kwargs=_record("committee"), names_record=True),
        "reporting:committee_edit": Entry(allowed=CO_ONLY, kwargs=_record("committee"), names_record=True),
        "reporting:committee_delete": Entry(allowed=CO_ONLY, **_post("committee")),
        "reporting:frozen_report_pdf": Entry(allowed=CO_ONLY, kwargs=_record("frozen_report"), names_record=True),
        "reporting:frozen_report_json": Entry(allowed=CO_ONLY, kwargs=_record("frozen_report"), names_record=True),
        "reporting:frozen_report_delete": Entry(
            allowed=CO_ONLY, **_post("frozen_report", data=lambda world: {"confirm": "on"})
        ),
        "reporting:synthesis": Entry(allowed=CO_ONLY),
        "reporting:synthesis_pdf": Entry(allowed=CO_ONLY),
        "reporting:network_report": Entry(allowed=NOBODY),
        "reporting:network_report_pdf": Entry(allowed=NOBODY),
        "reporting:network_report_json": Entry(allowed=NOBODY),
    }
)


def _admin_entries():
    """The admin's model pages, declared from its registry: scoped lists for administrators, platform pages for
    nobody but platform staff."""
    entries = {}
    for model, model_admin in admin_site._registry.items():
        info = (model._meta.app_label, model._meta.model_name)
        if isinstance(model_admin, OrganisationScopedAdmin):
            allowed = frozenset({AD})
        elif isinstance(model_admin, PlatformAdmin):
            allowed = NOBODY
        else:  # pragma: no cover - a new kind of admin must say who may use it
            raise AssertionError(f"{model_admin!r} is neither organisation-scoped nor platform-only")

        def record(world, model=model):
            return {"object_id": world.record_of(model).pk}

        entries[f"admin:{info[0]}_{info[1]}_changelist"] = Entry(allowed=allowed)
        entries[f"admin:{info[0]}_{info[1]}_add"] = Entry(allowed=allowed)
        for action in ("change", "delete", "history"):
            entries[f"admin:{info[0]}_{info[1]}_{action}"] = Entry(allowed=allowed, kwargs=record, names_record=True)
        # The admin's bare object URL only redirects to the change page, which checks the model and looks the
        # record up: behind the site's own check (administrators), nothing leaks.
        entries[f"admin/{info[0]}/{info[1]}/<path:object_id>/"] = Entry(
            allowed=frozenset({AD}),
            ok=302,
            statuses={"outsider": 302},
            path=lambda world, model=model: (
                f"/admin/{model._meta.app_label}/{model._meta.model_name}/{world.record_of(model).pk}/"
            ),
        )
    # The access log is read-only: nobody adds or deletes an entry, not even an administrator of the organisation.
    for model, model_admin in admin_site._registry.items():
        if isinstance(model_admin, AccessLogAdmin):
            info = (model._meta.app_label, model._meta.model_name)
            entries[f"admin:{info[0]}_{info[1]}_add"] = Entry(allowed=NOBODY)
            entries[f"admin:{info[0]}_{info[1]}_delete"] = Entry(
                allowed=NOBODY,
                kwargs=lambda world, model=model: {"object_id": world.record_of(model).pk},
                statuses={"outsider": 404},
            )
    entries["admin:auth_user_password_change"] = Entry(
        allowed=NOBODY, kwargs=lambda world: {"id": world.social_worker.pk}, names_record=True
    )
    return entries


MATRIX.update(_admin_entries())


def _walk(resolver, namespace=None, prefix=""):
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace
            ns = f"{namespace}:{inner}" if namespace and inner else (inner or namespace)
            yield from _walk(pattern, ns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            if pattern.name:
                yield f"{namespace}:{pattern.name}" if namespace else pattern.name
            else:
                yield prefix + str(pattern.pattern)


def resolved_urls():
    return sorted(set(_walk(get_resolver())))


def test_every_url_is_in_the_matrix():
    missing = [name for name in resolved_urls() if name not in MATRIX]
    assert not missing, f"URLs without a line in the role × URL matrix: {missing}"


def test_the_matrix_declares_no_url_that_does_not_exist():
    assert sorted(set(MATRIX) - set(resolved_urls())) == []


def test_no_model_of_ours_is_registered_on_django_default_admin_site():
    """Django's default site is not mounted: a model registered there would be missing from the back office."""
    ours = {"insertion", "beneficiaries", "gardens", "partners", "reporting"}
    assert [model for model in default_admin_site._registry if model._meta.app_label in ours] == []


class World:
    def __init__(self, organisation, social_worker, users):
        self.organisation = organisation
        self.social_worker = social_worker
        self.social_worker_membership = Membership.objects.get(user=social_worker, organisation=organisation)
        self.neighbourhood = Neighbourhood.objects.filter(organisation=organisation).first()
        self.users = users
        self.action = ActionFactory(objective__beneficiary__organisation=organisation)
        self.objective = self.action.objective
        self.beneficiary = self.objective.beneficiary
        self.enrolment = EnrolmentFactory(beneficiary=self.beneficiary)
        self.assessment = AssessmentFactory(beneficiary=self.beneficiary)
        self.interview = InterviewFactory(beneficiary=self.beneficiary)
        self.site = SiteFactory(organisation=organisation)
        self.workshop = WorkshopFactory(site=self.site)
        self.harvest = HarvestFactory(site=self.site)
        self.variety = self.harvest.variety
        self.skill_evaluation = SkillEvaluationFactory(beneficiary=self.beneficiary)
        self.partner = PartnerFactory(organisation=organisation)
        self.partnership = PartnershipFactory(partner=self.partner)
        self.distribution = DistributionFactory(site=self.site, lines=[(self.variety, "1.5")])
        self.referral = ReferralFactory(beneficiary=self.beneficiary, partner=self.partner)
        self.budget = BudgetFactory(organisation=organisation)
        self.committee = CommitteeFactory(organisation=organisation)
        self.frozen_report = FrozenReportFactory(committee=self.committee)
        self.synthesis_sheet = SynthesisSheetFactory(organisation=organisation)
        self.access_log = AccessLog.objects.create(
            organisation=organisation, user=social_worker, action="pdf", beneficiary_id=self.beneficiary.pk
        )

    def record_of(self, model):
        if model._meta.model_name == "organisation":
            return self.organisation
        if model._meta.model_name == "user":
            return self.social_worker
        return model.objects.filter(organisation=self.organisation).first()


def _expected(entry, persona):
    if persona in entry.statuses:
        return entry.statuses[persona]
    if persona == "anonymous":
        return entry.public_status or entry.ok if entry.public else "login"
    if persona == "outsider":
        # The role is checked before the record is looked up: a page no role of theirs opens stays a 403.
        if entry.names_record and entry.allowed:
            return 404
        return entry.ok if entry.allowed else 403
    return entry.ok if persona in entry.allowed else 403


def _url(entry, name, world):
    if entry.path:
        return entry.path(world)
    return reverse(name, kwargs=entry.kwargs(world) if entry.kwargs else None)


@pytest.fixture
def world(organisation, social_worker, trainer, coordinator, administrator, outsider):
    return World(
        organisation,
        social_worker,
        {SW: social_worker, TR: trainer, CO: coordinator, AD: administrator, "outsider": outsider},
    )


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("name", sorted(MATRIX))
def test_role_url_matrix(client, world, name, persona):
    entry = MATRIX[name]
    if persona != "anonymous":
        client.force_login(world.users[persona])
    url = _url(entry, name, world)
    data = entry.data(world) if entry.data else {}
    response = client.post(url, data) if entry.method == "post" else client.get(url)
    read_response(response)  # a download holds its file open until read
    expected = _expected(entry, persona)
    if expected == "login":
        assert response.status_code == 302, f"{persona} on {url}: {response.status_code}"
        final = client.get(response["Location"], follow=True)
        assert final.request["PATH_INFO"] == reverse("accounts:login"), final.redirect_chain
    else:
        assert response.status_code == expected, f"{persona} on {url}: {response.status_code}, expected {expected}"
