"""What open sockets show after privacy-relevant changes: a withdrawal retracts, an
anonymous workshop answer cannot be paired with the person behind it, an erasure leaves."""

import asyncio
from datetime import datetime

import pytest
from asgiref.sync import sync_to_async

from courses import services as training
from leaderboards import broadcast
from portal.activity.models import Activity, PointsRule
from portal.people.services import consent_set
from tests.courses.factories import workshop
from tests.people.factories import UserFactory
from tests.realtime import session_for, ws_close, ws_closed, ws_connect
from tests.recognition.factories import recognise, team_with_manager

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.asyncio,
]


async def test_withdrawing_feed_consent_retracts_the_entry_on_open_feeds():
    def setup():
        _team, manager, [proud] = team_with_manager(consent=True, team_name="Support")
        proud.first_name = "Marie"
        proud.save()
        watcher = UserFactory(profile__onboarded=True)
        return manager, proud, session_for(watcher)

    manager, proud, session = await sync_to_async(setup)()
    communicator = await ws_connect("/ws/recognition/", session)
    await sync_to_async(recognise)(manager, proud, message="Marie fixed the outage")
    shown = await communicator.receive_json_from(timeout=2)
    assert shown["entry"]["recipient"] == proud.profile.name
    assert shown["entry"]["message"] == "Marie fixed the outage"

    await sync_to_async(consent_set)(user=proud, answers={"feed": False})
    retraction = await communicator.receive_json_from(timeout=2)
    assert retraction["type"] == "retraction"
    [entry] = retraction["entries"]
    assert entry["id"] == shown["entry"]["id"]
    assert entry["recipient"] == "a colleague in Support"
    assert entry["message"] == ""
    # Other purposes changing says nothing to the feed.
    await sync_to_async(consent_set)(user=proud, answers={"material": True})
    assert await communicator.receive_nothing(timeout=0.5)
    await ws_close(communicator)


async def test_an_anonymous_answer_cannot_be_paired_with_its_author_by_a_facilitator():
    """The facilitator watches the wall and the company board while people answer. The
    anonymous answer arrives on the wall; nothing arrives on the board then. Credit comes
    later for a batch, with one time for everyone, and the wall shows hours only."""

    def setup():
        page = workshop()
        facilitator = UserFactory(profile__onboarded=True)
        training.workshop_facilitator_add(workshop=page, user=facilitator)
        PointsRule.objects.update_or_create(verb="workshop.contributed", defaults={"points": 10})
        people = [UserFactory(profile__onboarded=True) for _ in range(5)]
        return page, facilitator, people, session_for(facilitator)

    page, _facilitator, people, session = await sync_to_async(setup)()
    wall = await ws_connect(f"/ws/workshops/{page.pk}/wall/", session)
    board = await ws_connect("/ws/leaderboards/company/", session)
    snapshot = await board.receive_json_from(timeout=3)
    assert snapshot["type"] == "snapshot"
    prompt_id = next(iter(page.prompts()))

    for number, person in enumerate(people):
        await sync_to_async(training.workshop_answer_add)(
            user=person,
            workshop=page,
            prompt_id=prompt_id,
            text=f"Answer {number}",
            options=[],
            anonymous=True,
        )
        arrived = await wall.receive_json_from(timeout=2)
        assert arrived["answer"]["author"] == "Anonymous"
        created = datetime.fromisoformat(arrived["answer"]["created"])
        assert (created.minute, created.second, created.microsecond) == (0, 0, 0)
        # Nothing moves on the board as the answer lands.
        assert await board.receive_nothing(timeout=broadcast.WINDOW + 0.3)
    assert not await sync_to_async(Activity.objects.filter(verb="workshop.contributed").exists)()

    # The daily job credits the five together: one board update, one time for all.
    credited = await sync_to_async(training.workshop_contributions_credit)()
    assert credited == 5
    update = await board.receive_json_from(timeout=3)
    assert {entry["points"] for entry in update["entries"]} == {10}
    times = await sync_to_async(
        lambda: set(
            Activity.objects.filter(verb="workshop.contributed").values_list("timestamp", flat=True)
        )
    )()
    assert len(times) == 1
    await asyncio.sleep(broadcast.WINDOW + 0.1)
    await ws_close(wall, board)


async def test_fewer_than_five_waiting_are_credited_only_when_the_workshop_closes():
    def setup():
        page = workshop()
        person = UserFactory(profile__onboarded=True)
        training.workshop_answer_add(
            user=person,
            workshop=page,
            prompt_id=next(iter(page.prompts())),
            text="Alone",
            options=[],
            anonymous=True,
        )
        return page

    page = await sync_to_async(setup)()
    assert await sync_to_async(training.workshop_contributions_credit)() == 0

    def close():
        page.accepting_answers = False
        page.save_revision().publish()
        return Activity.objects.filter(verb="workshop.contributed").count()

    # Published closed outside the admin (the admin's after_publish_page hook credits at
    # once): the next daily run credits the one who waited.
    assert await sync_to_async(close)() == 0
    assert await sync_to_async(training.workshop_contributions_credit)() == 1
    assert await sync_to_async(Activity.objects.filter(verb="workshop.contributed").count)() == 1


async def test_no_live_board_of_people_when_the_programme_shows_teams_only():
    from portal.people.models import PrivacySettings

    def setup():
        config = PrivacySettings.load()
        config.individual_boards = False
        config.save()
        return session_for(UserFactory(profile__onboarded=True))

    session = await sync_to_async(setup)()
    communicator = await ws_connect("/ws/leaderboards/company/", session)
    assert await ws_closed(communicator) == 4403
    await ws_close(communicator)
