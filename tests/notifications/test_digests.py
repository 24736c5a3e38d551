import io
from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from portal import digests
from portal.mentoring.models import Pairing
from portal.notifications.models import DigestSent
from portal.recognition.models import Category
from tests.mentoring.factories import paired
from tests.recognition.factories import recognise, team_with_manager

pytestmark = pytest.mark.django_db


def test_a_digest_carries_recognition_and_check_ins_due_in_text_and_html(settings):
    _team, manager, [member] = team_with_manager()
    recognise(
        manager,
        member,
        points=10,
        message="Loved your lab story.",
        category=Category.objects.get(name="Great storyteller"),
    )
    pairing = paired()
    Pairing.objects.filter(pk=pairing.pk).update(started_at=pairing.started_at - timedelta(days=30))
    run = digests.digests_send()
    assert run.sent >= 2
    by_person = {message.to[0]: message for message in mail.outbox}
    text = by_person[member.email].body
    assert "Loved your lab story." in text
    html = by_person[member.email].alternatives[0][0]
    assert "Loved your lab story." in html
    assert pairing.mentee.profile.name in by_person[pairing.mentor.email].body
    assert "Check-ins due with your mentees" in by_person[pairing.mentor.email].body


def test_never_twice_in_a_week_and_off_when_switched_off(client):
    _team, manager, [member] = team_with_manager()
    recognise(manager, member, points=5, message="Thanks!")
    first = digests.digests_send()
    count = len(mail.outbox)
    assert first.sent == count
    again = digests.digests_send()
    assert (again.sent, again.already_sent) == (0, count)
    assert len(mail.outbox) == count

    client.force_login(member)
    client.post(reverse("notifications:digest"), {"enabled": "0"})
    assert b"Weekly digest email: <strong>off" in client.get(reverse("notifications:list")).content
    DigestSent.objects.all().delete()
    mail.outbox.clear()
    digests.digests_send()
    assert member.email not in [message.to[0] for message in mail.outbox]


def test_a_failed_send_gives_the_week_back():
    _team, manager, [member] = team_with_manager()
    recognise(manager, member, points=1, message="Hi")
    with mock.patch.object(digests, "_send", side_effect=OSError("SMTP down")):
        run = digests.digests_send()
    assert run.failed >= 1
    assert not DigestSent.objects.filter(user=member).exists()
    assert digests.digests_send().sent >= 1


def test_the_command_reports_and_dry_run_sends_nothing():
    _team, manager, [member] = team_with_manager()
    recognise(manager, member, points=1, message="Hi")
    out = io.StringIO()
    call_command("send_digests", "--dry-run", stdout=out)
    assert "would be sent" in out.getvalue()
    assert mail.outbox == []
    assert not DigestSent.objects.exists()
    call_command("send_digests", stdout=out)
    assert len(mail.outbox) >= 1
