"""Writes for the content hub: suggestions, shares, clicks, conversions and quality.

Every function here owns its transaction. A share and each of its results go into the
activity ledger, so points, badges and measurement follow from the ledger alone.
"""

import secrets
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext
from wagtail.models import Workflow

from courses.selectors import sharing_blockers
from portal.activity.services import activity_record
from portal.activity.verbs import CONTENT_SHARED, SHARE_CLICKED, SHARE_CONVERTED, SHARE_QUALITY
from portal.errors import Conflict, InvalidInput, NotAllowed, NotFound
from portal.people.models import PrivacySettings, User

from . import links, quality, selectors
from .models import (
    X_LINK_LENGTH,
    X_MAX_LENGTH,
    ClickBatch,
    ClickKind,
    ContentItem,
    Conversion,
    Kind,
    Network,
    Share,
    ShareClick,
    ShareDay,
    VisitorSalt,
)
from .signals import previews_changed, shares_changed


class SharingLocked(NotAllowed):
    """Sharing waits for the training: ``courses`` are the ones still to complete."""

    def __init__(self, message: str, *, courses):
        super().__init__(message)
        self.courses = courses


class Replayed(Conflict):
    pass


# --- suggestions -------------------------------------------------------------------------


@transaction.atomic
def item_suggest(
    *,
    user: User | None,
    title: str,
    url: str,
    kind: str,
    summary: str = "",
    tags: tuple[str, ...] | list[str] = (),
) -> ContentItem:
    """An advocate's suggestion (or, without ``user``, a content source's new entry): a
    draft that moderators approve before anyone sees it."""
    item = ContentItem(
        title=(title or "").strip(),
        url=(url or "").strip(),
        kind=kind,
        summary=(summary or "").strip(),
        caption_linkedin=(summary or "").strip(),
        suggested_by=user,
        live=False,
    )
    try:
        item.full_clean(exclude=["tags", "departments", "image"])
    except ValidationError as error:
        raise InvalidInput(" ".join(error.messages)) from error
    item.save()
    item.tags.set([tag.strip().lower()[:100] for tag in tags if tag.strip()][:10])
    item.save()
    revision = item.save_revision(user=user)
    workflow = item.get_workflow() or Workflow.objects.filter(active=True).first()
    if workflow is not None:
        workflow.start(item, user)
    else:  # no moderation configured: the draft waits for an editor to publish it
        revision.submitted_for_moderation = True
    return item


# --- shares ------------------------------------------------------------------------------


def caption_limit(network: str) -> int:
    if network == Network.X:
        return X_MAX_LENGTH - X_LINK_LENGTH
    return Share._meta.get_field("caption").max_length or 0


@transaction.atomic
def share_create(
    *, user: User, item: ContentItem, network: str, caption: str, at: datetime | None = None
) -> Share:
    """Make (or, for the same item and network, update) ``user``'s tracked share.

    Refused for people the training gate does not allow yet, for items not in their
    hub, and for empty or over-long text. The first share is recorded in the ledger.
    ``at`` backdates a share (imports, demo data); it defaults to now.
    """
    if network not in Network.values:
        raise InvalidInput(gettext("Choose LinkedIn, X, Facebook or email."))
    caption = (caption or "").strip()
    if not caption:
        raise InvalidInput(gettext("Write the text of your post first."))
    limit = caption_limit(network)
    if len(caption) > limit:
        raise InvalidInput(
            f"Your text has {len(caption):,} characters; "
            f"{Network(network).label} allows {limit:,} with the link."
        )
    blockers = sharing_blockers(user=user)
    if blockers:
        raise SharingLocked(
            "Sharing unlocks when you complete "
            + ", ".join(course.title for course in blockers)
            + ".",
            courses=blockers,
        )
    profile = user.profile
    match = selectors.audience_match(item=item, profile=profile)
    at = at or timezone.now()
    if not selectors.item_offered(item, now=at) or not match.visible:
        raise NotFound(gettext("This item is not in your hub any more."))

    touch = quality.personal_touch(caption=caption, suggested=item.caption_for(network))
    existing = (
        Share.objects.select_for_update().filter(user=user, item=item, network=network).first()
    )
    if existing is not None:
        existing.caption = caption
        existing.personal_touch = touch
        existing.save(update_fields=["caption", "personal_touch"])
        share_quality_update(share=existing)
        return existing

    mix = selectors.recent_mix(user=user, now=at)
    mix[item.kind] += 1
    share = _share_insert(
        user=user,
        item=item,
        network=network,
        caption=caption,
        personal_touch=touch,
        relevance=match.relevance,
        created_at=at,
        balance=quality.mix_balance(own=mix[Kind.OWN], curated=mix[Kind.CURATED]),
    )
    activity_record(
        actor=user,
        verb=CONTENT_SHARED.id,
        key=f"content.shared:{share.pk}",
        obj=share,
        result={"network": network, "code": share.code},
        context={"item": item.pk, "kind": item.kind, "personal_touch": touch},
        timestamp=share.created_at,
    )
    share_quality_update(share=share)
    return share


