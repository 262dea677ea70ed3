"""The browser tests: Playwright for Python driving Debian's Chromium against Django's live server.

Chromium comes from the system (`apt-get install chromium`), never from `playwright install`, which downloads its
own builds from the Internet. Without it, the tests are skipped with the command to install it; with
REQUIRE_BROWSER=1 (set by .ci/run) they fail instead, so that CI cannot go green by skipping them.

Every test runs on the demo organisation (`seed_demo`: real French names, a year of workshops, harvests and
interviews), so that axe checks pages as full as a structure's, on a day frozen for the whole test.
"""

import datetime
import io
import os
import shutil
import threading
import zoneinfo
from unittest import mock

import pytest
import time_machine
from django.core.management import call_command
from django.core.servers.basehttp import ThreadedWSGIServer
from django.db import connections
from django.test.testcases import LiveServerThread
from playwright.sync_api import sync_playwright

from insertion.demo import DEMO_PASSWORD
from tests.browser.utils import Tab

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
INSTALL = "sudo apt-get install chromium"
# Debian's Chromium in a container or CI: no sandbox (it runs as root there), no GPU, and nothing that calls home.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

# A Tuesday morning at the start of the month: the trainer has a workshop today, last month's attendance sheets are
# due, and the coordinator prepares the March steering committee with last year's report.
TODAY = datetime.datetime(2027, 2, 2, 9, 30, tzinfo=zoneinfo.ZoneInfo("Europe/Paris"))

DESKTOP = {"viewport": {"width": 1280, "height": 800}}
PHONE = {"viewport": {"width": 360, "height": 740}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}


def _chromium_path():
    path = shutil.which(CHROMIUM) if not os.path.isabs(CHROMIUM) else CHROMIUM
    return path if path and os.access(path, os.X_OK) else None


def pytest_collection_modifyitems(config, items):
    """The screenshots are taken by `make screenshots` (SCREENSHOTS=docs/screenshots) and left out otherwise."""
    if os.environ.get("SCREENSHOTS"):
        return
    left_out = [item for item in items if item.get_closest_marker("screenshots")]
    if left_out:
        config.hook.pytest_deselected(items=left_out)
        items[:] = [item for item in items if not item.get_closest_marker("screenshots")]


def pytest_report_header(config):
    path = _chromium_path()
    return f"browser tests: Chromium at {path}" if path else f"browser tests: no Chromium at {CHROMIUM} ({INSTALL})"


class OneRequestAtATime(ThreadedWSGIServer):
    """Django's live server, running one request at a time when its threads share the test's SQLite connection.

    An in-memory SQLite database lives in one connection, which the live server's threads share: two requests at
    once (a click on a result while htmx still filters the list) would lock each other's tables. Requests are
    still read in threads of their own, so a connection the browser opens ahead and leaves idle blocks nothing.
    On PostgreSQL each thread has its own connection and requests run side by side, as in production.
    """

    lock = threading.Lock()

    def set_app(self, application):
        if not self.connections_override:
            return super().set_app(application)

        def one_at_a_time(environ, start_response):
            with self.lock:
                return application(environ, start_response)

        return super().set_app(one_at_a_time)


@pytest.fixture(scope="session")
def _one_request_at_a_time():
    with mock.patch.object(LiveServerThread, "server_class", OneRequestAtATime):
        yield


@pytest.fixture(scope="session")
def live_server(_one_request_at_a_time, django_db_setup, live_server):
    """pytest-django's live server, started with OneRequestAtATime once the test database exists.

    Session fixtures are set up before the others: without django_db_setup first, the server would start while
    the settings still name the development database, and not share the in-memory test database's connection.
    """
    return live_server


