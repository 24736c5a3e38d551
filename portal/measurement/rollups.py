"""Daily rollups of the ledger and of facts: everything the programme dashboard reads.

Each statement adds one to its measures (its verb; for some verbs also the verb and a
detail: a share's network, a recognition's kind, a level's name) on its day, at every
grain: the whole programme, the person's department, team, location and job role, and
all four together. Facts that are not statements (``tallies``: the funnel, training,
shares before and after a course, previews, content items) are counted the same way by
``rollups_tally``, called by the services that write their records. The person's place
is their profile's as it is now: when the profile moves, ``rollups_follow`` moves the
person's history with it (in the delivery that notices, on a profile save, and in a
worker job for moves made by bulk updates), and erasing a person takes their history
out. So the rollups always equal what ``rollups_rebuild`` derives from the ledger and
the facts' tables at the places the milestones hold, which ``rebuild_rollups --check``
compares.
"""

from collections import defaultdict
from collections.abc import Iterable

from django.db import connection, transaction
from django.db.models import CharField, Count, F, Sum, Value
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast, Coalesce, Concat, Substr, TruncDate
from django.utils import timezone

from portal.activity.models import Activity
from portal.activity.subscribers import name_of
from portal.activity.verbs import (
    CONTENT_SHARED,
    LEVEL_REACHED,
    RECOGNITION_RECEIVED,
    SHARE_CLICKED,
    SHARE_QUALITY,
)
from portal.bulk import bulk_insert
from portal.people.models import Profile, User

from . import tallies
from .models import Grain, Milestones, Rollup
from .tallies import Facts, funnel_facts, merged, milestones_facts, milestones_values

# A person's place in the rollups: (department id, team id, location, job role), with
# 0 and "" for none, the texts in lower case.
Place = tuple[int, int, str, str]
NOWHERE: Place = (0, 0, "", "")
# (day, grain, department, team, location, job role, measure) -> (statements, points)
Key = tuple
Figures = dict[Key, tuple[int, int]]

# The ledger subscriber that keeps the rollups (and the milestones).
SUBSCRIBER = "portal.measurement.services.measurement_hear"
# Verbs counted also per value of one key of their result or context, as measures named
# by a prefix and the value: "content.shared:linkedin", "content.shared.kind:own".
# (verb, "result" or "context", key, the measure's prefix)
DETAILS = [
    (CONTENT_SHARED.id, "result", "network", CONTENT_SHARED.id),
    (CONTENT_SHARED.id, "context", "kind", f"{CONTENT_SHARED.id}.kind"),
    (SHARE_CLICKED.id, "result", "network", SHARE_CLICKED.id),
    (RECOGNITION_RECEIVED.id, "result", "kind", RECOGNITION_RECEIVED.id),
    (LEVEL_REACHED.id, "result", "level", LEVEL_REACHED.id),
    (SHARE_QUALITY.id, "result", "step", SHARE_QUALITY.id),
]
DETAIL_KEYS = sorted({(field, key) for _, field, key, _ in DETAILS})
DETAILS_OF = {  # verb -> its (field, key, prefix)
    verb: [(field, key, prefix) for other, field, key, prefix in DETAILS if other == verb]
    for verb, *_ in DETAILS
}


def place(department, team, location, job_role) -> Place:
    """A place from a profile's columns (ids or None, texts or None)."""
    return (department or 0, team or 0, (location or "").strip().lower(),
            (job_role or "").strip().lower())  # fmt: skip


def place_of(user_id: int) -> Place:
    row = (
        Profile.objects.filter(user_id=user_id)
        .values_list("department_id", "team_id", "location", "job_role")
        .first()
    )
    return place(*row) if row else NOWHERE


def cells(where: Place) -> list[tuple[int, int, int, str, str]]:
    """The rollup rows a statement of someone at ``where`` counts in, one per grain."""
    department, team, location, job_role = where
    return [
        (Grain.PROGRAMME, 0, 0, "", ""),
        (Grain.DEPARTMENT, department, 0, "", ""),
        (Grain.TEAM, 0, team, "", ""),
        (Grain.LOCATION, 0, 0, location, ""),
        (Grain.JOB_ROLE, 0, 0, "", job_role),
        (Grain.GROUP, department, team, location, job_role),
    ]


