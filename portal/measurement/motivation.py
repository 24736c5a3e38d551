"""The dashboard's motivation figures and trends, read from the daily rollups (never the
ledger), and the mentoring and recognition budget figures read from their own tables."""

from datetime import date, timedelta

from django.db.models import Count, Q, Sum
from django.utils.formats import date_format
from django.utils.translation import gettext, gettext_lazy, ngettext

from portal.activity import verbs
from portal.activity.selectors import levels
from portal.mentoring.models import CheckIn, Goal, Pairing
from portal.people.models import User
from portal.people.privacy import MIN_GROUP
from portal.recognition.models import Allowance, RecognitionSettings

from .selectors import Period, Scope, count, of_people, totals
from .tables import Table, span

# What a trend can show: (measure, what it counts, statements or points).
TRENDS = {
    "shares": (verbs.CONTENT_SHARED.id, gettext_lazy("Shares"), "statements"),
    "clicks": (verbs.SHARE_CLICKED.id, gettext_lazy("Unique readers (clicks)"), "statements"),
    "training": (verbs.LESSON_COMPLETED.id, gettext_lazy("Lessons completed"), "statements"),
    "points": ("", gettext_lazy("Points awarded"), "points"),
}


def points_awarded(figures: dict) -> int:
    """Points of every verb but adjustments (the verb rows, not the detail rows)."""
    return sum(
        points
        for measure, (_, points) in figures.items()
        if ":" not in measure and measure != verbs.POINTS_ADJUSTED.id and points > 0
    )


def motivation_table(*, scope: Scope, period: Period) -> Table:
    now, before = totals(scope.statements, period), totals(scope.statements, period.previous())
    rows = []

    def add(label, measure=None, *, value=None, previous=None):
        if measure is not None:
            value, previous = count(now, measure), count(before, measure)
        rows.append([label, value, previous])

    add(gettext("Points awarded"), value=points_awarded(now), previous=points_awarded(before))
    adjusted = (now.get(verbs.POINTS_ADJUSTED.id, (0, 0))[1],
                before.get(verbs.POINTS_ADJUSTED.id, (0, 0))[1])  # fmt: skip
    if any(adjusted):
        add(gettext("Points adjusted by admins"), value=adjusted[0], previous=adjusted[1])
    add(gettext("Badges earned"), verbs.BADGE_EARNED.id)
    add(gettext("Badges revoked"), verbs.BADGE_REVOKED.id)
    add(gettext("Levels reached"), verbs.LEVEL_REACHED.id)
    for level in levels().levels:
        measure = f"{verbs.LEVEL_REACHED.id}:{level.name[:40]}"
        if count(now, measure) or count(before, measure):
            add(gettext("· reached %(level)s") % {"level": level.name}, measure)
    add(gettext("Recognitions from managers"), f"{verbs.RECOGNITION_RECEIVED.id}:recognition")
    add(gettext("Kudos between colleagues"), f"{verbs.RECOGNITION_RECEIVED.id}:kudos")
    add(gettext("Mentoring check-ins recorded"), verbs.MENTORING_CHECKIN.id)
    add(gettext("Workshop contributions"), verbs.WORKSHOP_CONTRIBUTED.id)
    return Table(
        "motivation",
        gettext("Recognition and rewards, %(span)s") % {"span": span(period.start, period.end)},
        [gettext("Figure"), gettext("In the period"), gettext("In the period before")],
        rows,
    )


def budget_table(*, scope: Scope, period: Period, viewer: User) -> Table:
    """Managers' recognition budgets: points given of points available in the months the
    period touches. A manager sees their own budget; a programme admin all managers',
    together, when there are at least ``MIN_GROUP`` of them."""
    months = _months(period)
    config = RecognitionSettings.load()
    if scope.teams is not None:
        managers = [viewer.pk]
        caption = gettext("Your recognition budget")
    else:
        managers = list(
            User.objects.filter(managed_teams__isnull=False, is_active=True)
            .distinct()
            .values_list("pk", flat=True)
        )
        caption = gettext("Managers' recognition budgets, all together")
    table = Table("budgets", caption, [gettext("Figure"), gettext("Points")])
    if scope.teams is None and len(managers) < MIN_GROUP:
        table.note = gettext("Hidden: fewer than %(min)s managers hold a budget.") % {
            "min": MIN_GROUP
        }
        return table
    used = (
        Allowance.objects.filter(user_id__in=managers, limit="budget", period__in=months).aggregate(
            used=Sum("used")
        )["used"]
        or 0
    )
    available = len(managers) * len(months) * config.monthly_budget
    share = f"{round(100 * used / available)}%" if available else "-"
    table.rows = [
        [gettext("Given in recognition"), used],
        [gettext("Available"), available],
        [gettext("Used"), share],
    ]
    table.note = (
        " x ".join(
            [
                ngettext("%(count)s manager", "%(count)s managers", len(managers))
                % {"count": len(managers)},
                ngettext("%(count)s month", "%(count)s months", len(months))
                % {"count": len(months)},
                gettext("%(points)s points a month") % {"points": config.monthly_budget},
            ]
        )
        + "."
    )
    return table


