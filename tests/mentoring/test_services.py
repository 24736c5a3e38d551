import io

import pytest
from django.core.management import call_command

from portal.activity.models import Activity
from portal.errors import Conflict, InvalidInput, NotAllowed
from portal.mentoring import proposals, selectors, services
from portal.mentoring.models import Goal, Pairing
from portal.notifications.models import Notification
from tests.mentoring.factories import mentee, mentor, paired
from tests.people.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_pairing_grants_the_right_and_ending_removes_it():
    pairing = paired()
    assert selectors.may_view_progress(viewer=pairing.mentor, mentee_profile=pairing.mentee.profile)
    assert [row["id"] for row in selectors.mentee_rows(mentor=pairing.mentor)] == [
        pairing.mentee_id
    ]
    services.pairing_end(pairing=pairing, by=pairing.mentee, reason="Found my feet")
    assert not selectors.may_view_progress(
        viewer=pairing.mentor, mentee_profile=pairing.mentee.profile
    )
    assert selectors.mentee_rows(mentor=pairing.mentor) == []
    assert Notification.objects.filter(user=pairing.mentor, kind="mentoring").exists()


def test_a_mentor_sees_exactly_their_own_mentees():
    one, other = paired(), paired()
    assert [row["id"] for row in selectors.mentee_rows(mentor=one.mentor)] == [one.mentee_id]
    assert selectors.mentee_row(mentor=one.mentor, mentee_id=other.mentee_id) is None
    assert not selectors.may_view_progress(viewer=one.mentor, mentee_profile=other.mentee.profile)


def test_a_pairing_that_breaks_a_capacity_is_refused_and_changes_nothing():
    full = mentor(capacity=1)
    first, second = mentee(), mentee()
    with pytest.raises(Conflict, match="capacity"):
        services.pairings_apply(pairs=[(first.pk, full.pk), (second.pk, full.pk)])
    assert not Pairing.objects.exists()
    assert not selectors.mentee_rows(mentor=full)
    with pytest.raises(InvalidInput):
        services.pairings_apply(pairs=[(first.pk, UserFactory().pk)])  # not a mentor
    with pytest.raises(InvalidInput):
        services.pairings_apply(pairs=[(full.pk, full.pk)])


def test_pair_mentors_dry_run_changes_nothing_and_the_real_run_pairs():
    mentor(capacity=1, topics="careers")
    wanting = mentee()
    wanting.profile.interests.set(["careers"])
    out = io.StringIO()
    call_command("pair_mentors", "--dry-run", stdout=out)
    assert "Shared topics: careers" in out.getvalue()
    assert "nothing changed (--dry-run)" in out.getvalue()
    assert not Pairing.objects.exists()
    call_command("pair_mentors", stdout=io.StringIO())
    assert Pairing.objects.get().mentee == wanting


def test_a_mentee_asks_for_a_change_and_is_paired_elsewhere():
    pairing = paired()
    with pytest.raises(NotAllowed):
        services.pairing_request_change(pairing=pairing, by=pairing.mentor, reason="x")
    services.pairing_request_change(pairing=pairing, by=pairing.mentee, reason="Other hours")
    other = mentor()
    [proposal] = [p for p in proposals.pairings_propose() if p.mentee.user_id == pairing.mentee_id]
    assert proposal.mentor.user_id == other.pk  # never the same mentor again
    services.pairings_apply(pairs=[(pairing.mentee_id, other.pk)])
    pairing.refresh_from_db()
    assert pairing.status == Pairing.Status.ENDED
    assert not selectors.may_view_progress(
        viewer=pairing.mentor, mentee_profile=pairing.mentee.profile
    )