@transaction.atomic
def shares_create(
    *, user: User, item: ContentItem, networks: list[str], caption: str
) -> list[Share]:
    """The same post on several networks, each with its own tracked link; all or none
    (text too long for one of them makes none)."""
    if not networks:
        raise InvalidInput(gettext("Choose where you will post it."))
    return [
        share_create(user=user, item=item, network=network, caption=caption)
        for network in dict.fromkeys(networks)
    ]


def _share_insert(*, user: User, item, network, **fields) -> Share:
    for _ in range(5):
        try:
            with transaction.atomic():
                return Share.objects.create(
                    user=user, item=item, network=network, code=links.code_new(), **fields
                )
        except IntegrityError:
            twin = Share.objects.filter(user=user, item=item, network=network).first()
            if twin is not None:  # a double submit made it first
                return twin
            # otherwise the code collided: draw another
    raise RuntimeError("Could not draw an unused share code.")


@transaction.atomic
def share_quality_update(*, share: Share) -> quality.Quality:
    """Recompute ``share``'s quality and reward each step it passes for the first time."""
    share = Share.objects.select_for_update().select_related("user").get(pk=share.pk)
    result = selectors.share_quality_of(share)
    steps = quality.steps_reached(quality=result.score, already=share.quality_step)
    changed = result.score - share.quality
    share.quality = result.score
    if steps:
        share.quality_step = steps[-1]
    share.save(update_fields=["quality", "quality_step"])
    if changed:
        shares_changed.send(sender=Share, changes=[(share.pk, 0, changed)])
    for step in steps:
        activity_record(
            actor=share.user,
            verb=SHARE_QUALITY.id,
            key=f"share.quality:{share.pk}:{step}",
            obj=share,
            result={"step": step, "score": result.score},
            context={"quality_share": step == quality.QUALITY_SHARE_STEP},
        )
    return result


# --- clicks ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Hit:
    """One request to a tracked link, as the redirect path saw it."""

    share_id: int
    day: date
    visitor: str
    kind: str
    at: datetime
    network: str = ""  # hashed /24 or /64; "" when the address is unknown

    def as_row(self) -> list:
        """The hit as JSON values, for the task that stores it."""
        return [self.share_id, self.day.isoformat(), self.visitor, self.kind,
                self.at.isoformat(), self.network]  # fmt: skip

    @classmethod
    def from_row(cls, row: list) -> "Hit":
        share_id, day, visitor, kind, at, network = row
        return cls(
            share_id=int(share_id),
            day=date.fromisoformat(day),
            visitor=visitor,
            kind=kind,
            at=datetime.fromisoformat(at),
            network=network,
        )


def visitor_salt(*, day: date) -> str:
    """The random salt for ``day``'s visitor hashes, made on first use."""
    salt = VisitorSalt.objects.filter(day=day).values_list("salt", flat=True).first()
    if salt:
        return salt
    try:
        with transaction.atomic():
            # A salt never outlives its day: the first click of a day forgets the others.
            VisitorSalt.objects.exclude(day=day).delete()
            return VisitorSalt.objects.create(day=day, salt=secrets.token_hex(32)).salt
    except IntegrityError:  # another worker made it first
        return VisitorSalt.objects.values_list("salt", flat=True).get(day=day)