def _months(period: Period) -> list[date]:
    months, month = [], period.start.replace(day=1)
    while month <= period.end:
        months.append(month)
        month = (month + timedelta(days=32)).replace(day=1)
    return months


def mentoring_table(*, scope: Scope, period: Period) -> Table:
    """Mentoring coverage. For the whole programme, the rows are read without a list of
    people: a leaver's pairings end when they leave, and their past check-ins and goals
    count, as their statements do."""
    everyone = scope.people.count()
    pairings = of_people(Pairing.objects, scope.narrowing, "mentee")
    mentored = pairings.filter(status=Pairing.Status.ACTIVE).values("mentee").distinct().count()
    inside = Q(created_at__gte=period.start_at, created_at__lt=period.end_at)
    checkins = of_people(CheckIn.objects, scope.narrowing, "pairing__mentee").filter(inside).count()
    goals = of_people(Goal.objects, scope.narrowing, "pairing__mentee").aggregate(
        set_=Count("pk", filter=inside),
        met=Count("pk", filter=Q(done_at__gte=period.start_at, done_at__lt=period.end_at)),
    )
    share = (
        " ("
        + gettext("%(percent)s%% of %(count)s")
        % {"percent": round(100 * mentored / everyone), "count": everyone}
        + ")"
        if everyone
        else ""
    )
    return Table(
        "mentoring",
        gettext("Mentoring coverage"),
        [gettext("Figure"), gettext("Count")],
        [
            [gettext("People with a mentor now"), f"{mentored}{share}"],
            [gettext("Check-ins held in the period"), checkins],
            [gettext("Goals set in the period"), goals["set_"]],
            [gettext("Goals met in the period"), goals["met"]],
        ],
    )


def buckets(period: Period) -> tuple[str, list[tuple[date, date]]]:
    """The trend's buckets: days for up to 31 days, weeks (from Monday) up to 26 weeks,
    months beyond."""
    days = (period.end - period.start).days + 1
    if days <= 31:
        return "day", [(period.start + timedelta(d),) * 2 for d in range(days)]
    if days <= 26 * 7:
        first = period.start - timedelta(days=period.start.weekday())
        spans = []
        while first <= period.end:
            spans.append((max(first, period.start), min(first + timedelta(days=6), period.end)))
            first += timedelta(days=7)
        return "week", spans
    return "month", [
        (max(month, period.start),
         min((month + timedelta(days=32)).replace(day=1) - timedelta(days=1), period.end))
        for month in _months(period)
    ]  # fmt: skip


def trend_table(*, scope: Scope, period: Period) -> Table:
    """Shares, readers, lessons and points per day, week or month of the period (one
    query, a row a day)."""
    size, spans = buckets(period)
    sums = {
        key: Sum("statements", filter=Q(measure=measure))
        for key, (measure, _, _) in TRENDS.items()
        if measure
    }
    sums["points"] = Sum("points", filter=Q(points__gt=0) & ~Q(measure=verbs.POINTS_ADJUSTED.id))
    by_day: dict[date, dict[str, int]] = {}
    for day_sums in (
        scope.statements.filter(day__gte=period.start, day__lte=period.end)
        .filter(~Q(measure__contains=":"))
        .values("day")
        .annotate(**sums)
        .order_by()
    ):
        by_day[day_sums["day"]] = {
            measure or key: day_sums[key] or 0 for key, (measure, _, _) in TRENDS.items()
        }
    rows = []
    for first, last in spans:
        row: list = [_span_label(size, first, last)]
        for key, (measure, _, _) in TRENDS.items():
            row.append(
                sum(
                    by_day.get(first + timedelta(d), {}).get(measure or key, 0)
                    for d in range((last - first).days + 1)
                )
            )
        rows.append(row)
    return Table(
        "trend",
        {
            "day": gettext("Per day, %(span)s"),
            "week": gettext("Per week, %(span)s"),
            "month": gettext("Per month, %(span)s"),
        }[size]
        % {"span": span(period.start, period.end)},
        [
            {"day": gettext("Day"), "week": gettext("Week from"), "month": gettext("Month")}[size],
            *(str(label) for _, label, _ in TRENDS.values()),
        ],
        rows,
    )


def _span_label(size: str, first: date, last: date) -> str:
    if size in ("day", "week"):  # a week by its first day
        return date_format(first, "j M")
    return date_format(first, "M Y")
