"""Each demo account follows the links of its pages, as a newcomer clicking around would: no page breaks.

The crawl runs on the demo organisation (seed_demo), so every page has realistic data; the strict template mode
of conftest turns an undefined variable into a failure on the way.
"""

import re
from urllib.parse import urljoin, urlsplit

import pytest
from django.core.management import call_command
from django.urls import reverse

from insertion.demo import DEMO_ACCOUNTS
from insertion.models import User
from tests.insertion.factories import TOTPDeviceFactory
from tests.utils import read_response

LINK = re.compile(r'href="([^"#]+)')
SKIP = ("/static/", "/compte/deconnexion/", "/admin/")
MAX_PAGES = 60


def crawl(client, start):
    """Breadth-first over same-site GET links, at most MAX_PAGES pages, one page per URL shape."""
    seen_shapes, queue, visited = set(), [start], []
    while queue and len(visited) < MAX_PAGES:
        url = queue.pop(0)
        shape = re.sub(r"\d+", "N", urlsplit(url).path)
        if shape in seen_shapes:
            continue
        seen_shapes.add(shape)
        response = client.get(url)
        read_response(response)  # a download holds its file open until read
        visited.append((url, response.status_code))
        if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
            continue
        for href in LINK.findall(response.content.decode()):
            target = urljoin(url, href.replace("&amp;", "&"))
            if urlsplit(target).netloc in ("", "testserver") and not urlsplit(target).path.startswith(SKIP):
                queue.append(urlsplit(target).path + (f"?{urlsplit(target).query}" if urlsplit(target).query else ""))
    return visited


@pytest.mark.django_db
@pytest.mark.parametrize("email", [account["email"] for account in DEMO_ACCOUNTS])
def test_every_page_a_demo_account_reaches_answers(client, email):
    call_command("seed_demo", "--force")
    user = User.objects.get(email=email)
    if user.memberships.filter(is_administrator=True).exists():
        TOTPDeviceFactory(user=user)  # administrators set up two-factor authentication before anything else
    client.force_login(user)
    home = client.get(reverse("core:home"))["Location"]
    visited = crawl(client, home)
    # A link shown to someone must work for them: a 403 behind a link is a menu showing what the role cannot use.
    broken = [(url, status) for url, status in visited if status >= 400]
    assert broken == []
    assert len(visited) >= 3
