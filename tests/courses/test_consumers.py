"""The live workshop wall's socket: who may listen, what they hear, what they may send."""

import json

import pytest
from asgiref.sync import sync_to_async

from courses import services
from tests.courses.factories import workshop
from tests.people.factories import UserFactory
from tests.realtime import session_for, ws_close, ws_closed, ws_connect

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.asyncio,
]


def _setup(facilitator: bool):
    page = workshop()
    person = UserFactory(profile__onboarded=True)
    if facilitator:
        services.workshop_facilitator_add(workshop=page, user=person)
    return page, person, session_for(person)


async def _connect(page_id, session):
    return await ws_connect(f"/ws/workshops/{page_id}/wall/", session), True


async def test_an_anonymous_socket_is_closed_with_4401():
    page, _, _ = await sync_to_async(_setup)(False)
    communicator, connected = await _connect(page.pk, None)
    assert connected
    assert await ws_closed(communicator) == 4401
    await ws_close(communicator)


async def test_someone_who_does_not_facilitate_is_closed_with_4403():
    page, _, session = await sync_to_async(_setup)(False)
    communicator, _ = await _connect(page.pk, session)
    assert await ws_closed(communicator) == 4403
    await ws_close(communicator)


async def test_an_unknown_workshop_is_refused():
    _, _, session = await sync_to_async(_setup)(True)
    communicator, _ = await _connect(987654, session)
    assert await ws_closed(communicator) == 4403
    await ws_close(communicator)


async def test_a_facilitator_hears_each_new_answer_and_bad_input_gets_errors():
    page, person, session = await sync_to_async(_setup)(True)
    communicator, connected = await _connect(page.pk, session)
    assert connected
    prompt_id = next(iter(page.prompts()))
    await sync_to_async(services.workshop_answer_add)(
        user=person,
        workshop=page,
        prompt_id=prompt_id,
        text="We grow",
        options=[],
        anonymous=False,
    )
    message = await communicator.receive_json_from(timeout=2)
    assert message["type"] == "answer"
    assert message["answer"]["text"] == "We grow"
    assert message["answer"]["prompt_id"] == prompt_id
    assert message["answer"]["author"] == person.profile.public_name

    await communicator.send_to(text_data="{not json")
    assert (await communicator.receive_json_from())["message"] == "That message is not valid JSON."
    await communicator.send_to(text_data=json.dumps([1, 2]))
    assert "JSON objects" in (await communicator.receive_json_from())["message"]
    await communicator.send_to(text_data=json.dumps({"type": "highlight"}))
    assert "Unknown message type" in (await communicator.receive_json_from())["message"]
    # Past the rate limit, messages are dropped without an answer; the socket stays up.
    for _ in range(20):
        await communicator.send_to(text_data="x")
    errors = 0
    while not await communicator.receive_nothing(timeout=0.2):
        errors += 1
        await communicator.receive_json_from()
    assert errors == 10 - 3
    await sync_to_async(services.workshop_answer_add)(
        user=person,
        workshop=page,
        prompt_id=prompt_id,
        text="Still here",
        options=[],
        anonymous=True,
    )
    message = await communicator.receive_json_from(timeout=2)
    assert message["answer"]["author"] == "Anonymous"
    await ws_close(communicator)
