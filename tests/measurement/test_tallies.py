"""The funnel's and training's facts in the rollups (``portal.measurement.tallies``): the
services count them as they write, moves and erasure carry them, and after every step
``rebuild_rollups --check`` agrees with a rebuild from the tables."""

from collections import Counter
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db.models import Sum
from django.utils import timezone

from courses import services as course_services
from portal.measurement.models import Grain, Rollup
from portal.people.models import Profile, User
from portal.privacy.erasure import person_erase
from portal.sharing import services as sharing
from portal.sharing.models import ClickKind, Share
from tests.courses.factories import block, course_with_lessons, quiz_value, scenario_value
from tests.people.factories import DepartmentFactory, TeamFactory, UserFactory
from tests.sharing.factories import content_item

pytestmark = pytest.mark.django_db


def check_agrees():
    call_command("rebuild_rollups", "--check")  # exits 1 on any difference


def facts(grain=Grain.PROGRAMME, prefix="#", **where):
    """measure -> count of the facts at one grain and place, all days together."""
    return {
        measure: count
        for measure, count in Rollup.objects.filter(
            grain=grain, measure__startswith=prefix, **where
        )
        .values_list("measure")
        .annotate(count=Sum("statements"))
        if count
    }


@pytest.fixture
def sales():
    return TeamFactory(department=DepartmentFactory(name="Sales"))


def test_everyone_invited_is_in_the_funnel_at_their_place(sales, client):
    newcomer = UserFactory(profile__team=sales, profile__department=sales.department)
    assert facts(Grain.TEAM, "#funnel:", team=sales.pk) == {
        "#funnel:people": 1,
        "#funnel:invited_at": 1,
    }
    client.force_login(newcomer)
    assert facts(Grain.TEAM, "#funnel:", team=sales.pk)["#funnel:signed_in_at"] == 1
    client.force_login(newcomer)  # a second sign-in is no new step
    assert facts(Grain.TEAM, "#funnel:", team=sales.pk)["#funnel:signed_in_at"] == 1
    check_agrees()


def test_people_who_leave_leave_the_funnel_and_come_back(sales):
    people = [UserFactory(profile__team=sales) for _ in range(3)]
    assert facts(prefix="#funnel:")["#funnel:people"] == 3
    leaver = User.objects.get(pk=people[0].pk)
    leaver.is_active = False
    leaver.save()
    assert facts(prefix="#funnel:")["#funnel:people"] == 2
    check_agrees()
    leaver.is_active = True
    leaver.save()
    assert facts(prefix="#funnel:")["#funnel:people"] == 3
    check_agrees()


def test_an_import_counts_new_people_where_they_are(sales, django_capture_on_commit_callbacks):
    from portal.people.importing import import_people

    data = (
        "email,first_name,last_name,department,team\n"
        f"new1@example.com,New,One,Sales,{sales.name}\n"
        f"new2@example.com,New,Two,Sales,{sales.name}\n"
    ).encode()
    with django_capture_on_commit_callbacks(execute=True):
        import_people(data=data)
    assert facts(Grain.TEAM, "#funnel:", team=sales.pk) == {
        "#funnel:people": 2,
        "#funnel:invited_at": 2,
    }
    check_agrees()


def test_a_corrected_invitation_date_moves_the_funnel_facts(sales):
    person = UserFactory(profile__team=sales)
    person.date_joined = timezone.now() - timedelta(days=40)
    person.save()
    day = timezone.localdate(person.date_joined)
    assert set(
        Rollup.objects.filter(grain=Grain.PROGRAMME, measure="#funnel:people").values_list(
            "day", "statements"
        )
    ) == {(day, 1)}
    check_agrees()


def test_training_facts_are_counted_as_people_learn_and_move_and_go(
    sales, django_capture_on_commit_callbacks
):
    course, (lesson,) = course_with_lessons(
        lessons=[[block("scenario", scenario_value()), block("quiz", quiz_value())]]
    )
    scenario_id, quiz_id = (child.id for child in lesson.body)
    person = UserFactory(profile__team=sales, profile__department=sales.department)
    with django_capture_on_commit_callbacks(execute=True):
        for choices in ([1, 1], [0, 0]):  # a poor attempt, then the best path
            attempt = course_services.scenario_start(
                user=person, lesson=lesson, block_id=scenario_id
            )
            for position, (step, choice) in enumerate(
                zip(["start", "second"], choices, strict=True)
            ):
                course_services.scenario_choose(
                    user=person, lesson=lesson, block_id=scenario_id, attempt_id=attempt.pk,
                    step_id=step, position=position, choice_index=choice,
                )  # fmt: skip
        for answers in ([[0], [0, 2]], [[1], [0, 1]]):  # wrong first, then right
            course_services.quiz_submit(
                user=person, lesson=lesson, block_id=quiz_id, answers=answers
            )
    where = f"{lesson.pk}:{scenario_id}"
    counted = facts(Grain.TEAM, team=sales.pk)
    assert counted[f"#course.started:{course.pk}"] == 1
    assert counted[f"#course.completed:{course.pk}"] == 1
    assert counted[f"#scenario.finished:{where}"] == 2
    assert counted[f"#scenario.passed:{where}"] == 1
    assert counted[f"#scenario.people:{where}"] == 1  # a person, not an attempt
    assert counted[f"#choice.people:{where}:start"] == 1
    assert counted[f"#choice:{where}:1:start"] == counted[f"#choice:{where}:0:start"] == 1
    # Only the first quiz attempt counts, with its answers.
    assert [m for m in counted if m.startswith("#quiz:")] == [f"#quiz:{lesson.pk}:{quiz_id}:0|0.2"]
    check_agrees()

    support = TeamFactory(department=DepartmentFactory(name="Support"))
    with django_capture_on_commit_callbacks(execute=True):
        profile = Profile.objects.get(user=person)
        profile.team, profile.department = support, support.department
        profile.save()
    assert facts(Grain.TEAM, team=sales.pk) == {}
    assert facts(Grain.TEAM, team=support.pk) == counted
    check_agrees()

    person_erase(user=person)
    assert facts() == {}
    check_agrees()


