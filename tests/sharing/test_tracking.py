"""The tracked-link path, driven as ASGI: redirects, what counts, and its queries."""

import asyncio
import uuid
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from channels.testing import HttpCommunicator
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from portal.sharing import services, tasks, tracking
from portal.sharing.models import Share, ShareClick, VisitorSalt
from tests.sharing.factories import share
from tests.tasks import DB_TASKS, run_queued

pytestmark = pytest.mark.django_db
BROWSER = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) Safari/604.1"


@pytest.fixture(autouse=True)
def fresh_tracker(monkeypatch):
    # channels' database_sync_to_async closes the connection around each call, which
    # would close the test's transaction; the live-server tests run the real thing.
    monkeypatch.setattr(tracking, "database_sync_to_async", sync_to_async)
    tracking.tracker.reset()
    yield
    tracking.tracker.reset()


def visit(path, *, method="GET", agent=BROWSER, address="203.0.113.5", cookie=None):
    headers = [(b"host", b"testserver")]
    if agent is not None:
        headers.append((b"user-agent", agent.encode()))
    if cookie:
        headers.append((b"cookie", cookie.encode()))

    async def run():
        communicator = HttpCommunicator(
            tracking.with_tracked_links(None), method, path, headers=headers
        )
        communicator.scope["client"] = (address, 50000)
        response = await communicator.get_response()
        await communicator.wait()  # the click is written after the reply
        return response

    return async_to_sync(run)()


def location(response) -> str:
    return dict(response["headers"])[b"location"].decode()


@pytest.fixture
def made(onboarded_user):
    return share(user=onboarded_user)


def test_redirects_to_the_stored_url_with_utm_tags(made):
    response = visit(f"/s/{made.code}?url=https://evil.example.com&next=//evil.example.com")
    assert response["status"] == 302
    target = urlsplit(location(response))
    assert (target.netloc, target.path) == ("www.example.com", "/news/wind")
    assert parse_qs(target.query) == {
        "ref": ["home"],
        "utm_source": ["linkedin"],
        "utm_medium": ["advocacy"],
        "utm_campaign": [f"{made.item_id}-our-wind-farm-is-live"],
        "utm_content": [made.code],
    }
    assert dict(response["headers"])[b"cache-control"] == b"no-store"
    made.refresh_from_db()
    assert made.clicks == 1


@pytest.mark.parametrize("path", ["/s/nosuchcd", "/s/", "/s/../../etc", "/s/%00", "/s/abc"])
def test_unknown_or_malformed_codes_get_a_friendly_404(path, django_assert_max_num_queries):
    with django_assert_max_num_queries(1):
        response = visit(path)
    assert response["status"] == 404
    assert b"This link has expired" in response["body"]
    assert not ShareClick.objects.exists()


def test_withdrawn_items_and_old_links_expire(made, settings):
    made.item.live = False
    made.item.save()
    assert visit(f"/s/{made.code}")["status"] == 404
    tracking.tracker.reset()
    made.item.live = True
    made.item.save()
    Share.objects.filter(pk=made.pk).update(
        created_at=timezone.now() - timedelta(days=settings.SHARING_LINK_DAYS + 1)
    )
    assert visit(f"/s/{made.code}")["status"] == 404


@pytest.mark.parametrize(
    "agent",
    [
        "LinkedInBot/1.0 (compatible; Mozilla/5.0; Apache-HttpClient +http://www.linkedin.com)",
        "Twitterbot/1.0",
        "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
        "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)",
        "WhatsApp/2.23.20.0",
        "Mozilla/5.0 (compatible; Discordbot/2.0; +https://discordapp.com)",
        "",
    ],
)
def test_link_previews_are_not_clicks(made, agent):
    response = visit(f"/s/{made.code}", agent=agent)
    assert response["status"] == 302  # previews still see where the link goes
    made.refresh_from_db()
    assert (made.clicks, made.previews) == (0, 1)


def test_head_requests_are_previews(made):
    response = visit(f"/s/{made.code}", method="HEAD")
    assert response["status"] == 302
    assert response["body"] == b""
    made.refresh_from_db()
    assert (made.clicks, made.previews) == (0, 1)


