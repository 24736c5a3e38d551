"""Reads for pairing: who needs a mentor, who has room, and the best pairs now
(``pairing`` does the maths; nothing here is saved)."""

import heapq
from dataclasses import dataclass

from portal.activity.verbs import (
    SHARE_QUALITY,
)
from portal.people.models import Profile, User
from portal.sharing.quality import QUALITY_SHARE_STEP

from . import pairing as pairing_math
from .models import MentoringProfile, MentoringSettings, Pairing


def _plain_mentor(row: MentoringProfile, *, load: int) -> pairing_math.Mentor:
    profile = row.user.profile
    return pairing_math.Mentor(
        user_id=row.user_id,
        name=profile.name,
        capacity=row.capacity,
        load=load,
        networks=frozenset(row.networks),
        topics=frozenset(row.topic_list),
        languages=frozenset(row.language_list),
        location=(profile.location or "").strip().lower(),
        department_id=profile.department_id,
    )


def _plain_mentee(user: User, *, mine, interests, avoid=frozenset()) -> pairing_math.Mentee:
    profile = user.profile
    return pairing_math.Mentee(
        user_id=user.pk,
        name=profile.name,
        interests=frozenset(interests),
        growth=frozenset(mine.growth_networks if mine else []),
        languages=frozenset(mine.language_list if mine else ["english"]),
        location=(profile.location or "").strip().lower(),
        department_id=profile.department_id,
        avoid=frozenset(avoid),
    )


def candidates() -> tuple[list[pairing_math.Mentor], list[pairing_math.Mentee]]:
    """Mentors with free places, and mentees who need a mentor (few queries)."""
    active = list(
        Pairing.objects.filter(status=Pairing.Status.ACTIVE).values_list(
            "mentee_id", "mentor_id", "change_requested_at"
        )
    )
    loads: dict[int, int] = {}
    for _, mentor_id, _ in active:
        loads[mentor_id] = loads.get(mentor_id, 0) + 1
    mentors = [
        _plain_mentor(row, load=loads.get(row.user_id, 0))
        for row in MentoringProfile.objects.filter(is_mentor=True, user__is_active=True)
        .select_related("user__profile")
        .order_by("user_id")
    ]
    # A mentee who asked for a change is paired again, never with the same mentor.
    current: dict[int, tuple[int | None, object]] = {
        mentee_id: (mentor_id, asked) for mentee_id, mentor_id, asked in active
    }
    ended_with: dict[int, set[int]] = {}
    for mentee_id, mentor_id in Pairing.objects.filter(status=Pairing.Status.ENDED).values_list(
        "mentee_id", "mentor_id"
    ):
        ended_with.setdefault(mentee_id, set()).add(mentor_id)
    interests: dict[int, set[str]] = {}
    for profile_id, name in Profile.interests.through.objects.filter(
        content_type__app_label="people", content_type__model="profile"
    ).values_list("object_id", "tag__name"):
        interests.setdefault(profile_id, set()).add(name.lower())
    mentees = []
    for user in _people_needing_a_mentor():
        mentor_now, asked = current.get(user.pk, (None, None))
        if mentor_now is not None and asked is None:
            continue  # has a mentor and is happy
        avoid = ended_with.get(user.pk, set()) | ({mentor_now} if mentor_now else set())
        mentees.append(
            _plain_mentee(
                user,
                mine=getattr(user, "mentoring", None),
                interests=interests.get(user.profile.pk, set()),
                avoid=avoid,
            )
        )
    return mentors, mentees


def _people_needing_a_mentor():
    """Onboarded people who asked for a mentor, or have not yet unlocked sharing and made
    a first quality share."""
    experienced = set(
        User.objects.filter(
            activities__verb=SHARE_QUALITY.id,
            activities__result__step=QUALITY_SHARE_STEP,
        ).values_list("pk", flat=True)
    )
    people = (
        User.objects.filter(is_active=True, profile__onboarded_at__isnull=False)
        .select_related("profile", "mentoring")
        .order_by("pk")
    )
    needing = []
    for user in people:
        mine = getattr(user, "mentoring", None)
        asked = mine is not None and mine.wants_mentor
        mentors = mine is not None and mine.is_mentor
        if asked or (user.pk not in experienced and not mentors):
            needing.append(user)
    return needing


def pairings_propose() -> list[pairing_math.Proposal]:
    """The best pairs for everyone who needs a mentor now (nothing is saved)."""
    mentors, mentees = candidates()
    preference = MentoringSettings.load().department_preference
    return pairing_math.assignment(mentors, mentees, preference=preference)


@dataclass(frozen=True)
class Option:
    mentor: pairing_math.Mentor
    fit: int

    @property
    def free(self) -> int:
        return max(0, self.mentor.capacity - self.mentor.load)


@dataclass(frozen=True)
class PairingRow:
    """One person who needs a mentor: the proposal for them (if the optimiser found a
    place) and the mentors with a free place who fit them best, best first."""

    mentee: pairing_math.Mentee
    proposal: pairing_math.Proposal | None
    options: list[Option]
    why: tuple[str, ...]  # the proposal's reasons, or the best option's


# Each person's choice lists this many mentors (and the proposed one): a page of 2,000
# people offers 20,000 choices, not every mentor to everyone.
OPTIONS = 10


def pairing_rows() -> tuple[list[PairingRow], list[pairing_math.Proposal]]:
    """Everyone who needs a mentor, with the proposals, for pairing by hand."""
    mentors, mentees = candidates()
    preference = MentoringSettings.load().department_preference
    proposals = pairing_math.assignment(mentors, mentees, preference=preference)
    proposed = {proposal.mentee.user_id: proposal for proposal in proposals}
    open_mentors = [mentor for mentor in mentors if mentor.capacity > mentor.load]
    rows = []
    for mentee in mentees:
        proposal = proposed.get(mentee.user_id)
        best = heapq.nlargest(
            OPTIONS,
            (
                (pairing_math.score(mentor, mentee, preference=preference), -index)
                for index, mentor in enumerate(open_mentors)
                if pairing_math.compatible(mentor, mentee)
            ),
        )
        options = [Option(open_mentors[-index], fit) for fit, index in best]
        if proposal and all(o.mentor.user_id != proposal.mentor.user_id for o in options):
            options.insert(0, Option(proposal.mentor, proposal.score))
        if proposal:
            why = proposal.reasons
        elif options:
            why = pairing_math.reasons(options[0].mentor, mentee, preference=preference)
        else:
            why = ()
        rows.append(PairingRow(mentee, proposal, options, why))
    rows.sort(key=lambda row: (row.proposal is None, row.mentee.name))
    return rows, proposals


def as_plain(mentor_profile: MentoringProfile, mentee: User, load: int):
    """The pair as the pairing maths sees it, for a pair outside the proposals."""
    return (
        _plain_mentor(mentor_profile, load=load),
        _plain_mentee(
            mentee,
            mine=MentoringProfile.objects.filter(user=mentee).first(),
            interests={name.lower() for name in mentee.profile.interests.names()},
        ),
    )
