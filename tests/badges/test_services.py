"""Awarding: criteria fire once and only when met; manual awards, revocation, points rules."""

import threading

import pytest
from django.db import connections
from django.utils import timezone

from badges import services
from badges.models import BadgeAward
from badges.services import AlreadyAwarded
from portal.activity.models import Activity, Level, PointsRule
from portal.activity.selectors import level_progress, points_total, streak_weeks
from portal.activity.services import activity_record, points_adjust
from portal.errors import InvalidInput, NotAllowed
from portal.notifications.models import Notification
from tests.badges.factories import badge
from tests.courses.factories import block, course_with_lessons
from tests.people.factories import TeamFactory, UserFactory

pytestmark = pytest.mark.django_db


def record(user, verb, n=1, **kw):
    if verb == "share.quality":  # a share reaching the quality-share step
        kw.setdefault("result", {"step": 50, "score": 50})
    for _ in range(n):
        activity_record(actor=user, verb=verb, key=f"{verb}:{user.pk}:{_key()}", **kw)


_counter = iter(range(10**9))


def _key():
    return str(next(_counter))


def run_evaluate(user, verb):
    activity = Activity.objects.filter(actor=user, verb=verb).first()
    return services.badges_evaluate(activity)


@pytest.mark.parametrize(
    ("kind", "params", "verb", "needed"),
    [
        ("quality_shares", {"count": 3}, "share.quality", 3),
        ("share_clicks", {"count": 5}, "share.clicked", 5),
        ("recognitions_received", {"count": 2}, "recognition.received", 2),
        ("mentees_onboarded", {"count": 1}, "mentoring.mentee_onboarded", 1),
        ("courses_completed", {"count": 2}, "course.completed", 2),
    ],
)
def test_counting_kinds_fire_once_when_met(
    user, kind, params, verb, needed, django_capture_on_commit_callbacks
):
    earned = badge(kind, **params)
    with django_capture_on_commit_callbacks(execute=True):
        record(user, verb, needed - 1, points=0)
    assert not BadgeAward.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        record(user, verb, 1, points=0)
    assert BadgeAward.objects.get().badge == earned
    with django_capture_on_commit_callbacks(execute=True):
        record(user, verb, 2, points=0)
    assert BadgeAward.objects.count() == 1
    assert Activity.objects.filter(verb="badge.earned", actor=user).count() == 1
    assert Notification.objects.filter(user=user, kind="badge").count() == 1


def test_a_kind_is_evaluated_only_for_its_verbs(user, django_capture_on_commit_callbacks):
    badge("quality_shares", count=1)
    with django_capture_on_commit_callbacks(execute=True):
        record(user, "recognition.received", 3, points=0)
    assert not BadgeAward.objects.exists()


def test_points_and_streak_kinds(user, django_capture_on_commit_callbacks):
    badge("points", count=100)
    badge("streak", count=2)
    with django_capture_on_commit_callbacks(execute=True):
        points_adjust(user=user, points=60, reason="pilot")
    assert not BadgeAward.objects.exists()
    last_week = timezone.now() - timezone.timedelta(days=7)
    with django_capture_on_commit_callbacks(execute=True):
        activity_record(actor=user, verb="points.adjusted", key="old", points=1,
                        timestamp=last_week)  # fmt: skip
        points_adjust(user=user, points=50, reason="pilot")
    assert sorted(a.badge.criteria[0].block_type for a in BadgeAward.objects.all()) == [
        "points",
        "streak",
    ]
    assert streak_weeks(user=user) == 2


def test_course_and_workshop_kinds(onboarded_user, django_capture_on_commit_callbacks):
    from courses import services as training
    from tests.courses.factories import workshop

    course, [lesson] = course_with_lessons(lessons=[[block("paragraph", "<p>Hi</p>")]])
    badge("course_completed", course=course)
    page = workshop()
    badge("workshop_contribution", workshop=None)
    with django_capture_on_commit_callbacks(execute=True):
        training.lesson_complete(user=onboarded_user, lesson=lesson)
        training.workshop_answer_add(
            user=onboarded_user, workshop=page, prompt_id=next(iter(page.prompts())),
            text="Yes", options=[], anonymous=True,
        )  # fmt: skip
        # Contributions are credited in batches: here by force, as when it closes.
        training.workshop_contributions_credit(workshop=page, force=True)
    assert BadgeAward.objects.filter(user=onboarded_user).count() == 2


def test_manual_badges_never_fire(user, django_capture_on_commit_callbacks):
    badge("manual")
    with django_capture_on_commit_callbacks(execute=True):
        points_adjust(user=user, points=5000, reason="pilot")
    assert not BadgeAward.objects.exists()


