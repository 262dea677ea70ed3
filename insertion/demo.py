"""The demo organisation's accounts: one per role, all with the same password, listed on the login page in DEBUG."""

from django.conf import settings

from insertion.enums import Role

DEMO_PASSWORD = "demo-jardins-2026"  # noqa: S105 — published on purpose: the demo's login page shows it
DEMO_ORGANISATION_SLUG = "jardins-du-coeur"

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
