"""Every live event the portal sends through the channel layer, by name and shape.

An event is named ``<app>.<noun>_<verb>`` (the app that sends it, what changed, what
happened to it); channels hands it to the consumer method of the same name with the
dot turned into an underscore (``courses.answer_changed`` -> ``courses_answer_changed``).
Services build events with these ``TypedDict``s and send them with
``portal.realtime.broadcast`` (after commit), ``broadcast_many`` or, from async code,
``broadcast_async``; each checks the event against this module, so an event that is not
named here, or has other fields, is a programming error caught in tests.

What each socket then sends to the browser (its own ``type``, often shorter) is
described in ``docs/realtime.md``, whose table of events is generated from this module:
``python -m portal.events --write`` (a test fails when it is out of date). The health
check's probe (``portal.health``) goes to a channel of its own, never to a consumer, and
is not an event.
"""

import re
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal, NotRequired, TypedDict, get_type_hints


class CoursesAnswerChanged(TypedDict):
    """A workshop answer was added, or (un)highlighted by a facilitator. Group:
    ``workshop.<page id>``; the wall socket sends it as ``answer``."""

    type: Literal["courses.answer_changed"]
    answer: dict[str, Any]  # courses.selectors.workshop_answer_payload


class LeaderboardsBoardChanged(TypedDict):
    """A board's points, names or visibility changed; serialised once for every socket
    (``leaderboards.broadcast.board_payload``). Group: ``lb.<board>.<window>``, whose
    members are one relay channel per worker; each socket adds its viewer's own place and
    sends it as ``update``."""

    type: Literal["leaderboards.board_changed"]
    group: str
    version: int
    text: str
    texts: dict[str, str]
    ranks: dict[str, tuple[int, int]]
    changed: tuple[tuple[int, int, int], ...]


class MentoringMenteeChanged(TypedDict):
    """A mentee recorded something in the ledger, or a check-in was saved. Group:
    ``mentor.<mentor id>``; the socket re-reads the row (checking the right) and sends
    ``mentee`` or ``removed``."""

    type: Literal["mentoring.mentee_changed"]
    mentee: int


class MentoringMenteeRemoved(TypedDict):
    """A pairing ended. Group: ``mentor.<mentor id>``; sent as ``removed``."""

    type: Literal["mentoring.mentee_removed"]
    mentee: int


class NotificationsNotificationSent(TypedDict):
    """A notification for one person (kept in their list, or a passing toast). Group:
    ``user.<id>``; sent as ``notification``."""

    type: Literal["notifications.notification_sent"]
    kind: str
    title: str
    body: str
    url: str
    created: str


class PeopleSessionsEnded(TypedDict):
    """Someone signed out, changed their password, or was deactivated: their sockets
    check their session (``ended`` names a session that certainly ended) and close with
    4401 if it no longer signs them in. Group: ``signin.<user id>``."""

    type: Literal["people.sessions_ended"]
    ended: str


class RecognitionEntryAdded(TypedDict):
    """A recognition or kudos, as the public feed shows it
    (``portal.recognition.selectors.public_entry``). Group: ``recognition``; sent as
    ``recognition``."""

    type: Literal["recognition.entry_added"]
    entry: dict[str, Any]


class RecognitionEntriesRetracted(TypedDict):
    """Feed entries redrawn after someone withdrew consent, left or was erased;
    ``removed`` lists entries that no longer exist. Group: ``recognition``; sent as
    ``retraction``."""

    type: Literal["recognition.entries_retracted"]
    entries: list[dict[str, Any]]
    removed: NotRequired[list[int]]


Event = (
    CoursesAnswerChanged
    | LeaderboardsBoardChanged
    | MentoringMenteeChanged
    | MentoringMenteeRemoved
    | NotificationsNotificationSent
    | PeopleSessionsEnded
    | RecognitionEntryAdded
    | RecognitionEntriesRetracted
)
EVENTS: dict[str, Any] = {  # name -> its TypedDict
    get_type_hints(kind)["type"].__args__[0]: kind for kind in Event.__args__
}
NAME = re.compile(r"^[a-z]+\.[a-z]+_[a-z]+$")


def event_check(event: Mapping[str, object]) -> None:
    """Raise ``ValueError`` unless ``event`` is one named here, with its fields."""
    kind = EVENTS.get(str(event.get("type")))
    if kind is None:
        raise ValueError(f"{event.get('type')!r} is not a live event named in portal/events.py")
    fields = set(event)
    required, optional = kind.__required_keys__, kind.__optional_keys__
    if not required <= fields <= required | optional:
        raise ValueError(
            f"{event['type']} takes {sorted(required)} (and optionally {sorted(optional)}), "
            f"not {sorted(fields)}"
        )


def handler_name(event_type: str) -> str:
    """The consumer method that receives ``event_type`` (channels' own rule)."""
    return event_type.replace(".", "_")


def _type_text(hint) -> str:
    text = getattr(hint, "__name__", None) if not getattr(hint, "__args__", None) else None
    return text or re.sub(r"\btyping\.|\bNotRequired\[(.*)\]$", r"\1", str(hint))


def events_markdown() -> str:
    """The table of events in ``docs/realtime.md``."""
    rows = ["| event | consumer method | fields | what it means |", "| --- | --- | --- | --- |"]
    for name, kind in sorted(EVENTS.items()):
        hints = get_type_hints(kind)
        fields = ", ".join(
            f"`{field}: {_type_text(hint)}`"
            + ("" if field in kind.__required_keys__ else " (optional)")
            for field, hint in hints.items()
            if field != "type"
        )
        meaning = " ".join((kind.__doc__ or "").split()).replace("``", "`")
        rows.append(f"| `{name}` | `{handler_name(name)}` | {fields} | {meaning} |")
    return "\n".join(rows) + "\n"


START, END = (
    "<!-- events: generated by python -m portal.events --write -->\n",
    "<!-- events end -->\n",
)
DOC = Path(__file__).resolve().parent.parent / "docs" / "realtime.md"


def doc_with_table(text: str) -> str:
    """``text`` (docs/realtime.md) with its table of events brought up to date."""
    head, rest = text.split(START, 1)
    _, tail = rest.split(END, 1)
    return head + START + events_markdown() + END + tail


if __name__ == "__main__":
    if sys.argv[1:] == ["--write"]:
        DOC.write_text(doc_with_table(DOC.read_text()))
    else:
        sys.stdout.write(events_markdown())
