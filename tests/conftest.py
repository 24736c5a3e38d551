"""Shared fixtures: people, a live daphne server and a Playwright page on Chromium."""

import contextlib
import math
import os
import shutil
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.db import connections

from portal.people.services import Role
from tests.people.factories import UserFactory

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
PASSWORD = "correct horse battery staple"


@pytest.fixture
def password():
    return PASSWORD


@pytest.fixture
def user(db):
    return UserFactory(password=PASSWORD)


@pytest.fixture
def onboarded_user(db):
    return UserFactory(password=PASSWORD, profile__onboarded=True)


@pytest.fixture
def programme_admin(db):
    admin = UserFactory(password=PASSWORD, is_staff=True, profile__onboarded=True)
    admin.groups.add(Group.objects.get(name=Role.PROGRAMME_ADMIN))
    return admin


# --- live server and browser -------------------------------------------------------


def _make_application():
    from channels.routing import get_default_application

    return get_default_application()


def _start_daphne(django_db_blocker):
    """The portal served by daphne (HTTP and WebSockets) in a forked child process."""
    from daphne.testing import DaphneProcess

    with django_db_blocker.unblock():
        connections.close_all()  # the child must not share the parent's connections

    def child_setup():
        # The child is a fork of this process: let it use the test database that
        # pytest-django blocks outside tests, and give it executors of its own (threads
        # do not survive a fork, so the parent's would never run anything).
        from concurrent.futures import ThreadPoolExecutor

        from asgiref.sync import SyncToAsync

        SyncToAsync.single_thread_executor = ThreadPoolExecutor(max_workers=1)
        SyncToAsync.context_to_thread_executor.clear()
        django_db_blocker.unblock()

    process = DaphneProcess("127.0.0.1", _make_application, setup=child_setup)
    process.start()
    if not process.ready.wait(timeout=30):
        error = "" if process.errors.empty() else process.errors.get(False)[1]
        process.terminate()
        raise RuntimeError(f"daphne did not start:\n{error}")
    return process, f"http://127.0.0.1:{process.port.value}"


def _stop_daphne(process):
    process.terminate()
    process.join(timeout=10)


@pytest.fixture
def sql_store(monkeypatch):
    """Leaderboards on the SQL rank store (no Redis), for services and selectors alike."""
    from leaderboards import services as board_services
    from leaderboards.store import SqlRankStore

    store = SqlRankStore()
    monkeypatch.setattr(board_services, "rank_store", lambda: store)
    monkeypatch.setattr("leaderboards.selectors.rank_store", lambda: store)
    return store


@pytest.fixture(scope="session")
def live_daphne(django_db_setup, django_db_blocker):
    """The portal served by daphne; tests that talk to it must commit their data
    (``transaction=True``), since it runs in another process."""
    process, url = _start_daphne(django_db_blocker)
    yield url
    _stop_daphne(process)


@pytest.fixture
def second_daphne(live_daphne, django_db_blocker):
    """Another daphne worker beside ``live_daphne``, sharing the database and, with
    ``REDIS_URL``, the channel layer."""
    process, url = _start_daphne(django_db_blocker)
    yield url
    _stop_daphne(process)


@pytest.fixture(scope="module")
def chromium(django_db_setup):
    """Chromium driven by Playwright, for one test module at a time.

    Playwright's sync API keeps an event loop running in this thread, which makes
    Django refuse synchronous ORM calls; the browser tests' own ORM use (creating
    people, flushing between tests) is ordinary synchronous code, so allow it while
    the browser is open and restore the check afterwards.
    """
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium is missing at {CHROMIUM}; `make test` installs it.")
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    # Django keeps connections per context; inside Playwright's context the tests get new
    # connection objects, which lack the database snapshot serialized rollback restores.
    snapshots = {
        alias: connections[alias]._test_serialized_contents
        for alias in connections
        if hasattr(connections[alias], "_test_serialized_contents")
    }
    try:
        with sync_playwright() as playwright:
            for alias, snapshot in snapshots.items():
                connections[alias]._test_serialized_contents = snapshot
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            yield browser
            browser.close()
            connections.close_all()  # this context's connections, opened by the tests
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


VIEWPORTS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}


