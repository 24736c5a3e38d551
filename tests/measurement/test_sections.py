"""Motivation, trends, budgets, mentoring, objectives and the CSV downloads: each figure
against an independent count, on a hand-made programme."""

import csv
import io
from datetime import date, timedelta

import pytest
from django.db.models import Sum
from django.utils import timezone

from portal.activity.models import Activity
from portal.activity.services import activity_record
from portal.measurement import motivation, objectives, selectors
from portal.measurement.models import Grain, Kpi, Milestones, Target
from portal.measurement.selectors import Period
from portal.mentoring.models import CheckIn, Goal, Pairing
from portal.recognition.models import Allowance
from tests.people.factories import DepartmentFactory, TeamFactory, UserFactory

pytestmark = pytest.mark.django_db


def say(person, verb, key, *, at, points=0, **extra):
    return activity_record(actor=person, verb=verb, key=key, timestamp=at, points=points, **extra)


@pytest.fixture
def programme(django_capture_on_commit_callbacks):
    """Six people in Leeds (one team), three in Lyon; statements over the last 40 days."""
    leeds = TeamFactory(department=DepartmentFactory(name="Sales"))
    lyon = TeamFactory(department=DepartmentFactory(name="Support"))
    people = [
        UserFactory(profile__team=team, profile__department=team.department,
                    profile__location=place, profile__onboarded=True)
        for team, place, size in ((leeds, "Leeds", 6), (lyon, "Lyon", 3))
        for _ in range(size)
    ]  # fmt: skip
    now = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        for index, person in enumerate(people):
            for days in (1, 3, 35):
                say(person, "lesson.completed", f"l{index}-{days}", points=10,
                    at=now - timedelta(days=days))  # fmt: skip
            say(person, "content.shared", f"s{index}", points=5, at=now - timedelta(days=2),
                result={"network": "linkedin" if index % 2 else "x"})  # fmt: skip
            if index < 4:
                say(person, "badge.earned", f"b{index}", at=now - timedelta(days=2))
            say(person, "recognition.received", f"r{index}", points=20,
                at=now - timedelta(days=4),
                result={"kind": "kudos" if index % 3 else "recognition"})  # fmt: skip
            say(person, "points.adjusted", f"a{index}", points=-2, at=now - timedelta(days=4))
    return people, leeds, lyon


def last(days):
    today = timezone.localdate()
    return Period(today - timedelta(days=days - 1), today, f"the last {days} days")


def row(table, label):
    return next(r for r in table.rows if r[0] == label)


def test_motivation_figures_equal_the_ledger(programme, programme_admin):
    scope = selectors.scope_for(viewer=programme_admin, filters={})
    period = last(30)
    table = motivation.motivation_table(scope=scope, period=period)
    inside = Activity.objects.filter(timestamp__gte=period.start_at, timestamp__lt=period.end_at)
    awarded = (
        inside.filter(points__gt=0)
        .exclude(verb="points.adjusted")
        .aggregate(total=Sum("points"))["total"]
    )
    assert row(table, "Points awarded")[1] == awarded == 9 * (20 + 5 + 20)
    assert row(table, "Points adjusted by admins")[1] == -18
    assert row(table, "Badges earned")[1] == inside.filter(verb="badge.earned").count() == 4
    kudos = inside.filter(verb="recognition.received", result__kind="kudos").count()
    assert row(table, "Kudos between colleagues")[1] == kudos == 6
    assert row(table, "Recognitions from managers")[1] == 3
    # The period before holds the lessons of 35 days ago.
    assert row(table, "Points awarded")[2] == 9 * 10


def test_filters_read_the_rollups_at_the_grain_that_answers_them(programme, programme_admin):
    people, leeds, _ = programme
    period = last(30)
    grains = {
        (): Grain.PROGRAMME,
        (("location", "LEEDS "),): Grain.LOCATION,
        (("team", leeds.pk),): Grain.TEAM,
        (("team", leeds.pk), ("location", "leeds")): Grain.GROUP,
    }
    for filters, grain in grains.items():
        scope = selectors.scope_for(viewer=programme_admin, filters=dict(filters))
        assert set(scope.rollups.values_list("grain", flat=True).distinct()) <= {grain}
        shares = motivation.totals(scope.rollups, period)["content.shared"][0]
        expected = Activity.objects.filter(verb="content.shared", actor__in=scope.people).count()
        assert shares == expected == (9 if not filters else 6)
    manager = people[0]
    leeds.managers.add(manager)
    scope = selectors.scope_for(viewer=manager, filters={"location": "Lyon"})
    assert scope.people.count() == 0
    assert motivation.totals(scope.rollups, period) == {}


def test_trends_per_day_week_and_month(programme, programme_admin):
    scope = selectors.scope_for(viewer=programme_admin, filters={})
    for days, size in ((7, "day"), (60, "week"), (300, "month")):
        period = last(days)
        table = motivation.trend_table(scope=scope, period=period)
        assert table.columns[0] == ("Week from" if size == "week" else size.capitalize())
        lessons = sum(r[3] for r in table.rows)
        assert (
            lessons
            == Activity.objects.filter(
                verb="lesson.completed", timestamp__gte=period.start_at, timestamp__lt=period.end_at
            ).count()
        )
        points = sum(r[4] for r in table.rows)
        assert (
            points
            == Activity.objects.filter(
                points__gt=0, timestamp__gte=period.start_at, timestamp__lt=period.end_at
            ).aggregate(total=Sum("points"))["total"]
        )
    size, spans = motivation.buckets(Period(date(2026, 1, 1), date(2026, 12, 31), "year"))
    assert size == "month"
    assert len(spans) == 12
    assert spans[1] == (date(2026, 2, 1), date(2026, 2, 28))


