"""The monthly summary email to programme admins: its figures, sent once, a failure given
back, queued once a month by the worker job, and the command."""

import io
from datetime import datetime, timedelta
from unittest import mock

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from portal.activity.models import Activity
from portal.activity.services import activity_record
from portal.measurement import summary
from portal.measurement.models import Kpi, SummarySent, Target
from tests.people.factories import UserFactory
from tests.tasks import DB_TASKS, run_queued

pytestmark = pytest.mark.django_db


@pytest.fixture
def last_month(django_capture_on_commit_callbacks):
    """Six people: three shares last month, one the month before; one badge."""
    today = timezone.localdate()
    month = summary.month_of(today.replace(day=1) - timedelta(days=1))
    before = summary.month_of(month.start - timedelta(days=1))
    people = [UserFactory(profile__onboarded=True) for _ in range(6)]
    with django_capture_on_commit_callbacks(execute=True):
        for index, person in enumerate(people[:3]):
            activity_record(actor=person, verb="content.shared", key=f"s{index}", points=5,
                            timestamp=month.start_at + timedelta(days=index, hours=9))  # fmt: skip
        activity_record(actor=people[3], verb="content.shared", key="old",
                        timestamp=before.start_at + timedelta(hours=9))  # fmt: skip
        activity_record(actor=people[4], verb="badge.earned", key="b",
                        timestamp=month.start_at + timedelta(hours=3))  # fmt: skip
    return month


def headline(rows, label):
    return next(row for row in rows if row.label == label)


def test_the_headlines_and_their_change(last_month):
    rows = summary.headlines(last_month)
    shares = Activity.objects.filter(
        verb="content.shared", timestamp__gte=last_month.start_at, timestamp__lt=last_month.end_at
    ).count()
    points = headline(rows, "Points awarded")
    assert (points.now, points.before) == (5 * shares, 0)
    badges = headline(rows, "Badges earned")
    assert (badges.now, badges.before, badges.change) == (1, 0, "new")
    assert summary.Headline("x", 3, 2).change == "+50%"
    assert summary.Headline("x", 1, 4).change == "-75%"


def test_every_programme_admin_gets_it_once_in_text_and_html(last_month, programme_admin):
    Target.objects.create(objective="Reach", kpi=Kpi.SHARES, value=10,
                          cadence=Target.Cadence.MONTHLY, starts=last_month.start)  # fmt: skip
    UserFactory()  # not an admin: nothing for them
    run = summary.summaries_send(month=last_month.start)
    assert (run.sent, run.failed) == (1, 0)
    [message] = mail.outbox
    assert message.to == [programme_admin.email]
    assert message.subject == f"The advocacy programme in {last_month.label}"
    html = message.alternatives[0][0]
    for body in (message.body, html):
        assert "Badges earned" in body
        assert "10 shares a month" in body
        assert f"start={last_month.start.isoformat()}" in body
    again = summary.summaries_send(month=last_month.start)
    assert (again.sent, again.already_sent) == (0, 1)
    assert len(mail.outbox) == 1


def test_a_failed_send_gives_the_month_back(last_month, programme_admin):
    with mock.patch.object(summary, "_send", side_effect=OSError("SMTP down")):
        assert summary.summaries_send(month=last_month.start).failed == 1
    assert not SummarySent.objects.exists()
    assert summary.summaries_send(month=last_month.start).sent == 1


def test_the_worker_job_queues_it_once_from_the_first_at_eight(programme_admin, settings):
    settings.TASKS = DB_TASKS
    tz = timezone.get_current_timezone()
    before = datetime(2026, 12, 1, 7, 59, tzinfo=tz)
    assert summary.summaries_monthly(now=before) is False
    at = datetime(2026, 12, 1, 8, 5, tzinfo=tz)
    with mock.patch.object(summary.timezone, "now", return_value=at):
        assert summary.summaries_monthly(now=at) is True
        assert summary.summaries_monthly(now=at + timedelta(hours=1)) is False
    task = DBTaskResult.objects.get(task_path=summary.summaries_send_task.module_path)
    assert task.args_kwargs["args"] == ["2026-11-01"]
    run_queued()  # the worker sends it
    assert [message.to for message in mail.outbox] == [[programme_admin.email]]
    # Once sent, pruning the finished task does not queue it again.
    DBTaskResult.objects.all().delete()
    assert summary.summaries_monthly(now=at + timedelta(days=2)) is False


def test_the_command(last_month, programme_admin):
    out = io.StringIO()
    call_command("send_programme_summary", f"--month={last_month.start:%Y-%m}", stdout=out)
    assert "sent 1" in out.getvalue()
    with pytest.raises(Exception, match="YYYY-MM"):
        call_command("send_programme_summary", "--month=November")