def test_the_sharers_own_clicks_do_not_count(made):
    own = f"{tracking.SHARER_COOKIE}={tracking.sharer_cookie_value(made.user_id)}"
    forged = f"{tracking.SHARER_COOKIE}={tracking.sharer_cookie_value(made.user_id)}x"
    assert visit(f"/s/{made.code}", cookie=own)["status"] == 302
    made.refresh_from_db()
    assert (made.clicks, made.self_clicks) == (0, 1)
    visit(f"/s/{made.code}", cookie=forged)  # a tampered cookie is just a visitor
    made.refresh_from_db()
    assert (made.clicks, made.self_clicks) == (1, 1)


def test_a_flood_from_one_visitor_counts_once(made):
    for _ in range(30):
        assert visit(f"/s/{made.code}")["status"] == 302
    visit(f"/s/{made.code}", address="198.51.100.7")
    made.refresh_from_db()
    assert (made.clicks, made.requests) == (2, 31)


def test_no_address_is_stored_and_the_salt_is_random_per_day(made):
    visit(f"/s/{made.code}")
    click = ShareClick.objects.get()
    assert "203.0.113.5" not in click.visitor
    assert len(click.visitor) == 32
    assert len(VisitorSalt.objects.get(day=timezone.localdate()).salt) == 64


def test_a_click_reads_one_row_and_then_none(made, monkeypatch, django_assert_num_queries):
    async def later():  # the batched write is measured apart from the request
        return None

    monkeypatch.setattr(tracking.tracker, "flush", later)
    services.visitor_salt(day=timezone.localdate())  # made by the day's first click
    with django_assert_num_queries(2):  # the link, and today's salt once a day
        assert visit(f"/s/{made.code}")["status"] == 302
    with django_assert_num_queries(0):
        assert visit(f"/s/{made.code}", address="198.51.100.7")["status"] == 302
    assert len(tracking.tracker.pending) == 2


def test_requests_arriving_while_a_link_is_read_share_that_read(made, monkeypatch):
    """A post going live (or a cache entry expiring under load) reads the link once; the
    first requests of a day (or of a worker) read the day's salt once."""
    reads = []
    real_load, real_salt = tracking.link_load, tracking.visitor_salt

    def counted(code):
        reads.append(code)
        return real_load(code)

    def salt_counted(*, day):
        reads.append(day)
        return real_salt(day=day)

    monkeypatch.setattr(tracking, "link_load", counted)
    monkeypatch.setattr(tracking, "visitor_salt", salt_counted)

    async def many():
        communicators = [
            HttpCommunicator(
                tracking.with_tracked_links(None),
                "GET",
                f"/s/{made.code}",
                headers=[(b"user-agent", BROWSER.encode())],
            )
            for _ in range(20)
        ]
        responses = await asyncio.gather(*(c.get_response() for c in communicators))
        for communicator in communicators:
            await communicator.wait()
        return responses

    responses = async_to_sync(many)()
    assert [response["status"] for response in responses] == [302] * 20
    assert reads == [made.code, timezone.localdate()]


def test_only_get_and_head_are_allowed(made):
    response = visit(f"/s/{made.code}", method="POST")
    assert response["status"] == 405
    assert dict(response["headers"])[b"allow"] == b"GET, HEAD"


def test_failed_writes_are_kept_for_the_next_flush(made, monkeypatch):
    calls, original = [], tracking._store

    def failing(**kwargs):
        calls.append(kwargs)
        raise RuntimeError("database unavailable")

    monkeypatch.setattr(tracking, "_store", failing)
    visit(f"/s/{made.code}")
    assert tracking.tracker.unsent_hits() == 1
    assert calls
    monkeypatch.setattr(tracking, "_store", original)
    async_to_sync(tracking.tracker.flush)()
    made.refresh_from_db()
    assert made.clicks == 1
    assert tracking.tracker.unsent == []


