"""Mentor pairing at scale: python bench/bench_pairing.py [--mentees 2000] [--mentors 400]

Builds the people in a scratch database (onboarded mentees who asked for a mentor;
mentors with capacities 1-5, topics, networks, languages, locations, departments), then
times ``pairings_propose`` (reading candidates, scoring every pair, SciPy's assignment),
the pairing screen's rows (``pairing_rows``: the same, then each person's best-fitting
mentors) and ``pairings_apply`` (creating the pairings and granting the permissions).
"""

import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _setup import django_with_scratch_database

django_with_scratch_database()

from django.db import transaction  # noqa: E402
from django.utils import timezone  # noqa: E402
from taggit.models import Tag  # noqa: E402

from portal.mentoring import pairing as pairing_math  # noqa: E402
from portal.mentoring import services  # noqa: E402
from portal.mentoring.models import MentoringProfile  # noqa: E402
from portal.mentoring.proposals import candidates, pairing_rows  # noqa: E402
from portal.people.models import Department, Profile, User  # noqa: E402

TOPICS = [
    "careers", "renewables", "engineering", "events", "research", "sustainability",
    "customer stories", "energy policy", "product news", "diversity and inclusion",
]  # fmt: skip
NETWORKS = ["linkedin", "x", "facebook", "instagram"]
LANGUAGES = ["english", "german", "portuguese", "swedish"]
PLACES = ["london", "berlin", "lisbon", "stockholm", "remote"]


@transaction.atomic
def build(mentees: int, mentors: int, rng: random.Random) -> None:
    departments = [
        Department.objects.create(name=f"Department {n}", slug=f"department-{n}") for n in range(6)
    ]
    now = timezone.now()
    users = User.objects.bulk_create(
        User(email=f"person{n}@example.com", first_name=f"P{n}", last_name="Bench")
        for n in range(mentees + mentors)
    )
    Profile.objects.bulk_create(
        Profile(
            user=user,
            onboarded_at=now,
            department=rng.choice(departments),
            location=rng.choice(PLACES),
        )
        for user in users
    )
    tags = {name: Tag.objects.create(name=name, slug=name.replace(" ", "-")) for name in TOPICS}
    through = Profile.interests.through
    from django.contrib.contenttypes.models import ContentType

    profile_type = ContentType.objects.get_for_model(Profile)
    rows = []
    for profile in Profile.objects.all():
        for name in rng.sample(TOPICS, k=rng.randint(1, 3)):
            rows.append(through(tag=tags[name], content_type=profile_type, object_id=profile.pk))
    through.objects.bulk_create(rows)
    MentoringProfile.objects.bulk_create(
        MentoringProfile(
            user=user,
            is_mentor=True,
            capacity=rng.randint(1, 5),
            networks=rng.sample(NETWORKS, k=rng.randint(1, 2)),
            topics=", ".join(rng.sample(TOPICS, k=rng.randint(1, 3))),
            languages=", ".join(["english", *rng.sample(LANGUAGES[1:], k=rng.randint(0, 1))]),
        )
        for user in users[mentees:]
    )
    MentoringProfile.objects.bulk_create(
        MentoringProfile(
            user=user,
            wants_mentor=True,
            growth_networks=rng.sample(NETWORKS, k=rng.randint(1, 2)),
            languages=rng.choice(["english", "english", "english, german", "portuguese"]),
        )
        for user in users[:mentees]
    )


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--mentees", type=int, default=2000)
    parser.add_argument("--mentors", type=int, default=400)
    args = parser.parse_args()
    build(args.mentees, args.mentors, random.Random(1))
    started = time.perf_counter()
    mentors, mentees = candidates()
    read = time.perf_counter()
    proposals = pairing_math.assignment(mentors, mentees, preference="other")
    solved = time.perf_counter()
    rows, _ = pairing_rows()  # the pairing screen: everyone, every compatible mentor's fit
    shown = time.perf_counter()
    applied = services.pairings_apply(
        pairs=[(proposal.mentee.user_id, proposal.mentor.user_id) for proposal in proposals]
    )
    done = time.perf_counter()
    slots = sum(mentor.free for mentor in mentors)
    fit = pairing_math.total_value([(p.mentor, p.mentee) for p in proposals], preference="other")
    print(
        f"{len(mentees):,} mentees, {len(mentors):,} mentors with {slots:,} places: "
        f"{len(proposals):,} pairs, total fit {fit:,}"
    )
    print(f"read candidates      {read - started:6.2f} s")
    print(f"score and assign     {solved - read:6.2f} s  (SciPy linear_sum_assignment)")
    print(f"propose, in all      {solved - started:6.2f} s")
    print(f"pairing screen rows  {shown - solved:6.2f} s  ({len(rows):,} people, each with the "
          "10 best-fitting mentors who have a place)")  # fmt: skip
    print(f"apply                {done - shown:6.2f} s  ({len(applied.created):,} pairings, "
          "object permissions, notifications)")  # fmt: skip


if __name__ == "__main__":
    main()
