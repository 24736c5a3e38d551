"""The programme dashboard as sections of tables (and the charts drawn from them), for
the page, its CSV downloads and the monthly summary email alike."""

from dataclasses import dataclass

from django.utils.translation import gettext, ngettext

from portal.people.models import User
from portal.people.privacy import MIN_GROUP

from . import charts, motivation, objectives, selectors, training
from .models import STEPS
from .selectors import Funnel, Period, Reach, Scope
from .tables import Section, Table, change, day, span


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
        gettext("Recruitment funnel"),
        gettext(
            "A step counts everyone who reached it or a later one, so each step holds the next."
        ),
    )
    section.tables.append(
        Table(
            "funnel",
            gettext("People who reached each step by %(day)s, of %(people)s invited")
            % {"day": day(period.end), "people": funnel.people},
            [
                gettext("Step"),
                gettext("People"),
                gettext("Of the step before"),
                gettext("New in the period"),
                gettext("By the end of the period before"),
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
            title=gettext("People at each step of the funnel"),
        )
    )
    waits = Table(
        "funnel-figures",
        gettext("Activity and time to first share"),
        [gettext("Figure"), gettext("Value")],
        [[gettext("Active in the last 30 days (did something themselves)"), funnel.active_30_days]],
    )
    if funnel.median_days_to_first_share is not None:
        waits.rows.append(
            [
                gettext("Median days from invitation to first share"),
                funnel.median_days_to_first_share,
            ]
        )
    section.tables.append(waits)
    rows, unshown = selectors.funnel_by(scope=scope, period=period, by=by, counts=counts)
    grouped = Table(
        f"funnel-by-{by}",
        gettext("By %(grouping)s: people who reached each step by %(day)s")
        % {"grouping": selectors.GROUPINGS[by], "day": day(period.end)},
        [
            str(selectors.GROUPINGS[by]).split(" (")[0].capitalize(),
            gettext("Invited"),
            *(str(label) for _, label in STEPS[1:]),
        ],
        [[row.name, *row.steps] for row in rows],
    )
    if unshown:
        grouped.note = ngettext(
            "%(count)s person is in groups too small to show, even together (each under "
            "%(min)s people).",
            "%(count)s people are in groups too small to show, even together (each under "
            "%(min)s people).",
            unshown,
        ) % {"count": unshown, "min": MIN_GROUP}
    section.tables.append(grouped)
    return section


def reach_section(now: Reach, before: Reach, period: Period) -> Section:
    section = Section(
        "reach",
        gettext("Reach and results"),
        gettext(
            "Readers are unique people, once a day each; link previews and bots are counted apart."
        ),
    )
    figures = [
        (gettext("Shares made"), now.shares, before.shares),
        (gettext("Unique readers (clicks)"), now.clicks, before.clicks),
        (gettext("Link previews (bots, apart)"), now.previews, before.previews),
        (
            gettext("Readers per share (readers / shares made in the period)"),
            now.clicks_per_share,
            before.clicks_per_share,
        ),
        (gettext("Conversions"), now.conversions, before.conversions),
        (gettext("Conversion rate (% of readers)"), now.conversion_rate, before.conversion_rate),
        (gettext("Shares of our own content"), now.own, before.own),
        (gettext("Shares of curated content"), now.curated, before.curated),
        (
            gettext("Earned media value (%(currency)s)") % {"currency": now.currency},
            now.value,
            before.value,
        ),
    ]
    section.tables.append(
        Table(
            "reach",
            gettext("What shares achieved, %(span)s") % {"span": span(period.start, period.end)},
            [
                gettext("Figure"),
                gettext("In the period"),
                gettext("In the period before"),
                gettext("Change"),
            ],
            [
                [label, value, previous, change(value, previous)]
                for label, value, previous in figures
            ],
            note=gettext(
                "Earned media value: %(formula)s. The 4-1-1 guideline asks for about two "
                "curated pieces for each of our own."
            )
            % {"formula": now.formula},
        )
    )
    section.tables.append(
        Table(
            "networks",
            gettext("Shares by network"),
            [gettext("Network"), gettext("Shares")],
            [[network, count] for network, count in now.by_network],
        )
    )
    section.tables.append(
        Table(
            "top-by-readers",
            gettext("Top content by readers"),
            [gettext("Content"), gettext("Readers")],
            [[title, count] for title, count in now.top_by_clicks],
        )
    )
    section.tables.append(
        Table(
            "top-by-quality",
            gettext("Top content by share quality"),
            [gettext("Content"), gettext("Average quality")],
            [[title, quality] for title, quality in now.top_by_quality],
        )
    )
    return section


def motivation_section(*, scope: Scope, period: Period, viewer: User) -> Section:
    section = Section("motivation", gettext("Motivation"))
    section.tables += [
        motivation.motivation_table(scope=scope, period=period),
        motivation.budget_table(scope=scope, period=period, viewer=viewer),
        motivation.mentoring_table(scope=scope, period=period),
    ]
    return section


def trends_section(*, scope: Scope, period: Period) -> Section:
    trend = motivation.trend_table(scope=scope, period=period)
    section = Section("trends", gettext("Trends"), tables=[trend])
    for index, (_, label, _) in enumerate(motivation.TRENDS.values(), start=1):
        points = [(row[0], row[index]) for row in trend.rows]
        if any(value for _, value in points):  # an empty chart says nothing the table does not
            section.charts.append(charts.bars(points, title=str(label)))
    return section


def report(*, viewer: User, scope: Scope, period: Period, by: str = "department") -> Report:
    # The funnel's rollups are read once, grouped for its breakdown; the funnel sums them.
    counts = selectors.funnel_counts(scope=scope, period=period, by=by)
    funnel = selectors.funnel(scope=scope, period=period, counts=counts)
    sections = [objectives.section(period=period)]
    if funnel.hidden:
        why = gettext(
            "Fewer than %(min)s people are in this selection, so no figures are shown: "
            "they would point at individuals."
        ) % {"min": MIN_GROUP}
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
