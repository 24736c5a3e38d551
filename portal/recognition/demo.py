"""Demo recognition for ``seed_demo``: managers recognise their teams, colleagues thank
each other; through the real services, so points, notifications and badges follow."""

import random

from portal.people.models import User

from . import selectors, services
from .models import Category

MESSAGES = [
    "Your post about the wind farm launch brought three customers to our stand.",
    "Thank you for answering every question under the careers post, kindly and fast.",
    "A story only you could tell: the hardware lab at -30°C was brilliant.",
    "You helped two new colleagues write their first posts this month.",
]
THANKS = [
    "Thanks for the tip on shorter posts: it worked!",
    "Thank you for sharing my team's story.",
    "Your comment on my post started a great conversation.",
]


def demo_recognition_create(*, rng: random.Random) -> None:
    categories = list(Category.objects.filter(active=True))
    for email in ("manager@example.com", "mentor@example.com", "priya.raman@example.com"):
        giver = User.objects.get(email=email)
        people = list(selectors.recognisable_people(giver=giver))
        for recipient in rng.sample(people, k=min(3, len(people))):
            services.recognition_give(
                giver=giver,
                recipient=recipient,
                category=rng.choice(categories),
                message=rng.choice(MESSAGES),
                points=rng.choice([10, 20, 30]),
            )
    everyone = list(User.objects.filter(profile__onboarded_at__isnull=False).order_by("email"))
    for giver in rng.sample(everyone, k=min(8, len(everyone))):
        recipient = rng.choice([person for person in everyone if person.pk != giver.pk])
        services.kudos_give(giver=giver, recipient=recipient, message=rng.choice(THANKS))
