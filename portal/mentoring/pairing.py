"""Mentor pairing: compatibility of a mentor and a mentee, and the best assignment.

Pure functions over plain data. Bulk pairing is an assignment problem: each mentor
offers one slot per free place, a slot's value is the pair's compatibility minus the
load the mentor would then carry, and SciPy's ``linear_sum_assignment`` finds the
assignment with the greatest total. One "no mentor" slot per mentee (value 0) lets a
mentee stay unpaired rather than take a pair worth less than nothing.
"""

from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import linear_sum_assignment

TOPIC_POINTS, TOPIC_CAP = 10, 3
NETWORK_POINTS, NETWORK_CAP = 8, 2
LANGUAGE_POINTS = 5
LOCATION_POINTS = 6
DEPARTMENT_POINTS = 6
LOAD_PENALTY = 4  # per mentee the mentor already has or would have
NETWORK_NAMES = {"linkedin": "LinkedIn", "x": "X", "facebook": "Facebook", "instagram": "Instagram"}


@dataclass(frozen=True)
class Mentor:
    user_id: int
    name: str
    capacity: int
    load: int = 0
    networks: frozenset = frozenset()
    topics: frozenset = frozenset()
    languages: frozenset = frozenset()
    location: str = ""
    department_id: int | None = None

    @property
    def free(self) -> int:
        return max(0, self.capacity - self.load)


@dataclass(frozen=True)
class Mentee:
    user_id: int
    name: str
    interests: frozenset = frozenset()
    growth: frozenset = frozenset()
    languages: frozenset = frozenset()
    location: str = ""
    department_id: int | None = None
    avoid: frozenset = field(default_factory=frozenset)  # mentors not to propose again


@dataclass(frozen=True)
class Proposal:
    mentee: Mentee
    mentor: Mentor
    score: int  # compatibility, before load
    reasons: tuple[str, ...]


def compatible(mentor: Mentor, mentee: Mentee) -> bool:
    if mentor.user_id == mentee.user_id or mentor.user_id in mentee.avoid:
        return False
    # Without a shared language there is no mentoring conversation.
    return not (mentor.languages and mentee.languages) or bool(mentor.languages & mentee.languages)


def score(mentor: Mentor, mentee: Mentee, *, preference: str) -> int:
    """Compatibility before load (callers check ``compatible`` first)."""
    total = TOPIC_POINTS * min(TOPIC_CAP, len(mentor.topics & mentee.interests))
    total += NETWORK_POINTS * min(NETWORK_CAP, len(mentor.networks & mentee.growth))
    if mentor.languages & mentee.languages:
        total += LANGUAGE_POINTS
    if mentor.location and mentor.location == mentee.location:
        total += LOCATION_POINTS
    if preference != "none" and mentor.department_id and mentee.department_id:
        same = mentor.department_id == mentee.department_id
        if same == (preference == "same"):
            total += DEPARTMENT_POINTS
    return total


def reasons(mentor: Mentor, mentee: Mentee, *, preference: str) -> tuple[str, ...]:
    """Why a pair fits, in the words shown to admins, mentors and mentees."""
    said = []
    topics = sorted(mentor.topics & mentee.interests)
    if topics:
        said.append(f"Shared topics: {', '.join(topics[:TOPIC_CAP])}")
    networks = sorted(mentor.networks & mentee.growth)
    if networks:
        names = ", ".join(NETWORK_NAMES.get(name, name) for name in networks[:NETWORK_CAP])
        said.append(f"Knows {names}, where {mentee.name} wants to grow")
    languages = sorted(mentor.languages & mentee.languages)
    if languages:
        said.append(f"Both speak {', '.join(languages)}")
    if mentor.location and mentor.location == mentee.location:
        said.append(f"Both in {mentor.location}")
    if preference != "none" and mentor.department_id and mentee.department_id:
        same = mentor.department_id == mentee.department_id
        if same == (preference == "same"):
            said.append("Same department" if same else "A view from another department")
    if mentor.load:
        said.append(f"Already mentors {mentor.load}")
    return tuple(said) or ("Available, with nothing in particular in common",)


def assignment(
    mentors: list[Mentor], mentees: list[Mentee], *, preference: str = "other"
) -> list[Proposal]:
    """The pairs with the greatest total value, within every mentor's free places."""
    slots = [(index, k) for index, mentor in enumerate(mentors) for k in range(mentor.free)]
    if not mentees or not slots:
        return []
    forbidden = 1e9
    pair_scores = np.full((len(mentees), len(mentors)), np.nan)
    for row, mentee in enumerate(mentees):
        for column, mentor in enumerate(mentors):
            if compatible(mentor, mentee):
                pair_scores[row, column] = score(mentor, mentee, preference=preference)
    slot_mentor = np.array([index for index, _ in slots])
    slot_load = np.array([mentors[index].load + k for index, k in slots], dtype=float)
    values = pair_scores[:, slot_mentor] - LOAD_PENALTY * slot_load
    cost = np.zeros((len(mentees), len(slots) + len(mentees)))
    cost[:, : len(slots)] = np.where(np.isnan(values), forbidden, -values)
    rows, columns = linear_sum_assignment(cost)
    proposals = []
    for row, column in zip(rows, columns, strict=True):
        if column >= len(slots) or cost[row, column] >= forbidden:
            continue
        mentor, mentee = mentors[slot_mentor[column]], mentees[row]
        proposals.append(
            Proposal(
                mentee=mentee,
                mentor=mentor,
                score=int(pair_scores[row, slot_mentor[column]]),
                reasons=reasons(mentor, mentee, preference=preference),
            )
        )
    return sorted(proposals, key=lambda proposal: proposal.mentee.name.lower())


def total_value(pairs: list[tuple[Mentor, Mentee]], *, preference: str) -> int:
    """The objective ``assignment`` maximises, for a given set of pairs (tests, reports)."""
    taken: dict[int, int] = {}
    total = 0
    for mentor, mentee in pairs:
        k = taken.get(mentor.user_id, 0)
        total += score(mentor, mentee, preference=preference) - LOAD_PENALTY * (mentor.load + k)
        taken[mentor.user_id] = k + 1
    return total
