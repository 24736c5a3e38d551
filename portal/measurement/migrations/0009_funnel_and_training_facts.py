"""The rollups also count facts that are not statements (``tallies``): the funnel of
everyone invited, and training. Every person gets a milestones row; a database with people
rebuilds its milestones and rollups."""

from importlib import import_module

from django.db import migrations, models

fill = import_module("portal.measurement.migrations.0007_fill_rollups").fill


def bytewise(apps, schema_editor):
    """On PostgreSQL the measures compare byte by byte (collation "C") whatever the
    database's own collation: the dashboard picks ranges of them (``>= '#funnel:'`` and
    ``< '#funnel;'``), which a language's collation, ignoring punctuation, would cut."""
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            'ALTER TABLE "measurement_rollup" ALTER COLUMN "measure" TYPE varchar(200) '
            'COLLATE "C"'
        )


class Migration(migrations.Migration):
    dependencies = [
        ("measurement", "0008_shares_by_kind"),
        ("courses", "0003_workshopparticipation"),
    ]

    operations = [
        migrations.AddField(
            model_name="milestones",
            name="in_funnel",
            field=models.BooleanField(default=False),
        ),
        migrations.AlterField(
            model_name="rollup",
            name="measure",
            field=models.CharField(max_length=200),
        ),
        migrations.RunPython(bytewise, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="rollup",
            index=models.Index(
                fields=["grain", "measure", "day", "department", "team", "statements"],
                name="rollup_measure_day",
            ),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
