"""Reads for the programme dashboard: who is in scope, the period, the funnel.

Privacy: no figure about fewer than ``MIN_GROUP`` people. A scope that small shows no
funnel; in the breakdown by department, departments that small are merged into one row,
which is itself hidden if it stays under the limit.
"""

import calendar
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db.models import (
    Count,
    DateField,
    F,
    Q,
    QuerySet,
    Sum,
)
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext, gettext_lazy

from portal.activity.verbs import CONTENT_SHARED, SHARE_CLICKED, SHARE_CONVERTED
from portal.people.models import Department, Team, User
from portal.people.permissions import is_programme_admin, managed_teams
from portal.people.privacy import MIN_GROUP
from portal.sharing.models import ContentItem, Kind, Network

from .models import STEPS, Grain, MeasurementSettings, Rollup

PERIODS = {
    "week": gettext_lazy("This week"),
    "month": gettext_lazy("This month"),
    "quarter": gettext_lazy("This quarter"),
}


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # inclusive
    label: str
    # Calendar months the period before starts earlier: this month so far is compared
    # with the same days of last month (a quarter: 3); 0 compares with as many days just
    # before (a week so far: the same weekdays of last week).
    months_back: int = 0

    @property
    def start_at(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.start, time.min))

    @property
    def end_at(self) -> datetime:
        """The first moment after the period."""
        return timezone.make_aware(datetime.combine(self.end + timedelta(days=1), time.min))

    def previous(self) -> "Period":
        if self.months_back:
            start = _months_before(self.start, self.months_back)
            end = min(_months_before(self.end, self.months_back), self.start - timedelta(days=1))
            return Period(start, end, "the same days before", self.months_back)
        length = (self.end - self.start).days + 1
        if self.label == PERIODS["week"]:
            return Period(self.start - timedelta(days=7), self.end - timedelta(days=7),
                          "the same days last week")  # fmt: skip
        end = self.start - timedelta(days=1)
        return Period(end - timedelta(days=length - 1), end, "the period before")


def _months_before(day: date, months: int) -> date:
    """The same day ``months`` calendar months earlier (the month's last day at most)."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def period_for(
    kind: str, *, today: date, start: date | None = None, end: date | None = None
) -> Period:
    """This week, month or quarter up to ``today``, or a custom ``start``..``end``."""
    if kind == "custom" and start and end:
        return Period(start, end, gettext("Custom period"))
    if kind == "week":
        return Period(today - timedelta(days=today.weekday()), today, str(PERIODS["week"]))
    if kind == "quarter":
        first = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
        return Period(first, today, str(PERIODS["quarter"]), months_back=3)
    return Period(today.replace(day=1), today, str(PERIODS["month"]), months_back=1)


@dataclass
class Scope:
    """Whom the dashboard counts: the people (for the funnel and the tables that read
    per person) and the rollup rows that hold the same people's statements."""

    people: QuerySet[User]
    rollups: QuerySet[Rollup]
    whole_programme: bool  # a programme admin, before the filters
    teams: list[int] | None  # a manager's teams; None for a programme admin
    everyone: bool = False  # the whole programme, nothing filtered
    # The filters as conditions on rollup rows, by dimension (a manager's teams: "team").
    conditions: dict[str, Q] = field(default_factory=dict)

    @property
    def statements(self) -> QuerySet[Rollup]:
        """The rollup rows of ledger statements alone (no ``tallies`` facts)."""
        return self.rollups.exclude(measures("#"))

    def rollups_by(self, dimension: str) -> QuerySet[Rollup]:
        """Rollup rows of the same people that tell ``dimension`` (department, team...)
        apart: that dimension's grain when nothing else is filtered, all four otherwise."""
        grain = GRAINS[dimension] if set(self.conditions) <= {dimension} else Grain.GROUP
        rows = Rollup.objects.filter(grain=grain)
        for condition in self.conditions.values():
            rows = rows.filter(condition)
        return rows

    @property
    def narrowing(self) -> QuerySet[User] | None:
        """The people to narrow per-person tables to; None for the whole programme, whose
        figures (like its rollups) count everyone's rows, people who left included."""
        return None if self.everyone else self.people


