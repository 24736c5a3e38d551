"""The programme team pairs mentors and mentees, and edits the mentoring settings."""

from django.db import migrations

from portal.migration_support import grant_permissions

PERMISSIONS = [
    ("mentoring", "manage_pairings"),
    ("mentoring", "view_pairing"),
    ("mentoring", "change_mentoringsettings"),
]


def grant(apps, schema_editor):
    grant_permissions(apps, "Programme admin", PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("mentoring", "0001_initial"),
        ("people", "0002_roles"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