def measures(verb: str, details: dict) -> list[str]:
    """The measures a statement counts in: its verb, and its details' (``details`` maps
    ``(field, key)`` to the value in the statement's result or context)."""
    found = [verb]
    for field, key, prefix in DETAILS_OF.get(verb, ()):
        value = details.get((field, key))
        if value is not None and value != "":
            found.append(f"{prefix}:{str(value)[:40]}")
    return found


def details_of(activity: Activity) -> dict:
    """The ``(field, key) -> value`` of a statement that ``measures`` reads."""
    parts = {"result": activity.result, "context": activity.context}
    return {
        (field, key): parts[field].get(key) if isinstance(parts[field], dict) else None
        for field, key in DETAIL_KEYS
    }


def _spread(into: dict, day, where: Place, verb: str, details: dict, statements: int,
            points: int) -> None:  # fmt: skip
    for cell in cells(where):
        for measure in measures(verb, details):
            key = (day, *cell, measure)
            had = into.get(key, (0, 0))
            into[key] = (had[0] + statements, had[1] + points)


def _add(figures: Figures, *, sign: int = 1) -> None:
    """Add (or with ``sign`` -1, take away) ``figures``: one upsert, rows in key order
    (so concurrent deliveries lock them in the same order); rows that reach zero go."""
    if not figures:
        return
    _write(Rollup._meta.db_table, figures, sign=sign, upsert=True)
    if sign < 0 or any(statements < 0 or points < 0 for statements, points in figures.values()):
        days = {key[0] for key in figures}
        Rollup.objects.filter(day__in=days, statements=0, points=0).delete()


def _write(table: str, figures: Figures, *, sign: int = 1, upsert: bool) -> None:
    """Insert ``figures`` into ``table`` in key order; ``upsert``: add them to the rows
    that are there (a few rows, as the live counting writes: in chunks of multi-row
    statements), otherwise a bulk load (the rebuild: COPY on PostgreSQL, one statement
    for many rows elsewhere)."""
    quote = connection.ops.quote_name(table)
    columns = ", ".join(COLUMNS)
    keys = sorted(figures)
    one = "(%s, %s, %s, %s, %s, %s, %s, %s, %s)"
    if not upsert:
        bulk_insert(
            table,
            [*COLUMNS, "statements", "points"],
            ((*key, sign * figures[key][0], sign * figures[key][1]) for key in keys),
        )
        return
    with connection.cursor() as cursor:
        values = []
        for key in keys:
            statements, points = figures[key]
            values += [*key, sign * statements, sign * points]
        for start in range(0, len(keys), 500):
            chunk = keys[start : start + 500]
            cursor.execute(
                f"INSERT INTO {quote} ({columns}, statements, points) VALUES "  # noqa: S608
                f"{', '.join([one] * len(chunk))} ON CONFLICT ({columns}) DO UPDATE SET "
                f"statements = {quote}.statements + excluded.statements, "
                f"points = {quote}.points + excluded.points",
                values[start * 9 : (start + len(chunk)) * 9],
            )


def _detailed(statements, *columns: str) -> Iterable[tuple]:
    """(day, verb, *columns, details, statements, points) of a queryset of statements,
    grouped by all but the last two."""
    keys = {f"detail_{field}_{key}": KeyTextTransform(key, field) for field, key in DETAIL_KEYS}
    rows = (
        statements.annotate(
            day=TruncDate("timestamp", tzinfo=timezone.get_default_timezone()), **keys
        )
        .values_list("day", "verb", *columns, *keys)
        .annotate(statements=Count("pk"), points=Sum("points"))
        .order_by()
    )
    width = 2 + len(columns)
    for row in rows.iterator(chunk_size=5000):
        details = dict(zip(DETAIL_KEYS, row[width : width + len(keys)], strict=True))
        yield (*row[:width], details, row[-2], row[-1] or 0)


def _counted_statements(user_ids: list[int]):
    """The people's statements that the rollups already hold: all but those still
    waiting for this subscriber's delivery."""
    statements = Activity.objects.filter(actor_id__in=user_ids)
    name = name_of(SUBSCRIBER)
    if name:
        statements = statements.exclude(deliveries__subscriber=name)
    return statements


def _spread_facts(into: Figures, where: Place, facts: Facts, *, sign: int = 1) -> None:
    for (day, measure), (count, amount) in facts.items():
        for cell in cells(where):
            key = (day, *cell, measure)
            had = into.get(key, (0, 0))
            into[key] = (had[0] + sign * count, had[1] + sign * amount)


