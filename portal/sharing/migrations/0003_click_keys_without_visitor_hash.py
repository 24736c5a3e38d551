"""Click statements' keys carried the visitor hash (``share.clicked:<share>:<day>:<hash>``),
which outlived the raw clicks' retention. They become ordinals within the share and day
(``share.clicked:<share>:<day>:<n>``), as new ones are written; the day's salts go too."""

from collections import defaultdict

from django.db import migrations
from django.utils import timezone


def forward(apps, schema_editor):
    Activity = apps.get_model("activity", "Activity")
    VisitorSalt = apps.get_model("sharing", "VisitorSalt")
    rows = (
        Activity.objects.filter(verb="share.clicked")
        .order_by("timestamp", "id")
        .values_list("id", "key")
    )
    seen: dict[tuple[str, str], int] = defaultdict(int)
    renamed = []
    for pk, key in rows.iterator(chunk_size=5000):
        parts = key.split(":")
        if len(parts) != 4:
            continue
        _, share, day, visitor = parts
        seen[(share, day)] += 1
        if not visitor.isdigit():
            renamed.append((pk, f"share.clicked:{share}:{day}:{seen[(share, day)]}"))
    # Two passes: a temporary key first, so no new key collides with an old one midway.
    for pk, _ in renamed:
        Activity.objects.filter(pk=pk).update(key=f"share.clicked:renaming:{pk}")
    for pk, key in renamed:
        Activity.objects.filter(pk=pk).update(key=key)
    VisitorSalt.objects.exclude(day=timezone.localdate()).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("sharing", "0002_moderation_and_permissions"),
        ("activity", "0005_points_rule_help"),
    ]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