def of_people(rows, people: QuerySet[User] | None, field: str = "user") -> QuerySet:
    """``rows`` (a manager or queryset) narrowed to those of ``people`` through ``field``;
    None: all of them."""
    rows = rows.all()
    return rows if people is None else rows.filter(**{f"{field}__in": people})


FILTERS = ("department", "team", "location", "job_role")
GRAINS = {"department": Grain.DEPARTMENT, "team": Grain.TEAM, "location": Grain.LOCATION,
          "job_role": Grain.JOB_ROLE}  # fmt: skip


def scope_for(*, viewer: User, filters: dict) -> Scope | None:
    """The viewer's scope narrowed by ``filters`` (department and team ids, location and
    job role texts, matched without case); None if they may not see the dashboard."""
    admin = is_programme_admin(viewer)
    teams = None if admin else list(managed_teams(user=viewer).values_list("pk", flat=True))
    if teams == []:
        return None  # neither a programme admin nor a manager
    return scope_of(teams=teams, filters=filters)


def scope_of(*, teams: list[int] | None, filters: dict | None = None) -> Scope:
    """The people of ``teams`` (None: the whole programme, as a programme admin sees it)
    narrowed by ``filters``."""
    filters = filters or {}
    admin = teams is None
    people = User.objects.filter(is_active=True)
    conditions: dict[str, Q] = {}
    if teams is not None:
        # The team ids themselves, not the permission query: every per-person query of
        # the page nests this one, and a list of ids plans well everywhere.
        people = people.filter(profile__team_id__in=teams)
        conditions["team"] = Q(team__in=teams)
    if filters.get("department"):
        people = people.filter(profile__department_id=filters["department"])
        conditions["department"] = Q(department=filters["department"])
    if filters.get("team"):
        people = people.filter(profile__team_id=filters["team"])
        conditions["team"] = conditions.get("team", Q()) & Q(team=filters["team"])
    for text in ("location", "job_role"):
        if filters.get(text):
            value = filters[text].strip()
            people = people.filter(**{f"profile__{text}__iexact": value})
            conditions[text] = Q(**{text: value.lower()})
    # The coarsest grain that answers: one row per day and measure when nothing is
    # filtered, the filter's own grain for one dimension, all four together otherwise.
    if not conditions:
        grain = Grain.PROGRAMME
    elif len(conditions) == 1:
        grain = GRAINS[next(iter(conditions))]
    else:
        grain = Grain.GROUP
    rollups = Rollup.objects.filter(grain=grain)
    for condition in conditions.values():
        rollups = rollups.filter(condition)
    return Scope(people=people, rollups=rollups, whole_programme=admin, teams=teams,
                 everyone=grain == Grain.PROGRAMME, conditions=conditions)  # fmt: skip


def whole_programme() -> Scope:
    """The whole programme, unfiltered, as a programme admin's page sees it (the monthly
    summary's scope)."""
    return Scope(
        people=User.objects.filter(is_active=True),
        rollups=Rollup.objects.filter(grain=Grain.PROGRAMME),
        whole_programme=True,
        teams=None,
        everyone=True,
    )


@dataclass(frozen=True)
class Step:
    label: str
    count: int
    new: int  # reached it during the period
    previous: int  # reached it by the end of the period before
    conversion: int | None  # percent of the step before


@dataclass
class Funnel:
    people: int
    steps: list[Step] = field(default_factory=list)
    active_30_days: int = 0
    median_days_to_first_share: float | None = None

    @property
    def hidden(self) -> bool:
        return self.people < MIN_GROUP


def _column(step: str) -> str:
    return "date_joined" if step == "invited_at" else f"milestones__{step}"


