"""Exactly once from the person's side: the same form posted again (a double click, a
retry after a lost response) does its work once; a refused post leaves its token
unused, so the person can correct it and send again."""

import threading
from datetime import timedelta

import pytest
from django.db import connections
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from portal.mentoring.models import CheckIn, Goal
from portal.models import Submission
from portal.recognition.models import Category, Recognition
from portal.submissions import submissions_prune
from tests.forms import once
from tests.mentoring.factories import paired
from tests.people.factories import UserFactory
from tests.recognition.factories import team_with_manager


@pytest.mark.django_db
def test_twenty_identical_recognition_posts_recognise_once_and_spend_once(client):
    _team, manager, [member] = team_with_manager()
    client.force_login(manager)
    form = client.get(reverse("recognition:give")).content.decode()
    assert '<input type="hidden" name="submission"' in form
    data = once(
        {"recipient": member.pk, "category": Category.objects.first().pk,
         "message": "Well done", "points": "30"}
    )  # fmt: skip
    answers = [client.post(reverse("recognition:give"), data) for _ in range(20)]
    assert {answer.status_code for answer in answers} == {302}
    assert Recognition.objects.count() == 1
    page = client.get(reverse("recognition:give")).content.decode()
    assert "170</strong> of 200 points left" in page
    assert "That was already sent; it counts once." in page


@pytest.mark.django_db
def test_kudos_checkins_and_goals_posted_twice_count_once(client, onboarded_user):
    colleague = UserFactory(profile__onboarded=True)
    client.force_login(onboarded_user)
    kudos = once({"recipient": colleague.pk, "message": "Thank you!"})
    for _ in range(3):
        assert client.post(reverse("recognition:thanks"), kudos).status_code == 302
    assert Recognition.objects.count() == 1

    pairing = paired()
    client.force_login(pairing.mentee)
    checkin = once({"note": "Shared my first post", "back": "/mentoring/me/"})
    goal = once({"title": "Post weekly", "back": "/mentoring/me/"})
    for _ in range(3):
        client.post(reverse("mentoring:act", args=[pairing.pk, "checkin"]), checkin)
        client.post(reverse("mentoring:act", args=[pairing.pk, "goal"]), goal)
    assert CheckIn.objects.count() == 1
    assert Goal.objects.count() == 1


@pytest.mark.django_db
def test_a_refused_post_does_not_use_its_token(client):
    _team, manager, [member] = team_with_manager()
    client.force_login(manager)
    data = once(
        {"recipient": member.pk, "category": Category.objects.first().pk,
         "message": "Well done", "points": "500"}
    )  # fmt: skip
    assert client.post(reverse("recognition:give"), data).status_code == 400  # over budget
    assert client.post(reverse("recognition:give"), data | {"points": "20"}).status_code == 302
    assert Recognition.objects.get().points == 20
    no_token = {key: value for key, value in data.items() if key != "submission"}
    assert client.post(reverse("recognition:give"), no_token).status_code == 400


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_double_click_arriving_at_once_records_one_recognition():
    _team, manager, [member] = team_with_manager()
    data = once(
        {"recipient": member.pk, "category": Category.objects.first().pk,
         "message": "Both clicks", "points": "10"}
    )  # fmt: skip
    statuses = []

    def click():
        browser = Client()
        browser.force_login(manager)
        statuses.append(browser.post(reverse("recognition:give"), data).status_code)
        connections.close_all()

    clicks = [threading.Thread(target=click) for _ in range(4)]
    for thread in clicks:
        thread.start()
    for thread in clicks:
        thread.join()
    assert statuses == [302] * 4
    assert Recognition.objects.count() == 1


@pytest.mark.django_db
def test_tokens_are_forgotten_after_a_day(onboarded_user):
    now = timezone.now()
    Submission.objects.create(
        token="00000000-0000-4000-8000-000000000001", user=onboarded_user, created_at=now
    )
    assert submissions_prune(now=now + timedelta(hours=23)) == 0
    assert submissions_prune(now=now + timedelta(days=1, minutes=1)) == 1


@pytest.mark.django_db
def test_a_suggestion_sent_twice_makes_one_draft(client, onboarded_user):
    client.force_login(onboarded_user)
    from portal.sharing.models import ContentItem

    form = client.get(reverse("sharing:suggest")).content.decode()
    assert '<input type="hidden" name="submission"' in form
    data = once({"title": "Heat pumps", "url": "https://example.org/heat", "kind": "curated"})
    answers = [client.post(reverse("sharing:suggest"), data) for _ in range(3)]
    assert {answer.status_code for answer in answers} == {302}
    assert ContentItem.objects.count() == 1
    assert (
        "That was already sent; it counts once."
        in client.get(reverse("sharing:hub")).content.decode()
    )


@pytest.mark.django_db
def test_a_workshop_answer_sent_twice_is_added_once(client, onboarded_user):
    client.force_login(onboarded_user)
    from courses.models import WorkshopAnswer
    from tests.courses.factories import workshop

    page = workshop()
    prompt_id = next(iter(page.prompts()))
    rendered = client.get(page.url).content.decode()
    assert rendered.count('name="submission"') == len(page.prompts())
    data = once({"prompt": prompt_id, "text": "Grow", "anonymous": "on"})
    for _ in range(3):
        assert client.post(f"{page.url}answer/", data).status_code == 302
    assert WorkshopAnswer.objects.count() == 1
    # A refused answer (too long) leaves the token unused: corrected, it is added.
    data = once({"prompt": prompt_id, "text": "x" * 1001})
    assert client.post(f"{page.url}answer/", data).status_code == 400
    assert client.post(f"{page.url}answer/", data | {"text": "Learn"}).status_code == 302
    assert WorkshopAnswer.objects.count() == 2
