"""The programme's objectives and their KPI targets, with the programme's progress toward
each: people counts from the funnel's facts, events from the statements, both in the
programme-wide rollups."""

import calendar
from dataclasses import dataclass
from datetime import date

from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext

from courses.selectors import purpose_published
from portal.activity import verbs
from portal.sharing.quality import QUALITY_SHARE_STEP

from .charts import Chart
from .models import PEOPLE_KPIS, Grain, Kpi, Rollup, Target
from .selectors import Period, funnel_now
from .tables import Link, Section, Table

EVENT_MEASURES = {
    Kpi.SHARES: verbs.CONTENT_SHARED.id,
    Kpi.CLICKS: verbs.SHARE_CLICKED.id,
    Kpi.CONVERSIONS: verbs.SHARE_CONVERTED.id,
    Kpi.QUALITY: f"{verbs.SHARE_QUALITY.id}:{QUALITY_SHARE_STEP}",
    Kpi.COURSES: verbs.COURSE_COMPLETED.id,
}


@dataclass(frozen=True)
class Progress:
    target: Target
    now: int
    expected: int  # where a steady pace would be today
    ends: date | None

    @property
    def percent(self) -> int:
        return min(999, round(100 * self.now / self.target.value))

    @property
    def status(self) -> str:
        if self.now >= self.target.value:
            return "met"
        if self.ends and self.ends < timezone.localdate():
            return "missed"
        return "on track" if self.now >= self.expected else "behind"

    @property
    def status_label(self) -> str:
        """The status in the reader's words (``status`` is the stable key and CSS class)."""
        return {
            "met": gettext("met"),
            "missed": gettext("missed"),
            "on track": gettext("on track"),
            "behind": gettext("behind"),
        }[self.status]


PEOPLE_STEPS = {
    Kpi.ACTIVE: "active",
    Kpi.ONBOARDED: "onboarded_at",
    Kpi.UNLOCKED: "sharing_unlocked_at",
    Kpi.SHARERS: "first_share_at",
}


def people_now(kpi: str) -> int:
    """A people KPI for the whole programme, today, from the funnel's facts: the people
    here who reached the step (or a later one), or were active in the last 30 days."""
    return funnel_now(Rollup.objects.filter(grain=Grain.PROGRAMME), PEOPLE_STEPS[Kpi(kpi)])


def events_between(kpi: str, first: date, last: date) -> int:
    return (
        Rollup.objects.filter(
            grain=Grain.PROGRAMME, measure=EVENT_MEASURES[Kpi(kpi)], day__gte=first, day__lte=last
        ).aggregate(total=Sum("statements"))["total"]
        or 0
    )


def progress(target: Target, *, today: date) -> Progress:
    if target.cadence == Target.Cadence.MONTHLY:
        first = today.replace(day=1)
        days = calendar.monthrange(today.year, today.month)[1]
        month_end = first.replace(day=days)
        if target.kpi in PEOPLE_KPIS:
            return Progress(target, people_now(target.kpi), target.value, month_end)
        expected = round(target.value * today.day / days)
        return Progress(target, events_between(target.kpi, first, today), expected, None)
    ends: date | None = target.due
    now = (
        people_now(target.kpi)
        if target.kpi in PEOPLE_KPIS
        else events_between(target.kpi, target.starts, min(today, ends or today))
    )
    length = max(1, ((ends or today) - target.starts).days)
    elapsed = min(length, max(0, (today - target.starts).days))
    return Progress(target, now, round(target.value * elapsed / length), ends)


def objectives() -> list[str]:
    published = purpose_published()
    return published.published_objective_list() if published else []


def section(*, period: Period) -> Section:
    today = timezone.localdate()
    targets = list(Target.objects.all())
    listed = objectives()
    table = Table(
        "objectives",
        gettext("Objectives and targets: the whole programme, today"),
        [
            gettext("Objective"),
            "KPI",
            gettext("Target"),
            gettext("When"),
            gettext("Now"),
            gettext("Progress (%)"),
            gettext("Status"),
        ],
    )
    progresses = [progress(target, today=today) for target in targets]
    for item in progresses:
        target = item.target
        when = (
            gettext("every month")
            if target.cadence == Target.Cadence.MONTHLY
            else gettext("by %(date)s") % {"date": date_format(target.due, "j M Y")}
            if target.due
            else ""
        )
        table.rows.append([target.objective, target.get_kpi_display(), target.value, when,
                           item.now, item.percent, item.status_label])  # fmt: skip
    without = [objective for objective in listed if objective not in {t.objective for t in targets}]
    if without:
        table.note = gettext("No target yet for: %(objectives)s.") % {
            "objectives": "; ".join(without)
        }
    section = Section(
        "objectives",
        gettext("Objectives"),
        gettext(
            "The objectives published by the purpose workshop, with the targets programme admins "
            "set for them."
        ),
        tables=[table],
        action=Link(admin_url(), gettext("Set the targets")),
    )
    if progresses:
        section.charts.append(_bars(progresses))
    return section


def _bars(progresses: list[Progress]) -> Chart:
    return Chart(gettext("Progress toward each target"), format_html(
        '<ul class="target-bars" aria-hidden="true">{}</ul>',
        format_html_join(
            "",
            '<li><span class="target-label">{}</span>'
            '<meter class="hbar-meter target-{}" min="0" max="100" value="{}"></meter>'
            '<span class="target-figure">{}</span></li>',
            (
                (str(item.target), item.status.replace(" ", "-"), min(100, item.percent),
                 gettext("%(now)s of %(target)s (%(percent)s%%), %(status)s") % {
                     "now": number_format(item.now, force_grouping=True),
                     "target": number_format(item.target.value, force_grouping=True),
                     "percent": item.percent, "status": item.status_label})
                for item in progresses
            ),
        ),
    ))  # fmt: skip


def admin_url() -> str:
    return reverse("wagtailsnippets_measurement_target:list")
