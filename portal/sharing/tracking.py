"""The tracked link ``/s/<code>``: a 302 to the item's URL with UTM tags, and a click noted.

This path sits on every shared post, so it is a bare ASGI app in front of Django
(whose request handling costs about ten times a bare response; docs/PERFORMANCE.md).
A request reads at most one row (the link, then cached for a minute) and today's salt
(once a day per worker); clicks are noted in memory, and every
``SHARING_CLICK_FLUSH_SECONDS`` a batch is handed to the background worker as one task
row (``tasks.clicks_store``), which does the database work. No request waits on a write,
and the web process's share of that work is one insert per batch.

Privacy: the address and browser are hashed under a random salt that lives for one
day, and only the hash is kept. Link-preview fetchers and HEAD requests count as
previews; the sharer's own clicks (recognised by a signed cookie the hub sets) count
as theirs; each visitor counts once per share per day.
"""

import asyncio
import hashlib
import logging
import re
import uuid
from collections import Counter, OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from time import monotonic

from channels.db import database_sync_to_async
from django.conf import settings
from django.core import signing
from django.http.cookie import parse_cookie
from django.template.loader import render_to_string
from django.utils import timezone

from portal.clients import network_of
from portal.people.models import User

from . import links
from .models import ClickKind, Share
from .services import Hit, visitor_salt
from .tasks import clicks_store

logger = logging.getLogger(__name__)

PREFIX = "/s/"
SHARER_COOKIE = "advocate_sharer"
SHARER_SALT = "portal.sharing.sharer"
LINK_CACHE_SECONDS = 60
LINK_CACHE_SIZE = 20_000
SEEN_LIMIT = 500_000  # first hits remembered per day; the database still dedupes beyond
PENDING_LIMIT = 100_000  # first hits held while the database is slow or unreachable
FLUSH_BATCH = 1_000  # first hits per task
PREVIEW_AGENTS = re.compile(
    r"bot\b|bot/|crawl|spider|facebookexternalhit|facebookcatalog|embedly|iframely|preview"
    r"|slack|discord|telegram|whatsapp|skypeuripreview|headless|pinterest|vkshare|outbrain"
    r"|quora link|nuzzel|bitly|tumblr|redditbot|applebot|google-inspectiontool|mastodon",
    re.IGNORECASE,
)


def sharer_cookie_value(user_id: int) -> str:
    return signing.dumps(user_id, salt=SHARER_SALT)


def sharer_cookie_set(response, user: User) -> None:
    """Mark this browser as ``user``'s, so their own clicks on their links do not count."""
    response.set_cookie(
        SHARER_COOKIE,
        sharer_cookie_value(user.pk),
        max_age=365 * 86400,
        httponly=True,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )


@dataclass(frozen=True)
class Link:
    share_id: int
    sharer_id: int
    location: str


def link_load(code: str) -> Link | None:
    """The link for ``code``, or None when it is unknown, withdrawn or expired (one query)."""
    row = (
        Share.objects.filter(code=code)
        .values_list(
            "pk", "user_id", "network", "created_at", "item_id", "item__title", "item__url"
        )
        .filter(item__live=True)
        .first()
    )
    if row is None:
        return None
    share_id, user_id, network, created_at, item_id, title, url = row
    if created_at < timezone.now() - timedelta(days=settings.SHARING_LINK_DAYS):
        return None
    location = links.destination(
        url=url,
        network=network,
        campaign=links.campaign_for(item_id=item_id, title=title),
        code=code,
    )
    return Link(share_id, user_id, location)


