import threading

import pytest
from django.db import connections

from badges.models import BadgeAward
from portal.activity.models import Activity, PointsTotal
from portal.errors import InvalidInput, NotAllowed
from portal.notifications.models import Notification
from portal.people.models import Visibility
from portal.recognition import selectors, services
from portal.recognition.models import Allowance, Category, Recognition, RecognitionSettings
from tests.badges.factories import badge
from tests.people.factories import UserFactory
from tests.realtime import capture_broadcasts
from tests.recognition.factories import team_with_manager

pytestmark = pytest.mark.django_db


@pytest.fixture
def shining_star():
    return Category.objects.get(name="Shining star")


def give(giver, recipient, points=30, **extra):
    return services.recognition_give(
        giver=giver,
        recipient=recipient,
        category=extra.pop("category", Category.objects.get(name="Shining star")),
        message=extra.pop("message", "Your post on the wind farm reached 40 customers."),
        points=points,
        **extra,
    )


def test_a_manager_recognises_a_team_member_from_the_budget(django_capture_on_commit_callbacks):
    team, manager, [member] = team_with_manager()
    with capture_broadcasts() as sent, django_capture_on_commit_callbacks(execute=True):
        made = give(manager, member, points=30)
    assert (made.points, made.team, made.giver) == (30, team, manager)
    assert made.budget.startswith(f"Manager budget of {manager.email}, ")
    assert selectors.budget_left(user=manager) == (170, 200)
    statement = Activity.objects.get(verb="recognition.received")
    assert (statement.actor, statement.points) == (member, 30)
    assert PointsTotal.objects.get(user=member).points == 30
    note = Notification.objects.get(user=member, kind="recognition")
    assert note.title == f"{manager.profile.name} recognised you"
    [(_group, event)] = [item for item in sent if item[0] == "recognition"]
    assert event["type"] == "recognition.entry_added"
    assert event["entry"]["recipient"] == member.profile.name
    assert event["entry"]["message"] == made.message


def test_recognition_outside_ones_teams_is_refused_and_changes_nothing():
    _team, manager, _members = team_with_manager()
    _other_team, _other_manager, [stranger] = team_with_manager(team_name="Support")
    with pytest.raises(NotAllowed):
        give(manager, stranger)
    with pytest.raises(NotAllowed):
        give(manager, manager)
    assert not Recognition.objects.exists()
    assert not Allowance.objects.filter(used__gt=0).exists()
    assert not Activity.objects.filter(verb="recognition.received").exists()


def test_over_budget_is_refused_with_what_is_left():
    _team, manager, [member] = team_with_manager()
    give(manager, member, points=150)
    with pytest.raises(services.OverBudget) as refused:
        give(manager, member, points=60)
    assert refused.value.remaining == 50
    assert "50 of 200" in refused.value.message
    assert Recognition.objects.count() == 1
    assert selectors.budget_left(user=manager) == (50, 200)
    give(manager, member, points=50)  # exactly what is left
    assert selectors.budget_left(user=manager) == (0, 200)


def test_bad_input_is_refused(shining_star):
    _team, manager, [member] = team_with_manager()
    with pytest.raises(InvalidInput):
        give(manager, member, message="   ")
    with pytest.raises(InvalidInput):
        give(manager, member, message="x" * 501)
    with pytest.raises(InvalidInput):
        give(manager, member, points=-5)
    shining_star.active = False
    shining_star.save()
    with pytest.raises(InvalidInput):
        give(manager, member, category=shining_star)
    assert not Recognition.objects.exists()


def test_programme_admins_recognise_anyone_from_their_own_budget(programme_admin):
    _team, _manager, [member] = team_with_manager()
    made = give(programme_admin, member, points=300)
    assert made.budget.startswith("Programme budget")
    assert selectors.budget_left(user=programme_admin) == (700, 1000)


def test_a_badge_can_come_with_it_once(programme_admin):
    _team, manager, [member] = team_with_manager()
    star = badge("manual", name="Shining star")
    give(manager, member, badge=star)
    assert BadgeAward.objects.get(user=member).badge == star
    with pytest.raises(InvalidInput, match="already has the badge"):
        give(manager, member, points=10, badge=star)
    assert Recognition.objects.count() == 1
    assert selectors.budget_left(user=manager) == (170, 200)


def test_kudos_give_fixed_points_within_a_daily_limit():
    giver = UserFactory(profile__onboarded=True)
    colleague = UserFactory(profile__onboarded=True)
    config = RecognitionSettings.load()
    config.kudos_daily_limit, config.kudos_points = 2, 5
    config.save()
    for _ in range(2):
        services.kudos_give(giver=giver, recipient=colleague, message="Thanks for the intro!")
    with pytest.raises(services.OverBudget, match="your 2 kudos for today"):
        services.kudos_give(giver=giver, recipient=colleague, message="And again!")
    with pytest.raises(NotAllowed):
        services.kudos_give(giver=colleague, recipient=colleague, message="Me!")
    assert PointsTotal.objects.get(user=colleague).points == 10
    assert Recognition.objects.filter(kind="kudos").count() == 2
    assert selectors.kudos_left(user=giver) == 0


def test_the_public_sees_names_only_with_consent():
    _team, manager, [shy] = team_with_manager(consent=False, team_name="Grid Software")
    made = give(manager, shy)
    entry = selectors.public_entry(made)
    assert entry["recipient"] == "a colleague in Grid Software"
    assert entry["message"] == ""
    assert shy.profile.name not in str(entry)
    profile = shy.profile
    profile.consent_feed = True
    profile.leaderboard_visibility = Visibility.ALIAS
    profile.alias = "Bright Spark"
    profile.save()
    made.recipient.refresh_from_db()
    entry = selectors.public_entry(Recognition.objects.get(pk=made.pk))
    assert (entry["recipient"], entry["message"]) == ("Bright Spark", made.message)


def test_the_feed_costs_the_same_queries_for_10_or_10000(django_assert_num_queries):
    _team, manager, [member] = team_with_manager()
    category = Category.objects.first()

    def add(count):
        Recognition.objects.bulk_create(
            Recognition(
                kind="recognition",
                giver=manager,
                recipient=member,
                category=category,
                message="m",
                points=1,
            )
            for _ in range(count)
        )

    add(10)
    with django_assert_num_queries(1):
        assert len(selectors.recognition_feed()) == 10
    add(9990)
    with django_assert_num_queries(1):
        assert len(selectors.recognition_feed()) == selectors.FEED_SIZE


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_awards_never_overspend_the_budget():
    _team, manager, members = team_with_manager(members=6)
    barrier = threading.Barrier(6)
    outcomes = []

    def award(member):
        try:
            barrier.wait()
            give(manager, member, points=60)
            outcomes.append("ok")
        except services.OverBudget:
            outcomes.append("over")
        except Exception as error:
            outcomes.append(repr(error))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=award, args=(member,)) for member in members]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["ok"] * 3 + ["over"] * 3
    assert Allowance.objects.get(user=manager, limit="budget").used == 180
    assert Recognition.objects.count() == 3
