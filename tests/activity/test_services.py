import io
import threading

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction

from portal.activity.models import Activity, AppendOnlyError, PointsTotal
from portal.activity.selectors import points_total
from portal.activity.services import (
    UnknownVerbError,
    activity_record,
    points_adjust,
    points_rebuild,
)
from portal.activity.verbs import ONBOARDING_COMPLETED, POINTS_ADJUSTED
from tests import ledger
from tests.people.factories import DepartmentFactory, UserFactory


@pytest.fixture
def heard(settings):
    """Collect what a test subscriber hears from the ledger, the only subscriber."""
    return ledger.add(settings, only=True, test="statements")


@pytest.mark.django_db
class TestActivityRecord:
    def test_records_once_per_key(self, user):
        first = activity_record(actor=user, verb=POINTS_ADJUSTED.id, key="k1", points=5)
        again = activity_record(actor=user, verb=POINTS_ADJUSTED.id, key="k1", points=5)

        assert first.created is True
        assert again.created is False
        assert again.activity.pk == first.activity.pk
        assert Activity.objects.count() == 1
        assert points_total(user=user) == 5

    def test_unknown_verb_is_refused(self, user):
        with pytest.raises(UnknownVerbError):
            activity_record(actor=user, verb="course.complteed", key="k")
        assert not Activity.objects.exists()

    def test_object_is_stored_with_its_label(self, user):
        department = DepartmentFactory(name="Sales")
        recorded = activity_record(
            actor=user, verb=ONBOARDING_COMPLETED.id, key="k", obj=department
        )
        activity = Activity.objects.get(pk=recorded.activity.pk)
        assert activity.object == department
        assert activity.object_label == "Sales"
        statement = activity.as_statement()
        assert statement["actor"]["mbox"] == f"mailto:{user.email}"
        assert statement["verb"]["id"] == ONBOARDING_COMPLETED.iri
        assert statement["object"] == {
            "type": "department",
            "id": str(department.pk),
            "name": "Sales",
        }

    def test_subscribers_hear_after_commit_only(
        self, user, heard, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            activity_record(actor=user, verb=POINTS_ADJUSTED.id, key="k", points=3)
            activity_record(actor=user, verb=POINTS_ADJUSTED.id, key="k", points=3)
            assert heard == []  # nothing before the commit
        assert len(callbacks) == 1  # the repeat schedules nothing
        assert [activity.key for activity in heard] == ["k"]

    def test_rolled_back_action_notifies_nobody(
        self, user, heard, django_capture_on_commit_callbacks
    ):
        def failing_action():
            with transaction.atomic():
                activity_record(actor=user, verb=POINTS_ADJUSTED.id, key="k", points=3)
                raise RuntimeError("the action failed after recording")

        with (
            django_capture_on_commit_callbacks(execute=True) as callbacks,
            pytest.raises(RuntimeError),
        ):
            failing_action()
        assert callbacks == []
        assert heard == []
        assert not Activity.objects.exists()
        assert points_total(user=user) == 0

    def test_a_failing_subscriber_does_not_stop_the_others(
        self, user, heard, settings, django_capture_on_commit_callbacks
    ):
        ledger.add(settings, broken="broken")
        with django_capture_on_commit_callbacks(execute=True):
            activity_record(actor=user, verb=POINTS_ADJUSTED.id, key="k", points=1)
        assert len(heard) == 1

    def test_ledger_rows_are_append_only(self, user):
        activity = activity_record(actor=user, verb=POINTS_ADJUSTED.id, key="k", points=1).activity
        activity.points = 100
        with pytest.raises(AppendOnlyError):
            activity.save()
        with pytest.raises(AppendOnlyError):
            activity.delete()


@pytest.mark.django_db
class TestPoints:
    def test_adjustment_needs_a_reason_and_points(self, user):
        with pytest.raises(ValueError, match="reason"):
            points_adjust(user=user, points=5, reason=" ")
        with pytest.raises(ValueError, match="0 points"):
            points_adjust(user=user, points=0, reason="nothing")

    def test_negative_adjustments_lower_the_total(self, user):
        points_adjust(user=user, points=30, reason="pilot")
        points_adjust(user=user, points=-12, reason="duplicate award")
        assert points_total(user=user) == 18

    def test_adjustments_without_a_key_each_count(self, user):
        points_adjust(user=user, points=5, reason="a")
        points_adjust(user=user, points=5, reason="a")
        assert points_total(user=user) == 10

    def test_rebuild_finds_and_corrects_drift(self, user):
        other = UserFactory()
        points_adjust(user=user, points=40, reason="pilot")
        points_adjust(user=other, points=7, reason="pilot")
        PointsTotal.objects.filter(user=user).update(points=999)
        PointsTotal.objects.filter(user=other).delete()

        assert points_rebuild(check_only=True) == {user.pk: (999, 40), other.pk: (0, 7)}
        assert points_total(user=user) == 999  # check changes nothing
        points_rebuild()
        assert points_rebuild(check_only=True) == {}
        assert points_total(user=user) == 40
        assert points_total(user=other) == 7

    def test_rebuild_points_command(self, user, capsys):
        points_adjust(user=user, points=4, reason="pilot")
        PointsTotal.objects.filter(user=user).update(points=1)
        with pytest.raises(CommandError, match="1 points totals differ"):
            call_command("rebuild_points", "--check")
        call_command("rebuild_points")
        call_command("rebuild_points", "--check")
        assert "0 totals differ" in capsys.readouterr().out


@pytest.mark.django_db
class TestAdjustPointsCommand:
    def test_prints_the_new_total(self, user, capsys):
        call_command("adjust_points", user.email.upper(), "25", "--reason", "Pilot post")
        call_command("adjust_points", user.email, "-5", "--reason", "Correction")
        lines = capsys.readouterr().out.strip().splitlines()
        assert lines[-1] == f"{user.email} now has 20 points"

    def test_same_key_applies_once(self, user, capsys):
        for _ in range(3):
            call_command("adjust_points", user.email, "10", "--reason", "Fix", "--key", "T-1")
        assert capsys.readouterr().out.strip().splitlines()[-1].endswith("now has 10 points")
        assert Activity.objects.filter(verb=POINTS_ADJUSTED.id).count() == 1

    def test_unknown_email_is_a_clear_error(self, db):
        with pytest.raises(CommandError, match="No person with the email address"):
            call_command("adjust_points", "nobody@example.com", "5", "--reason", "x")

    def test_missing_reason_is_refused(self, user):
        with pytest.raises(CommandError):
            call_command("adjust_points", user.email, "5", "--reason", "")


def run_at_once(work, workers: int) -> list[BaseException]:
    """Run ``work(number)`` in real threads released together; return what they raised.

    Each thread has its own database connection, as concurrent requests would.
    """
    barrier = threading.Barrier(workers)
    errors: list[BaseException] = []

    def run(number):
        try:
            barrier.wait(timeout=10)
            work(number)
        except BaseException as error:  # handed back to the test thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return errors


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_adjustments_with_the_same_key_apply_once():
    person = UserFactory()

    def adjust(_):
        call_command(
            "adjust_points", person.email, "15", "--reason", "Race", "--key", "race-1",
            stdout=io.StringIO(), stderr=io.StringIO(),
        )  # fmt: skip

    assert run_at_once(adjust, workers=8) == []
    assert Activity.objects.filter(key="points.adjusted:race-1").count() == 1
    assert points_total(user=person) == 15
    assert points_rebuild(check_only=True) == {}


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_different_keys_all_count():
    person = UserFactory()

    def adjust(number):
        points_adjust(user=person, points=2, reason="Race", key=f"distinct-{number}")

    assert run_at_once(adjust, workers=6) == []
    assert points_total(user=person) == 12
    assert points_rebuild(check_only=True) == {}


@pytest.mark.django_db
def test_erasing_a_person_erases_their_statements_and_total(user):
    points_adjust(user=user, points=10, reason="pilot")
    user.delete()
    assert not Activity.objects.exists()
    assert not PointsTotal.objects.exists()


def test_rule_changes_apply_to_the_next_statement(user):
    from portal.activity.models import PointsRule
    from portal.activity.services import activity_record

    rule, _ = PointsRule.objects.update_or_create(
        verb="quiz.passed", defaults={"points": 5, "score_bonus": 0, "daily_cap": 0}
    )
    assert activity_record(actor=user, verb="quiz.passed", key="q1").activity.points == 5
    rule.points = 7
    rule.save()
    assert activity_record(actor=user, verb="quiz.passed", key="q2").activity.points == 7
    rule.delete()
    assert activity_record(actor=user, verb="quiz.passed", key="q3").activity.points == 0


def test_a_coalescing_subscriber_hears_a_transaction_once_per_key(
    user, settings, django_capture_on_commit_callbacks
):
    from django.db import transaction

    from portal.activity.services import activity_record

    heard = ledger.add(settings, **{"test-listener": "keys_per_actor_and_verb"})
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        for number in range(5):
            activity_record(actor=user, verb="share.clicked", key=f"c{number}", points=0)
        activity_record(actor=user, verb="quiz.passed", key="q", points=0)
    assert heard == ["c4", "q"]  # the latest of each group: they see the same state
    # A rolled-back savepoint takes its queued call with it; the next one queues anew.
    heard.clear()
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        try:
            with transaction.atomic():
                activity_record(actor=user, verb="share.clicked", key="r1", points=0)
                raise RuntimeError
        except RuntimeError:
            pass
        activity_record(actor=user, verb="share.clicked", key="r2", points=0)
    assert heard == ["r2"]
