from insertion.perms import has_role


def organisation(request):
    """The current organisation and roles, for the menus (the views still check access themselves)."""
    membership = getattr(request, "membership", None)
    return {
        "current_organisation": getattr(request, "organisation", None),
        "current_membership": membership,
        "user_memberships": getattr(request, "memberships", []),
        "role_homes": _role_homes(membership),
        "is_administrator": has_role(request, "administrator"),
    }


def _role_homes(membership):
    from insertion.views import ROLE_HOMES

    if membership is None:
        return []
    return [(role, ROLE_HOMES[role]) for role in membership.roles]