# A person's history in the rollups: their delivered statements, grouped (day, verb,
# details, statements, points), and their facts.
History = tuple[list[tuple], Facts]


def _histories(user_ids: list[int], *, pending: dict[int, Facts] | None = None
               ) -> dict[int, History]:  # fmt: skip
    """Everything of these people's that the rollups hold (a few queries for them all):
    their delivered statements and their facts, but ``pending``, facts of records just
    written and not counted yet."""
    histories: dict[int, History] = {user_id: ([], {}) for user_id in user_ids}
    for day, verb, actor_id, details, statements, points in _detailed(
        _counted_statements(user_ids), "actor_id"
    ):
        histories[actor_id][0].append((day, verb, details, statements, points))
    for user_id, facts in tallies.facts_everyone(user_ids):
        rows, had = histories[user_id]
        histories[user_id] = (rows, merged(had, facts))
    for user_id, facts in (pending or {}).items():
        if user_id not in histories:
            continue
        rows, had = histories[user_id]
        histories[user_id] = (rows, tallies.difference(had, facts))
    return histories


def _spread_history(into: Figures, history: History, where: Place, *, sign: int) -> None:
    rows, facts = history
    for day, verb, details, statements, points in rows:
        _spread(into, day, where, verb, details, sign * statements, sign * points)
    _spread_facts(into, where, facts, sign=sign)


def rollups_hear(activity: Activity, milestones: Milestones) -> None:
    """Count one statement (in its delivery's transaction, with the person's milestones
    row locked); if the person moved since they were last counted, move their history
    first."""
    where = place_of(activity.actor_id)
    _follow(milestones, where)
    figures: Figures = {}
    day = timezone.localdate(activity.timestamp, timezone.get_default_timezone())
    _spread(figures, day, where, activity.verb, details_of(activity), 1, activity.points)
    _add(figures)


def place_columns(where: Place | None) -> dict:
    """The milestones row's columns for a place (None: not counted anywhere yet)."""
    department, team, location, job_role = where or NOWHERE
    return {"counted": where is not None, "department_key": department, "team_key": team,
            "location_key": location, "job_role_key": job_role}  # fmt: skip


def _follow(milestones: Milestones, where: Place, *, pending: Facts | None = None) -> bool:
    """Move the person's history to ``where`` if they are counted elsewhere (their row
    locked); the first time, only note the place."""
    return _follow_many([(milestones, where)], pending={milestones.user_id: pending or {}}) > 0


def _follow_many(moves: list[tuple[Milestones, Place]], *,
                 pending: dict[int, Facts] | None = None) -> int:  # fmt: skip
    """Move each person's history to their new place (their rows locked), with one read
    of their histories and one upsert for them all. Returns how many moved."""
    moving = [(milestones, where) for milestones, where in moves if milestones.counted_in != where]
    counted = [milestones.user_id for milestones, _ in moving if milestones.counted_in is not None]
    histories = _histories(counted, pending=pending) if counted else {}
    figures: Figures = {}
    for milestones, where in moving:
        if milestones.counted_in is not None:
            history = histories[milestones.user_id]
            _spread_history(figures, history, milestones.counted_in, sign=-1)
            _spread_history(figures, history, where, sign=1)
        for name, value in place_columns(where).items():
            setattr(milestones, name, value)
    _add({key: value for key, value in figures.items() if value != (0, 0)})
    Milestones.objects.bulk_update([milestones for milestones, _ in moving],
                                   list(place_columns(None)))  # fmt: skip
    return len(moving)


PLACE_COLUMNS = ("department_key", "team_key", "location_key", "job_role_key")


def milestones_locked(user_id: int) -> Milestones:
    """The person's milestones row, locked for the caller's transaction; made, with their
    funnel counted, if they have none yet (in a transaction of its own when the caller
    has none)."""
    with transaction.atomic(savepoint=False):
        milestones = Milestones.objects.select_for_update().filter(user_id=user_id).first()
        if milestones is not None:
            return milestones
        joined, active = User.objects.values_list("date_joined", "is_active").get(pk=user_id)
        milestones, created = Milestones.objects.select_for_update().get_or_create(
            user_id=user_id, defaults={"invited_at": joined, "in_funnel": active}
        )
        if created:
            where = place_of(user_id)
            _follow(milestones, where)
            figures: Figures = {}
            _spread_facts(figures, where, milestones_facts(milestones, joined))
            _add(figures)
        return milestones


