import hashlib
import hmac
import json
import time

import pytest
from django.urls import reverse

from portal.sharing.models import ContentItem, Conversion, Kind, Share
from portal.sharing.tracking import SHARER_COOKIE
from portal.signatures import signature as conversion_signature
from tests.courses.factories import course_with_lessons
from tests.forms import once
from tests.people.factories import DepartmentFactory, UserFactory
from tests.sharing.factories import content_item, share

pytestmark = pytest.mark.django_db
SECRET = "tests-only-conversion-secret"


@pytest.fixture
def advocate(client, onboarded_user):
    client.force_login(onboarded_user)
    return onboarded_user


def test_the_feed_shows_items_for_the_person_with_a_reason(client, advocate):
    engineering = DepartmentFactory(name="Engineering")
    advocate.profile.department = engineering
    advocate.profile.save()
    advocate.profile.interests.set(["sustainability"])
    content_item(title="For engineers", departments=[engineering])
    content_item(title="For sales only", departments=[DepartmentFactory(name="Sales")])
    content_item(title="Green report", kind=Kind.CURATED, tags=["Sustainability"])
    content_item(title="Not yet", live=False)
    response = client.get(reverse("sharing:hub"))
    assert response.status_code == 200
    titles = [card.item.title for card in response.context["page"].object_list]
    assert set(titles) == {"For engineers", "Green report"}
    reasons = {card.item.title: card.reason for card in response.context["page"].object_list}
    assert reasons["Green report"] == "Because you follow #Sustainability"
    assert reasons["For engineers"] == "Picked for Engineering"
    assert SHARER_COOKIE in response.cookies

    filtered = client.get(reverse("sharing:hub"), {"tag": "sustainability", "kind": "curated"})
    assert [card.item.title for card in filtered.context["page"].object_list] == ["Green report"]
    nothing = client.get(reverse("sharing:hub"), {"kind": "own", "tag": "sustainability"})
    assert b"Nothing here with these filters" in nothing.content


def test_the_hub_searches_titles_summaries_and_topics(client, advocate):
    content_item(title="Our wind farm is live", summary="Clean power for 200,000 homes")
    content_item(title="We are hiring", tags=["careers"], summary="Engineers wanted")
    content_item(title="Quarterly results", summary="Strong growth")

    def titles(**query):
        page = client.get(reverse("sharing:hub"), query)
        assert page.status_code == 200
        return sorted(card.item.title for card in page.context["feed"].cards)

    assert titles(q="wind") == ["Our wind farm is live"]
    assert titles(q="CAREERS") == ["We are hiring"]  # a topic, whatever its case
    assert titles(q="clean homes") == ["Our wind farm is live"]  # every word
    assert titles(q="clean growth") == []
    assert titles(q="\x00" + "x" * 5000) == []  # odd input is just a search
    empty = client.get(reverse("sharing:hub"), {"q": "nothing like this"})
    assert "Nothing here for “nothing like this”" in empty.content.decode()


def test_the_feed_nudges_toward_the_4_1_1_mix(client, advocate):
    own = [content_item(title=f"Ours {n}") for n in range(3)]
    for item in own:
        share(user=advocate, item=item)
    content_item(title="From others", kind=Kind.CURATED)
    content_item(title="Another of ours")
    feed = client.get(reverse("sharing:hub")).context["feed"]
    assert feed.nudge == Kind.CURATED
    assert feed.cards[0].item.title == "From others"
    assert feed.cards[0].reason == "Balances your mix: share something from others"


