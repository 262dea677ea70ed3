from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.tokens import default_token_generator
from django.contrib.sites.shortcuts import get_current_site
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from insertion import demo
from insertion.enums import Role
from insertion.forms import (
    EmailAuthenticationForm,
    MemberAddForm,
    MembershipForm,
    NewMemberPasswordResetForm,
    OrganisationSettingsForm,
    SwitchOrganisationForm,
)
from insertion.middleware import SESSION_KEY
from insertion.models import REFERENCE_MODELS, Membership
from insertion.perms import get_for_organisation, role_required
from insertion.services import member_add

ROLE_HOMES = {
    Role.SOCIAL_WORKER: "beneficiaries:dashboard",
    Role.TRAINER: "gardens:home",
    Role.COORDINATOR: "reporting:dashboard",
    Role.ADMINISTRATOR: "core:home_administrator",
}


def _team(organisation):
    return Membership.objects.active().filter(organisation=organisation).select_related("user")


@require_GET
def home(request):
    """Each role lands on its own home page; a member of no organisation is told whom to ask."""
    if request.membership is None:
        return render(request, "insertion/no_membership.html", status=403)
    return redirect(ROLE_HOMES[request.membership.roles[0]])


@require_GET
@role_required(Role.COORDINATOR)
def home_coordinator(request):
    """The coordinator's home is the monthly dashboard; this address stays for the links and bookmarks to it."""
    return redirect("reporting:dashboard")


@require_GET
@role_required(Role.ADMINISTRATOR)
def home_administrator(request):
    organisation = request.organisation
    counts = (
        Membership.objects.active()
        .filter(organisation=organisation)
        .aggregate(
            members=Count("pk"),
            **{role.value: Count("pk", filter=Q(**{field: True})) for role, field in Membership.ROLE_FIELDS.items()},
        )
    )
    lists = [
        {
            "name": model._meta.verbose_name_plural,
            "url": reverse(f"admin:insertion_{model._meta.model_name}_changelist"),
        }
        for model in REFERENCE_MODELS
    ]
    role_counts = [(role.label, counts[role.value]) for role in Role]
    return render(
        request,
        "insertion/home_administrator.html",
        {
            "member_count": counts["members"],
            "role_counts": role_counts,
            "reference_lists": lists,
            "team": _team(organisation),
        },
    )


@require_POST
def switch_organisation(request):
    """Work in another of one's organisations; any other organisation is a 404, as all their records are."""
    form = SwitchOrganisationForm(request.POST)
    wanted = form.cleaned_data["organisation"] if form.is_valid() else None
    membership = next((m for m in request.memberships if m.organisation_id == wanted), None)
    if membership is None:
        raise Http404
    request.session[SESSION_KEY] = membership.organisation_id
    messages.success(
        request, _("You are now working in %(organisation)s.") % {"organisation": membership.organisation}
    )
    return redirect("core:home")


@require_GET
@role_required(Role.ADMINISTRATOR)
def member_list(request):
    members = _team(request.organisation).order_by("user__last_name", "user__first_name")
    show_inactive = request.GET.get("inactive") == "1"
    if show_inactive:
        members = Membership.objects.filter(organisation=request.organisation, is_active=False).select_related("user")
    page = Paginator(members, 25).get_page(request.GET.get("page"))
    return render(request, "insertion/member_list.html", {"page_obj": page, "show_inactive": show_inactive})


def _send_welcome(request, user):
    """New members choose their own password through a one-time link: nobody ever sends one by e-mail.

    Django's reset form skips accounts without a usable password, which is exactly what a new member has,
    so the link is built here with the same token generator.
    """
    site = get_current_site(request)
    context = {
        "email": user.email,
        "domain": site.domain,
        "site_name": site.name,
        "uid": urlsafe_base64_encode(force_bytes(user.pk)),
        "user": user,
        "token": default_token_generator.make_token(user),
        "protocol": "https" if request.is_secure() else "http",
        "organisation": request.organisation,
        "inviter": request.user,
    }
    PasswordResetForm().send_mail(
        "registration/welcome_subject.txt", "registration/welcome_email.txt", context, None, user.email
    )


@require_http_methods(["GET", "POST"])
@role_required(Role.ADMINISTRATOR)
def member_add_view(request):
    form = MemberAddForm(request.POST or None, organisation=request.organisation)
    if request.method == "POST" and form.is_valid():
        membership = member_add(organisation=request.organisation, **form.cleaned_data)
        if not membership.user.has_usable_password():
            _send_welcome(request, membership.user)
        messages.success(
            request,
            _("%(name)s is now a member. They received an e-mail to choose their password.")
            % {"name": membership.user},
        )
        return redirect("core:members")
    return render(request, "insertion/member_form.html", {"form": form, "title": _("Add a member")})


@require_http_methods(["GET", "POST"])
@role_required(Role.ADMINISTRATOR)
def member_edit(request, pk):
    membership = get_for_organisation(Membership.objects.select_related("user"), request, pk=pk)
    form = MembershipForm(request.POST or None, instance=membership, acting_membership=request.membership)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The roles of %(name)s were saved.") % {"name": membership.user})
        return redirect("core:members")
    return render(
        request,
        "insertion/member_form.html",
        {"form": form, "membership": membership, "title": _("Roles of %(name)s") % {"name": membership.user}},
    )


@require_http_methods(["GET", "POST"])
@role_required(Role.ADMINISTRATOR)
def organisation_settings(request):
    form = OrganisationSettingsForm(request.POST or None, instance=request.organisation)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The organisation settings were saved."))
        return redirect("core:home_administrator")
    return render(request, "insertion/organisation_settings.html", {"form": form})


class LoginView(auth_views.LoginView):
    form_class = EmailAuthenticationForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["demo_accounts"] = demo.login_page_accounts()
        return context


login_view = LoginView.as_view()
logout_view = auth_views.LogoutView.as_view()
password_change = auth_views.PasswordChangeView.as_view(success_url=reverse_lazy("accounts:password_change_done"))
password_change_done = auth_views.PasswordChangeDoneView.as_view()
password_reset = auth_views.PasswordResetView.as_view(
    form_class=NewMemberPasswordResetForm, success_url=reverse_lazy("accounts:password_reset_done")
)
password_reset_done = auth_views.PasswordResetDoneView.as_view()
password_reset_confirm = auth_views.PasswordResetConfirmView.as_view(
    success_url=reverse_lazy("accounts:password_reset_complete"),
    post_reset_login=False,
)
password_reset_complete = auth_views.PasswordResetCompleteView.as_view()


def lockout(request, original_response=None, credentials=None):
    """The page django-axes shows once signing in with an address is paused (settings.AXES_LOCKOUT_CALLABLE).

    Word for word the same whether an account has this address or not, and it names neither: the pause must not
    tell anybody which addresses have an account.
    """
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "registration/lockout.html", {"minutes": minutes}, status=429)


@login_not_required
@require_POST
def set_language(request):
    """Django's language switcher, reachable from the login page too."""
    from django.views.i18n import set_language as django_set_language

    return django_set_language(request)
