"""A database that already has a ledger gets its milestones' places and its daily
rollups now."""

from django.db import migrations


def fill(apps, schema_editor):
    """From today's rebuild, which reads the current models: a later migration that
    changes the tables it reads must move this step after itself (0009 did: this one and
    0008 now leave it to 0009). A new database has no one and skips it."""
    if not apps.get_model("people", "User").objects.exists():
        return
    from portal.measurement.rollups import rollups_rebuild
    from portal.measurement.services import milestones_rebuild

    milestones_rebuild()
    rollups_rebuild()


class Migration(migrations.Migration):
    dependencies = [
        ("measurement", "0006_summaries"),
        ("activity", "0006_deliveries"),
        ("people", "0006_cohort"),
    ]

    # The fill itself runs in 0009, after the tables it reads have their current shape.
    operations = [migrations.RunPython(migrations.RunPython.noop, migrations.RunPython.noop)]
