"""How good a share is, from 0 to 100, and why: pure functions, no database.

Quality rewards what a share achieved with real people and how it was made, not how
many shares someone makes: unique human clicks count on a log scale (so a big network
does not win by size alone), then conversions, the sharer's own words, their 4-1-1 mix
and how close the content is to their work.
"""

import math
import re
from dataclasses import dataclass
from difflib import SequenceMatcher

from django.utils.translation import gettext, ngettext

CLICKS_FOR_FULL_MARKS = 50
CONVERSIONS_FOR_FULL_MARKS = 5
# Rewriting this share of the suggested caption in one's own words earns full marks.
TOUCH_FOR_FULL_MARKS = 0.4
# Points are given as a share's quality passes each step; reaching QUALITY_SHARE_STEP
# makes it a "quality share" for badges.
STEPS = (25, 50, 75, 100)
QUALITY_SHARE_STEP = 50

WEIGHTS = {"clicks": 40, "conversions": 20, "touch": 15, "balance": 15, "relevance": 10}
# For each piece of our own content, one relevant share and four from others.
IDEAL_OWN_FRACTION = 1 / 6


@dataclass(frozen=True)
class Part:
    label: str
    points: int
    out_of: int
    why: str


@dataclass(frozen=True)
class Quality:
    score: int
    parts: tuple[Part, ...]

    @property
    def is_quality_share(self) -> bool:
        return self.score >= QUALITY_SHARE_STEP


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", (text or "").lower())


def personal_touch(*, caption: str, suggested: str) -> float:
    """How far ``caption`` is from the suggested one: 0 (the same) to 1 (all new)."""
    mine, theirs = _words(caption), _words(suggested)
    if not mine:
        return 0.0
    if not theirs:
        return 1.0
    return round(1 - SequenceMatcher(None, theirs, mine, autojunk=False).ratio(), 3)


def touch_hint(touch: float) -> str:
    if touch < 0.1:
        return gettext("Same as the suggestion: add a line of your own to make it yours.")
    if touch < TOUCH_FOR_FULL_MARKS:
        return gettext("A little of your own voice: say why it matters to you.")
    return gettext("In your own words: this is what makes people click.")


def mix_balance(*, own: int, curated: int) -> float:
    """How close a person's recent shares are to the 4-1-1 mix: 0 to 1.

    One pseudo-share of our own and five from others are added, so a first share of
    either kind is not judged as a whole mix.
    """
    fraction = (own + 1) / (own + curated + 6)
    return round(max(0.0, 1 - abs(fraction - IDEAL_OWN_FRACTION) * 1.2), 3)


def _log_share(value: int, full: int) -> float:
    return min(1.0, math.log1p(max(0, value)) / math.log1p(full))


def share_quality(
    *, clicks: int, conversions: int, touch: float, balance: float, relevance: float
) -> Quality:
    clicks_part = round(WEIGHTS["clicks"] * _log_share(clicks, CLICKS_FOR_FULL_MARKS))
    conversions_part = round(
        WEIGHTS["conversions"] * _log_share(conversions, CONVERSIONS_FOR_FULL_MARKS)
    )
    touch_part = round(WEIGHTS["touch"] * min(1.0, max(0.0, touch) / TOUCH_FOR_FULL_MARKS))
    balance_part = round(WEIGHTS["balance"] * max(0.0, min(1.0, balance)))
    relevance_part = round(WEIGHTS["relevance"] * max(0.0, min(1.0, relevance)))
    parts = (
        Part(
            gettext("Clicks"),
            clicks_part,
            WEIGHTS["clicks"],
            ngettext(
                "%(count)s person clicked (once a day each; previews and your own clicks do "
                "not count). Full marks at %(full)s, and the first few count most.",
                "%(count)s people clicked (once a day each; previews and your own clicks do "
                "not count). Full marks at %(full)s, and the first few count most.",
                clicks,
            )
            % {"count": clicks, "full": CLICKS_FOR_FULL_MARKS},
        ),
        Part(
            gettext("Conversions"),
            conversions_part,
            WEIGHTS["conversions"],
            ngettext(
                "%(count)s sign-up or similar on our site came from your link.",
                "%(count)s sign-ups or similar on our site came from your link.",
                conversions,
            )
            % {"count": conversions},
        ),
        Part(
            gettext("Your own words"),
            touch_part,
            WEIGHTS["touch"],
            gettext("%(percent)s%% of your text differs from the suggestion.")
            % {"percent": round(touch * 100)}
            + " "
            + touch_hint(touch),
        ),
        Part(
            gettext("4-1-1 mix"),
            balance_part,
            WEIGHTS["balance"],
            gettext("Your shares of the last 30 days mix our own content with others' well.")
            if balance >= 0.8
            else gettext(
                "Your shares of the last 30 days mix our own content with others' less than "
                "ideal: share more from others."
            ),
        ),
        Part(
            gettext("Fits your work"),
            relevance_part,
            WEIGHTS["relevance"],
            gettext("Meant for your role or department, or about topics you follow.")
            if relevance >= 0.8
            else gettext("A general item: content for your own role counts more."),
        ),
    )
    return Quality(min(100, sum(part.points for part in parts)), parts)


def steps_reached(*, quality: int, already: int) -> list[int]:
    """The reward steps that ``quality`` passes beyond the highest one ``already`` given."""
    return [step for step in STEPS if already < step <= quality]
