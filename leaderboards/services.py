"""Keeping the rank store in step with the ledger, and rebuilding it from the ledger."""

from django.db import transaction
from django.utils import timezone

from portal.activity.models import Activity, Delivery
from portal.activity.subscribers import subscriber
from portal.people.models import Profile, Visibility

from .boards import WINDOWS, board_keys_for_profile, window_keys
from .broadcast import boards_changed, boards_refresh
from .ledger import SUBSCRIBER, expected_totals, leaderboards_from_ledger
from .store import Differences, RankStore, rank_store


@subscriber(wants=lambda activity: activity.points != 0)
def leaderboards_record(activity: Activity) -> None:
    """Add a statement's points to every board and window it counts on.

    Subscribed to the ledger: it runs after the statement commits, once per statement
    (``portal.activity.deliveries``; the rank store makes the Redis writes idempotent).
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
    user_id = activity.actor_id
    current = window_keys(timezone.now())
    seasons = window_keys(activity.timestamp)
    boards = board_keys_for_profile(profile)
    keys = [(board, season) for board in boards for season in seasons.values()]
    totals = rank_store().apply(
        activity_id=activity.pk, user_id=user_id, points=activity.points, keys=keys
    )
    moves = {}
    for window, season in seasons.items():
        if current[window] == season:  # only this season's boards are watched live
            for board in boards:
                new = totals[(board, season)]
                moves[(board, window)] = (new - activity.points, new)
    boards_changed(moves=moves, user_id=user_id)


RESEAT_CHUNK = 500  # people per ledger query: well under SQLite's limit on parameters


def leaderboards_reseat(
    user_ids: list[int], *, boards_left: frozenset[str] | set[str] = frozenset()
) -> None:
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
    vars(instance)["_leaderboards_shown"] = _shown_as(before) if before else None


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


def leaderboards_rebuild(
    *, check_only: bool = False, store: RankStore | None = None
) -> Differences:
    """Compare the store with the ledger; unless ``check_only``, make it agree.

    Returns what differs (the first ``store.SHOWN``; ``.total`` counts them all):
    ``{(board, window, user): (stored, ledger)}`` for totals, and
    ``{(board, window, "count", points): (stored, expected)}`` for counts of people per
    total (what "my rank" reads in the SQL store: a ghost there ranks everyone below one
    place too low, though no total differs). ``store``: another than the environment's.
    """
    store = store or rank_store()
    if check_only:
        return _compare(store, replace=False)
    with store.rebuilding(wait=120) as mine:
        if not mine:
            raise RuntimeError("Another process is rebuilding the leaderboards; try again.")
        return _compare(store, replace=True)


def _compare(store, *, replace: bool) -> Differences:
    if replace:
        store.unready()  # statements wait for the rebuild instead of landing half-way
    with transaction.atomic():
        # Wait for deliveries being applied right now (their rows are locked; on SQLite
        # this transaction waits for the write lock), then count every statement that
        # is not waiting: the waiting ones are added when they are delivered.
        list(Delivery.objects.select_for_update().filter(subscriber=SUBSCRIBER).values_list("pk"))
        with expected_totals(applied_only=True) as expected:
            return store.reconcile(expected, replace=replace)


def leaderboards_repair() -> bool:
    """Rebuild the rank store if it is not ready (Redis restarted empty, or a rebuild died
    half-way); returns whether it did. The worker's sweep calls it every few seconds."""
    store = rank_store()
    if store.ready():
        return False
    with store.rebuilding() as mine:
        if not mine or store.ready():
            return False  # another process is at it, or just finished
        _compare(store, replace=True)
    return True
