"""Reads for the content hub: who an item is for, the personal feed, and my shares.

The feed is ranked in Python over the items on offer to the person (a programme has
hundreds at most), from a fixed number of queries whatever their number.
"""

import math
from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta

from django.db.models import Avg, Count, Prefetch, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from wagtail.images import get_image_model

from portal.activity.models import Activity
from portal.activity.verbs import SHARE_QUALITY
from portal.locales import localised, originals
from portal.people.models import User
from portal.people.privacy import MIN_GROUP

from . import quality
from .models import ContentItem, Kind, Share, ShareDay

CARD_IMAGE = "fill-640x336|format-webp|webpquality-70"
MIX_DAYS = 30
COLLEAGUE_DAYS = 60
FRESH_DAYS = 7


@dataclass(frozen=True)
class AudienceMatch:
    visible: bool
    relevance: float  # 0..1, for quality
    reasons: tuple[tuple[float, str], ...] = ()  # (weight, "because ...") for ranking


def _lower_set(values) -> set[str]:
    return {value.strip().lower() for value in values if value and value.strip()}


def audience_match(*, item: ContentItem, profile, interests: set[str] | None = None):
    """Whether ``item`` is for ``profile``'s person, and how closely.

    Departments, locations and job roles restrict who sees an item; topics (tags)
    only rank it, against the interests the person follows.
    """
    if interests is None:
        interests = _lower_set(profile.interests.names())
    department_ids = {department.pk for department in item.departments.all()}
    locations = _lower_set(item.location_list)
    roles = _lower_set(item.job_role_list)
    if department_ids and profile.department_id not in department_ids:
        return AudienceMatch(False, 0)
    if locations and (profile.location or "").strip().lower() not in locations:
        return AudienceMatch(False, 0)
    if roles and (profile.job_role or "").strip().lower() not in roles:
        return AudienceMatch(False, 0)
    reasons = []
    relevance = 0.5
    if roles:
        reasons.append((3.0, _("For people working as %(role)s") % {"role": profile.job_role}))
        relevance = 1.0
    if department_ids and profile.department is not None:
        reasons.append(
            (2.0, _("Picked for %(department)s") % {"department": profile.department.name})
        )
        relevance = max(relevance, 0.8)
    followed = sorted(
        tagged.tag.name
        for tagged in item.tagged_items.all()
        if tagged.tag.name.lower() in interests
    )
    if followed:
        tags = [f"#{name}" for name in followed[:2]]
        topics = tags[0] if len(tags) == 1 else _("%(a)s and %(b)s") % {"a": tags[0], "b": tags[1]}
        reasons.append(
            (
                1.5 + 0.5 * min(2, len(followed)),
                _("Because you follow %(topics)s") % {"topics": topics},
            )
        )
        relevance = max(relevance, 0.8)
    if locations:
        reasons.append((1.0, _("For colleagues in %(place)s") % {"place": profile.location}))
    return AudienceMatch(True, relevance, tuple(reasons))


def offered_items(*, now=None):
    """Published items inside their publish window."""
    now = now or timezone.now()
    return originals(ContentItem.objects.filter(live=True)).filter(
        Q(show_from__isnull=True) | Q(show_from__lte=now),
        Q(show_until__isnull=True) | Q(show_until__gt=now),
    )


def item_offered(item: ContentItem, *, now=None) -> bool:
    now = now or timezone.now()
    return (
        item.live
        and (item.show_from is None or item.show_from <= now)
        and (item.show_until is None or item.show_until > now)
    )


def recent_mix(*, user: User, now=None) -> Counter:
    """How many of ``user``'s shares of the last 30 days were our own and curated."""
    since = (now or timezone.now()) - timedelta(days=MIX_DAYS)
    mix = Counter({Kind.OWN: 0, Kind.CURATED: 0})
    for row in (
        Share.objects.filter(user=user, created_at__gte=since)
        .values("item__kind")
        .annotate(count=Count("id"))
    ):
        mix[row["item__kind"]] += row["count"]
    return mix


def share_quality_of(share: Share) -> quality.Quality:
    return quality.share_quality(
        clicks=share.clicks,
        conversions=share.conversions,
        touch=share.personal_touch,
        balance=share.balance,
        relevance=share.relevance,
    )


# --- the feed ----------------------------------------------------------------------------


@dataclass
class Card:
    item: ContentItem
    score: float
    reason: str
    shared_on: list[str] = field(default_factory=list)
    # What the reader reads: the item's version in their language, else the item.
    content: ContentItem | None = None


@dataclass
class Feed:
    cards: list[Card]
    tags: list[str]
    mix: Counter
    nudge: str  # which kind the 4-1-1 mix asks for now, or ""


def _feed_items(*, now):
    images = get_image_model().objects.prefetch_renditions(CARD_IMAGE)
    return offered_items(now=now).prefetch_related(
        "tagged_items__tag", "departments", Prefetch("image", queryset=images)
    )


def _matches(item: ContentItem, item_tags, words: list[str]) -> bool:
    """Every word of a search appears in the item's title, summary or topics."""
    text = " ".join([item.title, item.summary, *(tag_.name for tag_ in item_tags)]).lower()
    return all(word in text for word in words)


