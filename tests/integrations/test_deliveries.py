"""Webhooks and chat messages against a local HTTP receiver that checks what arrives:
signatures, Slack blocks, Teams cards, retries with backoff, the delivery log, and
privacy (only people who agreed to be named are named in chat)."""

import json
import time
from datetime import timedelta

import pytest
from django.utils import timezone

from badges.services import badge_award
from portal.integrations.delivery import BACKOFF, deliveries_due, delivery_send
from portal.integrations.events import highlights_weekly, hub_item_published
from portal.integrations.models import ChatChannel, Delivery, DeliveryState, Event, Webhook
from portal.signatures import signature
from tests.badges.factories import badge
from tests.people.factories import UserFactory
from tests.recognition.factories import recognise, team_with_manager
from tests.servers import Receiver
from tests.sharing.factories import content_item

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

SECRET = "tests-only-webhook-secret"


@pytest.fixture
def receiver():
    with Receiver() as running:
        yield running


def slack_valid(payload: dict) -> None:
    """What Slack's incoming webhooks require of a message with blocks."""
    assert isinstance(payload["text"], str)
    assert payload["text"]
    for block in payload["blocks"]:
        assert block["type"] in {"header", "section", "actions"}
        if block["type"] == "header":
            assert block["text"]["type"] == "plain_text"
            assert len(block["text"]["text"]) <= 150
        if block["type"] == "section":
            assert block["text"]["type"] == "mrkdwn"
        if block["type"] == "actions":
            assert all(
                e["type"] == "button" and e["url"].startswith("http") for e in block["elements"]
            )


def teams_valid(payload: dict) -> dict:
    """What Teams' incoming webhooks take: a message with one Adaptive Card attached."""
    assert payload["type"] == "message"
    (attachment,) = payload["attachments"]
    assert attachment["contentType"] == "application/vnd.microsoft.card.adaptive"
    card = attachment["content"]
    assert card["type"] == "AdaptiveCard"
    assert card["version"] == "1.4"
    assert all(block["type"] == "TextBlock" for block in card["body"])
    return card


def test_webhooks_hear_the_events_they_chose_signed(receiver):
    person = UserFactory(profile__onboarded=True)
    Webhook.objects.create(
        name="CRM", url=receiver.url("/crm"), secret=SECRET,
        events=[Event.BADGE_EARNED, Event.SHARE_MADE],
    )  # fmt: skip
    Webhook.objects.create(
        name="HR", url=receiver.url("/hr"), secret=SECRET, events=[Event.COURSE_COMPLETED]
    )
    earned = badge(name="Storyteller")
    badge_award(badge=earned, user=person, automatic=True)

    (delivery,) = [item for item in receiver.received if item["path"] == "/crm"]
    headers, body = delivery["headers"], delivery["body"]
    assert headers["X-Advocate-Signature"] == signature(
        secret=SECRET, timestamp=headers["X-Advocate-Timestamp"], body=body
    )
    assert abs(int(headers["X-Advocate-Timestamp"]) - time.time()) < 60
    assert headers["X-Advocate-Event"] == "badge.earned"
    payload = json.loads(body)
    assert payload["event"] == "badge.earned"
    assert payload["person"] == {"id": person.pk}  # no email unless the webhook asks
    assert payload["data"]["badge"] == "Storyteller"
    assert payload["data"]["assertion_url"].startswith("http")
    assert receiver.bodies("/hr") == []
    assert Delivery.objects.get(webhook__name="CRM").state == DeliveryState.SENT


def test_a_failing_receiver_is_retried_with_backoff_then_logged_as_failed(receiver):
    person = UserFactory(profile__onboarded=True)
    Webhook.objects.create(
        name="BI", url=receiver.url("/bi"), secret=SECRET, events=[Event.BADGE_EARNED]
    )
    receiver.statuses["/bi"] = [500] * (len(BACKOFF) + 1)
    badge_award(badge=badge(), user=person, automatic=True)
    delivery = Delivery.objects.get()
    assert (delivery.state, delivery.attempts, delivery.status_code) == ("pending", 1, 500)
    assert delivery.error == "The receiver answered 500."
    # Not due yet: the sweep leaves it; at its time it goes again, same id each time.
    assert deliveries_due() == 0
    for attempt, wait in enumerate(BACKOFF, start=2):
        delivery.refresh_from_db()
        later = delivery.next_attempt_at
        assert later - timezone.now() <= timedelta(seconds=wait)
        delivery_send(delivery.pk, now=later + timedelta(seconds=1))
        delivery.refresh_from_db()
        assert delivery.attempts == attempt
    assert delivery.state == DeliveryState.FAILED
    ids = {item["headers"]["X-Advocate-Delivery"] for item in receiver.received}
    assert len(receiver.received) == len(BACKOFF) + 1
    assert len(ids) == 1


