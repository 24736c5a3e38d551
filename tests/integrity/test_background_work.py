"""Admins see failing background work in the Wagtail admin and can retry a delivery."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from portal.activity.models import Delivery
from portal.activity.services import points_adjust
from tests.people.factories import UserFactory

pytestmark = pytest.mark.django_db
URL = "/admin/reports/background-work/"


def failed_task():
    now = timezone.now()
    return DBTaskResult.objects.create(
        status="FAILED",
        args_kwargs={"args": [], "kwargs": {"user_id": 7}},
        task_path="portal.people.tasks.invitation_send",
        backend_name="default",
        run_after=now,
        enqueued_at=now,
        finished_at=now,
        exception_class_path="smtplib.SMTPConnectError",
        traceback="Traceback (most recent call last):\n  ...\nSMTPConnectError: 421",
    )


def failing_delivery():
    person = UserFactory()
    recorded = points_adjust(user=person, points=5, reason="Welcome")
    # The statement's own delivery row, as after three failed tries.
    rows = Delivery.objects.filter(activity=recorded.activity, subscriber="leaderboards")
    rows.update(
        due=timezone.now() + timedelta(minutes=5),
        attempts=3,
        error="ConnectionError: Redis is unreachable",
    )
    return rows.get()


def test_programme_admins_see_failed_tasks_and_failing_deliveries(client, programme_admin):
    failed_task()
    delivery = failing_delivery()
    client.force_login(programme_admin)
    page = client.get(URL)
    assert page.status_code == 200
    text = page.content.decode()
    assert "portal.people.tasks.invitation_send" in text
    assert "SMTPConnectError" in text
    assert "1 failed in the last 7 days" in text
    assert "Redis is unreachable" in text
    assert "Background work" in client.get("/admin/").content.decode()  # the Reports menu

    answer = client.post(URL, {"delivery": delivery.pk})
    assert answer.status_code == 302
    delivery.refresh_from_db()
    assert delivery.due <= timezone.now()


def test_bad_retries_answer_with_a_message_and_others_see_nothing(client, programme_admin):
    client.force_login(programme_admin)
    for posted in ({"delivery": "abc"}, {"delivery": "9" * 30}, {"delivery": "\x00"}, {}):
        assert client.post(URL, posted).status_code == 302
    assert client.post(URL, {"delivery": 123456}).status_code == 302  # applied meanwhile

    client.force_login(UserFactory(profile__onboarded=True, is_staff=True))
    assert client.get(URL).status_code in (302, 403)