def _reached(columns: list[str], *, before: datetime) -> Q:
    """Reached a step, or any later one (a later step implies the earlier ones: someone
    imported with history, or onboarded in a session the funnel did not see, still
    passed through them), before a moment."""
    reached = Q()
    for column in columns:
        reached |= Q(**{f"{column}__lt": before})
    return reached


GROUPINGS = {
    "department": gettext_lazy("department"),
    "team": gettext_lazy("team"),
    "cohort": gettext_lazy("cohort (the wave people were invited in, or the month they joined)"),
}
# A cohort is no rollup dimension: the funnel by cohort groups the people themselves.
_COHORT_KEYS = {"cohort": F("profile__cohort"),
                "joined": TruncMonth("date_joined", output_field=DateField())}  # fmt: skip


def _funnel_row(figures: dict[str, dict[str, int]]) -> dict:
    """A row of ``funnel_counts`` from measure -> {"by", "new", "before"} sums."""
    row = {"people": figures.get("#funnel:people", {}).get("by", 0)}
    for name, _ in STEPS:
        sums = figures.get(f"#funnel:{name}", {})
        for when in ("by", "new", "before"):
            row[f"{name}:{when}"] = sums.get(when, 0)
    return row


def funnel_counts(*, scope: Scope, period: Period, by: str | None = None) -> list[dict]:
    """For each step, how many people in ``scope`` reached it (or a later one) by the end
    of ``period``, during it, and by the end of the period before; how many were invited
    by the end (``people``): from the rollups' funnel facts (``tallies``), one grouped
    query. One row per group of ``by`` (a key of
    ``GROUPINGS``), or one row for everyone. ``funnel`` sums the rows, ``funnel_by``
    shows them: the page reads them once for both. Cohorts are no rollup dimension: they
    are counted from the people themselves."""
    if by == "cohort":
        return _cohort_counts(people=scope.people, period=period)
    dimension = {"department": "department", "team": "team"}.get(by or "")
    rollups = scope.rollups if dimension is None else scope.rollups_by(dimension)
    before = period.previous().end
    grouped = (
        rollups.filter(measures("#funnel:"), day__lte=period.end)
        .exclude(measure="#funnel:active")
        .values_list(*([dimension] if dimension else []), "measure")
        .annotate(
            by=Sum("statements"),
            new=Sum("statements", filter=Q(day__gte=period.start)),
            before=Sum("statements", filter=Q(day__lte=before)),
        )
        .order_by()
    )
    groups: dict = {}
    for *key, measure, reached, new, earlier in grouped:
        groups.setdefault(tuple(key), {})[measure] = {
            "by": reached or 0,
            "new": new or 0,
            "before": earlier or 0,
        }
    if dimension is None:
        return [_funnel_row(groups.get((), {}))]
    rows = [{dimension: key[0], **_funnel_row(figures)} for key, figures in groups.items()]
    return _named(dimension, rows)


def _named(dimension: str, rows: list[dict]) -> list[dict]:
    """Rows keyed by department or team id, with the names ``_group_name`` shows."""
    ids = [row[dimension] for row in rows]
    if dimension == "department":
        names = dict(Department.objects.filter(pk__in=ids).values_list("pk", "name"))
        for row in rows:
            row["department"] = names.get(row["department"])
        return rows
    teams = {
        pk: (name, department)
        for pk, name, department in Team.objects.filter(pk__in=ids).values_list(
            "pk", "name", "department__name"
        )
    }
    for row in rows:
        row["team"], row["team_department"] = teams.get(row["team"], (None, None))
    return rows


def _cohort_counts(*, people: QuerySet[User], period: Period) -> list[dict]:
    """``funnel_counts`` by cohort, from the people (one pass)."""
    end, start, before = period.end_at, period.start_at, period.previous().end_at
    counts = {"people": Count("pk", filter=Q(date_joined__lt=end))}
    for index, (name, _) in enumerate(STEPS):
        later = [_column(step) for step, _ in STEPS[index:]]
        counts[f"{name}:by"] = Count("pk", filter=_reached(later, before=end))
        counts[f"{name}:new"] = Count(
            "pk", filter=_reached(later, before=end) & ~_reached(later, before=start)
        )
        counts[f"{name}:before"] = Count("pk", filter=_reached(later, before=before))
    return list(people.values(**_COHORT_KEYS).annotate(**counts).order_by())