def test_an_unreachable_receiver_is_logged_without_its_address(receiver):
    person = UserFactory(profile__onboarded=True)
    channel = ChatChannel.objects.create(
        name="Wins", kind="slack", url="http://127.0.0.1:9/services/T000/B000/SECRETTOKEN",
        badges=True,
    )  # fmt: skip
    person.profile.consent_feed = True
    person.profile.save()
    badge_award(badge=badge(), user=person, automatic=True)
    delivery = Delivery.objects.get(channel=channel)
    assert delivery.state == DeliveryState.PENDING
    assert "SECRETTOKEN" not in delivery.error
    assert delivery.error.startswith("Could not reach the receiver")
    assert channel.address == "http://127.0.0.1:9/…"


def test_chat_names_only_people_who_agreed_and_speaks_each_tools_format(receiver):
    ChatChannel.objects.create(name="Slack wins", kind="slack", url=receiver.url("/slack"))
    ChatChannel.objects.create(name="Teams wins", kind="teams", url=receiver.url("/teams"))
    _, manager, (named,) = team_with_manager(consent=True)
    _, other_manager, (unnamed,) = team_with_manager(consent=False, team_name="Plant Ops")
    recognise(manager, named, message="Your post on the wind farm was brilliant")
    recognise(other_manager, unnamed, message="Private thanks")

    (slack,) = receiver.bodies("/slack")
    slack_valid(slack)
    assert "was recognised by" in slack["text"]
    assert named.profile.name in slack["blocks"][0]["text"]["text"]
    assert "Your post on the wind farm was brilliant" in slack["blocks"][1]["text"]["text"]
    (teams,) = receiver.bodies("/teams")
    card = teams_valid(teams)
    assert named.profile.name in card["body"][0]["text"]
    assert all("Private thanks" not in json.dumps(body) for body in receiver.bodies("/slack"))


def test_new_hub_items_go_to_the_channels_that_follow_their_topics(receiver):
    ChatChannel.objects.create(
        name="Energy", kind="slack", url=receiver.url("/energy"), topics="Energy, Wind"
    )
    ChatChannel.objects.create(
        name="Hiring", kind="teams", url=receiver.url("/hiring"), topics="Jobs"
    )
    item = content_item(title="Our <wind> farm", tags=["wind"])
    hub_item_published(sender=type(item), instance=item)
    hub_item_published(sender=type(item), instance=item)  # published again: sent once
    (message,) = receiver.bodies("/energy")
    slack_valid(message)
    assert "Our &lt;wind&gt; farm" not in message["blocks"][0]["text"]["text"]  # plain text
    assert "Our <wind> farm" in message["blocks"][0]["text"]["text"]
    assert receiver.bodies("/hiring") == []


def test_the_weekly_highlight_follows_the_board_and_goes_once_a_week(receiver, settings):
    from leaderboards.services import leaderboards_rebuild
    from portal.activity.services import activity_record
    from portal.activity.verbs import POINTS_ADJUSTED

    settings.TIME_ZONE = "UTC"
    ChatChannel.objects.create(
        name="All", kind="teams", url=receiver.url("/all"), recognitions=False,
        weekly_highlight=True,
    )  # fmt: skip
    monday = timezone.now().replace(hour=10, minute=0, second=0, microsecond=0)
    monday -= timedelta(days=monday.weekday())
    last_week = monday - timedelta(days=3)
    people = [UserFactory(profile__onboarded=True) for _ in range(3)]
    hidden = people[2].profile
    hidden.leaderboard_visibility = "hidden"
    hidden.save()
    for points, person in zip((50, 30, 90), people, strict=True):
        activity_record(actor=person, verb=POINTS_ADJUSTED.id, key=f"p{person.pk}",
                        points=points, timestamp=last_week)  # fmt: skip
    leaderboards_rebuild()
    assert highlights_weekly(now=monday) == 1
    assert highlights_weekly(now=monday + timedelta(hours=2)) == 0
    (message,) = receiver.bodies("/all")
    lines = [block["text"] for block in teams_valid(message)["body"][1:]]
    assert lines == [
        f"1. {people[0].profile.name}: 50 points",
        f"2. {people[1].profile.name}: 30 points",
    ]
