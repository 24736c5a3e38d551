"""The live events: one module names them, the docs follow it, consumers take each one,
and only ``portal.realtime`` hands them to the channel layer."""

import ast
from pathlib import Path

import pytest

import portal.routing  # noqa: F401 - imports every consumer
from portal import events, realtime
from portal.consumers import PortalConsumer
from tests.realtime import capture_broadcasts

ROOT = Path(__file__).resolve().parents[2]
APP_CODE = ["portal", "courses", "badges", "leaderboards", "cms"]


def test_the_docs_table_of_events_is_generated_from_the_module():
    text = events.DOC.read_text()
    assert events.doc_with_table(text) == text, "run: python -m portal.events --write"


def test_every_event_is_named_app_noun_verb_and_taken_by_a_consumer():
    def consumers(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from consumers(sub)

    methods = {name for cls in [PortalConsumer, *consumers(PortalConsumer)] for name in vars(cls)}
    for name in events.EVENTS:
        assert events.NAME.match(name), name
        assert events.handler_name(name) in methods, f"no consumer takes {name}"


@pytest.mark.django_db
def test_an_unnamed_event_or_a_wrong_field_is_refused_before_anything_is_sent(
    django_capture_on_commit_callbacks,
):
    with capture_broadcasts() as sent, django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(ValueError, match="not a live event"):
            realtime.broadcast("user.1", {"type": "notification", "title": "Hi"})
        with pytest.raises(ValueError, match="takes"):
            realtime.broadcast(
                "mentor.1", {"type": "mentoring.mentee_removed", "mentee": 1, "name": "Ben"}
            )
        realtime.broadcast(
            "mentor.1", events.MentoringMenteeRemoved(type="mentoring.mentee_removed", mentee=1)
        )
    assert sent == [("mentor.1", {"type": "mentoring.mentee_removed", "mentee": 1})]


def test_only_portal_realtime_sends_to_groups():
    senders = []
    for package in APP_CODE:
        for path in (ROOT / package).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text())):
                if (
                    isinstance(node, ast.Call)
                    and isinstance(node.func, ast.Attribute)
                    and node.func.attr == "group_send"
                ):
                    senders.append(str(path.relative_to(ROOT)))
    assert set(senders) == {"portal/realtime.py"}
