"""Daily rollups of the ledger: what the dashboard's motivation figures and trends read.

Each statement adds one to its measures (its verb; for some verbs also the verb and a
detail: a share's network, a recognition's kind, a level's name) on its day, at every
grain: the whole programme, the person's department, team, location and job role, and
all four together. The person's place is
their profile's as it is now: when the profile moves, ``rollups_follow`` moves the
person's history with it (in the delivery that notices, on a profile save, and in a
worker job for moves made by bulk updates), and erasing a person takes their statements
out. So the rollups always equal what ``rollups_rebuild`` derives from the ledger at the
places the milestones hold, which ``rebuild_rollups --check`` compares.
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
from portal.people.models import Profile, User

from .models import Grain, Milestones, Rollup

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
    table = connection.ops.quote_name(Rollup._meta.db_table)
    columns = "day, grain, department, team, location, job_role, measure"
    keys = sorted(figures)
    values = []
    for key in keys:
        statements, points = figures[key]
        values += [*key, sign * statements, sign * points]
    with connection.cursor() as cursor:
        for start in range(0, len(keys), 500):
            chunk = keys[start : start + 500]
            rows = ", ".join(["(%s, %s, %s, %s, %s, %s, %s, %s, %s)"] * len(chunk))
            # Only names from the model's metadata are formatted in; values are parameters.
            cursor.execute(
                f"INSERT INTO {table} ({columns}, statements, points) VALUES {rows} "  # noqa: S608
                f"ON CONFLICT ({columns}) DO UPDATE SET "
                f"statements = {table}.statements + excluded.statements, "
                f"points = {table}.points + excluded.points",
                values[start * 9 : (start + len(chunk)) * 9],
            )
    if sign < 0:
        Rollup.objects.filter(day__in={key[0] for key in keys}, statements=0, points=0).delete()


def _detailed(statements, *columns: str) -> Iterable[tuple]:
    """(day, verb, *columns, details, statements, points) of a queryset of statements,
    grouped by all but the last two."""
    keys = {f"detail_{field}_{key}": KeyTextTransform(key, field) for field, key in DETAIL_KEYS}
    rows = (
        statements.annotate(day=TruncDate("timestamp"), **keys)
        .values_list("day", "verb", *columns, *keys)
        .annotate(statements=Count("pk"), points=Sum("points"))
        .order_by()
    )
    width = 2 + len(columns)
    for row in rows.iterator(chunk_size=5000):
        details = dict(zip(DETAIL_KEYS, row[width : width + len(keys)], strict=True))
        yield (*row[:width], details, row[-2], row[-1] or 0)


def _counted_statements(user_id: int):
    """The person's statements that the rollups already hold: all but those still
    waiting for this subscriber's delivery."""
    statements = Activity.objects.filter(actor_id=user_id)
    name = name_of(SUBSCRIBER)
    if name:
        statements = statements.exclude(deliveries__subscriber=name)
    return statements


def _history(user_id: int, where: Place) -> Figures:
    history: Figures = {}
    for day, verb, details, statements, points in _detailed(_counted_statements(user_id)):
        _spread(history, day, where, verb, details, statements, points)
    return history


def rollups_hear(activity: Activity, milestones: Milestones) -> None:
    """Count one statement (in its delivery's transaction, with the person's milestones
    row locked); if the person moved since they were last counted, move their history
    first."""
    where = place_of(activity.actor_id)
    _follow(milestones, where)
    figures: Figures = {}
    day = timezone.localdate(activity.timestamp)
    _spread(figures, day, where, activity.verb, details_of(activity), 1, activity.points)
    _add(figures)


def place_columns(where: Place | None) -> dict:
    """The milestones row's columns for a place (None: not counted anywhere yet)."""
    department, team, location, job_role = where or NOWHERE
    return {"counted": where is not None, "department_key": department, "team_key": team,
            "location_key": location, "job_role_key": job_role}  # fmt: skip


def _follow(milestones: Milestones, where: Place) -> bool:
    counted = milestones.counted_in
    if counted == where:
        return False
    if counted is not None:
        _add(_history(milestones.user_id, counted), sign=-1)
        _add(_history(milestones.user_id, where))
    for name, value in place_columns(where).items():
        setattr(milestones, name, value)
    milestones.save(update_fields=list(place_columns(where)))
    return True


PLACE_COLUMNS = ("department_key", "team_key", "location_key", "job_role_key")