def test_budgets_managers_see_their_own_admins_all_from_five(programme, programme_admin):
    people, leeds, lyon = programme
    month = timezone.localdate().replace(day=1)
    leeds.managers.add(people[0])
    Allowance.objects.create(user=people[0], limit="budget", period=month, used=120)
    scope = selectors.scope_for(viewer=people[0], filters={})
    table = motivation.budget_table(scope=scope, period=last(1), viewer=people[0])
    assert table.rows == [["Given in recognition", 120], ["Available", 200], ["Used", "60%"]]
    admin_scope = selectors.scope_for(viewer=programme_admin, filters={})
    hidden = motivation.budget_table(scope=admin_scope, period=last(1), viewer=programme_admin)
    assert hidden.rows == []
    assert "fewer than 5 managers" in hidden.note
    lyon.managers.add(*people[5:9])
    shown = motivation.budget_table(scope=admin_scope, period=last(1), viewer=programme_admin)
    assert shown.rows[:2] == [["Given in recognition", 120], ["Available", 5 * 200]]


def test_mentoring_coverage(programme, programme_admin):
    people, _, _ = programme
    pairing = Pairing.objects.create(mentor=people[0], mentee=people[1])
    Pairing.objects.create(mentor=people[0], mentee=people[2], status=Pairing.Status.ENDED)
    CheckIn.objects.create(pairing=pairing, author=people[0], note="Good talk")
    Goal.objects.create(pairing=pairing, title="Share twice", done_at=timezone.now())
    Goal.objects.create(pairing=pairing, title="Write a post")
    scope = selectors.scope_for(viewer=programme_admin, filters={})
    table = motivation.mentoring_table(scope=scope, period=last(7))
    everyone = scope.people.count()
    assert table.rows == [
        ["People with a mentor now", f"1 ({round(100 / everyone)}% of {everyone})"],
        ["Check-ins held in the period", 1],
        ["Goals set in the period", 2],
        ["Goals met in the period", 1],
    ]


def test_objectives_show_progress_toward_each_target(programme):
    today = timezone.localdate()
    monthly = Target.objects.create(
        objective="Reach more people", kpi=Kpi.SHARES, value=18,
        cadence=Target.Cadence.MONTHLY, starts=today,
    )  # fmt: skip
    by_date = Target.objects.create(
        objective="Grow the programme", kpi=Kpi.ACTIVE, value=12,
        cadence=Target.Cadence.BY_DATE, starts=today - timedelta(days=10),
        due=today + timedelta(days=10),
    )  # fmt: skip
    shares_this_month = Activity.objects.filter(
        verb="content.shared", timestamp__date__gte=today.replace(day=1)
    ).count()
    progress = objectives.progress(monthly, today=today)
    assert progress.now == shares_this_month
    assert progress.percent == round(100 * shares_this_month / 18)
    active = Milestones.objects.filter(
        last_active_at__gte=timezone.now() - timedelta(days=30)
    ).count()
    progress = objectives.progress(by_date, today=today)
    assert (progress.now, progress.expected) == (active, 6)  # half way to 12
    assert progress.status == "on track"  # 9 active of 6 expected by now
    table = objectives.section(period=last(7)).tables[0]
    assert [r[1] for r in table.rows] == [Kpi.ACTIVE.label, Kpi.SHARES.label]


def test_every_table_downloads_as_csv_with_formulas_defused(client, programme, programme_admin):
    people, _, _ = programme
    people[0].profile.cohort = "=cmd|' /C calc'!A0"
    people[0].profile.save()
    client.force_login(programme_admin)
    page = client.get("/programme/?by=cohort")
    assert page.status_code == 200
    report = page.context["report"]
    slugs = [table.slug for section in report.sections for table in section.tables if table]
    assert {"funnel", "funnel-by-cohort", "reach", "motivation", "trend"} <= set(slugs)
    for slug in slugs:
        response = client.get(f"/programme/?by=cohort&csv={slug}")
        assert response.status_code == 200, slug
        assert response["Content-Type"].startswith("text/csv")
        rows = list(csv.reader(io.StringIO(response.content.decode())))
        table = report.table(slug)
        assert rows[0] == table.columns
        assert len(rows) == len(table.rows) + 1
    cohorts = client.get("/programme/?by=cohort&csv=funnel-by-cohort").content.decode()
    assert "=cmd" not in cohorts.replace("'=cmd", "")  # quoted, never a formula
    assert client.get("/programme/?csv=nonsense").status_code == 404
    assert client.get("/programme/?csv=funnel&period=forever").status_code == 400


def test_charts_draw_one_bar_per_figure_and_escape_their_labels():
    from portal.measurement import charts

    chart = charts.bars([("<b>1 Dec</b>", 3), ("2 Dec", 0.5), ("3 Dec", 12_000)], title="T")
    assert chart.svg.count('class="chart-bar"') == 3
    assert "<b>" not in chart.svg
    assert "&lt;b&gt;1 Dec&lt;/b&gt;" in chart.svg
    assert ">20k<" in chart.svg  # the scale's top, compact
    funnel = charts.hbars([("Invited <script>", 10), ("Onboarded", 4)], title="F")
    assert funnel.svg.count("<meter") == 2
    assert 'max="10" value="4"' in funnel.svg
    assert "<script>" not in funnel.svg
