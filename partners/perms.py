"""Who may do what with partners, the produce given away and the money.

- everyone but administrators reads the directory and the partnerships (social workers orient people to partners,
  trainers give produce to them, coordinators run the network);
- social workers and coordinators add and edit partners; coordinators archive them and record partnerships;
- technical trainers and coordinators record distributions, print delivery slips and read the stock;
- social workers record referrals (the reason and what came of it are confidential);
- coordinators enter funding and budgets.
"""

from insertion.enums import Role
from insertion.perms import has_role

SW, TR, CO = Role.SOCIAL_WORKER, Role.TRAINER, Role.COORDINATOR

READ_ROLES = (SW, TR, CO)
DIRECTORY_EDIT_ROLES = (SW, CO)
NETWORK_ROLES = (CO,)  # archive partners, partnerships
DISTRIBUTION_ROLES = (TR, CO)
REFERRAL_ROLES = (SW,)
FUNDING_ROLES = (CO,)


def can_edit_directory(request):
    return has_role(request, *DIRECTORY_EDIT_ROLES)


def can_manage_network(request):
    return has_role(request, *NETWORK_ROLES)


def can_distribute(request):
    return has_role(request, *DISTRIBUTION_ROLES)


def can_refer(request):
    return has_role(request, *REFERRAL_ROLES)