def test_checkins_give_the_mentor_points_and_stay_private():
    pairing = paired()
    services.checkin_add(pairing=pairing, author=pairing.mentor, note="Talked about tone.")
    services.checkin_add(pairing=pairing, author=pairing.mentee, note="Tried it out.")
    assert Activity.objects.filter(verb="mentoring.checkin", actor=pairing.mentor).count() == 1
    stranger = UserFactory()
    with pytest.raises(NotAllowed):
        services.checkin_add(pairing=pairing, author=stranger, note="Hi")
    with pytest.raises(InvalidInput):
        services.checkin_add(pairing=pairing, author=pairing.mentor, note="  ")


def test_meeting_every_goal_ends_the_pairing():
    pairing = paired()
    first = services.goal_add(pairing=pairing, by=pairing.mentor, title="First post", due_date=None)
    second = services.goal_add(
        pairing=pairing, by=pairing.mentee, title="Ten clicks", due_date=None
    )
    services.goal_done(goal=first, by=pairing.mentee)
    pairing.refresh_from_db()
    assert pairing.status == Pairing.Status.ACTIVE
    services.goal_done(goal=Goal.objects.get(pk=second.pk), by=pairing.mentor)
    pairing.refresh_from_db()
    assert (pairing.status, pairing.end_reason) == (Pairing.Status.ENDED, "Goals met")


def test_nudges_notify_the_mentee_once_a_day():
    pairing = paired()
    services.nudge_send(pairing=pairing, by=pairing.mentor)
    assert Notification.objects.filter(user=pairing.mentee, kind="nudge").count() == 1
    with pytest.raises(Conflict):
        services.nudge_send(pairing=pairing, by=pairing.mentor)
    with pytest.raises(NotAllowed):
        services.nudge_send(pairing=pairing, by=pairing.mentee)


def test_capacity_cannot_drop_below_current_mentees():
    pairing = paired(mentor_user=mentor(capacity=2))
    paired(mentor_user=pairing.mentor)
    with pytest.raises(InvalidInput, match="break a pairing"):
        services.mentoring_profile_update(
            user=pairing.mentor, is_mentor=True, capacity=1, networks=[], topics="",
            languages="english", wants_mentor=False, growth_networks=[],
        )  # fmt: skip


def test_the_dashboard_costs_the_same_queries_for_2_or_50_mentees(django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    guide = mentor(capacity=5)
    for _ in range(2):
        paired(mentor_user=guide)
    selectors.mentee_rows(mentor=guide)
    with CaptureQueriesContext(connection) as two:
        assert len(selectors.mentee_rows(mentor=guide)) == 2
    from portal.mentoring.models import MentoringProfile

    MentoringProfile.objects.filter(user=guide).update(capacity=5)
    for _ in range(48):
        mentee_user = mentee()
        pairing = Pairing.objects.create(mentor=guide, mentee=mentee_user)
        from guardian.shortcuts import assign_perm

        assign_perm("people.view_progress", guide, mentee_user.profile)
        services.checkin_add(pairing=pairing, author=guide, note="Hello")
    with django_assert_num_queries(len(two.captured_queries)):
        assert len(selectors.mentee_rows(mentor=guide)) == 50


def test_a_mentor_is_credited_once_when_their_mentee_finishes_onboarding(
    django_capture_on_commit_callbacks,
):
    from courses.services import lesson_complete
    from tests.courses.factories import block, course_with_lessons

    _extra, [extra_lesson] = course_with_lessons(
        title="Extra", lessons=[[block("paragraph", "<p>More.</p>")]]
    )
    _gate, [gate_lesson] = course_with_lessons(
        title="Guidelines", unlocks_sharing=True, lessons=[[block("paragraph", "<p>Read.</p>")]]
    )
    pairing = paired()
    credited = Activity.objects.filter(actor=pairing.mentor, verb="mentoring.mentee_onboarded")
    with django_capture_on_commit_callbacks(execute=True):
        lesson_complete(user=pairing.mentee, lesson=extra_lesson)
    assert not credited.exists()  # not the course that finishes onboarding
    with django_capture_on_commit_callbacks(execute=True):
        lesson_complete(user=pairing.mentee, lesson=gate_lesson)
    assert credited.count() == 1
