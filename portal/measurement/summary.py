"""The monthly summary email to programme admins: the last month's headline figures
beside the month before's, and where each target stands, in HTML and plain text.

A worker job queues it once a month, from the 1st at 08:00 (local time); each admin's
month is reserved in the database before sending, so runs that overlap or repeat never
send it twice, and a failed send gives the month back for the next run.
"""

from dataclasses import asdict, dataclass, replace
from datetime import date, datetime, time, timedelta
from functools import partial

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from portal.notifications.services import send_once
from portal.people.models import User
from portal.people.selectors import language_of
from portal.people.services import Role

from . import motivation, objectives, selectors
from .models import SummarySent
from .selectors import Period
from .tables import change

SUMMARY_DAY = 1
SUMMARY_HOUR = 8


def month_of(day: date) -> Period:
    first = day.replace(day=1)
    last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    return Period(first, last, date_format(first, "F Y"))


@dataclass(frozen=True)
class Headline:
    label: str
    now: object
    before: object

    @property
    def change(self) -> str:
        return change(self.now, self.before)


def headlines(month: Period) -> list[Headline]:
    """The month's headline figures for the whole programme, beside the month before's."""
    before = month_of(month.start - timedelta(days=1))
    scope = selectors.whole_programme()
    funnel_now = selectors.funnel(scope=scope, period=month)
    funnel_before = selectors.funnel(scope=scope, period=before)
    reach_now = selectors.reach(scope=scope, period=month, tops=False)
    reach_before = selectors.reach(scope=scope, period=before, tops=False)
    figures_now = motivation.totals(scope.statements, month)
    figures_before = motivation.totals(scope.statements, before)
    rows = []
    if not funnel_now.hidden:
        for index in (2, 4, 5):  # onboarded, sharing unlocked, first share: the new ones
            rows.append(
                Headline(
                    gettext("%(step)s: new") % {"step": funnel_now.steps[index].label},
                    funnel_now.steps[index].new,
                    funnel_before.steps[index].new if funnel_before.steps else 0,
                )
            )
    rows += [
        Headline(gettext("Shares"), reach_now.shares, reach_before.shares),
        Headline(gettext("Unique readers (clicks)"), reach_now.clicks, reach_before.clicks),
        Headline(gettext("Conversions"), reach_now.conversions, reach_before.conversions),
        Headline(gettext("Earned media value (%(currency)s)") % {"currency": reach_now.currency},
                 reach_now.value, reach_before.value),
        Headline(gettext("Points awarded"), motivation.points_awarded(figures_now),
                 motivation.points_awarded(figures_before)),
        Headline(gettext("Badges earned"), motivation.count(figures_now, "badge.earned"),
                 motivation.count(figures_before, "badge.earned")),
        Headline(gettext("Recognitions and kudos"),
                 motivation.count(figures_now, "recognition.received"),
                 motivation.count(figures_before, "recognition.received")),
    ]  # fmt: skip
    return rows


def _recipients():
    return (
        User.objects.filter(is_active=True, groups__name=Role.PROGRAMME_ADMIN)
        .exclude(email="")
        .distinct()
        .order_by("pk")
    )


@dataclass
class SummaryRun:
    sent: int = 0
    already_sent: int = 0
    failed: int = 0


def summaries_send(*, month: date) -> SummaryRun:
    """Send ``month``'s summary to every programme admin who has not had it."""
    period = month_of(month)
    run = SummaryRun()
    done = set(SummarySent.objects.filter(month=period.start).values_list("user_id", flat=True))
    contexts: dict[str, dict] = {}
    for user in _recipients():
        if user.pk in done:
            run.already_sent += 1
            continue
        language = language_of(user)
        if language not in contexts:  # computed once per language, in that language
            with translation.override(language):
                contexts[language] = _context(period)
        context = contexts[language]
        outcome = send_once(
            reserve=partial(SummarySent.objects.create, user=user, month=period.start,
                            sent_at=timezone.now()),
            send=partial(_send, user=user, context=context),
            what=f"The programme summary to user {user.pk}",
        )  # fmt: skip
        setattr(run, outcome, getattr(run, outcome) + 1)
    return run


def _context(period: Period) -> dict:
    today = timezone.localdate()
    progress = [objectives.progress(target, today=today)
                for target in objectives.Target.objects.all()]  # fmt: skip
    query = f"?period=custom&start={period.start.isoformat()}&end={period.end.isoformat()}"
    return {
        "period": replace(period, label=date_format(period.start, "F Y")),
        "headlines": headlines(period),
        "targets": progress,
        "dashboard_url": settings.SITE_URL.rstrip("/") + reverse("measurement:programme") + query,
    }


def _send(*, user: User, context: dict) -> None:
    context = {**context, "user": user}
    with translation.override(language_of(user)):
        subject = gettext("The advocacy programme in %(month)s") % {
            "month": context["period"].label
        }
        message = EmailMultiAlternatives(
            subject=subject,
            body=render_to_string("measurement/email/summary.txt", context),
            to=[user.email],
        )
        message.attach_alternative(
            render_to_string("measurement/email/summary.html", context), "text/html"
        )
    message.send()


class SummariesFailed(RuntimeError):
    pass


@task()
def summaries_send_task(month: str) -> dict:
    """A month's summaries as a background task; failing makes the worker try again
    later (sending only to those who did not get it)."""
    run = summaries_send(month=date.fromisoformat(month))
    if run.failed:
        raise SummariesFailed(f"{run.failed} summaries could not be sent; they are tried again.")
    return asdict(run)


def summaries_monthly(*, now: datetime | None = None) -> bool:
    """A worker job: from the 1st at 08:00 on, queue the last month's summaries once.
    Returns whether it queued them."""
    now = timezone.localtime(now or timezone.now())
    today = now.date()
    start = timezone.make_aware(
        datetime.combine(today.replace(day=SUMMARY_DAY), time(SUMMARY_HOUR))
    )
    if now < start:
        return False
    last_month = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
    queued = DBTaskResult.objects.filter(
        task_path=summaries_send_task.module_path, enqueued_at__gte=start
    )
    # Queued this month already (finished tasks are pruned after a day: then the sent
    # reservations say it).
    if queued.exists() or SummarySent.objects.filter(month=last_month).exists():
        return False
    summaries_send_task.enqueue(last_month.isoformat())  # twice at once: it sends once
    return True
