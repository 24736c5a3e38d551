"""Keeping the rank store in step with the ledger, and rebuilding it from the ledger."""

from collections import Counter, defaultdict

from django.db import transaction
from django.db.models import Sum
from django.db.models.functions import TruncMonth, TruncWeek
from django.utils import timezone

from portal.activity.models import Activity
from portal.people.models import Profile, Visibility

from .boards import WINDOWS, board_keys_for_profile, window_keys
from .broadcast import boards_changed, boards_refresh
from .store import rank_store


def leaderboards_record(activity: Activity) -> None:
    """Add a statement's points to every board and window it counts on.

    Subscribed to the ledger, so it runs after the statement commits.
    """
    if not activity.points:
        return
    profile = (
        Profile.objects.select_related("team__department", "department")
        .filter(user_id=activity.actor_id, user__is_active=True)
        .first()
    )
    if profile is None:
        return  # a leaver (or someone erased meanwhile) is on no board
    store = rank_store()
    user_id = activity.actor_id
    current = window_keys(timezone.now())
    moves = {}
    for board in board_keys_for_profile(profile):
        for window, season in window_keys(activity.timestamp).items():
            store.add(board=board, window=season, user_id=user_id, points=activity.points)
            if current[window] == season:  # only this season's boards are watched live
                new = store.points_of(board=board, window=season, user_ids=[user_id]).get(
                    user_id, 0
                )
                moves[(board, window)] = (new - activity.points, new)
    boards_changed(moves=moves, user_id=user_id)


RESEAT_CHUNK = 500  # people per ledger query: well under SQLite's limit on parameters


def leaderboards_reseat(user_ids: list[int], *, boards_left: set[str] = frozenset()) -> None:
    """Put people on the boards of their current team and department, with their totals
    from the ledger, and off every other board (after a move between teams)."""
    store = rank_store()
    boards = set(boards_left)
    for start in range(0, len(user_ids), RESEAT_CHUNK):
        chunk = user_ids[start : start + RESEAT_CHUNK]
        store.forget(chunk)
        totals = leaderboards_from_ledger(user_ids=chunk)
        for (board, window, user_id), points in totals.items():
            store.add(board=board, window=window, user_id=user_id, points=points)
        boards |= {board for board, _, _ in totals}
    if boards:
        boards_refresh([(board, window) for board in sorted(boards) for window in WINDOWS])


def reseat_moved_people(sender, user_ids: list[int], **kwargs) -> None:
    """``portal.people.signals.people_moved`` and ``people_returned``: a change of team or
    department, in bulk, or people back from leaving."""
    transaction.on_commit(lambda: leaderboards_reseat(list(user_ids)))


def leaderboards_forget(sender, user_ids: list[int], **kwargs) -> None:
    """``portal.people.signals.people_left``: take leavers (or people about to be erased)
    off every board of both stores at once, inside the caller's transaction for the SQL
    store, so nobody below them keeps a rank one place too low."""
    store = rank_store()
    keys = {(board, window) for board, window, user in store.dump_for(user_ids)}
    store.forget(list(user_ids))
    if keys:
        boards = sorted({board for board, _ in keys})
        transaction.on_commit(
            lambda: boards_refresh([(board, window) for board in boards for window in WINDOWS])
        )


def _shown_as(profile: Profile) -> tuple[str, bool, tuple[str, ...]]:
    hidden = profile.leaderboard_visibility == Visibility.HIDDEN
    return profile.public_name, hidden, tuple(board_keys_for_profile(profile))


def profile_shown_before(sender, instance: Profile, **kwargs) -> None:
    """``pre_save`` of a profile: note how and on which boards it showed until now."""
    before = (
        Profile.objects.select_related("user", "team__department", "department")
        .filter(pk=instance.pk)
        .first()
    )
    instance._leaderboards_shown = _shown_as(before) if before else None


def profile_shown_after(sender, instance: Profile, created: bool, **kwargs) -> None:
    """``post_save`` of a profile: a new name, alias or visibility shows on their boards
    at once (after commit), though no points moved; a new team or department moves
    their points to its boards."""
    before = getattr(instance, "_leaderboards_shown", None)
    if created or before is None:
        return
    after = _shown_as(instance)
    if before[2] != after[2]:
        left = set(before[2]) - set(after[2])
        transaction.on_commit(lambda: leaderboards_reseat([instance.user_id], boards_left=left))
    elif before != after:
        keys = [(board, window) for board in after[2] for window in WINDOWS]
        transaction.on_commit(lambda: boards_refresh(keys))


def leaderboards_from_ledger(user_ids: list[int] | None = None) -> dict[tuple[str, str, int], int]:
    """Every board's totals recomputed from the ledger: ``{(board, window, user): points}``
    (only for ``user_ids`` when given)."""
    tz = timezone.get_current_timezone()
    scored = Activity.objects.exclude(points=0).filter(actor__is_active=True)
    if user_ids is not None:
        scored = scored.filter(actor_id__in=user_ids)
    per_window: dict[int, dict[str, int]] = defaultdict(dict)
    for user_id, total in (
        scored.values("actor_id").annotate(total=Sum("points")).values_list("actor_id", "total")
    ):
        per_window[user_id]["all"] = total
    for user_id, month, total in (
        scored.annotate(month=TruncMonth("timestamp", tzinfo=tz))
        .values("actor_id", "month")
        .annotate(total=Sum("points"))
        .values_list("actor_id", "month", "total")
    ):
        per_window[user_id][f"m{month:%Y-%m}"] = total
    for user_id, week, total in (
        scored.annotate(week=TruncWeek("timestamp", tzinfo=tz))
        .values("actor_id", "week")
        .annotate(total=Sum("points"))
        .values_list("actor_id", "week", "total")
    ):
        year, number, _ = week.isocalendar()
        per_window[user_id][f"w{year}-{number:02d}"] = total
    profiles = {
        profile.user_id: profile
        for profile in Profile.objects.select_related("team__department", "department").filter(
            user_id__in=list(per_window)
        )
    }
    totals = {}
    for user_id, windows in per_window.items():
        for board in board_keys_for_profile(profiles.get(user_id)):
            for window, points in windows.items():
                if points:
                    totals[(board, window, user_id)] = points
    return totals


def leaderboards_rebuild(*, check_only: bool = False) -> dict[tuple, tuple]:
    """Compare the store with the ledger; unless ``check_only``, replace it.

    Returns ``{(board, window, user): (stored, ledger)}`` for every total that differs, and
    ``{(board, window, "count", points): (stored, expected)}`` for every count of people per
    total that differs (what "my rank" reads in the SQL store: a ghost there ranks everyone
    below one place too low, though no total differs).
    """
    store = rank_store()
    expected = leaderboards_from_ledger()
    stored = {key: points for key, points in store.dump().items() if points}
    differences: dict[tuple, tuple] = {
        key: (stored.get(key, 0), expected.get(key, 0))
        for key in set(expected) | set(stored)
        if stored.get(key, 0) != expected.get(key, 0)
    }
    expected_counts = Counter(
        (board, window, points) for (board, window, _), points in expected.items()
    )
    stored_counts = store.dump_counts()
    for board, window, points in set(expected_counts) | set(stored_counts):
        have = stored_counts.get((board, window, points), 0)
        want = expected_counts.get((board, window, points), 0)
        if have != want:
            differences[(board, window, "count", points)] = (have, want)
    if differences and not check_only:
        store.replace((b, w, u, p) for (b, w, u), p in expected.items())
    return differences
