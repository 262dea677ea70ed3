from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from insertion.enums import Role
from insertion.perms import has_role

# The menu: (label, URL name, roles that see it). The views check access themselves; the menu only
# avoids showing a link that would answer 403.
NAVIGATION = [
    (_("Beneficiaries"), "beneficiaries:list", (Role.SOCIAL_WORKER, Role.COORDINATOR)),
    (_("Workshops"), "gardens:workshop_list", (Role.SOCIAL_WORKER, Role.TRAINER, Role.COORDINATOR)),
    (_("Harvests"), "gardens:harvest_list", (Role.SOCIAL_WORKER, Role.TRAINER, Role.COORDINATOR)),
    (_("Sites"), "gardens:site_list", (Role.SOCIAL_WORKER, Role.TRAINER, Role.COORDINATOR)),
    (_("Distributions"), "partners:distribution_list", (Role.TRAINER, Role.COORDINATOR)),
    (_("Partners"), "partners:list", (Role.SOCIAL_WORKER, Role.TRAINER, Role.COORDINATOR)),
    (_("Funding"), "partners:funding", (Role.COORDINATOR,)),
    (_("Reports"), "reporting:report", (Role.COORDINATOR,)),
    (_("Committees"), "reporting:committee_list", (Role.COORDINATOR,)),
]

ROLE_HOME_LABELS = {
    Role.SOCIAL_WORKER: _("Follow-up"),
    Role.TRAINER: _("Today"),
    Role.COORDINATOR: _("Coordination"),
    Role.ADMINISTRATOR: _("Administration"),
}


def organisation(request):
    """The current organisation, roles and menu, for the layout."""
    membership = getattr(request, "membership", None)
    return {
        "current_organisation": getattr(request, "organisation", None),
        "current_membership": membership,
        "user_memberships": getattr(request, "memberships", []),
        "nav_links": _nav_links(request, membership),
        "is_administrator": has_role(request, Role.ADMINISTRATOR),
    }


def _nav_links(request, membership):
    from insertion.views import ROLE_HOMES

    if membership is None:
        return []
    links = [(ROLE_HOME_LABELS[role], reverse(ROLE_HOMES[role])) for role in membership.roles]
    links += [(label, reverse(name)) for label, name, roles in NAVIGATION if has_role(request, *roles)]
    return links
