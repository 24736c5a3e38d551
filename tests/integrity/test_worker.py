"""The background worker's recovery of tasks, invitations queued when mail is down, and
the health endpoints against a real Redis channel layer with a consumer receiving."""

import asyncio
from datetime import timedelta

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from portal.people.importing import import_people
from portal.people.models import User
from portal.worker.housekeeping import (
    TASK_MAX_ATTEMPTS,
    tasks_prune,
    tasks_recover,
    workers_alive,
)
from portal.worker.models import WorkerBeat
from tests.servers import RedisServer
from tests.tasks import DB_TASKS, run_queued

pytestmark = pytest.mark.django_db


class MailDown(Exception):
    pass


@pytest.fixture
def mail_down(settings):
    settings.EMAIL_BACKEND = "tests.integrity.test_worker.DownBackend"


class DownBackend(BaseEmailBackend):
    def send_messages(self, messages):
        raise MailDown("connection refused")


CSV = b"email,first_name,last_name\nnew1@example.com,Ada,One\nnew2@example.com,Bo,Two\n"


def test_an_import_with_invitations_while_mail_is_down_commits_and_invites_later(
    settings, mail_down, django_capture_on_commit_callbacks
):
    settings.TASKS = DB_TASKS
    with django_capture_on_commit_callbacks(execute=True):
        report = import_people(data=CSV, invite=True)  # no exception after the commit
    assert report.invited == 2
    assert User.objects.filter(email__startswith="new").count() == 2
    run_queued()
    failed = DBTaskResult.objects.filter(status=TaskResultStatus.FAILED)
    assert failed.count() == 2
    assert "MailDown" in failed.first().exception_class_path

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"  # mail is back
    later = timezone.now() + timedelta(minutes=1)
    assert tasks_recover(now=later) == 2
    run_queued()
    assert sorted(message.to[0] for message in mail.outbox) == [
        "new1@example.com",
        "new2@example.com",
    ]
    assert DBTaskResult.objects.filter(status=TaskResultStatus.SUCCESSFUL).count() == 2
    assert tasks_recover(now=later + timedelta(hours=1)) == 0  # nothing sent twice


def test_failed_tasks_stop_after_their_attempts(settings, mail_down):
    settings.TASKS = DB_TASKS
    from portal.people.tasks import invitation_send

    person = User.objects.create_user(email="late@example.com", password=None)
    invitation_send.enqueue(person.pk)
    moment = timezone.now()
    for _ in range(TASK_MAX_ATTEMPTS):
        run_queued()
        moment += timedelta(hours=1)
        tasks_recover(now=moment)
    result = DBTaskResult.objects.get()
    assert result.status == TaskResultStatus.FAILED
    assert len(result.worker_ids) == TASK_MAX_ATTEMPTS


def test_a_task_left_running_by_a_dead_worker_runs_again(settings):
    settings.TASKS = DB_TASKS
    from portal.people.tasks import invitation_send

    person = User.objects.create_user(email="wait@example.com", password=None)
    invitation_send.enqueue(person.pk)
    claimed = DBTaskResult.objects.get()
    claimed.claim("dead-worker")
    now = timezone.now()
    WorkerBeat.objects.create(worker_id="dead-worker", started_at=now, seen_at=now)
    assert tasks_recover(now=now + timedelta(seconds=5)) == 0  # alive: leave it
    assert workers_alive(now=now) == 1
    assert tasks_recover(now=now + timedelta(minutes=5)) == 1  # silent: run it again
    run_queued()
    assert mail.outbox[0].to == ["wait@example.com"]


def test_finished_tasks_are_pruned_failures_kept_longer(settings, mail_down):
    settings.TASKS = DB_TASKS
    from portal.people.tasks import invitation_send

    for email in ("done@example.com", "failing@example.com"):
        invitation_send.enqueue(User.objects.create_user(email=email, password=None).pk)
    run_queued()  # mail is down: both fail
    failed = DBTaskResult.objects.order_by("pk").first()
    DBTaskResult.objects.filter(pk=failed.pk).update(status=TaskResultStatus.SUCCESSFUL)
    now = timezone.now()
    assert tasks_prune(now=now + timedelta(hours=23)) == 0
    assert tasks_prune(now=now + timedelta(hours=25)) == 1  # the one that succeeded
    assert DBTaskResult.objects.get().status == TaskResultStatus.FAILED
    assert tasks_prune(now=now + timedelta(days=29)) == 0  # admins still see the failure
    assert tasks_prune(now=now + timedelta(days=31)) == 1


@pytest.mark.slow
def test_the_channel_layer_check_passes_while_a_consumer_is_receiving_on_redis():
    from channels_redis.core import RedisChannelLayer

    from portal import health

    server = RedisServer().start()
    try:

        async def scenario():
            layer = RedisChannelLayer(hosts=[server.url], prefix="healthtest")
            consumer_channel = await layer.new_channel()
            receiving = asyncio.ensure_future(layer.receive(consumer_channel))
            await asyncio.sleep(0.2)  # the consumer now holds the layer's receive loop
            original = health.get_channel_layer
            health.get_channel_layer = lambda: layer
            try:
                await asyncio.wait_for(health._check_channel_layer(), 3)
            finally:
                health.get_channel_layer = original
                receiving.cancel()
                await layer.flush()

        asyncio.run(scenario())
    finally:
        server.kill()