def histogram_median(counts: dict[int, int]) -> tuple[int, float | None]:
    """How many values a histogram (value -> how many) holds, and their median."""
    total = sum(counts.values())
    if not total:
        return 0, None
    wanted = {(total - 1) // 2, total // 2}
    middle, seen = [], 0
    for value, many in sorted(counts.items()):
        for position in sorted(wanted):
            if seen <= position < seen + many:
                middle.append(value)
        seen += many
    return total, sum(middle) / len(middle)


def histogram(figures: dict[str, tuple[int, int]], prefix: str) -> dict[int, int]:
    """value -> count of the measures ``<prefix><value>`` in ``figures``."""
    return {
        int(measure[len(prefix) :]): statements
        for measure, (statements, _) in figures.items()
        if measure.startswith(prefix) and measure[len(prefix) :].lstrip("-").isdigit()
    }


def funnel(*, scope: Scope, period: Period, counts: list[dict] | None = None) -> Funnel:
    """The recruitment funnel of ``scope``, by the end of ``period``, from
    ``funnel_counts`` (made here unless given). A step counts everyone who reached it or
    a later one, so each step holds the next."""
    rows = counts if counts is not None else funnel_counts(scope=scope, period=period)
    keys = ["people", *(f"{name}:{when}" for name, _ in STEPS for when in ("by", "new", "before"))]
    figures = {key: sum(row[key] or 0 for row in rows) for key in keys}
    invited = figures["invited_at:by"]
    result = Funnel(people=invited, active_30_days=funnel_now(scope.rollups, "active"))
    if result.hidden:
        return result
    previous_count = None
    for name, label in STEPS:
        count_ = figures[f"{name}:by"]
        conversion = (
            (round(100 * count_ / previous_count) if previous_count else None)
            if previous_count is not None
            else None
        )
        result.steps.append(
            Step(str(label), count_, figures[f"{name}:new"], figures[f"{name}:before"], conversion)
        )
        previous_count = count_
    waits = totals(scope.rollups.filter(measures("#wait.share:")),
                   Period(date.min, period.end, ""))  # fmt: skip
    _, wait = histogram_median(histogram(waits, "#wait.share:"))
    result.median_days_to_first_share = round(wait, 1) if wait is not None else None
    return result


@dataclass(frozen=True)
class GroupRow:
    name: str
    people: int
    steps: list[int]


def _group_name(by: str, row: dict) -> str:
    if by == "department":
        return row["department"] or gettext("No department")
    if by == "team":
        return f"{row['team']} ({row['team_department']})" if row["team"] else gettext("No team")
    if row["cohort"]:
        return row["cohort"]
    if row["joined"]:
        return gettext("Joined %(month)s") % {"month": date_format(row["joined"], "F Y")}
    return gettext("Unknown")


def funnel_by(
    *, scope: Scope, period: Period, by: str, counts: list[dict] | None = None
) -> tuple[list[GroupRow], int]:
    """Each group's step counts by the end of ``period`` (``by``: department, team or
    cohort; from ``funnel_counts`` grouped so, made here unless given); groups of fewer
    than ``MIN_GROUP`` people merge into one row. Returns the rows and how many people
    are in groups too small to show even merged."""
    grouped = counts if counts is not None else funnel_counts(scope=scope, period=period, by=by)
    merged_rows: dict[str, dict] = {}
    for row in grouped:
        name = _group_name(by, row)
        into = merged_rows.setdefault(name, {"people": 0, **{n: 0 for n, _ in STEPS}})
        into["people"] += row["people"]
        for step, _ in STEPS:
            into[step] += row[f"{step}:by"]
    shown: list[tuple[str, dict]] = []
    small: list[tuple[str, dict]] = []
    for name, row in sorted(merged_rows.items()):
        if row["people"]:
            (shown if row["people"] >= MIN_GROUP else small).append((name, row))
    result = [GroupRow(name, row["people"], [row[n] for n, _ in STEPS]) for name, row in shown]
    merged = sum(row["people"] for _, row in small)
    if merged >= MIN_GROUP:
        result.append(
            GroupRow(
                gettext("Smaller groups (each under %(count)s people)") % {"count": MIN_GROUP},
                merged,
                [sum(row[n] for _, row in small) for n, _ in STEPS],
            )
        )
        merged = 0
    return result, merged


def departments_in(scope: Scope) -> QuerySet[Department]:
    """The departments to pick from: all of them for a programme admin (read from their
    own table, not through everyone's profile), those of a manager's teams' members."""
    if scope.teams is None:
        return Department.objects.order_by("name")
    return Department.objects.filter(members__team__in=scope.teams).distinct().order_by("name")


MAX_TEAM_CHOICES = 500


def team_choices(scope: Scope, *, department: int | None) -> list[Team] | None:
    """The teams to pick from: a manager's, or for a programme admin the chosen
    department's, or all when there are at most ``MAX_TEAM_CHOICES``; None when there
    are more (pick a department first)."""
    teams = Team.objects.all() if scope.teams is None else Team.objects.filter(pk__in=scope.teams)
    if department:
        teams = teams.filter(department_id=department)
    if teams.count() > MAX_TEAM_CHOICES:
        return None
    return list(teams.select_related("department").order_by("department__name", "name"))


@dataclass
class Reach:
    shares: int
    by_network: list[tuple[str, int]]
    clicks: int  # unique human readers, once a day each
    previews: int  # link-preview fetchers and bots, apart
    conversions: int
    own: int  # shares of our own content
    curated: int  # shares of others' content
    top_by_clicks: list[tuple[str, int]]
    top_by_quality: list[tuple[str, int]]
    value: Decimal
    formula: str
    currency: str

    @property
    def clicks_per_share(self) -> float | None:
        return round(self.clicks / self.shares, 1) if self.shares else None

    @property
    def conversion_rate(self) -> float | None:
        return round(100 * self.conversions / self.clicks, 1) if self.clicks else None


def earned_media_value(
    *, clicks: int, shares_by_network: dict[str, int], settings: MeasurementSettings
) -> tuple[Decimal, str]:
    """clicks x cost per click, plus, for each network with an impressions estimate,
    shares x impressions per share / 1000 x cost per thousand impressions; and the
    formula with the figures in it."""
    value = clicks * settings.cost_per_click
    terms = [f"{clicks:,} clicks x {settings.cost_per_click} per click"]
    labels = dict(Network.choices)
    for network, (impressions, cpm) in settings.impressions_pricing().items():
        shares = shares_by_network.get(network, 0)
        value += Decimal(shares * impressions) / 1000 * cpm
        terms.append(
            f"{shares:,} {labels[network]} shares x {impressions:,} impressions / 1,000 x {cpm}"
        )
    value = value.quantize(Decimal("0.01"))
    return value, " + ".join(terms) + f" = {value:,} {settings.currency}"


def totals(rollups: QuerySet[Rollup], period: Period) -> dict[str, tuple[int, int]]:
    """measure -> (statements, points) over the period (one grouped query)."""
    return {
        measure: (statements or 0, points or 0)
        for measure, statements, points in rollups.filter(
            day__gte=period.start, day__lte=period.end
        )
        .values_list("measure")
        .annotate(statements=Sum("statements"), points=Sum("points"))
        .order_by()
    }


def measures(prefix: str) -> Q:
    """Rollup rows whose measure begins with ``prefix``, as a range of values, which the
    ``rollup_measure_day`` index serves (SQLite's LIKE, case-insensitive, cannot)."""
    return Q(measure__gte=prefix, measure__lt=prefix[:-1] + chr(ord(prefix[-1]) + 1))


def funnel_now(rollups: QuerySet[Rollup], step: str) -> int:
    """How many people have reached a step of the funnel (or a later one) by today;
    ``step`` "active": how many were active in the last 30 days."""
    today = timezone.localdate()
    since = today - timedelta(days=29) if step == "active" else date.min
    return count(totals(rollups.filter(measure=f"#funnel:{step}"), Period(since, today, "")),
                 f"#funnel:{step}")  # fmt: skip


def count(figures: dict, measure: str) -> int:
    return figures.get(measure, (0, 0))[0]


def reach(*, scope: Scope, period: Period, tops: bool = True) -> Reach:
    """What the shares of the people in ``scope`` achieved in ``period``, all from the
    daily rollups: shares, readers and conversions from the ledger's statements; link
    previews, which are no one's statement, from facts (``#previews``); and, with
    ``tops``, the content whose shares made in the period brought most readers and had
    the best quality (facts, ``#item``; without: the totals only, for the period
    before)."""
    figures = totals(
        scope.rollups.filter(
            Q(measure__in=[CONTENT_SHARED.id, SHARE_CLICKED.id, SHARE_CONVERTED.id])
            | Q(measure__startswith=f"{CONTENT_SHARED.id}:")
            | Q(measure__startswith=f"{CONTENT_SHARED.id}.kind:")
        ),
        period,
    )
    labels = dict(Network.choices)
    by_network = {
        measure.split(":", 1)[1]: statements
        for measure, (statements, _) in figures.items()
        if measure.startswith(f"{CONTENT_SHARED.id}:")
    }
    previews = count(totals(scope.rollups.filter(measure="#previews"), period), "#previews")
    top_by_clicks: list[tuple[str, int]] = []
    top_by_quality: list[tuple[str, int]] = []
    if tops:
        # Per content item, from the shares made in the period: their readers, and their
        # quality summed (each share a count) for the average.
        made: dict[int, list[int]] = {}
        for measure, (shares_made, amount) in totals(
            scope.rollups.filter(measures("#item")), period
        ).items():
            kind, item = measure.split(":")
            row = made.setdefault(int(item), [0, 0, 0])  # shares, readers, quality
            if kind == "#item":
                row[0], row[1] = shares_made, amount
            else:
                row[2] = amount
        titles = dict(ContentItem.objects.filter(pk__in=list(made)).values_list("pk", "title"))
        items = [
            (titles[pk], readers, quality / shares_made)
            for pk, (shares_made, readers, quality) in made.items()
            if pk in titles and shares_made
        ]
        top_by_clicks = [
            (title, readers)
            for title, readers, _ in sorted(items, key=lambda row: (-(row[1] or 0), row[0]))[:5]
            if readers
        ]
        top_by_quality = [
            (title, round(quality))
            for title, _, quality in sorted(items, key=lambda row: (-(row[2] or 0), row[0]))[:5]
        ]
    settings = MeasurementSettings.load()
    clicks = count(figures, SHARE_CLICKED.id)
    value, formula = earned_media_value(
        clicks=clicks, shares_by_network=by_network, settings=settings
    )
    return Reach(
        shares=count(figures, CONTENT_SHARED.id),
        by_network=[
            (str(labels.get(network, network)), shares_made)
            for network, shares_made in sorted(by_network.items())
        ],
        clicks=clicks,
        previews=previews,
        conversions=count(figures, SHARE_CONVERTED.id),
        own=count(figures, f"{CONTENT_SHARED.id}.kind:{Kind.OWN}"),
        curated=count(figures, f"{CONTENT_SHARED.id}.kind:{Kind.CURATED}"),
        top_by_clicks=top_by_clicks,
        top_by_quality=top_by_quality,
        value=value,
        formula=formula,
        currency=settings.currency,
    )
