"""Demo mentoring for ``seed_demo``: mentors' profiles, pairings made by the real solver
(the demo mentor first gets two mentees of their own), check-ins and goals."""

import random
from datetime import timedelta

from django.utils import timezone

from portal.people.models import User

from . import services
from .models import CheckIn, MentoringProfile, Pairing
from .proposals import pairings_propose

CHECKINS = [
    "Talked through her first LinkedIn post: shorter, and one personal line up front.",
    "We looked at which posts got clicks last week. Stories beat announcements.",
    "Agreed to try one curated article a week, with a sentence on why it matters.",
]
GOALS = [
    ("Finish the guidelines course", 7),
    ("Share one hub item in your own words", 14),
    ("Comment helpfully on three colleagues' posts", 21),
]


def demo_mentoring_create(*, rng: random.Random) -> None:
    people = list(User.objects.select_related("profile").order_by("email"))
    for user in people:
        if user.profile.mentor_opt_in:
            interests = list(user.profile.interests.names())
            MentoringProfile.objects.update_or_create(
                user=user,
                defaults={
                    "is_mentor": True,
                    "capacity": 3 if user.email == "mentor@example.com" else rng.randint(1, 3),
                    "networks": ["linkedin"] + (["x"] if rng.random() < 0.5 else []),
                    "topics": ", ".join(interests),
                    "languages": "english" + (", german" if rng.random() < 0.3 else ""),
                },
            )
    wanting = [
        user
        for user in people
        if user.profile.onboarded_at and not user.profile.mentor_opt_in and rng.random() < 0.3
    ]
    for user in wanting:
        MentoringProfile.objects.update_or_create(
            user=user,
            defaults={
                "wants_mentor": True,
                "growth_networks": ["linkedin"],
                "languages": "english",
            },
        )
    demo_mentor = User.objects.get(email="mentor@example.com")
    first = [user for user in wanting if user.pk != demo_mentor.pk][:2]
    services.pairings_apply(pairs=[(user.pk, demo_mentor.pk) for user in first])
    proposals = pairings_propose()
    services.pairings_apply(
        pairs=[(proposal.mentee.user_id, proposal.mentor.user_id) for proposal in proposals]
    )
    now = timezone.now()
    for pairing in Pairing.objects.filter(status=Pairing.Status.ACTIVE).select_related("mentor"):
        Pairing.objects.filter(pk=pairing.pk).update(
            started_at=now - timedelta(days=rng.randint(10, 30))
        )
        for number, note in enumerate(rng.sample(CHECKINS, k=rng.randint(1, 2))):
            checkin = services.checkin_add(pairing=pairing, author=pairing.mentor, note=note)
            CheckIn.objects.filter(pk=checkin.pk).update(
                created_at=now - timedelta(days=20 - 7 * number)
            )
        for title, days in GOALS[: rng.randint(1, 3)]:
            services.goal_add(
                pairing=pairing,
                by=pairing.mentor,
                title=title,
                due_date=timezone.localdate() + timedelta(days=days),
            )
