"""An award's public page follows the earner's choice (default, public, private); erased
earners' assertions answer 410 Gone."""

from django.db import migrations, models


def forward(apps, schema_editor):
    BadgeAward = apps.get_model("badges", "BadgeAward")
    BadgeAward.objects.filter(hidden=True).update(visibility="private")


class Migration(migrations.Migration):
    dependencies = [("badges", "0002_programme_admin_permissions")]

    operations = [
        migrations.AddField(
            model_name="badgeaward",
            name="visibility",
            field=models.CharField(
                choices=[
                    ("default", "Like my leaderboard choice (name, alias or no name; not indexed)"),
                    ("public", "Public with my name (for LinkedIn and search engines)"),
                    ("private", "Private (only I see the page; verifiers still can)"),
                ],
                default="default",
                max_length=10,
            ),
        ),
        migrations.RunPython(forward, migrations.RunPython.noop),
        migrations.RemoveField(model_name="badgeaward", name="hidden"),
        migrations.CreateModel(
            name="ErasedAssertion",
            fields=[("id", models.UUIDField(primary_key=True, serialize=False))],
        ),
    ]
