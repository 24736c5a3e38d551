"""The recruitment funnel: milestones kept from the ledger, checked against an
independent count of the raw statements; the small-group rule; who may see it."""

from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from portal.activity.models import Activity
from portal.activity.services import activity_record
from portal.measurement import selectors
from portal.measurement.models import Milestones
from portal.measurement.services import milestones_rebuild
from portal.people.models import User
from tests.people.factories import DepartmentFactory, TeamFactory, UserFactory

pytestmark = pytest.mark.django_db


def say(person, verb, key, *, at, **extra):
    return activity_record(actor=person, verb=verb, key=key, timestamp=at, **extra)


@pytest.fixture
def programme(django_capture_on_commit_callbacks):
    """Seven people in Sales, three in Support, three in Legal, one in Design; some move
    through the funnel, at known moments."""
    now = timezone.now()
    long_ago = now - timedelta(days=120)
    teams = {}
    people = []
    for name, size in (("Sales", 7), ("Support", 3), ("Legal", 3), ("Design", 1)):
        team = TeamFactory(department=DepartmentFactory(name=name))
        teams[name] = team
        for _ in range(size):
            person = UserFactory(
                date_joined=long_ago, profile__team=team, profile__department=team.department
            )
            people.append(User.objects.get(pk=person.pk))
    with django_capture_on_commit_callbacks(execute=True):
        for index, person in enumerate(people):
            if index % 2 == 0:
                say(person, "onboarding.completed", f"o{index}", at=long_ago + timedelta(days=1))
            if index % 3 == 0:
                say(person, "lesson.completed", f"l{index}", at=now - timedelta(days=2))
            if index % 4 == 0:
                say(person, "content.shared", f"s{index}", at=now - timedelta(days=40 + index))
            if index == 4:
                say(person, "share.quality", "q4", at=now - timedelta(days=1), result={"step": 50})
    return people, teams


def independent(verbs, *, before, **extra):
    """People with a statement of ``verbs`` before a moment, straight from the ledger."""
    return set(
        Activity.objects.filter(verb__in=verbs, timestamp__lt=before, **extra).values_list(
            "actor_id", flat=True
        )
    )


def test_the_funnel_counts_what_the_ledger_says(programme):
    people, _ = programme
    today = timezone.localdate()
    period = selectors.Period(today - timedelta(days=6), today, "the last seven days")
    funnel = selectors.funnel(scope=selectors.whole_programme(), period=period)
    end = period.end_at
    reached = [
        {p.pk for p in people},  # invited long ago
        set(),  # nobody signed in here
        independent(["onboarding.completed"], before=end),
        independent(
            ["lesson.completed", "scenario.passed", "quiz.passed", "course.completed"],
            before=end,
        ),
        set(),  # no course unlocks sharing in this data set
        independent(["content.shared"], before=end),
        independent(["share.quality"], before=end, result__step=50),
    ]
    # A step counts whoever reached it or any later one.
    expected = [len(set().union(*reached[index:])) for index in range(len(reached))]
    assert [step.count for step in funnel.steps] == expected
    assert expected == [14, 9, 9, 7, 4, 4, 1]
    # New in the period: the three who only trained (two days ago) reached "started
    # training"; the four sharers had reached it, by sharing, long before.
    assert (funnel.steps[3].new, funnel.steps[3].previous) == (3, 4)
    assert funnel.steps[6].new == 1
    assert [step.conversion for step in funnel.steps] == [None, 64, 100, 78, 57, 100, 25]
    # Active in the last 30 days: the people with lessons (sharing 40+ days ago is not).
    assert funnel.active_30_days == 5
    joined = people[0].date_joined
    waits = sorted(
        (Activity.objects.get(actor=p, verb="content.shared").timestamp - joined).days
        for p in people
        if Activity.objects.filter(actor=p, verb="content.shared").exists()
    )
    assert round(funnel.median_days_to_first_share) in range(waits[1], waits[2] + 1)


def test_the_stored_milestones_equal_a_rebuild_from_the_ledger(programme):
    assert milestones_rebuild(check_only=True) == {}
    Milestones.objects.all().update(first_share_at=None)
    differences = milestones_rebuild(check_only=True)
    assert len(differences) == 4  # the four people who shared
    milestones_rebuild()
    assert milestones_rebuild(check_only=True) == {}
    Milestones.objects.all().delete()
    with pytest.raises(SystemExit):
        call_command("rebuild_rollups", "--check")
    call_command("rebuild_rollups")
    assert milestones_rebuild(check_only=True) == {}


def test_no_figure_about_fewer_than_five_people(programme):
    _, teams = programme
    period = selectors.period_for("quarter", today=timezone.localdate())
    small = selectors.scope_of(teams=[teams["Support"].pk])
    assert selectors.funnel(scope=small, period=period).hidden
    assert selectors.funnel(scope=small, period=period).steps == []
    rows, unshown = selectors.funnel_by(
        scope=selectors.whole_programme(), period=period, by="department"
    )
    # Sales shows; Support, Legal and Design (3 + 3 + 1) merge into one row of 7.
    assert [(row.name, row.people) for row in rows] == [
        ("Sales", 7),
        ("Smaller groups (each under 5 people)", 7),
    ]
    assert unshown == 0
    rows, unshown = selectors.funnel_by(
        scope=selectors.scope_of(teams=[teams["Legal"].pk, teams["Design"].pk]),
        period=period,
        by="department",
    )
    assert rows == []
    assert unshown == 4  # Legal and Design together are still under 5


def test_the_first_sign_in_is_a_milestone_and_later_ones_do_not_move_it(client):
    person = UserFactory()
    client.force_login(person)
    first = Milestones.objects.get(user=person).signed_in_at
    assert first is not None
    client.logout()
    client.force_login(person)
    assert Milestones.objects.get(user=person).signed_in_at == first
    assert milestones_rebuild(check_only=True) == {}


def test_periods_compare_with_the_same_days_before():
    today = date(2026, 3, 31)  # a Tuesday
    month = selectors.period_for("month", today=today)
    assert (month.previous().start, month.previous().end) == (date(2026, 2, 1), date(2026, 2, 28))
    quarter = selectors.period_for("quarter", today=date(2026, 5, 10))
    assert (quarter.previous().start, quarter.previous().end) == (
        date(2026, 1, 1), date(2026, 2, 10)
    )  # fmt: skip
    week = selectors.period_for("week", today=today)
    assert (week.previous().start, week.previous().end) == (date(2026, 3, 23), date(2026, 3, 24))
    custom = selectors.period_for("custom", today=today, start=date(2026, 3, 1),
                                  end=date(2026, 3, 10))  # fmt: skip
    assert (custom.previous().start, custom.previous().end) == (
        date(2026, 2, 19), date(2026, 2, 28)
    )  # fmt: skip