class Tracker:
    """Per-process link cache and click buffer."""

    def __init__(self):
        self.links: OrderedDict[str, tuple[Link | None, float]] = OrderedDict()
        self.loading: dict[object, asyncio.Future] = {}  # reads in flight, one per key
        self.pending: list[Hit] = []
        self.unsent: list[tuple[str, list[Hit], Counter]] = []  # batches to hand over again
        self.requests: Counter = Counter()
        self.seen: set[tuple] = set()
        self.seen_day = None
        self.salt: tuple = (None, "")
        self.purged_day = None
        self.flusher: asyncio.Task | None = None
        self.lock = asyncio.Lock()

    def reset(self) -> None:
        global _day
        Tracker.__init__(self)
        _day = (0.0, None)

    def cached_link(self, code: str) -> tuple[bool, Link | None]:
        """``(known, link)`` from the cache, without touching the database."""
        cached = self.links.get(code)
        if cached is not None and cached[1] > monotonic():
            self.links.move_to_end(code)
            return True, cached[0]
        return False, None

    async def link(self, code: str) -> Link | None:
        """The link, read once for all the requests that ask while it is being read (a
        post going live, or its cache entry expiring under load)."""
        known, link = self.cached_link(code)
        if known:
            return link
        return await self._shared(code, lambda: self._load(code))

    async def _shared(self, key, read: Callable[[], Awaitable]):
        """``read()``, once for every request that needs ``key`` while it runs."""
        loading = self.loading.get(key)
        if loading is None:
            loading = self.loading[key] = asyncio.ensure_future(read())
            loading.add_done_callback(lambda _: self.loading.pop(key, None))
        # A request that gives up (its reader left) does not cancel the others' read.
        return await asyncio.shield(loading)

    async def _load(self, code: str) -> Link | None:
        now = monotonic()
        link = await database_sync_to_async(link_load)(code)
        self.links[code] = (link, now + LINK_CACHE_SECONDS)
        self.links.move_to_end(code)
        while len(self.links) > LINK_CACHE_SIZE:
            self.links.popitem(last=False)
        return link

    async def salt_for(self, day) -> None:
        """The day's salt, read once however many requests arrive meanwhile (each of
        the first requests of a day, or of a worker, would read it otherwise)."""
        if self.salt[0] != day:
            await self._shared(("salt", day), lambda: self._load_salt(day))

    async def _load_salt(self, day) -> None:
        self.salt = (day, await database_sync_to_async(visitor_salt)(day=day))

    def visitor(self, scope, headers: dict) -> str:
        client = (scope.get("client") or ("", 0))[0] or ""
        agent = headers.get(b"user-agent", b"")
        digest = hashlib.blake2b(digest_size=16, key=self.salt[1].encode()[:64])
        digest.update(client.encode() + b"\0" + agent)
        return digest.hexdigest()

    def network(self, scope) -> str:
        """The visitor's network (IPv4 /24, IPv6 /64), hashed under the day's salt."""
        prefix = network_of((scope.get("client") or ("", 0))[0] or "")
        if not prefix:
            return ""
        digest = hashlib.blake2b(digest_size=16, key=self.salt[1].encode()[:64])
        digest.update(b"net\0" + prefix.encode())
        return digest.hexdigest()

    def note(self, hit: Hit) -> None:
        if self.seen_day != hit.day:
            self.seen, self.seen_day = set(), hit.day
        self.requests[(hit.share_id, hit.day)] += 1
        key = (hit.share_id, hit.visitor, hit.kind)
        if key in self.seen:
            return  # a repeat: counted as a request only
        if len(self.seen) >= SEEN_LIMIT:
            self.seen.clear()
        self.seen.add(key)
        if len(self.pending) < PENDING_LIMIT:
            self.pending.append(hit)

    def start(self) -> None:
        """Run the batch writer on this loop, unless it runs already."""
        if self.flusher is None or self.flusher.done():
            self.flusher = asyncio.get_running_loop().create_task(self._flush_every())

    async def _flush_every(self) -> None:
        while True:
            await asyncio.sleep(settings.SHARING_CLICK_FLUSH_SECONDS)
            await self.flush()

    async def flush(self) -> None:
        """Hand what was noted until now to the worker, in batches of ``FLUSH_BATCH``.

        Each batch becomes one task row (one insert); the worker stores the clicks. A
        batch that could not be handed over (the database is away) is kept, with its id,
        and handed over first next time, so a batch whose insert did commit before the
        error is still stored only once. Hits noted while this runs wait for the next
        flush, so a busy link does not keep the writer going back to back.
        """
        async with self.lock:
            batches, self.unsent = self.unsent, []
            hits, self.pending = self.pending, []
            requests, self.requests = self.requests, Counter()
            for start in range(0, max(1, len(hits)), FLUSH_BATCH):
                batch = hits[start : start + FLUSH_BATCH]
                counts = requests if start == 0 else Counter()
                if batch or counts:
                    batches.append((str(uuid.uuid4()), batch, counts))
            today = timezone.localdate()
            for index, (batch_id, batch, counts) in enumerate(batches):
                try:
                    await database_sync_to_async(_store)(
                        batch=batch_id, hits=batch, requests=counts, purge=self.purged_day != today
                    )
                    self.purged_day = today
                except Exception:
                    logger.exception("Could not queue %d tracked-link hits; will retry", len(batch))
                    self.unsent = batches[index:]
                    self._bound_unsent()
                    return

    def _bound_unsent(self) -> None:
        """Forget the oldest hits beyond ``PENDING_LIMIT`` while the database is away
        (their request counts stay)."""
        room = PENDING_LIMIT
        for index in range(len(self.unsent) - 1, -1, -1):
            batch_id, batch, counts = self.unsent[index]
            if len(batch) > room:
                self.unsent[index] = (batch_id, batch[len(batch) - room :], counts)
            room = max(0, room - len(batch))

    def unsent_hits(self) -> int:
        return sum(len(batch) for _, batch, _ in self.unsent)


