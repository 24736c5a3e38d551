"""Writes for mentoring, by sub-domain: ``profiles`` (preferences), ``pairings`` (making,
ending and changing pairs, and the rights that follow them), ``checkins`` (check-ins,
goals, nudges) and ``ledger`` (the ledger subscriber). Reads are in ``selectors`` and
``proposals``. This package re-exports the four, so callers write
``services.pairing_end(...)``.
"""

from .checkins import (
    checkin_add,
    goal_add,
    goal_done,
    nudge_send,
)
from .ledger import (
    mentoring_hear,
)
from .pairings import (
    Applied,
    pairing_close,
    pairing_end,
    pairing_request_change,
    pairings_apply,
    pairings_end_for_leavers,
)
from .profiles import (
    mentoring_profile_update,
)

__all__ = [
    "Applied",
    "checkin_add",
    "goal_add",
    "goal_done",
    "mentoring_hear",
    "mentoring_profile_update",
    "nudge_send",
    "pairing_close",
    "pairing_end",
    "pairing_request_change",
    "pairings_apply",
    "pairings_end_for_leavers",
]
