"""Demo hub content for ``seed_demo``: about 30 items of both kinds, and shares with a
few weeks of clicks for the people who took the training, through the real services."""

import io
import random
from collections import Counter
from datetime import timedelta

from django.core.files.images import ImageFile
from django.utils import timezone
from PIL import Image as PILImage
from PIL import ImageDraw
from wagtail.images import get_image_model

from portal.people.models import Department

from . import services
from .models import ClickKind, ContentItem, Kind, Network

# title, kind, url path, tags, audience (department, job role fragment or None), summary
ITEMS = [
    ("Our new offshore wind farm is live", Kind.OWN, "news/offshore-wind-live",
     ["renewables", "product news"], None,
     "Forty turbines, power for 200,000 homes, built with our grid software."),
    ("How the grid team cut outage time by a third", Kind.OWN, "blog/grid-outages",
     ["engineering", "customer stories"], "Engineering",
     "Our engineers on the software change that keeps the lights on."),
    ("We are hiring: 25 roles across Europe", Kind.OWN, "careers/open-roles",
     ["careers"], None, "From field sales to firmware: help us build the grid of the future."),
    ("Customer story: a city that runs on sunshine", Kind.OWN, "stories/solar-city",
     ["customer stories", "sustainability"], "Sales",
     "How Lisbon's port authority moved to solar with our storage."),
    ("Our 2026 sustainability report", Kind.OWN, "reports/sustainability-2026",
     ["sustainability", "research"], None, "Emissions down 41% since 2020; what is next."),
    ("Join us at the Energy Transition Summit", Kind.OWN, "events/summit",
     ["events"], None, "Our CTO speaks on day two. Come and say hello at stand B12."),
    ("Inside the hardware lab: testing inverters at -30°C", Kind.OWN, "blog/cold-lab",
     ["engineering", "research"], "Engineering", "A day in the lab's climate chamber."),
    ("Support team wins a service award", Kind.OWN, "news/service-award",
     ["customer stories"], "Customer Success", "Recognised for the fastest fixes in the sector."),
    ("Our diversity in engineering programme, one year on", Kind.OWN, "blog/dei-year-one",
     ["diversity and inclusion", "careers"], None, "What worked, what did not, what we changed."),
    ("Partner spotlight: community energy co-ops", Kind.OWN, "partners/co-ops",
     ["sustainability", "customer stories"], "Sales", "Local power, owned by the people using it."),
    ("IEA: renewables overtook coal this year", Kind.CURATED, "iea-renewables-overtake-coal",
     ["renewables", "energy policy"], None, "The International Energy Agency's yearly outlook."),
    ("Why batteries are the grid's new shock absorbers", Kind.CURATED, "batteries-shock-absorbers",
     ["research", "engineering"], None, "An explainer on grid-scale storage."),
    ("The skills the energy transition needs", Kind.CURATED, "skills-energy-transition",
     ["careers", "energy policy"], None, "A report on the jobs of the next decade."),
    ("Heat pumps, explained in five charts", Kind.CURATED, "heat-pumps-five-charts",
     ["sustainability", "research"], None, "Clear charts on cost, carbon and comfort."),
    ("What customers want from their energy provider", Kind.CURATED, "customer-survey-energy",
     ["customer stories"], "Customer Success", "A survey of 10,000 households across Europe."),
    ("How to write a LinkedIn post people read", Kind.CURATED, "linkedin-posts-people-read",
     ["careers"], None, "Short, personal, one idea: a guide with examples."),
    ("EU agrees new grid investment rules", Kind.CURATED, "eu-grid-investment",
     ["energy policy"], "Sales", "What the new rules mean for utilities and their suppliers."),
    ("Open-source tools for power-system modelling", Kind.CURATED, "open-source-power-models",
     ["engineering", "research"], "Engineering", "A round-up of the best free tools."),
    ("Women in energy: 20 leaders to follow", Kind.CURATED, "women-in-energy-leaders",
     ["diversity and inclusion"], None, "People shaping the industry, and why they matter."),
    ("Offshore wind's supply chain, mapped", Kind.CURATED, "offshore-supply-chain",
     ["renewables", "research"], None, "Where the parts come from, and the bottlenecks."),
    ("Community solar is booming in Portugal", Kind.CURATED, "community-solar-portugal",
     ["sustainability", "customer stories"], None, "A local story with European lessons."),
    ("The return of the night train, powered by wind", Kind.CURATED, "night-train-wind",
     ["sustainability"], None, "A feel-good story about green travel."),
    ("Why demand response matters this winter", Kind.CURATED, "demand-response-winter",
     ["energy policy", "engineering"], None, "Flexible demand as cheap, clean capacity."),
    ("Great customer support, according to research", Kind.CURATED, "support-research",
     ["customer stories"], "Customer Success", "What really drives satisfaction."),
    ("Career changers in climate tech", Kind.CURATED, "career-changers-climate",
     ["careers"], None, "Five people who moved into clean energy mid-career."),
    ("Sustainability reporting rules, made simple", Kind.CURATED, "reporting-rules-simple",
     ["sustainability", "energy policy"], None, "A plain-language guide to the new rules."),
    ("The energy events worth attending next year", Kind.CURATED, "energy-events-next-year",
     ["events"], None, "A curated calendar."),
    ("Smart meters: the data behind better bills", Kind.CURATED, "smart-meter-data",
     ["research", "product news"], None, "What meter data tells us about saving energy."),
    ("How utilities can hire for diversity", Kind.CURATED, "utilities-hire-diversity",
     ["diversity and inclusion", "careers"], None, "Practical steps from HR leaders."),
    ("Grid-forming inverters in plain English", Kind.CURATED, "grid-forming-inverters",
     ["engineering"], "Engineering", "The tech that lets renewables steady the grid."),
]  # fmt: skip

