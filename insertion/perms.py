"""Who may do what in the core, and the helpers every app's perms.py builds on.

The policy (issue "Foundation"):
- social worker: beneficiary files, assessments, interviews with confidential notes, pathways, outcomes;
- technical trainer: workshops, attendance, harvests, redistributions, skills; of a beneficiary only name,
  enrolment status and site;
- coordinator: dashboards and reports, partners, funding, committees, the beneficiary list without
  confidential content;
- administrator: users, memberships, reference lists, organisation settings; no confidential content unless
  also a social worker.
A record of another organisation is a 404; a role without the right is a 403.
"""

from functools import wraps

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from insertion.enums import Role


def has_role(request, *roles):
    membership = getattr(request, "membership", None)
    return membership is not None and membership.has_role(*roles)


def require_role(request, *roles):
    if not has_role(request, *roles):
        raise PermissionDenied


def role_required(*roles):
    """View decorator: the current membership must hold one of `roles`, else a 403."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            require_role(request, *roles)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def get_for_organisation(queryset, request, **lookup):
    """The object of the current organisation matching `lookup`; a 404 for anything else, whoever asks."""
    return get_object_or_404(queryset, organisation=request.organisation, **lookup)


# The core's own rules.
def can_manage_members(request):
    return has_role(request, Role.ADMINISTRATOR)


def can_edit_reference_lists(request):
    return has_role(request, Role.ADMINISTRATOR)


def can_see_confidential(request):
    """Confidential notes, assessments, health and social situation: social workers only."""
    return has_role(request, Role.SOCIAL_WORKER)