@pytest.fixture(scope="package")
def browser():
    """One Chromium for all the browser tests; each test opens its own contexts (cookies, viewport).

    Package-scoped rather than session-scoped: the event loop of Playwright's sync API stops with it, after the
    last browser test, so the tests that run afterwards see a thread without an event loop, as usual.
    """
    path = _chromium_path()
    if path is None:
        message = f"Chromium is not installed at {CHROMIUM}: install it with `{INSTALL}` (or set CHROMIUM=/path)."
        if os.environ.get("REQUIRE_BROWSER", "").lower() in ("1", "true", "yes", "on"):
            pytest.fail(f"REQUIRE_BROWSER is set but {message}", pytrace=False)
        pytest.skip(message)
    # Playwright's sync API runs an asyncio event loop in the test's thread. Django then takes every ORM call of the
    # tests (the demo seed, the checks of what was saved) for a call from async code and refuses it with
    # SynchronousOnlyOperation, although they are plain synchronous calls made between two browser steps. Allowed
    # for as long as the loop runs, and no longer: the rest of the suite keeps Django's guard.
    with mock.patch.dict(os.environ, {"DJANGO_ALLOW_ASYNC_UNSAFE": "true"}), sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def today():
    """The day of TODAY for the whole test, in the test and in the live server alike (the clock keeps running)."""
    with time_machine.travel(TODAY, tick=True):
        yield TODAY.date()


@pytest.fixture
def demo(today, live_server):
    """The demo organisation, seeded on the frozen day, in the database the live server reads."""
    # With Playwright's event loop running in this thread, asgiref takes it for an async thread and Django gives it
    # connections apart from those it had before. On in-memory SQLite the test must use the live server's very
    # connection, as in Django's LiveServerTestCase: a second one would lock the tables the server writes to.
    for alias, connection in live_server.thread.connections_override.items():
        connections[alias] = connection
    call_command("seed_demo", "--force", stdout=io.StringIO())
    return live_server


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """Keep the outcome of the test's call, so that open_tab's end checks add nothing to a test already failing."""
    report = yield
    if report.when == "call":
        item.call_failed = report.failed
    return report


@pytest.fixture
def open_tab(browser, demo, settings, request):
    """open_tab("desktop" | "phone") -> a Tab on the live server, in French, closed at the end of the test.

    At the end, the test fails if a page it reached was not checked by axe, or if the browser logged an error (a
    script failing, a style or script refused by the Content Security Policy, a page answering 4xx or 5xx).
    """
    settings.SHOW_DEMO_ACCOUNTS = True  # the login page of the demo, as people try it
    contexts, tabs = [], []

    def _open(device="desktop"):
        # The Content Security Policy stays enforced (no bypass_csp): axe is evaluated through the DevTools protocol,
        # which the policy does not govern, so the pages run exactly as in production.
        context = browser.new_context(
            base_url=demo.url,
            locale="fr-FR",
            timezone_id="Europe/Paris",
            accept_downloads=True,
            # Bootstrap's transitions then stop (prefers-reduced-motion): axe measures colours as they end up,
            # not halfway through a fade.
            reduced_motion="reduce",
            **(PHONE if device == "phone" else DESKTOP),
        )
        context.set_default_timeout(15_000)
        contexts.append(context)
        tab = Tab(context.new_page(), device)
        tabs.append(tab)
        return tab

    yield _open
    problems = [problem for tab in tabs for problem in tab.problems()]
    for context in contexts:
        context.close()
    if not getattr(request.node, "call_failed", True):
        assert not problems, "\n".join(problems)


@pytest.fixture
def sign_in(open_tab):
    """sign_in(email, device) -> a Tab signed in through the login page, on the member's home page."""

    def _sign_in(email, device="desktop"):
        tab = open_tab(device)
        page = tab.page
        tab.goto("/")
        tab.audit()  # the login page, as a visitor lands on it
        page.get_by_label("Adresse e-mail").fill(email)
        page.get_by_label("Mot de passe").fill(DEMO_PASSWORD)
        page.get_by_role("button", name="Se connecter").click()
        page.wait_for_url(lambda url: "/compte/connexion/" not in url)
        return tab

    return _sign_in