PALETTE = ["#0b6e4f", "#1f5fbf", "#8a5a00", "#6b3fa0", "#a4161a", "#146c2e"]


def _artwork(index: int):
    """A simple banner, so the demo hub has pictures without fetching any."""
    colour = PALETTE[index % len(PALETTE)]
    picture = PILImage.new("RGB", (1280, 672), colour)
    draw = ImageDraw.Draw(picture)
    for ring in range(6):
        radius = 120 + ring * 90 + (index * 37) % 80
        draw.ellipse(
            (900 - radius, 336 - radius, 900 + radius, 336 + radius),
            outline=(255, 255, 255),
            width=6,
        )
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG")
    return get_image_model().objects.create(
        title=f"Hub artwork {index + 1}",
        file=ImageFile(buffer, name=f"hub-artwork-{index + 1}.png"),
    )


def demo_items_create(*, admin) -> list[ContentItem]:
    now = timezone.now()
    departments = {department.name: department for department in Department.objects.all()}
    artwork = [_artwork(index) for index in range(len(PALETTE))]
    items = []
    for index, (title, kind, path, tags, audience, summary) in enumerate(ITEMS):
        site = "https://www.northwind.example" if kind == Kind.OWN else "https://news.example.org"
        item = ContentItem(
            title=title,
            url=f"{site}/{path}",
            kind=kind,
            summary=summary,
            image=artwork[index % len(artwork)] if index % 4 != 3 else None,
            caption_linkedin=f"{summary} Worth a read if you care about {' and '.join(tags)}.",
            caption_x=f"{title}: {summary}"[:200],
            caption_facebook=f"{summary} Have a look:",
            show_from=now - timedelta(days=2 + index),
            show_until=now + timedelta(days=90) if index % 5 == 0 else None,
            live=True,
        )
        item.save()
        item.tags.set(tags)
        if audience in departments:
            item.departments.set([departments[audience]])
        item.save()
        item.save_revision(user=admin).publish(user=admin)
        items.append(item)
    return items


def demo_shares_create(*, items, sharers, rng: random.Random) -> int:
    """Shares by ``sharers`` over the last three weeks, each with a click history."""
    now = timezone.now()
    made = 0
    for user in sharers:
        offered = [card.item for card in services.selectors.hub_feed(user=user).cards]
        for item in rng.sample(offered, k=min(len(offered), rng.randint(2, 4))):
            network = rng.choice([Network.LINKEDIN, Network.LINKEDIN, Network.X, Network.FACEBOOK])
            suggested = item.caption_for(network)
            own_words = rng.random() < 0.6
            caption = (f"{rng.choice(PERSONAL_LINES)} {suggested}" if own_words else suggested)[
                : services.caption_limit(network)
            ]
            age = (now - item.show_from).days - 1
            at = now - timedelta(
                days=rng.randint(1, max(1, min(20, age))), hours=rng.randint(0, 12)
            )
            share = services.share_create(
                user=user, item=item, network=network, caption=caption, at=at
            )
            made += 1
            _clicks_create(share=share, at=at, own_words=own_words, now=now, rng=rng)
    return made