def test_shares_count_before_and_after_a_course_as_they_gain_readers(
    sales, django_capture_on_commit_callbacks
):
    course, (lesson,) = course_with_lessons(lessons=[[block("quiz", quiz_value())]])
    (quiz_id,) = (child.id for child in lesson.body)
    person = UserFactory(profile__team=sales)
    item = content_item(title="News")
    early = Share.objects.create(
        user=person, item=item, network="linkedin", caption="c", code="early1",
        created_at=timezone.now() - timedelta(days=3),
    )  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        course_services.quiz_submit(
            user=person, lesson=lesson, block_id=quiz_id, answers=[[1], [0, 1]]
        )
    assert facts(prefix="#outcome") == {
        f"#outcome:{course.pk}:before": 1,
        f"#outcome.quality:{course.pk}:before": 1,
    }
    check_agrees()
    late = Share.objects.create(
        user=person, item=item, network="x", caption="c", code="late1", created_at=timezone.now()
    )
    today = timezone.localdate()
    with django_capture_on_commit_callbacks(execute=True):
        sharing.clicks_record(
            hits=[
                sharing.Hit(share_id=share.pk, day=today, visitor=f"v{n}{share.pk}",
                            kind=ClickKind.HUMAN, at=timezone.now())
                for share in (early, late)
                for n in range(3)
            ]
            + [
                sharing.Hit(share_id=late.pk, day=today, visitor=f"bot{n}",
                            kind=ClickKind.PREVIEW, at=timezone.now())
                for n in range(2)
            ],
            requests=Counter({(early.pk, today): 3, (late.pk, today): 3}),
        )  # fmt: skip
    readers = Rollup.objects.filter(
        grain=Grain.PROGRAMME, measure__startswith="#outcome:"
    ).values_list("measure", "points")
    assert dict(readers) == {f"#outcome:{course.pk}:before": 3, f"#outcome:{course.pk}:after": 3}
    assert facts(prefix="#previews") == {"#previews": 2}
    check_agrees()


def test_deleting_a_course_takes_its_figures_out(sales, django_capture_on_commit_callbacks):
    course, (lesson,) = course_with_lessons(lessons=[[block("quiz", quiz_value())]])
    (quiz_id,) = (child.id for child in lesson.body)
    people = [UserFactory(profile__team=sales) for _ in range(2)]
    with django_capture_on_commit_callbacks(execute=True):
        for person in people:
            course_services.quiz_submit(
                user=person, lesson=lesson, block_id=quiz_id, answers=[[1], [0, 1]]
            )
    assert facts(prefix="#quiz:") == {f"#quiz:{lesson.pk}:{quiz_id}:1|0.1": 2}
    assert facts(prefix="#course.started:") == {f"#course.started:{course.pk}": 2}
    course.delete()  # in the Wagtail admin: the course, its lessons and their records
    assert facts(prefix="#quiz:") == facts(prefix="#course.") == {}
    check_agrees()


def test_many_people_move_with_a_few_queries(sales, django_assert_max_num_queries):
    """A reorganisation moves everyone's history in one pass per 500 people: the number of
    queries does not grow with the people moved."""
    from portal.measurement.rollups import rollups_follow

    course, _ = course_with_lessons(lessons=[[block("quiz", quiz_value())]])
    people = [UserFactory(profile__team=sales, profile__department=sales.department)
              for _ in range(12)]  # fmt: skip
    for person in people:
        course_services.course_enrol(user=person, course=course)
    support = TeamFactory(department=DepartmentFactory(name="Support"))
    Profile.objects.filter(user__in=people).update(team=support, department=support.department)
    with django_assert_max_num_queries(25):
        assert rollups_follow() == 12
    assert facts(Grain.TEAM, team=sales.pk) == {}
    assert facts(Grain.TEAM, "#course.", team=support.pk) == {f"#course.started:{course.pk}": 12}
    check_agrees()


def test_measures_compare_byte_by_byte():
    """The dashboard picks ranges of measures (``#funnel:`` up to ``#funnel;``): on
    PostgreSQL the column has collation "C", whatever the database's collation (a
    language's would ignore the punctuation and cut the range)."""
    from django.db import connection

    from portal.measurement.selectors import measures

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT collation_name FROM information_schema.columns "
                "WHERE table_name = 'measurement_rollup' AND column_name = 'measure'"
            )
            assert cursor.fetchone()[0] == "C"
    day = timezone.localdate()
    for measure in ("#funnel:people", "#funnel:signed_in_at", "#funnelx", "funnel:people"):
        Rollup.objects.create(day=day, grain=Grain.PROGRAMME, measure=measure, statements=1)
    picked = Rollup.objects.filter(measures("#funnel:")).values_list("measure", flat=True)
    assert sorted(picked) == ["#funnel:people", "#funnel:signed_in_at"]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_records_written_outside_a_transaction_are_counted():
    """``createsuperuser``, a shell or a script write without a transaction: the facts
    take one of their own (PostgreSQL refuses a row lock outside one)."""
    person = UserFactory()
    Share.objects.create(user=person, item=content_item(title="News"), network="x", code="out1")
    assert facts(prefix="#funnel:people") == {"#funnel:people": 1}
    assert len(facts(prefix="#item:")) == 1
    check_agrees()
