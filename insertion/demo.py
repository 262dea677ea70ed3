"""The demo organisation's accounts: one per role, all with the same password, listed on the login page in DEBUG;
and how far back the demo's history goes, which every app's demo follows."""

import datetime

from django.conf import settings

from insertion.enums import Role

DEMO_PASSWORD = "demo-jardins-2026"  # noqa: S105 — published on purpose: the demo's login page shows it
DEMO_ORGANISATION_SLUG = "jardins-du-coeur"

# The demo's history: the 157 full weeks before this one (1,099 days and more). 1 January of the year before last is
# never more than 1,095 days back (on 31 December), so the last calendar year and the one before it are both whole
# whatever the day the demo is built: the dashboard compares with a full year earlier, and the steering committees
# of this year and last year have a full year to review. A fixed number of weeks rather than a date keeps the number
# of rows independent of the day.
HISTORY_WEEKS = 157


def history_start(today):
    """The first day of the demo's history: the Monday HISTORY_WEEKS weeks before this week's."""
    return today - datetime.timedelta(days=today.weekday(), weeks=HISTORY_WEEKS)


DEMO_ACCOUNTS = [
    {"email": "social@demo.local", "first_name": "Sophie", "last_name": "Lambert", "roles": [Role.SOCIAL_WORKER]},
    {"email": "trainer@demo.local", "first_name": "Karim", "last_name": "Benali", "roles": [Role.TRAINER]},
    {
        "email": "coordinator@demo.local",
        "first_name": "Christophe",
        "last_name": "Marchant",
        "roles": [Role.COORDINATOR],
    },
    {"email": "admin@demo.local", "first_name": "Nadia", "last_name": "Lefebvre", "roles": [Role.ADMINISTRATOR]},
]


def login_page_accounts():
    """The demo accounts to show on the login page: only with DEBUG on, never in production."""
    if not settings.SHOW_DEMO_ACCOUNTS:
        return []
    return [
        {
            "email": account["email"],
            "roles": [Role(role).label for role in account["roles"]],
            "password": DEMO_PASSWORD,
        }
        for account in DEMO_ACCOUNTS
    ]