def rollups_follow(*, user_ids: Iterable[int] | None = None) -> int:
    """Move the history of people whose profile moved since they were last counted (all
    of them, or ``user_ids``). Returns how many moved. A worker job and a profile hook."""
    rows = Milestones.objects.filter(counted=True)
    if user_ids is not None:
        rows = rows.filter(user_id__in=list(user_ids))
    now = {
        user_id: place(*rest)
        for user_id, *rest in Profile.objects.filter(
            user_id__in=rows.values("user_id")
        ).values_list("user_id", "department_id", "team_id", "location", "job_role")
    }
    moved = 0
    for user_id, *counted in rows.values_list("user_id", *PLACE_COLUMNS).iterator(chunk_size=5000):
        if tuple(counted) == now.get(user_id, NOWHERE):
            continue
        with transaction.atomic():
            milestones = Milestones.objects.select_for_update().filter(user_id=user_id).first()
            if milestones is not None and _follow(milestones, place_of(user_id)):
                moved += 1
    return moved


def rollups_forget(*, user_id: int) -> None:
    """Take a person's statements out (they are being erased; called in that
    transaction, before the statements go)."""
    milestones = Milestones.objects.select_for_update().filter(user_id=user_id).first()
    if milestones is None or milestones.counted_in is None:
        return
    _add(_history(user_id, milestones.counted_in), sign=-1)


COLUMNS = ("day", "grain", "department", "team", "location", "job_role", "measure")
COARSER = {
    Grain.PROGRAMME: (),
    Grain.DEPARTMENT: ("department",),
    Grain.TEAM: ("team",),
    Grain.LOCATION: ("location",),
    Grain.JOB_ROLE: ("job_role",),
}


def _fill(table: str) -> None:
    """Write every rollup row the ledger implies into ``table`` (set-based: the finest
    grain straight from the ledger, one grouped INSERT ... SELECT per kind of measure,
    each person at the place their milestones row counts them at; then each coarser
    grain from the finest)."""
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
                selection.annotate(day=TruncDate("timestamp"), grain=Value(int(Grain.GROUP)),
                                   **place_of_actor)
                .values(*COLUMNS)
                .annotate(statements=Count("pk"), points=Coalesce(Sum("points"), 0))
                .order_by()
            )  # fmt: skip
            sql, params = grouped.query.sql_with_params()
            names = ", ".join(quote(name) for name in (*COLUMNS, "statements", "points"))
            # Only names from the code are formatted in; values are parameters.
            cursor.execute(f"{into}SELECT {names} FROM ({sql}) finest", params)  # noqa: S608
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


def _differing(first: str, second: str) -> int:
    """How many rows one table has that the other has not, both ways."""
    quote = connection.ops.quote_name
    columns = ", ".join([*COLUMNS, "statements", "points"])
    total = 0
    with connection.cursor() as cursor:
        for one, other in ((first, second), (second, first)):
            cursor.execute(
                f"SELECT COUNT(*) FROM (SELECT {columns} FROM {quote(one)} EXCEPT "  # noqa: S608
                f"SELECT {columns} FROM {quote(other)}) difference"
            )
            total += cursor.fetchone()[0]
    return total


def rollups_rebuild(*, check_only: bool = False) -> int:
    """Compare the rollups with the ledger; unless ``check_only``, store what the ledger
    implies. Returns how many rows differ. The ledger is read at the places the people's
    milestones count them (``milestones_rebuild`` first, as the command does). Run it
    with the outbox applied (the worker running): a statement whose delivery is still
    waiting counts as a difference."""
    quote = connection.ops.quote_name
    table = Rollup._meta.db_table
    scratch = "measurement_rollup_rebuild"
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {quote(scratch)}")
        cursor.execute(
            f"CREATE TEMPORARY TABLE {quote(scratch)} AS SELECT * FROM {quote(table)} WHERE 1 = 0"  # noqa: S608
        )
        _fill(scratch)
        differing = _differing(scratch, table)
        if differing and not check_only:
            names = ", ".join([*COLUMNS, "statements", "points"])
            cursor.execute(f"DELETE FROM {quote(table)}")  # noqa: S608
            cursor.execute(
                f"INSERT INTO {quote(table)} ({names}) SELECT {names} FROM {quote(scratch)}"  # noqa: S608
            )
        cursor.execute(f"DROP TABLE {quote(scratch)}")
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


def user_deleting(sender, instance: User, **kwargs) -> None:
    """``pre_delete`` of a person: their statements leave the rollups with them."""
    rollups_forget(user_id=instance.pk)


def profile_saved(sender, instance: Profile, **kwargs) -> None:
    """``post_save`` of a profile: once committed, move the person's history if their
    place changed (a profile saved without a move costs one query then)."""
    user_id = instance.user_id
    transaction.on_commit(lambda: rollups_follow(user_ids=[user_id]))


def people_moved_in_bulk(sender, user_ids, **kwargs) -> None:
    """``people_moved`` (an import changed teams or departments): once committed, move
    their history."""
    moved = list(user_ids)
    transaction.on_commit(lambda: rollups_follow(user_ids=moved))
