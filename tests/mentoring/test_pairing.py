"""The pairing maths: the solver's total equals a brute-force optimum on small cases."""

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from portal.mentoring.pairing import Mentee, Mentor, assignment, compatible, total_value

TOPICS = ["careers", "renewables", "engineering", "events"]
NETWORKS = ["linkedin", "x", "facebook"]
LANGUAGES = ["english", "german", "portuguese"]
PLACES = ["london", "berlin", "lisbon"]


def brute_force(mentors, mentees, preference):
    """The best total over every assignment (or none) within capacities."""
    best = 0
    options = [None, *mentors]
    for choice in itertools.product(options, repeat=len(mentees)):
        counts = {}
        pairs = []
        valid = True
        for mentee, mentor in zip(mentees, choice, strict=True):
            if mentor is None:
                continue
            if not compatible(mentor, mentee):
                valid = False
                break
            counts[mentor.user_id] = counts.get(mentor.user_id, 0) + 1
            if counts[mentor.user_id] > mentor.free:
                valid = False
                break
            pairs.append((mentor, mentee))
        if valid:
            best = max(best, total_value(pairs, preference=preference))
    return best


def subset(draw, values, most=2):
    return frozenset(draw(st.lists(st.sampled_from(values), max_size=most, unique=True)))


@st.composite
def people(draw):
    mentors = [
        Mentor(
            user_id=100 + number,
            name=f"Mentor {number}",
            capacity=draw(st.integers(1, 3)),
            load=draw(st.integers(0, 1)),
            networks=subset(draw, NETWORKS),
            topics=subset(draw, TOPICS, 3),
            languages=subset(draw, LANGUAGES) or frozenset({"english"}),
            location=draw(st.sampled_from(PLACES)),
            department_id=draw(st.integers(1, 2)),
        )
        for number in range(draw(st.integers(1, 3)))
    ]
    mentees = [
        Mentee(
            user_id=number,
            name=f"Mentee {number}",
            interests=subset(draw, TOPICS, 3),
            growth=subset(draw, NETWORKS),
            languages=subset(draw, LANGUAGES) or frozenset({"english"}),
            location=draw(st.sampled_from(PLACES)),
            department_id=draw(st.integers(1, 2)),
        )
        for number in range(draw(st.integers(1, 5)))
    ]
    return mentors, mentees, draw(st.sampled_from(["same", "other", "none"]))


@settings(max_examples=150, deadline=None)
@given(people())
def test_the_assignment_is_optimal_and_within_capacity(case):
    mentors, mentees, preference = case
    proposals = assignment(mentors, mentees, preference=preference)
    pairs = [(proposal.mentor, proposal.mentee) for proposal in proposals]
    assert total_value(pairs, preference=preference) == brute_force(mentors, mentees, preference)
    taken = {}
    for proposal in proposals:
        taken[proposal.mentor.user_id] = taken.get(proposal.mentor.user_id, 0) + 1
        assert compatible(proposal.mentor, proposal.mentee)
        assert proposal.reasons
    assert all(
        taken[mentor.user_id] <= mentor.free for mentor in mentors if mentor.user_id in taken
    )
    assert len({proposal.mentee.user_id for proposal in proposals}) == len(proposals)


def test_each_pair_is_explained():
    mentor = Mentor(
        user_id=1,
        name="Mei",
        capacity=2,
        networks=frozenset({"linkedin"}),
        topics=frozenset({"careers", "renewables"}),
        languages=frozenset({"english"}),
        location="berlin",
        department_id=1,
    )
    mentee = Mentee(
        user_id=2,
        name="Ben",
        interests=frozenset({"careers"}),
        growth=frozenset({"linkedin"}),
        languages=frozenset({"english", "german"}),
        location="berlin",
        department_id=2,
    )
    [proposal] = assignment([mentor], [mentee], preference="other")
    assert proposal.reasons == (
        "Shared topics: careers",
        "Knows LinkedIn, where Ben wants to grow",
        "Both speak english",
        "Both in berlin",
        "A view from another department",
    )


def test_no_shared_language_means_no_pair_and_full_mentors_take_nobody():
    mentor = Mentor(user_id=1, name="M", capacity=1, languages=frozenset({"german"}))
    mentee = Mentee(user_id=2, name="E", languages=frozenset({"portuguese"}))
    assert assignment([mentor], [mentee]) == []
    full = Mentor(user_id=3, name="F", capacity=2, load=2, languages=frozenset({"portuguese"}))
    assert assignment([full], [mentee]) == []