def test_the_feed_costs_the_same_queries_for_few_or_many_items(
    client, advocate, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for number in range(3):
        content_item(title=f"Item {number}", tags=["wind"])
    client.get(reverse("sharing:hub"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("sharing:hub"))
    for number in range(3, 30):
        item = content_item(title=f"Item {number}", tags=["wind", f"topic {number}"])
        if number % 3 == 0:
            share(user=UserFactory(profile__onboarded=True), item=item)
    with django_assert_num_queries(len(few.captured_queries)):
        client.get(reverse("sharing:hub"))


def test_sharing_makes_a_tracked_link_and_the_network_page(client, advocate):
    item = content_item()
    page = client.get(reverse("sharing:share", args=[item.pk]), {"network": "x"})
    assert page.status_code == 200
    assert page.context["form"].initial["caption"] == item.caption_x
    response = client.post(
        reverse("sharing:share", args=[item.pk]),
        {"network": "linkedin", "caption": "My team built this! " + item.caption_linkedin},
    )
    made = Share.objects.get(user=advocate)
    assert response.status_code == 302
    assert response["Location"] == reverse("sharing:share_ready", args=[made.code])
    ready = client.get(response["Location"])
    link = f"http://testserver/s/{made.code}"
    assert ready.context["link"] == link
    assert ready.context["network_url"].startswith(
        "https://www.linkedin.com/sharing/share-offsite/?url=http%3A%2F%2Ftestserver%2Fs%2F"
    )
    assert ready.context["text"].endswith(link)


def test_bad_share_input_is_refused_and_changes_nothing(client, advocate):
    item = content_item()
    url = reverse("sharing:share", args=[item.pk])
    assert client.post(url, {"network": "x", "caption": "a" * 300}).status_code == 400
    assert client.post(url, {"network": "myspace", "caption": "Hi"}).status_code == 400
    assert client.post(url, {"network": "x"}).status_code == 400
    assert client.get(reverse("sharing:share", args=[999999])).status_code == 404
    assert not Share.objects.exists()


def test_untrained_people_are_shown_the_course(client, advocate):
    course, _ = course_with_lessons(title="Social media guidelines", unlocks_sharing=True)
    item = content_item()
    hub = client.get(reverse("sharing:hub"))
    assert b"Sharing unlocks after the training" in hub.content
    assert course.url.encode() in hub.content
    locked = client.post(
        reverse("sharing:share", args=[item.pk]), {"network": "x", "caption": "Hi"}
    )
    assert locked.status_code == 403
    assert course.url.encode() in locked.content
    assert not Share.objects.exists()


def test_people_see_only_their_own_shares(client, advocate):
    theirs = share(user=UserFactory(profile__onboarded=True))
    assert client.get(reverse("sharing:share_ready", args=[theirs.code])).status_code == 404
    mine = share(user=advocate)
    page = client.get(reverse("sharing:mine"))
    assert page.status_code == 200
    assert [summary.share for summary in page.context["summaries"]] == [mine]
    assert b"Why it scored" in page.content


def test_suggestions_wait_for_moderation(client, advocate):
    response = client.post(
        reverse("sharing:suggest"),
        once({"title": "Heat pumps", "url": "https://example.org/heat", "kind": "curated"}),
    )
    assert response.status_code == 302
    item = ContentItem.objects.get()
    assert not item.live
    assert client.get(reverse("sharing:hub")).context["feed"].cards == []
    refused = client.post(
        reverse("sharing:suggest"),
        once({"title": "Bad", "url": "javascript:alert(1)", "kind": "curated"}),
    )
    assert refused.status_code == 400
    assert ContentItem.objects.count() == 1


# --- the conversions API -----------------------------------------------------------------


def report(client, body, *, secret=SECRET, timestamp=None, sign=True):
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    timestamp = str(int(time.time()) if timestamp is None else timestamp)
    headers = {"HTTP_X_ADVOCATE_TIMESTAMP": timestamp}
    if sign:
        headers["HTTP_X_ADVOCATE_SIGNATURE"] = conversion_signature(
            secret=secret, timestamp=timestamp, body=raw
        )
    return client.post(
        reverse("sharing:conversions_api"), raw, content_type="application/json", **headers
    )


def test_signed_conversions_count_once(client, onboarded_user):
    made = share(user=onboarded_user)
    body = {"code": made.code, "id": "signup-42", "label": "Newsletter"}
    response = report(client, body)
    assert response.status_code == 201
    assert response.json() == {"counted": True, "share": made.code}
    assert report(client, body).status_code == 409  # replayed
    made.refresh_from_db()
    assert made.conversions == 1


def test_forged_stale_and_unknown_conversions_are_refused(client, onboarded_user, settings):
    made = share(user=onboarded_user)
    body = {"code": made.code, "id": "x1"}
    assert report(client, body, secret="guessed").status_code == 401
    assert report(client, body, sign=False).status_code == 401
    assert report(client, body, timestamp=int(time.time()) - 3600).status_code == 401
    assert report(client, {"code": "nosuchcd", "id": "x2"}).status_code == 404
    assert report(client, b"not json").status_code == 400
    assert report(client, {"code": made.code}).status_code == 400
    assert report(client, {"code": ["a"], "id": "x3"}).status_code == 400
    assert client.get(reverse("sharing:conversions_api")).status_code == 405
    settings.SHARING_CONVERSION_SECRET = ""
    assert report(client, body, secret="").status_code == 503
    assert not Conversion.objects.exists()


def test_the_signature_is_hmac_sha256_of_timestamp_and_body():
    expected = hmac.new(b"s", b"1700000000.{}", hashlib.sha256).hexdigest()
    assert conversion_signature(secret="s", timestamp="1700000000", body=b"{}") == (
        f"sha256={expected}"
    )


def test_one_post_for_several_networks_makes_a_tracked_link_for_each(client, advocate):
    item = content_item()
    url = reverse("sharing:share", args=[item.pk])
    caption = "Proud of this one. " + item.caption_x
    response = client.post(url, {"network": ["linkedin", "x", "email"], "caption": caption})
    made = {share.network: share for share in Share.objects.filter(user=advocate)}
    assert set(made) == {"linkedin", "x", "email"}
    assert len({made_share.code for made_share in made.values()}) == 3
    assert {made_share.caption for made_share in made.values()} == {caption}
    ready = client.get(response["Location"])
    html = ready.content.decode()
    assert "Ready to post on LinkedIn, X and Email" in html
    for made_share in made.values():
        assert f"http://testserver/s/{made_share.code}" in html
    assert html.count("data-share-card") == 3
    # Posting again (a double click) makes no second set.
    client.post(url, {"network": ["linkedin", "x", "email"], "caption": caption})
    assert Share.objects.filter(user=advocate).count() == 3


def test_text_too_long_for_one_of_the_networks_makes_none(client, advocate):
    item = content_item()
    response = client.post(
        reverse("sharing:share", args=[item.pk]),
        {"network": ["linkedin", "x"], "caption": "a" * 400},
    )
    assert response.status_code == 400
    assert "X allows" in response.content.decode()
    assert not Share.objects.exists()


def test_the_ready_page_lists_only_the_persons_own_shares_of_that_item(client, advocate):
    mine = share(user=advocate)
    other_item = share(user=advocate)
    theirs = share(user=UserFactory(profile__onboarded=True), item=mine.item)
    page = client.get(
        reverse("sharing:share_ready", args=[mine.code]),
        {"also": [other_item.code, theirs.code, "bad\x00code", "x" * 5000]},
    )
    assert page.status_code == 200
    assert [card["share"] for card in page.context["cards"]] == [mine]
