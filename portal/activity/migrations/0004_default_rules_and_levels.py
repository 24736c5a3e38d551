"""Starting points rules and levels, which programme admins then edit in the admin."""

from django.db import migrations

from portal.migration_support import grant_permissions

RULES = [
    # verb, points, score bonus at 100%, daily cap
    ("onboarding.completed", 20, 0, 0),
    ("lesson.completed", 10, 0, 100),
    ("scenario.passed", 10, 10, 200),
    ("quiz.passed", 5, 5, 100),
    ("workshop.contributed", 15, 0, 30),
    ("share.quality", 20, 0, 60),
    ("recognition.received", 10, 0, 50),
    ("mentoring.checkin", 15, 0, 30),
    ("mentoring.mentee_onboarded", 25, 0, 0),
]
LEVELS = [
    ("Listener", 0),
    ("Curator", 100),
    ("Storyteller", 300),
    ("Ambassador", 700),
    ("Champion", 1500),
]
PERMISSIONS = [
    ("activity", "add_pointsrule"),
    ("activity", "change_pointsrule"),
    ("activity", "delete_pointsrule"),
    ("activity", "view_pointsrule"),
    ("activity", "add_level"),
    ("activity", "change_level"),
    ("activity", "delete_level"),
    ("activity", "view_level"),
]


def create(apps, schema_editor):
    PointsRule = apps.get_model("activity", "PointsRule")
    Level = apps.get_model("activity", "Level")
    for verb, points, bonus, cap in RULES:
        PointsRule.objects.get_or_create(
            verb=verb, defaults={"points": points, "score_bonus": bonus, "daily_cap": cap}
        )
    for name, threshold in LEVELS:
        Level.objects.get_or_create(name=name, defaults={"threshold": threshold})
    grant_permissions(apps, "Programme admin", PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("activity", "0003_points_rules_and_levels"),
        ("people", "0002_roles"),
    ]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
