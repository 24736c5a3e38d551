"""xAPI 1.0.3: the ledger's statements, and every scenario choice (as ``answered``), as
Learning Record Store statements; exported (``python manage.py export_xapi``) and pushed
continuously to the LRS that ``XAPI_LRS_URL`` names.

Every statement's id is derived from what it records (a UUID 5 of the portal's address
and the ledger key, or the choice's id), so sending it again never makes a second one.
People are named as they chose (``Profile.learning_record_email``): by default an
account (the portal's address and their portal number), by email only if they asked.
"""

import logging
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

import requests
from django.conf import settings
from django.db.models import F, QuerySet
from django.utils import timezone, translation

from courses.models import ScenarioChoice
from portal.activity.models import Activity
from portal.activity.verbs import VERBS

from .models import XapiCursor

logger = logging.getLogger(__name__)

VERSION = "1.0.3"
NAMESPACE = uuid.UUID("5c3f3e0a-6c55-4c1e-9d0b-6e3b1b2f7a91")
LANGUAGE = "en-GB"
ANSWERED = "http://adlnet.gov/expapi/verbs/answered"
EXTENSION = "https://advocate-portal.org/xapi/extensions/"
CHUNK = 500


def _id(*parts: object) -> str:
    return str(uuid.uuid5(NAMESPACE, "|".join([settings.SITE_URL, *map(str, parts)])))


def actor_of(user) -> dict:
    profile = getattr(user, "profile", None)
    if profile is not None and profile.learning_record_email:
        return {"objectType": "Agent", "mbox": f"mailto:{user.email}"}
    return {
        "objectType": "Agent",
        "account": {"homePage": settings.SITE_URL, "name": str(user.pk)},
    }


def _context() -> dict:
    return {"platform": settings.WAGTAIL_SITE_NAME, "language": LANGUAGE}


def _time(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat()


def _english(words) -> str:
    """The untranslated (English) words, whatever language is active."""
    with translation.override(None):
        return str(words)


def statement_of(activity: Activity) -> dict:
    """One ledger statement in xAPI."""
    verb = VERBS.get(activity.verb)
    kind = activity.object_type.model if activity.object_type is not None else "portal"
    object_id = f"{settings.SITE_URL}/xapi/activities/{kind}/{activity.object_id or activity.verb}"
    statement: dict = {
        "id": _id("activity", activity.key),
        "actor": actor_of(activity.actor),
        "verb": {
            "id": verb.iri if verb else f"urn:advocate-portal:verbs:{activity.verb}",
            "display": {LANGUAGE: _english(verb.label) if verb else activity.verb},
        },
        "object": {
            "objectType": "Activity",
            "id": object_id,
            "definition": {"name": {LANGUAGE: activity.object_label or activity.verb}},
        },
        "timestamp": _time(activity.timestamp),
        "context": _context(),
    }
    result: dict = {}
    if activity.points:
        result["extensions"] = {EXTENSION + "points": activity.points}
    if activity.verb.endswith((".passed", ".completed")):
        result["completion"] = True
        if activity.verb.endswith(".passed"):
            result["success"] = True
    if result:
        statement["result"] = result
    return statement


def choice_statement(choice: ScenarioChoice) -> dict:
    """One scenario choice: the person ``answered`` the step with the option they chose."""
    attempt = choice.attempt
    option = f"choice-{choice.choice_index}"
    return {
        "id": _id("choice", choice.pk),
        "actor": actor_of(attempt.user),
        "verb": {"id": ANSWERED, "display": {LANGUAGE: "answered"}},
        "object": {
            "objectType": "Activity",
            "id": f"{settings.SITE_URL}/xapi/scenarios/{attempt.lesson_id}/{attempt.block_id}/"
            f"{choice.step_id}",
            "definition": {
                "name": {LANGUAGE: f"{attempt.title}: step {choice.step_id}"},
                "type": "http://adlnet.gov/expapi/activities/cmi.interaction",
                "interactionType": "choice",
                "choices": [{"id": option, "description": {LANGUAGE: choice.label}}],
            },
        },
        "result": {"response": option, "score": {"raw": choice.score}},
        "timestamp": _time(choice.chosen_at),
        "context": _context(),
    }


# What the export and the push read, by cursor name: the rows, their statement, and the
# field with their moment.
SOURCES: dict[str, tuple[Callable[[], QuerySet], Callable[[Any], dict], str]] = {
    "activity": (
        lambda: Activity.objects.select_related("actor__profile", "object_type"),
        statement_of,
        "timestamp",
    ),
    "choice": (
        lambda: ScenarioChoice.objects.select_related("attempt__user__profile"),
        choice_statement,
        "chosen_at",
    ),
}


def statements(*, since: datetime | None = None) -> Iterator[dict]:
    """Every statement (from ``since`` on), in chunks, each source in id order."""
    for rows, convert, moment in SOURCES.values():
        last = 0
        while True:
            query = rows().filter(pk__gt=last).order_by("pk")
            if since is not None:
                query = query.filter(**{f"{moment}__gte": since})
            chunk = list(query[:CHUNK])
            if not chunk:
                break
            yield from (convert(row) for row in chunk)
            last = chunk[-1].pk


def _post(batch: list[dict]) -> str:
    """Send one batch; '' when the LRS stored it (or had it already), else the problem."""
    try:
        answer = requests.post(
            settings.XAPI_LRS_URL.rstrip("/") + "/statements",
            json=batch,
            auth=(settings.XAPI_LRS_USERNAME, settings.XAPI_LRS_PASSWORD),
            headers={"X-Experience-API-Version": VERSION},
            timeout=30,
        )
    except requests.RequestException as error:
        return f"The LRS could not be reached ({type(error).__name__})."
    if answer.status_code in (200, 204):
        return ""
    return f"The LRS answered {answer.status_code}."


def xapi_push(*, batch: int | None = None) -> int:
    """A worker job: send what the LRS has not had yet, in batches; returns how many
    statements it sent. A failure stops the round (the next one starts where it
    stopped); two workers at once send some statements twice, which the ids make
    harmless."""
    if not settings.XAPI_LRS_URL:
        return 0
    size = batch or settings.XAPI_BATCH
    sent = 0
    for name, (rows, convert, _) in SOURCES.items():
        cursor, _ = XapiCursor.objects.get_or_create(name=name)
        while True:
            chunk = list(rows().filter(pk__gt=cursor.last_id).order_by("pk")[:size])
            if not chunk:
                break
            problem = _post([convert(row) for row in chunk])
            now = timezone.now()
            if problem:
                logger.warning("xAPI push stopped: %s", problem)
                XapiCursor.objects.filter(name=name).update(problem=problem, problem_at=now)
                return sent
            XapiCursor.objects.filter(name=name, last_id__lt=chunk[-1].pk).update(
                last_id=chunk[-1].pk, sent=F("sent") + len(chunk), sent_at=now, problem=""
            )
            cursor.last_id = chunk[-1].pk
            sent += len(chunk)
    return sent