def _clicks_create(*, share, at, own_words: bool, now, rng: random.Random) -> None:
    """Up to two weeks of readers (more for a share in the person's own words) and link
    previews, through the real click recorder."""
    hits = []
    for offset in range(min(14, (now - at).days + 1)):
        day_at = at + timedelta(days=offset)
        audience = max(0, int(rng.expovariate(1 / (6 if own_words else 2))) - offset)
        for number in range(audience):
            hits.append(
                services.Hit(
                    share_id=share.pk,
                    day=timezone.localdate(day_at),
                    visitor=f"demo{share.pk:05d}{offset:02d}{number:04d}",
                    kind=ClickKind.HUMAN,
                    at=day_at,
                )
            )
        hits.append(
            services.Hit(
                share_id=share.pk,
                day=timezone.localdate(day_at),
                visitor=f"preview{offset:02d}",
                kind=ClickKind.PREVIEW,
                at=day_at,
            )
        )
    services.clicks_record(hits=hits, requests=Counter((hit.share_id, hit.day) for hit in hits))


# The pilot's content, shown months ago and since retired: title, kind, url path, tags.
PILOT_ITEMS = [
    ("Why we started Northwind Voices", Kind.OWN, "blog/why-voices", ["careers"]),
    ("The state of wind power, in ten charts", Kind.CURATED, "reports/wind-2026",
     ["renewables", "research"]),
    ("Our first community solar project", Kind.OWN, "stories/community-solar",
     ["customer stories", "sustainability"]),
    ("Five myths about heat pumps", Kind.CURATED, "explainers/heat-pump-myths",
     ["energy policy", "sustainability"]),
    ("Meet the Hardware Lab", Kind.OWN, "careers/hardware-lab", ["engineering", "careers"]),
]  # fmt: skip


def demo_pilot_shares_create(*, admin, sharers, rng: random.Random) -> int:
    """The pilot: five items shown from five months ago until a month ago, and the lead-in
    group's shares of them (mostly the suggested text, as before the training), with
    their readers. Gives the programme dashboard months of history."""
    now = timezone.now()
    items = []
    for title, kind, path, tags in PILOT_ITEMS:
        site = "https://www.northwind.example" if kind == Kind.OWN else "https://news.example.org"
        item = ContentItem(
            title=title,
            url=f"{site}/{path}",
            kind=kind,
            summary=f"{title}: from the pilot of our advocacy programme.",
            caption_linkedin=f"{title}. Worth a read if you care about {' and '.join(tags)}.",
            caption_x=title,
            caption_facebook=f"{title}. Have a look:",
            show_from=now - timedelta(days=150),
            show_until=now - timedelta(days=30),
            live=True,
        )
        item.save()
        item.tags.set(tags)
        item.save()
        item.save_revision(user=admin).publish(user=admin)
        items.append(item)
    made = 0
    for user in sharers:
        for item in rng.sample(items, k=rng.randint(2, 4)):
            network = rng.choice([Network.LINKEDIN, Network.LINKEDIN, Network.X])
            suggested = item.caption_for(network)
            own_words = rng.random() < 0.25
            caption = (f"{rng.choice(PERSONAL_LINES)} {suggested}" if own_words else suggested)[
                : services.caption_limit(network)
            ]
            at = now - timedelta(days=rng.randint(35, 140), hours=rng.randint(0, 12))
            share = services.share_create(
                user=user, item=item, network=network, caption=caption, at=at
            )
            made += 1
            _clicks_create(share=share, at=at, own_words=own_words, now=now, rng=rng)
    return made


PERSONAL_LINES = [
    "I worked on this one, and I am proud of it.",
    "This is why I love my job:",
    "Great read from my commute this morning.",
    "My team has been talking about this all week.",
    "If you are curious what we do all day, start here.",
]
