"""The back office: administrators edit their organisation's reference lists here; platform staff manage the rest.

Django's admin is not organisation-aware, so every model admin below is scoped to the organisation the
administrator works in, and access follows the roles of insertion.perms rather than Django's model permissions.
"""

from functools import wraps

from django.contrib import admin
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import BaseUserCreationForm, UserChangeForm
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from insertion.defaults import reference_defaults_install
from insertion.forms import OrganisationModelForm
from insertion.models import (
    AccessLog,
    EducationLevel,
    ExitOutcome,
    Membership,
    Neighbourhood,
    Organisation,
    PartnerTheme,
    Programme,
    SocialSituation,
    User,
    WorkshopKind,
)
from insertion.perms import can_edit_reference_lists


class InsertionAdminSite(admin.AdminSite):
    site_header = _("Gardens of insertion — administration")
    site_title = _("Administration")
    index_title = _("Reference lists and settings")

    def has_permission(self, request):
        # Everybody this site lets in is an administrator or platform staff: two-factor authentication is required
        # here too, not only by insertion.two_factor.TwoFactorMiddleware.
        return self._has_role(request) and request.user.is_verified()

    def _has_role(self, request):
        user = request.user
        return user.is_active and (user.is_superuser or can_edit_reference_lists(request))

    def admin_view(self, view, cacheable=False):
        inner = super().admin_view(view, cacheable)

        @wraps(inner)
        def wrapper(request, *args, **kwargs):
            # A signed-in member without the right gets the friendly 403 page, not the admin's own login form.
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not self._has_role(request):
                raise PermissionDenied
            if not request.user.is_verified():
                return redirect_to_login(request.get_full_path(), reverse("accounts:otp_verify"))
            return inner(request, *args, **kwargs)

        return wrapper

    def login(self, request, extra_context=None):
        """One sign-in page for the whole application."""
        return redirect_to_login(request.GET.get(REDIRECT_FIELD_NAME, reverse("admin:index")))


admin_site = InsertionAdminSite(name="admin")


class OrganisationScopedAdmin(admin.ModelAdmin):
    """Shows and saves only the records of the organisation the administrator works in."""

    exclude = ["organisation"]

    def _allowed(self, request):
        return can_edit_reference_lists(request)

    def has_module_permission(self, request):
        return self._allowed(request)

    def has_view_permission(self, request, obj=None):
        return self._allowed(request)

    def has_add_permission(self, request):
        return self._allowed(request)

    def has_change_permission(self, request, obj=None):
        return self._allowed(request)

    def has_delete_permission(self, request, obj=None):
        return self._allowed(request)

    def get_queryset(self, request):
        return super().get_queryset(request).filter(organisation=request.organisation)

    def get_object(self, request, object_id, from_field=None):
        # Django's admin redirects with a message for a missing object; another organisation's record is a 404.
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            raise Http404
        return obj

    def save_model(self, request, obj, form, change):
        if not change:
            obj.organisation = request.organisation
        super().save_model(request, obj, form, change)

    def get_form(self, request, obj=None, change=False, **kwargs):
        kwargs.setdefault("form", self.form if issubclass(self.form, OrganisationModelForm) else OrganisationModelForm)
        form = super().get_form(request, obj, change, **kwargs)

        class ScopedForm(form):
            def __init__(self, *args, **kw):
                super().__init__(*args, organisation=request.organisation, **kw)

        return ScopedForm


class ReferenceAdmin(OrganisationScopedAdmin):
    list_display = ["label", "code", "position", "is_active"]
    list_editable = ["position", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["label", "code"]
    prepopulated_fields = {"code": ["label"]}


@admin.register(Neighbourhood, site=admin_site)
class NeighbourhoodAdmin(ReferenceAdmin):
    list_display = ["label", "is_priority", "code", "position", "is_active"]
    list_filter = ["is_priority", "is_active"]


@admin.register(EducationLevel, site=admin_site)
class EducationLevelAdmin(ReferenceAdmin):
    list_display = ["label", "scale_1969", "scale_2019", "position", "is_active"]


@admin.register(SocialSituation, site=admin_site)
class SocialSituationAdmin(ReferenceAdmin):
    pass


@admin.register(ExitOutcome, site=admin_site)
class ExitOutcomeAdmin(ReferenceAdmin):
    list_display = ["label", "category", "position", "is_active"]
    list_filter = ["category", "is_active"]


@admin.register(WorkshopKind, site=admin_site)
class WorkshopKindAdmin(ReferenceAdmin):
    pass


@admin.register(PartnerTheme, site=admin_site)
class PartnerThemeAdmin(ReferenceAdmin):
    pass


@admin.register(Programme, site=admin_site)
class ProgrammeAdmin(ReferenceAdmin):
    pass


@admin.register(AccessLog, site=admin_site)
class AccessLogAdmin(OrganisationScopedAdmin):
    """Read-only: nobody edits or deletes the trace of a read, not even an administrator (only the purge does)."""

    list_display = ["created_at", "user", "action", "beneficiary_id", "object_type", "object_id"]
    list_filter = ["action", "created_at"]
    search_fields = ["user__email", "=beneficiary_id"]
    search_help_text = _("An e-mail address of a member, or the number of a beneficiary.")
    readonly_fields = ["created_at", "user", "action", "beneficiary_id", "object_type", "object_id"]
    list_select_related = ["user"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class PlatformAdmin(admin.ModelAdmin):
    """Organisations and accounts across organisations: platform staff (superusers) only."""

    def has_module_permission(self, request):
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    fields = ["organisation", "is_social_worker", "is_trainer", "is_coordinator", "is_administrator", "is_active"]


@admin.register(Organisation, site=admin_site)
class OrganisationAdmin(PlatformAdmin):
    list_display = ["name", "slug", "kind", "city", "is_active"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change:
            reference_defaults_install(obj)


class UserCreationAdminForm(BaseUserCreationForm):
    class Meta:
        model = User
        fields = ["email"]


class UserChangeAdminForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


@admin.register(User, site=admin_site)
class UserAdmin(PlatformAdmin, DjangoUserAdmin):
    add_form = UserCreationAdminForm
    form = UserChangeAdminForm
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "is_active", "is_superuser"]
    list_filter = ["is_active", "is_superuser"]
    search_fields = ["email", "first_name", "last_name"]
    inlines = [MembershipInline]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Identity"), {"fields": ["first_name", "last_name"]}),
        (_("Access"), {"fields": ["is_active", "is_staff", "is_superuser"]}),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})]
    readonly_fields = ["last_login", "date_joined"]