@pytest.fixture
def page(live_daphne, chromium, request):
    """A fresh browser page pointed at the live server; ``page.goto("/path")`` works.

    Parametrise it indirectly with "desktop" or "phone" to change the viewport.
    """
    viewport = getattr(request, "param", "desktop")
    context = chromium.new_context(
        base_url=live_daphne,
        viewport=VIEWPORTS[viewport],
        is_mobile=viewport == "phone",
        has_touch=viewport == "phone",
    )
    browser_page = context.new_page()
    browser_page.set_default_timeout(10_000)
    # Every browser test also checks the Content-Security-Policy: anything the page tried
    # that the policy refused (an inline script or style, a foreign source) fails it.
    refused = []
    browser_page.on(
        "console",
        lambda message: (
            refused.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    yield browser_page
    context.close()
    assert refused == [], "the Content-Security-Policy refused: " + "; ".join(refused)


def screenshot(page, name: str) -> Path:
    """Save a full-page screenshot under test-artifacts/ for a person to look at."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def serious_accessibility_violations(page) -> list[str]:
    """Run axe-core (shipped in axe-playwright-python, no network) on the page."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']} "
        f"at {[node['target'] for node in violation['nodes']][:3]}"
        for violation in results.response["violations"]
        if violation["impact"] in ("serious", "critical")
    ]


def pytest_sessionstart(session):
    if ARTIFACTS.exists():
        shutil.rmtree(ARTIFACTS, ignore_errors=True)
    with contextlib.suppress(Exception):  # no Redis: nothing to prepare
        _clear_redis_leaderboards()


def _clear_redis_leaderboards() -> None:
    from django.conf import settings

    if not getattr(settings, "REDIS_URL", ""):
        return
    from leaderboards.store import rank_store

    rank_store().replace([])  # empty, and ready (as the worker's repair would leave it)


def two_factor_device(user):
    """``user``'s confirmed authenticator (made if missing), for tests that sign in."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name="Authenticator app")


def two_factor_code(user) -> str:
    """The code ``user``'s authenticator app would show now."""
    from django_otp.oath import TOTP

    device = two_factor_device(user)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


@pytest.fixture(autouse=True)
def _force_login_is_a_full_sign_in(monkeypatch):
    """``force_login`` stands for a complete sign-in: password and, for people who have
    or must have two-step sign-in, the code (tests/integrity/test_two_factor.py walks the
    real steps)."""
    from django.test.client import ClientMixin
    from django_otp import DEVICE_ID_SESSION_KEY

    from portal.people.twofactor import STATE_KEY, two_factor_required

    original = ClientMixin.force_login

    def force_login(self, user, backend=None):
        original(self, user, backend)
        required = two_factor_required(user)
        if required or user.totpdevice_set.filter(confirmed=True).exists():
            session = self.session
            session[DEVICE_ID_SESSION_KEY] = two_factor_device(user).persistent_id
            session[STATE_KEY] = {"device": True, "required": required}
            session.save()

    monkeypatch.setattr(ClientMixin, "force_login", force_login)


@pytest.fixture(autouse=True)
def _kept_tables_per_test(monkeypatch):
    """Each test starts from its own database's points rules, levels, sites and
    branding, not a copy kept from the test before, and keeps its copy until a save or
    delete forgets it: without the 5 s expiry, which would make a query count depend on
    how long the test took (a copy that expired between warming a page and counting its
    queries, on a slow run). ``tests/portal/test_cache.py`` tests the expiry with a
    clock of its own."""
    from cms.sites import brandings, sites
    from portal.activity.selectors import levels
    from portal.activity.services import points_rules

    kept = (points_rules, levels, sites.rows, brandings.rows)
    for table in kept:
        table.forget()
        monkeypatch.setattr(table, "seconds", math.inf)
    yield
    for table in kept:
        table.forget()


@pytest.fixture(autouse=True)
def _redis_leaderboards_per_test():
    """The Redis rank store is not rolled back with the database: empty it per test."""
    yield
    _clear_redis_leaderboards()


def pytest_sessionfinish(session):
    """Remove this run's leaderboard keys from Redis, when the run used Redis."""
    with contextlib.suppress(Exception):  # cleanup must never fail a run
        from django.conf import settings

        from leaderboards.store import rank_store

        if settings.REDIS_URL:
            store = rank_store()
            keys = [
                *store.redis.scan_iter(f"{store.prefix}*"),
                *store.redis.scan_iter(f"{store.meta}*"),
            ]
            if keys:
                store.redis.delete(*keys)


@pytest.fixture(autouse=True)
def fresh_channel_layer():
    """Each test gets channel layers of its own. A layer's locks belong to the event loop
    that first used them, and every async test runs a loop of its own: a Redis receive
    cut off when one test's loop closed could otherwise keep a lock that every later
    socket waits on ("bound to a different event loop")."""
    yield
    from channels.layers import channel_layers

    channel_layers.backends.clear()
