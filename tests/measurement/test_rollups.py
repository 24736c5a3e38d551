"""The daily rollups: every statement counted once at every grain, checked against an
independent count of the ledger; a person's history follows their profile and leaves
with them; ``rebuild_rollups --check`` agrees after each of these."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db.models import Count, Sum
from django.utils import timezone

from portal.activity.deliveries import deliveries_sweep
from portal.activity.models import Activity, Delivery
from portal.activity.services import activity_record
from portal.measurement.models import Grain, Rollup
from portal.measurement.rollups import rollups_follow, rollups_rebuild
from portal.people.models import Profile
from portal.privacy.erasure import person_erase
from tests.people.factories import DepartmentFactory, TeamFactory, UserFactory

pytestmark = pytest.mark.django_db


def say(person, verb, key, *, at=None, points=0, **extra):
    return activity_record(
        actor=person, verb=verb, key=key, timestamp=at or timezone.now(), points=points, **extra
    )


def stored(grain, **where):
    """measure -> (statements, points) at one grain and place, all days together."""
    return {
        row["measure"]: (row["statements"], row["points"])
        for row in Rollup.objects.filter(grain=grain, **where)
        .values("measure")
        .annotate(statements=Sum("statements"), points=Sum("points"))
    }


def from_ledger(**where):
    """The same, straight from the ledger (verbs only)."""
    return {
        row["verb"]: (row["statements"], row["points"])
        for row in Activity.objects.filter(**where)
        .values("verb")
        .annotate(statements=Count("pk"), points=Sum("points"))
    }


def verbs_only(figures):
    return {measure: value for measure, value in figures.items() if ":" not in measure}


def check_agrees():
    call_command("rebuild_rollups", "--check")  # exits 1 on any difference


@pytest.fixture
def people(django_capture_on_commit_callbacks):
    sales = TeamFactory(department=DepartmentFactory(name="Sales"))
    support = TeamFactory(department=DepartmentFactory(name="Support"))
    anna = UserFactory(
        profile__team=sales,
        profile__department=sales.department,
        profile__location="Lyon ",
        profile__job_role="Engineer",
    )
    ben = UserFactory(
        profile__team=support, profile__department=support.department, profile__location="Oslo"
    )
    yesterday = timezone.now() - timedelta(days=1)
    with django_capture_on_commit_callbacks(execute=True):
        say(anna, "lesson.completed", "a1", points=10, at=yesterday)
        say(anna, "lesson.completed", "a2", points=10)
        say(anna, "content.shared", "a3", points=5, result={"network": "linkedin"})
        say(anna, "share.clicked", "a4", points=1, result={"network": "linkedin"})
        say(ben, "content.shared", "b1", points=5, result={"network": "x"})
        say(ben, "points.adjusted", "b2", points=-3)
    return anna, ben, sales, support


def test_each_statement_counts_once_at_every_grain(people):
    anna, ben, sales, support = people
    assert verbs_only(stored(Grain.PROGRAMME)) == from_ledger()
    assert stored(Grain.PROGRAMME)["content.shared:linkedin"] == (1, 5)
    assert stored(Grain.PROGRAMME)["content.shared:x"] == (1, 5)
    assert verbs_only(stored(Grain.DEPARTMENT, department=sales.department_id)) == from_ledger(
        actor=anna
    )
    assert verbs_only(stored(Grain.TEAM, team=support.pk)) == from_ledger(actor=ben)
    # Texts are kept in lower case without the spaces around them, as the filters match.
    assert verbs_only(stored(Grain.LOCATION, location="lyon")) == from_ledger(actor=anna)
    assert verbs_only(stored(Grain.JOB_ROLE, job_role="engineer")) == from_ledger(actor=anna)
    assert verbs_only(stored(Grain.JOB_ROLE, job_role="")) == from_ledger(actor=ben)
    assert verbs_only(
        stored(Grain.GROUP, department=sales.department_id, team=sales.pk, location="lyon",
               job_role="engineer")
    ) == from_ledger(actor=anna)  # fmt: skip
    # Two days of lessons: one row per day.
    assert Rollup.objects.filter(grain=Grain.PROGRAMME, measure="lesson.completed").count() == 2
    check_agrees()


def test_the_rebuild_restores_what_was_lost(people):
    Rollup.objects.filter(grain=Grain.TEAM).delete()
    Rollup.objects.filter(grain=Grain.PROGRAMME).update(statements=99)
    assert rollups_rebuild(check_only=True) > 0
    with pytest.raises(SystemExit):
        check_agrees()
    call_command("rebuild_rollups")
    check_agrees()
    assert verbs_only(stored(Grain.PROGRAMME)) == from_ledger()


def test_a_persons_history_follows_their_profile(people, django_capture_on_commit_callbacks):
    anna, _ben, sales, support = people
    profile = anna.profile
    profile.team, profile.department = support, support.department
    with django_capture_on_commit_callbacks(execute=True):
        profile.save()
    assert verbs_only(stored(Grain.TEAM, team=sales.pk)) == {}
    assert verbs_only(stored(Grain.TEAM, team=support.pk)) == from_ledger()
    # The programme's totals did not change.
    assert verbs_only(stored(Grain.PROGRAMME)) == from_ledger()
    check_agrees()


def test_a_bulk_move_is_followed_by_the_worker_job(people):
    _anna, ben, _sales, _support = people
    Profile.objects.filter(user=ben).update(location="Bergen", job_role="Driver")
    with pytest.raises(SystemExit):
        check_agrees()
    assert rollups_follow() == 1
    assert verbs_only(stored(Grain.LOCATION, location="bergen")) == from_ledger(actor=ben)
    assert stored(Grain.LOCATION, location="oslo") == {}
    assert rollups_follow() == 0
    check_agrees()


def test_a_move_noticed_by_a_delivery_counts_a_waiting_statement_once(people):
    """Ben moves by a bulk update, then a statement is recorded and not yet delivered:
    its delivery moves his history (without that statement) and counts it once."""
    _anna, ben, sales, support = people
    Profile.objects.filter(user=ben).update(team=sales, department=sales.department)
    say(ben, "lesson.completed", "b3", points=10)  # no on_commit here: it waits
    assert Delivery.objects.filter(activity__key="b3").exists()
    Delivery.objects.update(due=timezone.now())
    assert deliveries_sweep() > 0
    assert verbs_only(stored(Grain.TEAM, team=support.pk)) == {}
    assert verbs_only(stored(Grain.TEAM, team=sales.pk)) == from_ledger()
    check_agrees()


def test_erasing_a_person_takes_their_statements_out(people):
    _anna, ben, _sales, support = people
    person_erase(user=ben)
    assert verbs_only(stored(Grain.PROGRAMME)) == from_ledger()
    assert stored(Grain.TEAM, team=support.pk) == {}
    assert not Rollup.objects.filter(statements=0, points=0).exists()
    check_agrees()


def test_an_import_that_moves_people_moves_their_history(
    people, django_capture_on_commit_callbacks
):
    from portal.people.importing import import_people

    anna, _ben, _sales, support = people
    data = (
        "email,first_name,last_name,department,team,location,job_role\n"
        f"{anna.email},Anna,A,{support.department.name},{support.name},Lyon,Engineer\n"
    ).encode()
    with django_capture_on_commit_callbacks(execute=True):
        import_people(data=data)
    assert verbs_only(stored(Grain.TEAM, team=support.pk)) == from_ledger()
    check_agrees()