def test_a_batch_handed_over_twice_is_stored_once(made, monkeypatch):
    """The task row's insert committed but the answer was lost: the batch is handed over
    again with the same id, and its task finds it stored."""
    calls, original = [], tracking._store

    def committed_then_lost(**kwargs):
        calls.append(kwargs["batch"])
        original(**kwargs)
        if len(calls) == 1:
            raise ConnectionError("server closed the connection unexpectedly")

    monkeypatch.setattr(tracking, "_store", committed_then_lost)
    for _ in range(3):
        visit(f"/s/{made.code}")  # one first hit, two repeats; then the retry
    assert len(set(calls)) == len(calls) - 1  # the lost batch went again, under its id
    made.refresh_from_db()
    assert (made.clicks, made.requests) == (1, 3)


def test_clicks_are_stored_by_the_worker_from_one_task_row(made, settings, monkeypatch):
    settings.TASKS = DB_TASKS
    settings.SHARING_CLICK_FLUSH_SECONDS = 60
    monkeypatch.setattr(tracking.tracker, "start", lambda: None)  # flushed by hand below
    visit(f"/s/{made.code}")
    visit(f"/s/{made.code}", address="198.51.100.7", method="HEAD")
    async_to_sync(tracking.tracker.flush)()
    queued = DBTaskResult.objects.get()
    assert queued.task_path == "portal.sharing.tasks.clicks_store"
    assert "203.0.113.5" not in str(queued.args_kwargs)  # hashes only
    made.refresh_from_db()
    assert (made.clicks, made.requests) == (0, 0)  # nothing written by the web process
    run_queued()
    made.refresh_from_db()
    assert (made.clicks, made.previews, made.requests) == (1, 1, 2)
    assert DBTaskResult.objects.get().return_value == 2


def test_a_batch_task_run_again_adds_nothing(made):
    hit = services.Hit(
        share_id=made.pk, day=timezone.localdate(), visitor="a" * 32, kind="human",
        at=timezone.now(), network="n" * 32,
    )  # fmt: skip
    arguments = {
        "batch": str(uuid.uuid4()),
        "hits": [hit.as_row()],
        "requests": [[made.pk, hit.day.isoformat(), 4]],
        "purge": False,
    }
    assert tasks.clicks_store.call(**arguments) == 1
    assert tasks.clicks_store.call(**arguments) == 0
    made.refresh_from_db()
    assert (made.clicks, made.requests) == (1, 4)


def test_other_paths_go_to_django():
    seen = []

    async def django_app(scope, receive, send):
        seen.append(scope["path"])

    async def run():
        await tracking.with_tracked_links(django_app)(
            {"type": "http", "path": "/share/x", "method": "GET"}, None, None
        )

    async_to_sync(run)()
    assert seen == ["/share/x"]


def test_the_portal_serves_tracked_links(made):
    from portal.asgi import application

    async def run():
        communicator = HttpCommunicator(application, "GET", f"/s/{made.code}")
        response = await communicator.get_response()
        await communicator.wait()
        return response

    assert async_to_sync(run)()["status"] == 302


def test_one_network_adds_a_few_readers_at_most(made, settings):
    """An address cycling through 60 browsers, and an office /24 or a household /64, add
    at most ``SHARING_CLICKS_PER_NETWORK`` readers to a share per day."""
    from portal.activity.models import Activity

    settings.SHARING_CLICKS_PER_NETWORK = 3
    for number in range(60):
        visit(f"/s/{made.code}", agent=f"{BROWSER} build/{number}")
    for host in range(10, 20):
        visit(f"/s/{made.code}", address=f"198.51.100.{host}")
    for host in range(1, 6):
        visit(f"/s/{made.code}", address=f"2001:db8:1:2::{host}")
    visit(f"/s/{made.code}", address="2001:db8:1:3::1")  # another /64
    made.refresh_from_db()
    assert made.clicks == 3 + 3 + 3 + 1
    assert made.requests == 60 + 10 + 5 + 1
    assert Activity.objects.filter(verb="share.clicked").count() == 10
    assert ShareClick.objects.exclude(network="").count() == 76
    assert not ShareClick.objects.filter(network__contains="198.51").exists()