def rollups_tally(*, user_id: int, facts: Facts, milestones: Milestones | None = None) -> None:
    """Count the facts of a record just written (or, negative, taken back), in its
    transaction (or one of its own when it was written without), at the person's place
    (moving their history first if they moved)."""
    if not facts:
        return
    with transaction.atomic(savepoint=False):
        milestones = milestones or milestones_locked(user_id)
        where = place_of(user_id)
        _follow(milestones, where, pending=facts)
        figures: Figures = {}
        _spread_facts(figures, where, facts)
        _add(figures)


def people_joined(user_ids: Iterable[int]) -> None:
    """People made in bulk (an import, after their profiles): their milestones rows, at
    their places, with their funnel counted (a few queries per 2,000 people)."""
    everyone = list(user_ids)
    for start in range(0, len(everyone), 2000):
        _people_joined(everyone[start : start + 2000])


def _people_joined(user_ids: list[int]) -> None:
    ids = set(user_ids) - set(
        Milestones.objects.filter(user_id__in=user_ids).values_list("user_id", flat=True)
    )
    places = {
        user_id: place(*rest)
        for user_id, *rest in Profile.objects.filter(user_id__in=ids).values_list(
            "user_id", "department_id", "team_id", "location", "job_role"
        )
    }
    rows: list[Milestones] = []
    figures: Figures = {}
    for user_id, joined, active in User.objects.filter(pk__in=ids).values_list(
        "pk", "date_joined", "is_active"
    ):
        where = places.get(user_id, NOWHERE)
        milestones = Milestones(user_id=user_id, invited_at=joined, in_funnel=active,
                                **place_columns(where))  # fmt: skip
        rows.append(milestones)
        _spread_facts(figures, where, milestones_facts(milestones, joined))
    Milestones.objects.bulk_create(rows, batch_size=2000)
    _add(figures)


def funnel_leave(*, user_id: int, leaving: bool) -> None:
    """Take someone who left out of the funnel (``leaving``), or put them back."""
    milestones = milestones_locked(user_id)
    if milestones.in_funnel != leaving:
        return
    joined = User.objects.values_list("date_joined", flat=True).get(pk=user_id)
    facts = funnel_facts(joined, milestones_values(milestones))
    milestones.in_funnel = not leaving
    milestones.save(update_fields=["in_funnel"])
    rollups_tally(user_id=user_id, facts=merged(facts, sign=-1 if leaving else 1),
                  milestones=milestones)  # fmt: skip


def rollups_follow(*, user_ids: Iterable[int] | None = None) -> int:
    """Move the history of people whose profile moved since they were last counted (all
    of them, or ``user_ids``), 500 at a time. Returns how many moved. A worker job and a
    profile hook."""
    rows = Milestones.objects.filter(counted=True)
    if user_ids is not None:
        rows = rows.filter(user_id__in=list(user_ids))
    now = {
        user_id: place(*rest)
        for user_id, *rest in Profile.objects.filter(
            user_id__in=rows.values("user_id")
        ).values_list("user_id", "department_id", "team_id", "location", "job_role")
    }
    moving = [
        user_id
        for user_id, *counted in rows.values_list("user_id", *PLACE_COLUMNS).iterator(
            chunk_size=5000
        )
        if tuple(counted) != now.get(user_id, NOWHERE)
    ]
    moved = 0
    for start in range(0, len(moving), 500):
        with transaction.atomic():
            locked = list(
                Milestones.objects.select_for_update()
                .filter(user_id__in=moving[start : start + 500])
                .order_by("user_id")
            )
            places = _places([milestones.user_id for milestones in locked])
            moved += _follow_many(
                [(milestones, places.get(milestones.user_id, NOWHERE)) for milestones in locked]
            )
    return moved


def _places(user_ids: list[int]) -> dict[int, Place]:
    return {
        user_id: place(*rest)
        for user_id, *rest in Profile.objects.filter(user_id__in=user_ids).values_list(
            "user_id", "department_id", "team_id", "location", "job_role"
        )
    }


def rollups_forget(*, user_id: int) -> None:
    """Take a person's statements out (they are being erased; called in that
    transaction, before the statements go)."""
    milestones = Milestones.objects.select_for_update().filter(user_id=user_id).first()
    if milestones is None or milestones.counted_in is None:
        return
    figures: Figures = {}
    _spread_history(figures, _histories([user_id])[user_id], milestones.counted_in, sign=-1)
    _add(figures)


