"""Working time, on a fixed clock: messages wait for a person's working window, and
hourly workers earn no points and no streak for what they do outside their hours."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.urls import reverse

from portal import digests
from portal.activity.models import PointsRule
from portal.activity.selectors import streak_weeks
from portal.activity.services import UNPAID, activity_record
from portal.notifications.models import Notification
from portal.notifications.services import notification_push, notification_send, notifications_due
from portal.people.importing import parse_people_csv
from portal.people.models import WorkingTimeSettings
from portal.people.worktime import WorkingTime, working_time
from tests.people.factories import UserFactory
from tests.realtime import capture_broadcasts
from tests.recognition.factories import recognise, team_with_manager
from tests.tasks import DB_TASKS

pytestmark = pytest.mark.django_db

BERLIN = ZoneInfo("Europe/Berlin")
WEEKDAYS = WorkingTime(zone=BERLIN, days=frozenset(range(1, 6)), start=time(9), end=time(17))
NIGHTS = WorkingTime(zone=BERLIN, days=frozenset({1}), start=time(22), end=time(6))


def berlin(*args) -> datetime:
    return datetime(*args, tzinfo=BERLIN)


@pytest.fixture
def programme():
    """Monday to Friday, 09:00 to 17:00 in Berlin; hourly workers earn nothing outside."""
    settings = WorkingTimeSettings.load()
    settings.time_zone = "Europe/Berlin"
    settings.work_days = "12345"
    settings.work_start, settings.work_end = time(9), time(17)
    settings.hourly_unrewarded_outside_hours = True
    settings.save()
    return settings


@pytest.fixture
def clock(monkeypatch):
    """A fixed clock every ``timezone.now()`` reads; move it with ``clock.at(moment)``."""

    class Clock:
        now = berlin(2026, 12, 4, 20, 0)  # a Friday evening

        def at(self, moment):
            self.now = moment

    fixed = Clock()
    monkeypatch.setattr("django.utils.timezone.now", lambda: fixed.now.astimezone(UTC))
    return fixed


def test_windows_in_the_persons_own_zone():
    assert WEEKDAYS.contains(berlin(2026, 12, 4, 16, 59))
    assert not WEEKDAYS.contains(berlin(2026, 12, 4, 17, 0))
    assert WEEKDAYS.contains(datetime(2026, 12, 4, 8, 30, tzinfo=UTC))  # 09:30 in Berlin
    # Friday evening waits for Monday morning.
    assert WEEKDAYS.next_start(berlin(2026, 12, 4, 20, 0)) == berlin(2026, 12, 7, 9, 0)
    # Across the change to summer time the window still opens at 09:00 local.
    assert WEEKDAYS.next_start(berlin(2027, 3, 27, 12, 0)) == berlin(2027, 3, 29, 9, 0)
    assert WEEKDAYS.next_start(berlin(2027, 3, 29, 10, 0)) == berlin(2027, 3, 29, 10, 0)


def test_a_night_shift_runs_past_midnight():
    assert NIGHTS.contains(berlin(2026, 12, 7, 23, 0))  # Monday night
    assert NIGHTS.contains(berlin(2026, 12, 8, 5, 59))  # early Tuesday, same shift
    assert not NIGHTS.contains(berlin(2026, 12, 8, 22, 0))  # Tuesday is no shift
    assert NIGHTS.next_start(berlin(2026, 12, 8, 7, 0)) == berlin(2026, 12, 14, 22, 0)


def test_own_hours_and_zone_take_precedence_over_the_programmes(programme):
    person = UserFactory(profile__time_zone="America/New_York", profile__work_days="67")
    own = working_time(person.profile)
    assert own.zone == ZoneInfo("America/New_York")
    assert own.days == {6, 7}
    assert (own.start, own.end) == (time(9), time(17))  # the programme's hours
    assert working_time(UserFactory().profile).zone == BERLIN


def test_a_notification_outside_hours_waits_for_the_window(
    programme, clock, django_capture_on_commit_callbacks
):
    person = UserFactory(profile__onboarded=True)
    with capture_broadcasts() as sent, django_capture_on_commit_callbacks(execute=True):
        note = notification_send(user=person, kind="nudge", title="Your mentor says hi")
        notification_push(user_id=person.pk, kind="points", title="+5 points")
    assert sent == []  # nothing reaches their pages or phone on Friday evening
    note.refresh_from_db()
    assert note.push_due_at == berlin(2026, 12, 7, 9, 0)
    assert Notification.objects.filter(user=person).count() == 1  # in their list at once

    clock.at(berlin(2026, 12, 7, 8, 59))
    assert notifications_due() == 0
    clock.at(berlin(2026, 12, 7, 9, 0))
    with capture_broadcasts() as sent, django_capture_on_commit_callbacks(execute=True):
        assert notifications_due() == 1
        assert notifications_due() == 0  # once
    assert [event["title"] for _, event in sent] == ["Your mentor says hi"]


def test_a_notification_in_hours_goes_at_once(programme, clock, django_capture_on_commit_callbacks):
    clock.at(berlin(2026, 12, 7, 10, 0))
    person = UserFactory(profile__onboarded=True)
    with capture_broadcasts() as sent, django_capture_on_commit_callbacks(execute=True):
        note = notification_send(user=person, kind="nudge", title="Now")
    assert note.push_due_at is None
    assert len(sent) == 1


def test_digests_wait_for_each_persons_window(programme, clock):
    _team, manager, [tokyo, berlin_office] = team_with_manager(members=2)
    tokyo.profile.time_zone = "Asia/Tokyo"  # Monday 09:00 in Tokyo is 01:00 in Berlin
    tokyo.profile.save()
    recognise(manager, tokyo, points=5, message="Thanks!")
    recognise(manager, berlin_office, points=5, message="Thanks to you too!")
    clock.at(berlin(2026, 12, 7, 8, 0))  # Monday 08:00 Berlin, 16:00 Tokyo
    run = digests.digests_send()
    assert tokyo.email in [message.to[0] for message in mail.outbox]
    assert berlin_office.email not in [message.to[0] for message in mail.outbox]
    assert run.waiting >= 1
    clock.at(berlin(2026, 12, 7, 9, 0))
    digests.digests_send()
    assert berlin_office.email in [message.to[0] for message in mail.outbox]


def test_the_weekly_job_reruns_hourly_while_people_wait(
    programme, clock, settings, django_capture_on_commit_callbacks
):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = DB_TASKS
    settings.TIME_ZONE = "Europe/Berlin"
    clock.at(berlin(2026, 12, 7, 8, 0))
    with django_capture_on_commit_callbacks(execute=True):
        assert digests.digests_weekly() is True
    DBTaskResult.objects.update(enqueued_at=clock.now)  # stamped by the fixed clock
    assert digests.digests_weekly() is False  # the first run is pending
    run = DBTaskResult.objects.get()
    run.set_successful({"sent": 1, "waiting": 3})
    clock.at(berlin(2026, 12, 7, 8, 30))
    assert digests.digests_weekly() is False  # not an hour yet
    clock.at(berlin(2026, 12, 7, 9, 1))
    with django_capture_on_commit_callbacks(execute=True):
        assert digests.digests_weekly() is True
    latest = DBTaskResult.objects.exclude(pk=run.pk).get()
    DBTaskResult.objects.filter(pk=latest.pk).update(enqueued_at=clock.now)
    latest.refresh_from_db()
    latest.set_successful({"sent": 3, "waiting": 0})
    clock.at(berlin(2026, 12, 7, 11, 0))
    assert digests.digests_weekly() is False  # everyone has theirs


@pytest.fixture
def quiz_points():
    PointsRule.objects.update_or_create(
        verb="quiz.passed", defaults={"points": 5, "score_bonus": 0, "daily_cap": 0}
    )


def test_hourly_work_outside_hours_earns_no_points_and_no_streak(programme, clock, quiz_points):
    hourly = UserFactory(profile__hourly=True)
    salaried = UserFactory()
    saturday = berlin(2026, 12, 5, 11, 0)
    late = activity_record(actor=hourly, verb="quiz.passed", key="h1", timestamp=saturday)
    assert late.activity.points == 0
    assert late.activity.context[UNPAID] is True
    assert streak_weeks(user=hourly, today=date(2026, 12, 5)) == 0
    # The same by someone salaried earns as ever; not everything is the person's work.
    assert activity_record(actor=salaried, verb="quiz.passed", key="s1", timestamp=saturday)\
        .activity.points == 5  # fmt: skip
    adjusted = activity_record(
        actor=UserFactory(profile__hourly=True), verb="points.adjusted", key="adj", points=3,
        timestamp=saturday,
    )  # fmt: skip
    assert adjusted.activity.points == 3
    # In their hours they earn, and the week counts.
    monday = berlin(2026, 12, 7, 10, 0)
    on_time = activity_record(actor=hourly, verb="quiz.passed", key="h2", timestamp=monday)
    assert on_time.activity.points == 5
    assert streak_weeks(user=hourly, today=date(2026, 12, 7)) == 1


def test_the_programme_may_reward_hourly_work_at_any_time(programme, clock, quiz_points):
    programme.hourly_unrewarded_outside_hours = False
    programme.save()
    hourly = UserFactory(profile__hourly=True)
    saturday = berlin(2026, 12, 5, 11, 0)
    assert activity_record(actor=hourly, verb="quiz.passed", key="h", timestamp=saturday)\
        .activity.points == 5  # fmt: skip


def test_people_set_their_working_time(client, programme):
    person = UserFactory(profile__onboarded=True)
    client.force_login(person)
    page = client.get(reverse("notifications:settings"))
    assert page.status_code == 200
    assert "The programme&#x27;s (Europe/Berlin)" in page.content.decode()
    response = client.post(
        reverse("notifications:settings"),
        {"time_zone": "Europe/Madrid", "work_days": ["2", "3", "4"], "work_start": "07:30",
         "work_end": "15:30", "hourly": "on"},
    )  # fmt: skip
    assert response.status_code == 302
    person.profile.refresh_from_db()
    assert (person.profile.time_zone, person.profile.work_days) == ("Europe/Madrid", "234")
    assert (person.profile.work_start, person.profile.work_end) == (time(7, 30), time(15, 30))
    assert person.profile.hourly is True


@pytest.mark.parametrize(
    "data",
    [
        {"time_zone": "Mars/Olympus"},
        {"time_zone": "Europe/Berlin\x00"},
        {"work_days": ["8"]},
        {"work_start": "09:00"},
        {"work_start": "25:00", "work_end": "17:00"},
    ],
)
def test_bad_working_time_is_refused_and_changes_nothing(client, programme, data):
    person = UserFactory(profile__onboarded=True, profile__time_zone="Europe/Paris")
    client.force_login(person)
    response = client.post(reverse("notifications:settings"), data)
    assert response.status_code == 400
    person.profile.refresh_from_db()
    assert person.profile.time_zone == "Europe/Paris"


def test_the_import_carries_hourly_and_time_zone():
    rows, _ = parse_people_csv(
        b"email,first_name,last_name,hourly,time_zone\n"
        b"a@example.com,Ann,Lee,yes,Europe/Vienna\nb@example.com,Bo,Ek,no,\n"
    )
    assert [(row.hourly, row.time_zone) for row in rows] == [("yes", "Europe/Vienna"), ("no", "")]
    from portal.people.importing import PeopleImportError

    with pytest.raises(PeopleImportError) as error:
        parse_people_csv(
            b"email,first_name,last_name,hourly,time_zone\nc@example.com,C,D,maybe,Nowhere\n"
        )
    text = str(error.value.problems)
    assert "write yes or no" in text
    assert "is not a time zone" in text


def test_outside_hours_timestamps_use_the_real_clock_by_default(programme, clock):
    clock.at(berlin(2026, 12, 5, 11, 0))  # Saturday
    hourly = UserFactory(profile__hourly=True)
    PointsRule.objects.update_or_create(
        verb="quiz.passed", defaults={"points": 5, "score_bonus": 0, "daily_cap": 0}
    )
    assert activity_record(actor=hourly, verb="quiz.passed", key="now").activity.points == 0
    clock.at(clock.now + timedelta(days=2))  # Monday 11:00
    assert activity_record(actor=hourly, verb="quiz.passed", key="later").activity.points == 5
