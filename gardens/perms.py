"""Who may do what in the gardens.

- technical trainers: sites, the variety catalogue, workshops, attendance, harvests, skills evaluations;
- coordinators: sites, the catalogue and workshops (they plan the term), read attendance and harvests;
- social workers: read attendance, harvests and skills (they see them in the file and the livret);
- administrators: the weekly timetable (an organisation setting).
Of a trainee, a trainer sees only the name, the enrolment and the sites attended: never social data.
"""

from insertion.enums import Role
from insertion.perms import has_role

SW, TR, CO, AD = Role.SOCIAL_WORKER, Role.TRAINER, Role.COORDINATOR, Role.ADMINISTRATOR

PLAN_ROLES = (TR, CO)  # sites, catalogue, workshops
READ_ROLES = (SW, TR, CO)  # workshops, attendance, harvests
RECORD_ROLES = (TR,)  # attendance, harvests, skills
SKILLS_READ_ROLES = (SW, TR)
TIMETABLE_ROLES = (AD, CO)


def can_plan(request):
    return has_role(request, *PLAN_ROLES)


def can_record(request):
    return has_role(request, *RECORD_ROLES)