def _store(*, batch: str, hits: list[Hit], requests: Counter, purge: bool) -> None:
    """Queue one batch for the worker: a single insert of the task row."""
    clicks_store.enqueue(
        batch=batch,
        hits=[hit.as_row() for hit in hits],
        requests=[
            [share_id, day.isoformat(), count] for (share_id, day), count in requests.items()
        ],
        purge=purge,
    )


tracker = Tracker()
_gone_page: bytes | None = None


def _gone() -> bytes:
    global _gone_page
    if _gone_page is None:
        _gone_page = render_to_string(
            "sharing/link_gone.html", {"home": settings.SITE_URL}
        ).encode()
    return _gone_page


_agents: dict[bytes, bool] = {}


def _is_preview_agent(agent: bytes) -> bool:
    preview = _agents.get(agent)
    if preview is None:
        if len(_agents) > 10_000:
            _agents.clear()
        preview = _agents[agent] = not agent or bool(PREVIEW_AGENTS.search(agent.decode("latin-1")))
    return preview


_day: tuple[float, date | None] = (0.0, None)


def _today() -> date:
    """The portal's local date, worked out at most once a second."""
    global _day
    if _day[0] <= monotonic():
        _day = (monotonic() + 1, timezone.localdate())
    return _day[1] or timezone.localdate()


def _click_kind(scope, headers: dict, link: Link) -> str:
    if scope["method"] == "HEAD" or _is_preview_agent(headers.get(b"user-agent", b"")):
        return ClickKind.PREVIEW
    cookie = parse_cookie(headers.get(b"cookie", b"").decode("latin-1")).get(SHARER_COOKIE)
    if cookie:
        try:
            if signing.loads(cookie, salt=SHARER_SALT) == link.sharer_id:
                return ClickKind.SELF
        except signing.BadSignature:
            pass
    return ClickKind.HUMAN


COMMON_HEADERS = [
    (b"cache-control", b"no-store"),
    (b"x-robots-tag", b"noindex"),
    (b"referrer-policy", b"strict-origin-when-cross-origin"),
]


async def tracked_link_app(scope, receive, send) -> None:
    method = scope["method"]
    code = scope["path"][len(PREFIX) :].rstrip("/")
    if method not in ("GET", "HEAD"):
        await _respond(send, 405, [(b"allow", b"GET, HEAD")], b"", method)
        return
    link = None
    if links.code_is_well_formed(code):
        known, link = tracker.cached_link(code)
        if not known:
            link = await tracker.link(code)
    if link is None:
        await _respond(send, 404, [(b"content-type", b"text/html; charset=utf-8")], _gone(), method)
        return
    await _respond(send, 302, [(b"location", link.location.encode())], b"", method)
    headers = dict(scope.get("headers") or [])
    day = _today()
    if tracker.salt[0] != day:
        await tracker.salt_for(day)
    tracker.note(
        Hit(
            share_id=link.share_id,
            day=day,
            visitor=tracker.visitor(scope, headers),
            kind=_click_kind(scope, headers, link),
            at=datetime.now(UTC),
            network=tracker.network(scope),
        )
    )
    if settings.SHARING_CLICK_FLUSH_SECONDS:
        tracker.start()
    else:  # tests: write at once, after the response has gone
        await tracker.flush()


async def _respond(send, status: int, headers: list, body: bytes, method: str) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": COMMON_HEADERS + headers + [(b"content-length", str(len(body)).encode())],
        }
    )
    await send({"type": "http.response.body", "body": b"" if method == "HEAD" else body})


def with_tracked_links(django_app):
    """Route ``/s/...`` to the tracked-link app and everything else to Django."""

    async def app(scope, receive, send):
        if scope["type"] == "http" and scope["path"].startswith(PREFIX):
            await tracked_link_app(scope, receive, send)
        else:
            await django_app(scope, receive, send)

    return app
