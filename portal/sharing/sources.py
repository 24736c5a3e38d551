"""Content sources: RSS and Atom feeds whose new entries become draft hub items in
moderation (feedparser reads them). Each entry is taken once (``SourceEntry``); a feed
that is unreachable or unreadable is reported on its source, and the others go on.

A worker job (``sources_check``) reads every active source every 15 minutes.
"""

import hashlib
import html
import logging
import re

import feedparser
import requests
from django.db import IntegrityError, transaction
from django.utils import timezone

from portal.errors import InvalidInput

from .models import ContentSource, SourceEntry
from .services import item_suggest

logger = logging.getLogger(__name__)

MAX_BYTES = 5 * 1024 * 1024
TIMEOUT = 15
MAX_NEW_PER_CHECK = 50  # a feed that suddenly lists 10,000 entries fills no queue at once


class FeedProblem(Exception):
    pass


def _fetch(url: str) -> bytes:
    try:
        with requests.get(
            url, timeout=TIMEOUT, stream=True, headers={"User-Agent": "AdvocatePortal/1"}
        ) as answer:
            if answer.status_code != 200:
                raise FeedProblem(f"The feed answered {answer.status_code}.")
            body = b""
            for chunk in answer.iter_content(65536):
                body += chunk
                if len(body) > MAX_BYTES:
                    raise FeedProblem("The feed is larger than 5 MB.")
            return body
    except requests.RequestException as error:
        raise FeedProblem(f"The feed could not be reached ({type(error).__name__}).") from None


def _text(value: str, limit: int) -> str:
    """Feed text without markup, on one line, cut to ``limit``."""
    plain = html.unescape(re.sub(r"<[^>]+>", " ", value or "")).replace("\x00", " ")
    plain = " ".join(plain.split())
    return plain if len(plain) <= limit else plain[: limit - 1].rstrip() + "…"


def source_check(source: ContentSource) -> int:
    """Read one source; returns how many new draft items it made. Problems are noted on
    the source (``problem``), never raised."""
    now = timezone.now()
    made = 0
    try:
        feed = feedparser.parse(_fetch(source.url))
        if feed.bozo and not feed.entries:
            raise FeedProblem("This is not an RSS or Atom feed (or it is damaged).")
        topics = [topic.strip() for topic in source.topics.split(",") if topic.strip()]
        for entry in feed.entries:
            if made >= MAX_NEW_PER_CHECK:
                break
            made += _entry_take(source, entry, topics)
        problem = ""
    except FeedProblem as error:
        problem = str(error)
        logger.warning("Content source %s: %s", source.pk, problem)
    fields = {"checked_at": now, "problem": problem[:300], "items_made": source.items_made + made}
    if not problem:
        fields["ok_at"] = now
    ContentSource.objects.filter(pk=source.pk).update(**fields)
    return made


def _entry_take(source: ContentSource, entry, topics: list[str]) -> int:
    link = (entry.get("link") or "").strip()
    identity = (entry.get("id") or link or entry.get("title") or "").strip()
    if not identity:
        return 0
    guid = hashlib.sha256(identity.encode()).hexdigest()
    try:
        with transaction.atomic():
            seen = SourceEntry.objects.create(source=source, guid=guid)
            try:
                item = item_suggest(
                    user=None,
                    title=_text(entry.get("title", ""), 200) or link[:200],
                    url=link,
                    kind=source.kind,
                    summary=_text(entry.get("summary", ""), 500),
                    tags=topics,
                )
            except InvalidInput:
                return 0  # an entry without a usable link: remembered, not taken
            seen.item = item
            seen.save(update_fields=["item"])
            return 1
    except IntegrityError:
        return 0  # taken before (or by another worker just now)


def sources_check() -> int:
    """A worker job: every active source; returns how many items they made."""
    return sum(source_check(source) for source in ContentSource.objects.filter(active=True))