COLUMNS = ("day", "grain", "department", "team", "location", "job_role", "measure")
COARSER = {
    Grain.PROGRAMME: (),
    Grain.DEPARTMENT: ("department",),
    Grain.TEAM: ("team",),
    Grain.LOCATION: ("location",),
    Grain.JOB_ROLE: ("job_role",),
}


def _fill(table: str) -> None:
    """Write every rollup row the ledger and the facts imply into ``table`` (the
    finest grain straight from the ledger, set-based: one grouped INSERT ... SELECT per
    kind of measure, each person at the place their milestones row counts them at; the
    facts' finest rows; then each coarser grain from the finest)."""
    quote = connection.ops.quote_name
    into = f"INSERT INTO {quote(table)} ({', '.join(COLUMNS)}, statements, points) "
    counted = Activity.objects.filter(actor__milestones__counted=True)
    place_of_actor = {
        "department": F("actor__milestones__department_key"),
        "team": F("actor__milestones__team_key"),
        "location": F("actor__milestones__location_key"),
        "job_role": F("actor__milestones__job_role_key"),
    }
    selections = [counted.annotate(measure=F("verb"))]
    for verb, field, key, prefix in DETAILS:
        detail = KeyTextTransform(key, field)
        selections.append(
            counted.filter(verb=verb)
            .annotate(detail=Substr(Cast(detail, CharField()), 1, 40))
            .exclude(detail__isnull=True)
            .exclude(detail="")
            .annotate(measure=Concat(Value(f"{prefix}:"), F("detail"),
                                     output_field=CharField()))
        )  # fmt: skip
    with connection.cursor() as cursor:
        for selection in selections:
            grouped = (
                selection.annotate(
                    day=TruncDate("timestamp", tzinfo=timezone.get_default_timezone()),
                    grain=Value(int(Grain.GROUP)), **place_of_actor)
                .values(*COLUMNS)
                .annotate(statements=Count("pk"), points=Coalesce(Sum("points"), 0))
                .order_by()
            )  # fmt: skip
            sql, params = grouped.query.sql_with_params()
            names = ", ".join(quote(name) for name in (*COLUMNS, "statements", "points"))
            # Only names from the code are formatted in; values are parameters.
            cursor.execute(f"{into}SELECT {names} FROM ({sql}) finest", params)  # noqa: S608
        _write(table, _facts_finest(), upsert=False)
        for grain, kept in COARSER.items():
            dimensions = ", ".join(
                quote(name) if name in kept else ("''" if name in ("location", "job_role")
                                                  else "0")
                for name in ("department", "team", "location", "job_role")
            )  # fmt: skip
            group_by = ", ".join(["day", *(quote(name) for name in kept), "measure"])
            cursor.execute(
                f"{into}SELECT day, %s, {dimensions}, measure, SUM(statements), SUM(points) "  # noqa: S608
                f"FROM {quote(table)} WHERE grain = %s GROUP BY {group_by}",
                [int(grain), int(Grain.GROUP)],
            )


def _facts_finest() -> Figures:
    """Everyone's facts at the finest grain, each person at the place their milestones
    row counts them at."""
    places = {
        user_id: tuple(rest)
        for user_id, *rest in Milestones.objects.filter(counted=True).values_list(
            "user_id", *PLACE_COLUMNS
        )
    }
    finest: Figures = {}
    for user_id, facts in tallies.facts_everyone():
        where = places.get(user_id)
        if where is None:
            continue  # no milestones row: counted nowhere (``milestones_rebuild`` makes one)
        for (day, measure), (count, amount) in facts.items():
            key = (day, Grain.GROUP, *where, measure)
            had = finest.get(key, (0, 0))
            finest[key] = (had[0] + count, had[1] + amount)
    return finest


