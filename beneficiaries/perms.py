"""Who may do what with the people accompanied (the policy is in insertion.perms and insertion.inventory).

- social workers: everything, including assessments, interviews with their confidential notes and the plan;
- coordinators: the list, its export and the file without confidential content (insertion.inventory says which);
- trainers and administrators: nothing here (trainers see their trainees through the workshops).
"""

from django.shortcuts import get_object_or_404

from beneficiaries.models import Beneficiary
from insertion.enums import Role
from insertion.perms import has_role, require_role

READ_ROLES = (Role.SOCIAL_WORKER, Role.COORDINATOR)
WRITE_ROLES = (Role.SOCIAL_WORKER,)


def can_read(request):
    return has_role(request, *READ_ROLES)


def can_write(request):
    return has_role(request, *WRITE_ROLES)


def beneficiary_for_read(request, pk, queryset=None):
    """The file of the current organisation: 403 for a role that may not read files, 404 for anything else."""
    require_role(request, *READ_ROLES)
    return get_object_or_404(
        Beneficiary.objects.all() if queryset is None else queryset, organisation=request.organisation, pk=pk
    )


def beneficiary_for_write(request, pk):
    require_role(request, *WRITE_ROLES)
    return get_object_or_404(Beneficiary, organisation=request.organisation, pk=pk)


def record_for_write(request, model, pk, *, through="beneficiary"):
    """A record hanging off a file (an interview, an enrolment…), of the current organisation only."""
    require_role(request, *WRITE_ROLES)
    lookup = {f"{through}__organisation": request.organisation, "pk": pk}
    return get_object_or_404(model.objects.select_related(through), **lookup)
