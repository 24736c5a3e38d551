"""xAPI 1.0.3: statements as the portal writes them, the export command, and the push to a
real Learning Record Store (Ralph) started on 127.0.0.1, which a resend never doubles."""

import json
import uuid

import pytest
from django.core.management import call_command
from django.test import override_settings

from courses import services
from courses.models import ScenarioChoice
from portal.activity.models import Activity
from portal.activity.services import activity_record
from portal.activity.verbs import POINTS_ADJUSTED
from portal.integrations.models import XapiCursor
from portal.integrations.xapi import choice_statement, statement_of, xapi_push
from tests.courses.factories import course_with_lessons
from tests.people.factories import UserFactory
from tests.servers import RalphLRS


def played(user):
    """A person plays a scenario through (choices, a passed scenario, a completed
    lesson and course: statements and choices both)."""
    _course, [lesson] = course_with_lessons(points=50)
    block_id = lesson.body[0].id
    attempt = services.scenario_start(user=user, lesson=lesson, block_id=block_id)
    for position in range(2):
        attempt.refresh_from_db()
        services.scenario_choose(
            user=user, lesson=lesson, block_id=block_id, attempt_id=attempt.pk,
            step_id=attempt.current_step, position=position, choice_index=0,
        )  # fmt: skip


@pytest.mark.django_db
def test_people_are_named_as_they_chose_and_ids_are_stable():
    person = UserFactory(profile__onboarded=True)
    recorded = activity_record(actor=person, verb=POINTS_ADJUSTED.id, key="k-1", points=5)
    statement = statement_of(recorded.activity)
    assert statement["actor"] == {
        "objectType": "Agent",
        "account": {"homePage": "http://testserver", "name": str(person.pk)},
    }
    assert person.email not in json.dumps(statement)
    assert uuid.UUID(statement["id"]).version == 5
    assert statement_of(Activity.objects.get(key="k-1"))["id"] == statement["id"]
    person.profile.learning_record_email = True
    person.profile.save()
    again = statement_of(Activity.objects.select_related("actor__profile").get(key="k-1"))
    assert again["actor"] == {"objectType": "Agent", "mbox": f"mailto:{person.email}"}


@pytest.mark.django_db
def test_scenario_choices_go_out_as_answered_with_the_choice():
    person = UserFactory(profile__onboarded=True)
    played(person)
    choice = ScenarioChoice.objects.select_related("attempt__user__profile").first()
    statement = choice_statement(choice)
    assert statement["verb"]["id"] == "http://adlnet.gov/expapi/verbs/answered"
    definition = statement["object"]["definition"]
    assert definition["interactionType"] == "choice"
    assert definition["choices"][0]["description"]["en-GB"] == choice.label
    assert statement["result"]["response"] == f"choice-{choice.choice_index}"


@pytest.mark.django_db
def test_the_export_writes_every_statement_since_a_date(tmp_path, capsys):
    person = UserFactory(profile__onboarded=True)
    played(person)
    target = tmp_path / "statements.json"
    call_command("export_xapi", "--since", "2020-01-01", "--output", str(target))
    exported = json.loads(target.read_text())
    total = Activity.objects.count() + ScenarioChoice.objects.count()
    assert len(exported) == total
    assert len({statement["id"] for statement in exported}) == total
    call_command("export_xapi", "--since", "2999-01-01")
    assert json.loads(capsys.readouterr().out) == []
    with pytest.raises(Exception, match="is not a date"):
        call_command("export_xapi", "--since", "yesterday")


@pytest.mark.counterpart
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_statements_reach_a_real_lrs_in_batches_and_a_resend_never_doubles_them():
    lrs = RalphLRS().start()
    try:
        for _ in range(2):
            played(UserFactory(profile__onboarded=True))
        total = Activity.objects.count() + ScenarioChoice.objects.count()
        with override_settings(
            XAPI_LRS_URL=lrs.url, XAPI_LRS_USERNAME=lrs.username, XAPI_LRS_PASSWORD=lrs.password
        ):
            assert xapi_push(batch=3) == total
            assert xapi_push(batch=3) == 0  # nothing new
            XapiCursor.objects.update(last_id=0)  # as if the cursor were lost
            assert xapi_push(batch=3) == total
        stored = lrs.statements()
        assert len(stored) == total
        answered = [s for s in stored if s["verb"]["id"].endswith("/answered")]
        assert len(answered) == ScenarioChoice.objects.count()
    finally:
        lrs.stop()


@pytest.mark.counterpart
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_lrs_that_refuses_is_noted_and_the_push_resumes_where_it_stopped():
    lrs = RalphLRS().start()
    try:
        played(UserFactory(profile__onboarded=True))
        with override_settings(
            XAPI_LRS_URL=lrs.url, XAPI_LRS_USERNAME=lrs.username, XAPI_LRS_PASSWORD="wrong"
        ):
            assert xapi_push() == 0
        cursor = XapiCursor.objects.get(name="activity")
        assert (cursor.last_id, cursor.problem) == (0, "The LRS answered 401.")
        with override_settings(
            XAPI_LRS_URL=lrs.url, XAPI_LRS_USERNAME=lrs.username, XAPI_LRS_PASSWORD=lrs.password
        ):
            assert xapi_push() > 0
        cursor.refresh_from_db()
        assert cursor.problem == ""
        assert "wrong" not in cursor.problem
    finally:
        lrs.stop()
