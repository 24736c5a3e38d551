"""Demo badges across the criteria kinds; seed_demo creates them before its history
commits, so the lead-in group earns theirs through the ledger like anyone else."""

from courses.models import CoursePage

from .models import Badge

BADGES = [
    # name, slug, tier, criteria text, kind, params
    ("Guidelines graduate", "guidelines-graduate", "bronze",
     "Complete the Social media guidelines course.", "course_completed", "guidelines"),
    ("Lifelong learner", "lifelong-learner", "silver",
     "Complete two courses.", "courses_completed", {"count": 2}),
    ("Scenario sharp", "scenario-sharp", "gold",
     "Average at least 90% over five or more scenarios.", "scenario_average",
     {"minimum_score": 90, "scenarios": 5}),
    ("First quality share", "first-quality-share", "bronze",
     "Make your first quality share.", "quality_shares", {"count": 1}),
    ("Quality curator", "quality-curator", "silver",
     "Make ten quality shares.", "quality_shares", {"count": 10}),
    ("Conversation starter", "conversation-starter", "silver",
     "Get 50 clicks from real people on your shares.", "share_clicks", {"count": 50}),
    ("Recognised", "recognised", "bronze",
     "Be recognised by a manager or a colleague.", "recognitions_received", {"count": 1}),
    ("Trusted mentor", "trusted-mentor", "gold",
     "See three mentees through onboarding.", "mentees_onboarded", {"count": 3}),
    ("Purpose shaper", "purpose-shaper", "bronze",
     "Answer in a purpose workshop.", "workshop_contribution", {"workshop": None}),
    ("Century", "century", "bronze", "Reach 100 points.", "points", {"count": 100}),
    ("Ambassador", "ambassador", "gold", "Reach 700 points.", "points", {"count": 700}),
    ("Steady voice", "steady-voice", "silver",
     "Be active four weeks in a row.", "streak", {"count": 4}),
    ("Shining star", "shining-star", "gold",
     "Given by a manager for an outstanding contribution.", "manual", {"note": "Managers"}),
]  # fmt: skip


def demo_badges_create() -> list[Badge]:
    created = []
    for name, slug, tier, criteria_text, kind, params in BADGES:
        if params == "guidelines":
            params = {"course": CoursePage.objects.get(slug="social-media-guidelines")}
        created.append(
            Badge.objects.create(
                name=name,
                slug=slug,
                tier=tier,
                description=f"{name}: {criteria_text}",
                criteria_text=criteria_text,
                criteria=[(kind, params)],
            )
        )
    return created
