"""Working time: when a person works, in their own time zone.

Messages (notifications pushed to a phone or a page, nudges, digests) wait for the
person's next working window; with the programme's choice, what hourly workers do
outside their hours earns no points and no streak (``unpaid_time``, which the ledger
asks through ``settings.ACTIVITY_UNPAID_TIME``). A person's own hours and zone take
precedence over the programme's defaults (``WorkingTimeSettings``).
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from django.utils import timezone

from .models import Profile, WorkingTimeSettings


@lru_cache(maxsize=1)
def zone_names() -> frozenset[str]:
    return frozenset(available_timezones())


def zone_valid(name: str) -> bool:
    return name in zone_names()


@dataclass(frozen=True)
class WorkingTime:
    zone: ZoneInfo
    days: frozenset[int]  # ISO weekdays, 1 is Monday
    start: time
    end: time  # before ``start``: the shift ends the next day

    def _shift(self, day: date) -> tuple[datetime, datetime]:
        begins = datetime.combine(day, self.start, tzinfo=self.zone)
        ends_on = day if self.end > self.start else day + timedelta(days=1)
        return begins, datetime.combine(ends_on, self.end, tzinfo=self.zone)

    def contains(self, moment: datetime) -> bool:
        local = moment.astimezone(self.zone)
        for day in (local.date() - timedelta(days=1), local.date()):
            if day.isoweekday() in self.days:
                begins, ends = self._shift(day)
                if begins <= moment < ends:
                    return True
        return False

    def next_start(self, moment: datetime) -> datetime:
        """``moment`` itself when it is working time, else when the next shift begins."""
        if self.contains(moment):
            return moment
        local = moment.astimezone(self.zone).date()
        for offset in range(8):
            day = local + timedelta(days=offset)
            if day.isoweekday() in self.days:
                begins, _ = self._shift(day)
                if begins > moment:
                    return begins
        return moment  # no working day at all: nothing to wait for


def working_time(profile: Profile | None, defaults: WorkingTimeSettings | None = None):
    defaults = defaults or WorkingTimeSettings.load()
    zone_name = (profile.time_zone if profile else "") or defaults.time_zone
    try:
        zone = ZoneInfo(zone_name)
    except (ZoneInfoNotFoundError, ValueError):
        zone = ZoneInfo("UTC")
    days = (profile.work_days if profile else "") or defaults.work_days
    start, end = defaults.work_start, defaults.work_end
    if profile is not None and profile.work_start and profile.work_end:
        start, end = profile.work_start, profile.work_end
    return WorkingTime(
        zone=zone,
        days=frozenset(int(day) for day in days if day in "1234567"),
        start=start,
        end=end,
    )


def unpaid_time(actor, moment: datetime) -> bool:
    """Whether what ``actor`` did at ``moment`` falls outside the hours of an hourly
    worker, in a programme that rewards no such activity."""
    profile = Profile.objects.filter(user_id=actor.pk).first()
    if profile is None or not profile.hourly:
        return False
    defaults = WorkingTimeSettings.load()
    if not defaults.hourly_unrewarded_outside_hours:
        return False
    return not working_time(profile, defaults).contains(moment)


def deliver_times(user_ids, moment: datetime | None = None) -> dict[int, datetime]:
    """``deliver_at`` for many people at once: two queries, whatever their number."""
    moment = moment or timezone.now()
    defaults = WorkingTimeSettings.load()
    profiles = {
        profile.user_id: profile for profile in Profile.objects.filter(user_id__in=set(user_ids))
    }
    return {
        user_id: working_time(profiles.get(user_id), defaults).next_start(moment)
        for user_id in set(user_ids)
    }
