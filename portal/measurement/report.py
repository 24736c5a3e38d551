"""The programme dashboard as sections of tables (and the charts drawn from them), for
the page, its CSV downloads and the monthly summary email alike."""

from dataclasses import dataclass

from portal.people.models import User
from portal.people.privacy import MIN_GROUP

from . import charts, motivation, objectives, selectors, training
from .models import STEPS
from .selectors import Funnel, Period, Reach, Scope
from .tables import Section, Table, change


@dataclass
class Report:
    scope: Scope
    period: Period
    funnel: Funnel
    sections: list[Section]

    def table(self, slug: str) -> Table | None:
        return next(
            (table for section in self.sections for table in section.tables if table.slug == slug),
            None,
        )


def funnel_section(
    funnel: Funnel, *, scope: Scope, period: Period, by: str, counts: list[dict]
) -> Section:
    section = Section(
        "funnel",
        "Recruitment funnel",
        "A step counts everyone who reached it or a later one, so each step holds the next.",
    )
    section.tables.append(
        Table(
            "funnel",
            f"People who reached each step by {period.end:%d %b %Y}, of {funnel.people} invited",
            [
                "Step",
                "People",
                "Of the step before",
                "New in the period",
                "By the end of the period before",
            ],
            [
                [
                    step.label,
                    step.count,
                    f"{step.conversion}%" if step.conversion is not None else "",
                    step.new,
                    step.previous,
                ]
                for step in funnel.steps
            ],
        )
    )
    section.charts.append(
        charts.hbars(
            [(step.label, step.count) for step in funnel.steps],
            title="People at each step of the funnel",
        )
    )
    waits = Table(
        "funnel-figures",
        "Activity and time to first share",
        ["Figure", "Value"],
        [["Active in the last 30 days (did something themselves)", funnel.active_30_days]],
    )
    if funnel.median_days_to_first_share is not None:
        waits.rows.append(
            ["Median days from invitation to first share", funnel.median_days_to_first_share]
        )
    section.tables.append(waits)
    rows, unshown = selectors.funnel_by(scope=scope, period=period, by=by, counts=counts)
    grouped = Table(
        f"funnel-by-{by}",
        f"By {selectors.GROUPINGS[by]}: people who reached each step by {period.end:%d %b %Y}",
        [by.capitalize(), "Invited", *(label for _, label in STEPS[1:])],
        [[row.name, *row.steps] for row in rows],
    )
    if unshown:
        grouped.note = (
            f"{unshown} {'person is' if unshown == 1 else 'people are'} in groups too small to "
            f"show, even together (each under {MIN_GROUP} people)."
        )
    section.tables.append(grouped)
    return section


def reach_section(now: Reach, before: Reach, period: Period) -> Section:
    section = Section(
        "reach",
        "Reach and results",
        "Readers are unique people, once a day each; link previews and bots are counted apart.",
    )
    figures = [
        ("Shares made", now.shares, before.shares),
        ("Unique readers (clicks)", now.clicks, before.clicks),
        ("Link previews (bots, apart)", now.previews, before.previews),
        (
            "Readers per share (readers / shares made in the period)",
            now.clicks_per_share,
            before.clicks_per_share,
        ),
        ("Conversions", now.conversions, before.conversions),
        ("Conversion rate (% of readers)", now.conversion_rate, before.conversion_rate),
        ("Shares of our own content", now.own, before.own),
        ("Shares of curated content", now.curated, before.curated),
        (f"Earned media value ({now.currency})", now.value, before.value),
    ]
    section.tables.append(
        Table(
            "reach",
            f"What shares achieved, {period.start:%d %b} to {period.end:%d %b %Y}",
            ["Figure", "In the period", "In the period before", "Change"],
            [
                [label, value, previous, change(value, previous)]
                for label, value, previous in figures
            ],
            note=f"Earned media value: {now.formula}. The 4-1-1 guideline asks for about "
            "two curated pieces for each of our own.",
        )
    )
    section.tables.append(
        Table(
            "networks",
            "Shares by network",
            ["Network", "Shares"],
            [[network, count] for network, count in now.by_network],
        )
    )
    section.tables.append(
        Table(
            "top-by-readers",
            "Top content by readers",
            ["Content", "Readers"],
            [[title, count] for title, count in now.top_by_clicks],
        )
    )
    section.tables.append(
        Table(
            "top-by-quality",
            "Top content by share quality",
            ["Content", "Average quality"],
            [[title, quality] for title, quality in now.top_by_quality],
        )
    )
    return section


def motivation_section(*, scope: Scope, period: Period, viewer: User) -> Section:
    section = Section("motivation", "Motivation")
    section.tables += [
        motivation.motivation_table(scope=scope, period=period),
        motivation.budget_table(scope=scope, period=period, viewer=viewer),
        motivation.mentoring_table(scope=scope, period=period),
    ]
    return section


def trends_section(*, scope: Scope, period: Period) -> Section:
    trend = motivation.trend_table(scope=scope, period=period)
    section = Section("trends", "Trends", tables=[trend])
    for index, (_, label, _) in enumerate(motivation.TRENDS.values(), start=1):
        points = [(row[0], row[index]) for row in trend.rows]
        if any(value for _, value in points):  # an empty chart says nothing the table does not
            section.charts.append(charts.bars(points, title=label))
    return section


def report(*, viewer: User, scope: Scope, period: Period, by: str = "department") -> Report:
    # The funnel's rollups are read once, grouped for its breakdown; the funnel sums them.
    counts = selectors.funnel_counts(scope=scope, period=period, by=by)
    funnel = selectors.funnel(scope=scope, period=period, counts=counts)
    sections = [objectives.section(period=period)]
    if funnel.hidden:
        why = (
            f"Fewer than {MIN_GROUP} people are in this selection, so no figures are shown: "
            "they would point at individuals."
        )
        sections += [
            Section(slug, title, hidden=why)
            for slug, title in (
                ("funnel", "Recruitment funnel"),
                ("reach", "Reach and results"),
                ("motivation", "Motivation"),
                ("trends", "Trends"),
                ("training", "Training"),
            )
        ]
        return Report(scope, period, funnel, sections)
    sections += [
        funnel_section(funnel, scope=scope, period=period, by=by, counts=counts),
        reach_section(
            selectors.reach(scope=scope, period=period),
            selectors.reach(scope=scope, period=period.previous(), tops=False),
            period,
        ),
        motivation_section(scope=scope, period=period, viewer=viewer),
        trends_section(scope=scope, period=period),
        training.section(scope=scope, period=period),
    ]
    return Report(scope, period, funnel, sections)