def rollups_rebuild(*, check_only: bool = False) -> int:
    """Compare the rollups with the ledger and the facts' tables; unless ``check_only``,
    store what they imply (taking away and adding only the rows that differ). Returns
    how many rows differ. The ledger is read at the places the people's milestones count
    them (``milestones_rebuild`` first, as the command does). Run it with the outbox
    applied (the worker running): a statement whose delivery is still waiting counts as
    a difference."""
    quote = connection.ops.quote_name
    table = quote(Rollup._meta.db_table)
    scratch_name = "measurement_rollup_rebuild"
    scratch, gone, fresh = (quote(name) for name in (scratch_name, "measurement_rollup_gone",
                                                      "measurement_rollup_fresh"))  # fmt: skip
    columns = ", ".join([*COLUMNS, "statements", "points"])
    with transaction.atomic(), connection.cursor() as cursor:
        for name in (scratch, gone, fresh):
            cursor.execute(f"DROP TABLE IF EXISTS {name}")
        cursor.execute(f"CREATE TEMPORARY TABLE {scratch} AS SELECT * FROM {table} WHERE 1 = 0")  # noqa: S608
        _fill(scratch_name)
        # Only names from the code are formatted in.
        for name, one, other in ((gone, table, scratch), (fresh, scratch, table)):
            cursor.execute(
                f"CREATE TEMPORARY TABLE {name} AS SELECT {columns} FROM {one} "  # noqa: S608
                f"EXCEPT SELECT {columns} FROM {other}"
            )
        differing = 0
        for name in (gone, fresh):
            cursor.execute(f"SELECT COUNT(*) FROM {name}")  # noqa: S608
            differing += cursor.fetchone()[0]
        if differing and not check_only:
            keys = ", ".join(COLUMNS)
            cursor.execute(
                f"DELETE FROM {table} WHERE ({keys}) IN (SELECT {keys} FROM {gone})"  # noqa: S608
            )
            cursor.execute(f"INSERT INTO {table} ({columns}) SELECT {columns} FROM {fresh}")  # noqa: S608
        for name in (scratch, gone, fresh):
            cursor.execute(f"DROP TABLE {name}")
    return differing


def people_places() -> dict[int, Place]:
    """Everyone's place now, for the milestones (only those with a statement are counted
    anywhere)."""
    places = {
        user_id: place(*rest)
        for user_id, *rest in Profile.objects.values_list(
            "user_id", "department_id", "team_id", "location", "job_role"
        )
    }
    return defaultdict(lambda: NOWHERE, places)


def people_leaving(sender, user_ids, **kwargs) -> None:
    """``people_left``: out of the funnel (their history stays in the other figures)."""
    for user_id in user_ids:
        with transaction.atomic():
            funnel_leave(user_id=user_id, leaving=True)


def people_returning(sender, user_ids, **kwargs) -> None:
    """``people_returned``: back in the funnel."""
    for user_id in user_ids:
        with transaction.atomic():
            funnel_leave(user_id=user_id, leaving=False)


def user_saved(sender, instance: User, created: bool, raw: bool = False, **kwargs) -> None:
    """``post_save`` of a user: a new person is invited, a step of the funnel; a corrected
    invitation date moves their funnel facts."""
    if raw:
        return
    if created:
        milestones_locked(instance.pk)
        return
    fields = kwargs.get("update_fields")
    if fields is not None and "date_joined" not in fields:
        return
    with transaction.atomic():
        milestones = milestones_locked(instance.pk)
        was, joined = milestones.invited_at, instance.date_joined
        if was is None or was == joined:
            return
        values = milestones_values(milestones)
        before = funnel_facts(was, values) if milestones.in_funnel else {}
        after = funnel_facts(joined, values) if milestones.in_funnel else {}
        milestones.invited_at = joined
        milestones.save(update_fields=["invited_at"])
        rollups_tally(user_id=instance.pk, facts=tallies.difference(after, before),
                      milestones=milestones)  # fmt: skip


def people_made(sender, user_ids, **kwargs) -> None:
    """``people_joined``: people made in bulk."""
    people_joined(user_ids)


def user_deleting(sender, instance: User, **kwargs) -> None:
    """``pre_delete`` of a person: their statements leave the rollups with them."""
    rollups_forget(user_id=instance.pk)


def profile_saved(sender, instance: Profile, created: bool = False, raw: bool = False,
                  **kwargs) -> None:  # fmt: skip
    """``post_save`` of a profile: once committed, move the person's history if their
    place changed (a profile saved without a move costs one query then). A new profile
    places its person at once: they have no history yet but their invitation."""
    user_id = instance.user_id
    if created and not raw:
        rollups_follow(user_ids=[user_id])
        return
    transaction.on_commit(lambda: rollups_follow(user_ids=[user_id]))


def people_moved_in_bulk(sender, user_ids, **kwargs) -> None:
    """``people_moved`` (an import changed teams or departments): once committed, move
    their history."""
    moved = list(user_ids)
    transaction.on_commit(lambda: rollups_follow(user_ids=moved))