@transaction.atomic
def clicks_batch_store(
    *, batch: uuid.UUID, hits: list[Hit], requests: dict[tuple[int, date], int]
) -> bool:
    """Store one batch from the tracked-link path, unless it was stored before (its task
    ran again after a worker died between the commit and marking the task done).
    Returns whether it was stored now."""
    _, created = ClickBatch.objects.get_or_create(id=batch)
    if created:
        clicks_record(hits=hits, requests=requests)
    return created


@transaction.atomic
def clicks_record(*, hits: list[Hit], requests: dict[tuple[int, date], int]) -> None:
    """Store a batch of first hits and request counts, then update figures and quality.

    Safe to repeat and to run from several workers: the database keeps one row per
    visitor, share, day and kind, and the ledger one statement per unique click. Request
    counts (repeats included) are added with single updates; click figures are recounted
    from the raw rows only where first hits came in.
    """
    hit_keys = {(hit.share_id, hit.day) for hit in hits}
    share_ids = set(
        Share.objects.filter(pk__in={key[0] for key in hit_keys | set(requests)}).values_list(
            "pk", flat=True
        )
    )
    ShareClick.objects.bulk_create(
        [
            ShareClick(
                share_id=hit.share_id,
                day=hit.day,
                visitor=hit.visitor,
                network=hit.network,
                kind=hit.kind,
                at=hit.at,
            )
            for hit in hits
            if hit.share_id in share_ids
        ],
        ignore_conflicts=True,
    )
    per_share: Counter = Counter()
    for (share_id, day), count in requests.items():
        if share_id in share_ids and count:
            ShareDay.objects.get_or_create(share_id=share_id, day=day)
            ShareDay.objects.filter(share_id=share_id, day=day).update(
                requests=F("requests") + count
            )
            per_share[share_id] += count
    for share_id, count in per_share.items():
        Share.objects.filter(pk=share_id).update(requests=F("requests") + count)

    touched = sorted(key for key in hit_keys if key[0] in share_ids)
    # Lock each touched day before counting, so parallel writers number clicks in turn.
    before = {(share_id, day): _share_day(share_id=share_id, day=day) for share_id, day in touched}
    counts = _click_counts(touched=touched)
    new_clicks: dict[tuple[int, date], range] = {}
    previews = []
    for share_id, day in touched:
        figures = counts.get((share_id, day), {})
        ShareDay.objects.filter(share_id=share_id, day=day).update(
            clicks=figures.get(ClickKind.HUMAN, 0),
            previews=figures.get(ClickKind.PREVIEW, 0),
            self_clicks=figures.get(ClickKind.SELF, 0),
        )
        had = before[(share_id, day)]
        new_clicks[(share_id, day)] = range(had.clicks + 1, figures.get(ClickKind.HUMAN, 0) + 1)
        if figures.get(ClickKind.PREVIEW, 0) != had.previews:
            previews.append((share_id, day, figures.get(ClickKind.PREVIEW, 0) - had.previews))
    if previews:
        previews_changed.send(sender=ShareDay, changes=previews)
    _share_totals_update(share_ids={share_id for share_id, _ in touched})
    shares = {
        share.pk: share
        for share in Share.objects.select_related("user").filter(
            pk__in={hit.share_id for hit in hits if hit.kind == ClickKind.HUMAN}
        )
    }
    # One statement per unique human click, numbered within its share and day: the key
    # carries no visitor hash, so nothing in the ledger outlives the raw clicks' retention.
    moments: dict[tuple[int, date], list[datetime]] = defaultdict(list)
    for hit in hits:
        if hit.kind == ClickKind.HUMAN and hit.share_id in shares:
            moments[(hit.share_id, hit.day)].append(hit.at)
    for (share_id, day), numbers in new_clicks.items():
        share = shares.get(share_id)
        if share is None:
            continue
        times = sorted(moments.get((share_id, day), [])) or [timezone.now()]
        for index, number in enumerate(numbers):
            activity_record(
                actor=share.user,
                verb=SHARE_CLICKED.id,
                key=f"share.clicked:{share.pk}:{day.isoformat()}:{number}",
                obj=share,
                result={"network": share.network},
                timestamp=times[min(index, len(times) - 1)],
            )
    for share in shares.values():  # only human clicks change quality
        share_quality_update(share=share)