def test_manual_awards_follow_object_permissions(programme_admin):
    team, other_team = TeamFactory(), TeamFactory()
    manager = UserFactory()
    team.managers.add(manager)  # grants people.recognise_team on this team
    member = UserFactory(profile__team=team)
    outsider = UserFactory(profile__team=other_team)
    kudos = badge("manual")
    with pytest.raises(NotAllowed):
        services.badge_award(badge=kudos, user=outsider, by=manager)
    with pytest.raises(NotAllowed):
        services.badge_award(badge=kudos, user=manager, by=manager)  # not to yourself
    award = services.badge_award(
        badge=kudos, user=member, by=manager, evidence_url="https://example.com/post", note="Great"
    )
    assert award.awarded_by == manager
    with pytest.raises(AlreadyAwarded):
        services.badge_award(badge=kudos, user=member, by=programme_admin)
    services.badge_award(badge=kudos, user=outsider, by=programme_admin)
    team.managers.remove(manager)
    manager = type(manager).objects.get(pk=manager.pk)
    with pytest.raises(NotAllowed):
        services.badge_award(badge=badge("manual"), user=member, by=manager)


def test_revocation(user, programme_admin):
    award = services.badge_award(badge=badge("manual"), user=user, by=programme_admin)
    with pytest.raises(InvalidInput, match="reason"):
        services.badge_revoke(award_id=award.pk, reason=" ", by=programme_admin)
    with pytest.raises(NotAllowed):
        services.badge_revoke(award_id=award.pk, reason="x", by=user)
    services.badge_revoke(award_id=award.pk, reason="Awarded by mistake", by=programme_admin)
    with pytest.raises(AlreadyAwarded, match="already revoked"):
        services.badge_revoke(award_id=award.pk, reason="again", by=programme_admin)
    assert Activity.objects.filter(verb="badge.revoked").count() == 1
    from wagtail.models import ModelLogEntry

    actions = set(ModelLogEntry.objects.values_list("action", flat=True))
    assert {"badges.award", "badges.revoke"} <= actions


def test_points_rules_cap_and_bonus(user):
    PointsRule.objects.update_or_create(
        verb="share.quality", defaults={"points": 20, "daily_cap": 50, "score_bonus": 0}
    )
    for number in range(4):
        activity_record(actor=user, verb="share.quality", key=f"s{number}")
    assert list(
        Activity.objects.filter(verb="share.quality")
        .order_by("id")
        .values_list("points", flat=True)
    ) == [20, 20, 10, 0]
    # A rule change applies from then on; recorded points stay.
    rule = PointsRule.objects.get(verb="share.quality")
    rule.points, rule.daily_cap = 5, 0
    rule.save()
    activity_record(actor=user, verb="share.quality", key="s9")
    assert points_total(user=user) == 55
    assert Activity.objects.get(key="s0").points == 20
    activity_record(actor=user, verb="scenario.passed", key="sc", result={"score": 50})
    assert Activity.objects.get(key="sc").points == 10 + 5


def test_levels_are_reached_once(user):
    assert level_progress(user=user).level.name == "Listener"
    points_adjust(user=user, points=150, reason="pilot")
    points_adjust(user=user, points=-100, reason="correction")
    points_adjust(user=user, points=100, reason="pilot again")
    reached = list(Activity.objects.filter(verb="level.reached").values_list("result", flat=True))
    assert [r["level"] for r in reached] == ["Curator"]
    progress = level_progress(user=user)
    assert (progress.level.name, progress.next_level.name, progress.to_next) == (
        "Curator",
        "Storyteller",
        150,
    )
    assert Level.objects.count() == 5


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_simultaneous_qualifying_events_award_once():
    user = UserFactory()
    badge("quality_shares", count=1)
    barrier = threading.Barrier(6)
    errors = []

    def qualify(number):
        try:
            barrier.wait()
            activity_record(
                actor=user,
                verb="share.quality",
                key=f"q{number}",
                points=0,
                result={"step": 50, "score": 50},
            )
        except Exception as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=qualify, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert BadgeAward.objects.count() == 1
    assert Activity.objects.filter(verb="badge.earned").count() == 1


def test_a_new_badge_is_backfilled_for_people_who_already_qualify(user, capsys):
    from django.core.management import call_command

    points_adjust(user=user, points=150, reason="pilot")
    century = badge("points", count=100)
    badge("points", count=1000)
    call_command("award_earned_badges")
    assert "Awarded 1 badge." in capsys.readouterr().out
    assert BadgeAward.objects.get().badge == century
    call_command("award_earned_badges")
    assert BadgeAward.objects.count() == 1
