"""The weekly digest: what each person should know this week, by email.

It gathers from every feature (training, the hub, recognition, mentoring), so it lives
in the composition layer; the subscriptions and sent weeks are notification models.

``digest_content`` gathers it (a selector); ``digests_send`` reserves the person's
week in the database before sending, so a second run in the same week, or two runs at
once, never send the same digest twice. A failed send gives the week back.
"""

from dataclasses import asdict, dataclass, field
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext
from django_tasks import task
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from courses.selectors import onboarding_next_step
from portal.locales import localised
from portal.mentoring.selectors import mentee_rows
from portal.notifications.models import DigestSent, DigestSubscription
from portal.notifications.services import send_once
from portal.people.models import User, WorkingTimeSettings
from portal.people.selectors import language_of
from portal.people.worktime import working_time
from portal.recognition.models import Recognition
from portal.sharing.selectors import hub_feed


@dataclass
class DigestContent:
    next_step: object = None  # courses.selectors.NextStep
    hub_items: list = field(default_factory=list)
    recognitions: list = field(default_factory=list)
    checkins_due: list = field(default_factory=list)  # mentee rows

    @property
    def empty(self) -> bool:
        return not (self.next_step or self.hub_items or self.recognitions or self.checkins_due)


def iso_week(moment) -> str:
    year, week, _ = timezone.localdate(moment).isocalendar()
    return f"{year}-W{week:02d}"


def digest_content(*, user: User, now=None) -> DigestContent:
    now = now or timezone.now()
    since = now - timedelta(days=7)
    interests = {name.lower() for name in user.profile.interests.names()}
    new_items = [
        card.item
        for card in hub_feed(user=user, now=now).cards
        if (card.item.first_published_at or card.item.created_at) >= since
        and interests & {tagged.tag.name.lower() for tagged in card.item.tagged_items.all()}
    ][:5]
    return DigestContent(
        next_step=onboarding_next_step(user=user),
        hub_items=new_items,
        recognitions=list(
            Recognition.objects.filter(recipient=user, created_at__gte=since)
            .select_related("giver__profile", "category")
            .order_by("-created_at")[:5]
        ),
        checkins_due=[row for row in mentee_rows(mentor=user) if row["checkin_due"]],
    )


@dataclass
class DigestRun:
    sent: int = 0
    skipped_empty: int = 0
    already_sent: int = 0
    failed: int = 0
    # Outside their working hours now: a later run this week sends theirs.
    waiting: int = 0


def digests_send(*, now=None, dry_run: bool = False) -> DigestRun:
    now = now or timezone.now()
    week = iso_week(now)
    run = DigestRun()
    switched_off = set(
        DigestSubscription.objects.filter(enabled=False).values_list("user_id", flat=True)
    )
    done = set(DigestSent.objects.filter(week=week).values_list("user_id", flat=True))
    people = User.objects.filter(is_active=True, profile__onboarded_at__isnull=False)
    defaults = WorkingTimeSettings.load()
    for user in people.select_related("profile").order_by("pk"):
        if user.pk in switched_off:
            continue
        if user.pk in done:
            run.already_sent += 1
            continue
        if not working_time(user.profile, defaults).contains(now):
            run.waiting += 1
            continue
        content = digest_content(user=user, now=now)
        if content.empty:
            run.skipped_empty += 1
            continue
        if dry_run:
            run.sent += 1
            continue
        outcome = send_once(
            reserve=partial(DigestSent.objects.create, user=user, week=week, sent_at=now),
            send=partial(_send, user=user, content=content, week=week),
            what=f"The weekly digest to user {user.pk}",
        )
        setattr(run, outcome, getattr(run, outcome) + 1)
    return run


class DigestsFailed(RuntimeError):
    pass


@task()
def digests_send_task() -> dict:
    """This week's digests, as a background task. Digests that failed gave their week
    back; failing the task makes the worker run it again later (sending only those),
    and shows the failure to admins meanwhile."""
    run = digests_send()
    if run.failed:
        raise DigestsFailed(f"{run.failed} digests could not be sent; they are tried again.")
    return asdict(run)


# The digests go out from this weekday (0 is Monday) and hour, local time, to everyone
# whose working window is open then; to the others as theirs opens (hourly reruns).
DIGEST_WEEKDAY = 0
DIGEST_HOUR = 8
RERUN = timedelta(hours=1)


def digests_weekly(*, now=None) -> bool:
    """A worker job: from Monday 08:00 on, queue this week's digests; while the last run
    left people waiting for their working window, queue another an hour after it.
    Returns whether it queued a run."""
    now = timezone.localtime(now or timezone.now())
    week_start = (now - timedelta(days=(now.weekday() - DIGEST_WEEKDAY) % 7)).replace(
        hour=DIGEST_HOUR, minute=0, second=0, microsecond=0
    )
    if week_start > now:
        week_start -= timedelta(days=7)
    last = (
        DBTaskResult.objects.filter(
            task_path=digests_send_task.module_path, enqueued_at__gte=week_start
        )
        .order_by("-enqueued_at")
        .first()
    )
    if last is not None:
        finished = last.status == TaskResultStatus.SUCCESSFUL
        waiting = finished and (last.return_value or {}).get("waiting", 0)
        if not waiting or last.enqueued_at > now - RERUN:
            return False
    digests_send_task.enqueue()  # two workers at once queue it twice: it sends once
    return True


def _send(*, user: User, content: DigestContent, week: str) -> None:
    context = {"user": user, "content": content, "week": week, "site_url": settings.SITE_URL}
    with translation.override(language_of(user)):  # their language, not the sender's
        # Each new hub item with its words in their language (the link is the original's).
        context["hub_items"] = list(
            zip(content.hub_items, localised(content.hub_items), strict=True)
        )
        message = EmailMultiAlternatives(
            subject=gettext("Your week in the advocacy programme"),
            body=render_to_string("notifications/email/digest.txt", context),
            to=[user.email],
        )
        message.attach_alternative(
            render_to_string("notifications/email/digest.html", context), "text/html"
        )
    message.send()