def _share_day(*, share_id: int, day: date) -> ShareDay:
    """The share's row for ``day``, locked for this transaction (made if missing)."""
    return ShareDay.objects.select_for_update().get_or_create(share_id=share_id, day=day)[0]


def _click_counts(*, touched: list[tuple[int, date]]) -> dict[tuple[int, date], dict[str, int]]:
    if not touched:
        return {}
    condition = Q()
    for share_id, day in touched:
        condition |= Q(share_id=share_id, day=day)
    counts: dict[tuple[int, date], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    cap = settings.SHARING_CLICKS_PER_NETWORK
    for row in (
        ShareClick.objects.filter(condition)
        .values("share_id", "day", "kind", "network")
        .annotate(count=Count("id"))
    ):
        count = row["count"]
        if row["kind"] == ClickKind.HUMAN and row["network"]:
            # One address with many browsers, or one office, adds a few readers at most.
            count = min(count, cap)
        counts[(row["share_id"], row["day"])][row["kind"]] += count
    return counts


def _share_totals_update(*, share_ids) -> None:
    """Each share's totals are the sum of its days (the days outlive the raw clicks)."""
    readers = dict(Share.objects.filter(pk__in=share_ids).values_list("pk", "clicks"))
    totals = (
        ShareDay.objects.filter(share_id__in=share_ids)
        .values("share_id")
        .annotate(
            clicks=Sum("clicks"),
            previews=Sum("previews"),
            self_clicks=Sum("self_clicks"),
            requests=Sum("requests"),
            conversions=Sum("conversions"),
        )
    )
    changes = []
    for row in totals:
        share_id = row.pop("share_id")
        Share.objects.filter(pk=share_id).update(**row)
        if (row["clicks"] or 0) != readers.get(share_id, 0):
            changes.append((share_id, (row["clicks"] or 0) - readers.get(share_id, 0), 0))
    if changes:
        shares_changed.send(sender=Share, changes=changes)


@transaction.atomic
def clicks_purge(*, now: datetime | None = None) -> int:
    """Delete raw clicks past the retention period and salts of past days.

    The daily figures stay. Returns the number of raw clicks deleted.
    """
    now = now or timezone.now()
    clicks, salts = clicks_past_retention(now=now)
    deleted, _ = clicks.delete()
    salts.delete()
    # A batch's task is not run again after two days (its retries end within minutes).
    ClickBatch.objects.filter(stored_at__lt=now - timedelta(days=2)).delete()
    return deleted


def clicks_past_retention(*, now: datetime):
    """``(raw clicks, salts)`` past their time: what the purge and the privacy job delete."""
    retention = max(1, PrivacySettings.load().retain_clicks_days)
    return (
        ShareClick.objects.filter(at__lt=now - timedelta(days=retention)),
        VisitorSalt.objects.filter(day__lt=timezone.localdate(now)),
    )


# --- conversions -------------------------------------------------------------------------


@transaction.atomic
def conversion_record(*, code: str, external_id: str, label: str = "", at=None) -> Conversion:
    """Count a conversion the company's site reported for the share ``code``.

    Each ``external_id`` counts once: a replay is refused, as is an unknown code.
    """
    external_id = (external_id or "").strip()
    if not external_id or len(external_id) > 100:
        raise InvalidInput(gettext("A conversion needs an id of 1 to 100 characters."))
    share = Share.objects.select_related("user").filter(code=code).first()
    if share is None:
        raise NotFound(gettext("No share has this code."))
    at = at or timezone.now()
    try:
        with transaction.atomic():
            conversion = Conversion.objects.create(
                share=share, external_id=external_id, label=(label or "")[:100], at=at
            )
    except IntegrityError as error:
        raise Replayed("This conversion was reported before.") from error
    share_day = _share_day(share_id=share.pk, day=timezone.localdate(at))
    share_day.conversions += 1
    share_day.save(update_fields=["conversions"])
    _share_totals_update(share_ids=[share.pk])
    activity_record(
        actor=share.user,
        verb=SHARE_CONVERTED.id,
        key=f"share.converted:{external_id}",
        obj=share,
        result={"label": conversion.label},
        timestamp=at,
    )
    share_quality_update(share=share)
    return conversion