def hub_feed(*, user: User, tag: str = "", kind: str = "", query: str = "", now=None) -> Feed:
    """The items on offer to ``user``, best first, each with the main reason why
    (``query``: only those whose title, summary or topics hold every word of it)."""
    now = now or timezone.now()
    profile = user.profile
    interests = _lower_set(profile.interests.names())
    mix = recent_mix(user=user, now=now)
    total = mix[Kind.OWN] + mix[Kind.CURATED]
    nudge = ""
    if total and mix[Kind.OWN] / total > 1 / 3:
        nudge = Kind.CURATED
    elif total >= 5 and not mix[Kind.OWN]:
        nudge = Kind.OWN
    mine: dict[int, list[str]] = {}
    for item_id, network in Share.objects.filter(user=user).values_list("item_id", "network"):
        mine.setdefault(item_id, []).append(network)
    colleagues = _colleague_results(profile=profile, user=user, now=now)
    words = query.lower().split()[:10]

    cards: list = []
    tags: set[str] = set()
    items = list(_feed_items(now=now))
    shown = dict(zip((item.pk for item in items), localised(items), strict=True))
    for item in items:
        match = audience_match(item=item, profile=profile, interests=interests)
        if not match.visible:
            continue
        item_tags = [tagged.tag for tagged in item.tagged_items.all()]
        tags.update(tag_.name for tag_ in item_tags)
        if kind and item.kind != kind:
            continue
        if tag and tag.lower() not in {tag_.name.lower() for tag_ in item_tags}:
            continue
        if words and not (
            _matches(item, item_tags, words) or _matches(shown[item.pk], item_tags, words)
        ):
            continue
        reasons = list(match.reasons)
        started = item.show_from or item.first_published_at or item.created_at
        age_days = max(0.0, (now - started).total_seconds() / 86400)
        freshness = 2.5 * math.exp(-age_days / FRESH_DAYS)
        if item.pk in colleagues:
            count, average = colleagues[item.pk]
            reasons.append(
                (
                    1.0 + 2.0 * average / 100,
                    ngettext(
                        "%(count)s colleague like you shared this with good results",
                        "%(count)s colleagues like you shared this with good results",
                        count,
                    )
                    % {"count": count},
                )
            )
        if nudge and item.kind == nudge:
            reasons.append(
                (
                    1.5,
                    _("Balances your mix: share something from others")
                    if nudge == Kind.CURATED
                    else _("Time for a piece of our own"),
                )
            )
        score = freshness + sum(weight for weight, _ in reasons)
        if item.pk in mine:
            score -= 5  # already shared: keep it, lower down
        # The reason shown is the most personal one; freshness only when there is none.
        fallback = (
            _("New this week") if age_days < FRESH_DAYS else _("For everyone in the programme")
        )
        best = max(reasons, default=(0, fallback))[1]
        cards.append(Card(item, score, best, sorted(mine.get(item.pk, [])), shown[item.pk]))
    cards.sort(key=lambda card: (-card.score, -card.item.pk))
    return Feed(cards=cards, tags=sorted(tags, key=str.lower), mix=mix, nudge=nudge)


def _colleague_results(*, profile, user: User, now) -> dict[int, tuple[int, float]]:
    """Items that people in the same department or role shared well lately."""
    alike = Q()
    if profile.department_id:
        alike |= Q(user__profile__department_id=profile.department_id)
    if profile.job_role:
        alike |= Q(user__profile__job_role__iexact=profile.job_role)
    if not alike:
        return {}
    rows = (
        Share.objects.filter(alike, created_at__gte=now - timedelta(days=COLLEAGUE_DAYS))
        .exclude(user=user)
        .filter(quality__gte=quality.QUALITY_SHARE_STEP)
        .values("item_id")
        .annotate(count=Count("user_id", distinct=True), average=Avg("quality"))
        .filter(count__gte=MIN_GROUP)  # no figure about fewer than 5 people
    )
    return {row["item_id"]: (row["count"], row["average"]) for row in rows}


def hub_item(*, user: User, pk: int) -> ContentItem | None:
    """The item ``pk`` if it is on offer to ``user``."""
    item = _feed_items(now=timezone.now()).filter(pk=pk).first()
    if item is None or not audience_match(item=item, profile=user.profile).visible:
        return None
    return item


# --- my shares ---------------------------------------------------------------------------


@dataclass
class ShareSummary:
    share: Share
    quality: quality.Quality
    points: int
    days: list[ShareDay]
    points_timeline: list[tuple]  # (when, points, step)

    @property
    def peak(self) -> int:
        return max((day.clicks for day in self.days), default=0) or 1


def my_shares(*, user: User, days: int = 14) -> list[ShareSummary]:
    """``user``'s shares, newest first, with daily figures, quality and points."""
    shares = list(Share.objects.filter(user=user).select_related("item"))
    since = timezone.localdate() - timedelta(days=days - 1)
    by_share: dict[int, list[ShareDay]] = {}
    for day in ShareDay.objects.filter(share__user=user, day__gte=since).order_by("day"):
        by_share.setdefault(day.share_id, []).append(day)
    timeline: dict[str, list[tuple]] = {}
    for object_id, timestamp, points, result in (
        Activity.objects.filter(actor=user, verb=SHARE_QUALITY.id)
        .order_by("timestamp")
        .values_list("object_id", "timestamp", "points", "result")
    ):
        timeline.setdefault(object_id, []).append((timestamp, points, result.get("step")))
    return [
        ShareSummary(
            share=share,
            quality=share_quality_of(share),
            points=sum(points for _, points, _ in timeline.get(str(share.pk), [])),
            days=_filled_days(by_share.get(share.pk, []), since=since, count=days),
            points_timeline=timeline.get(str(share.pk), []),
        )
        for share in shares
    ]


def _filled_days(rows: list[ShareDay], *, since, count: int) -> list[ShareDay]:
    by_day = {row.day: row for row in rows}
    return [
        by_day.get(since + timedelta(days=offset), ShareDay(day=since + timedelta(days=offset)))
        for offset in range(count)
    ]


def share_totals(*, user: User) -> dict:
    return Share.objects.filter(user=user).aggregate(
        shares=Count("id"), clicks=Sum("clicks"), conversions=Sum("conversions")
    )
