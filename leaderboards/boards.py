"""Boards (company, department, team) and windows (all time, this month, this week).

A board key is ``company``, ``department-<slug>`` or ``team-<slug>``; a window key names
one season: ``all``, ``m2026-11`` (a calendar month) or ``w2026-47`` (an ISO week), in
the organisation's time zone (``TIME_ZONE``). Board membership is a person's current
department and team.
"""

from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.people.models import Department, Team

WINDOWS = ("all", "month", "week")
WINDOW_LABELS = {"all": _("All time"), "month": _("This month"), "week": _("This week")}
# The same, inside a sentence: "You are #2 with 25 points on Company, this week."
SEASON_PHRASES = {"all": _("all time"), "month": _("this month"), "week": _("this week")}
COMPANY = "company"


@dataclass(frozen=True)
class Board:
    key: str
    label: str


def window_keys(moment: datetime) -> dict[str, str]:
    """The season of each window that ``moment`` falls in."""
    local = timezone.localtime(moment)
    year, week, _ = local.isocalendar()
    return {"all": "all", "month": f"m{local:%Y-%m}", "week": f"w{year}-{week:02d}"}


def current_window_key(window: str, now: datetime | None = None) -> str:
    return window_keys(now or timezone.now())[window]


def board_keys_for_profile(profile) -> list[str]:
    """The boards a person is on: the company, their department and their team."""
    keys = [COMPANY]
    team = profile.team if profile is not None else None
    department = profile.department if profile is not None else None
    if department is None and team is not None:
        department = team.department
    if department is not None:
        keys.append(f"department-{department.slug}")
    if team is not None:
        keys.append(f"team-{team.slug}")
    return keys


def board_for_key(key: str) -> Board | None:
    """The board a key names, or None if it names none."""
    if key == COMPANY:
        return Board(COMPANY, str(_("Company")))
    kind, _dash, slug = key.partition("-")
    if kind == "department" and slug:
        department = Department.objects.filter(slug=slug).first()
        return Board(key, department.name) if department else None
    if kind == "team" and slug:
        team = Team.objects.filter(slug=slug).first()
        return Board(key, team.name) if team else None
    return None
