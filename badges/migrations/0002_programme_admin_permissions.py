"""Programme admins edit badges and may award or revoke any badge."""

from django.db import migrations

from portal.migration_support import grant_permissions

PERMISSIONS = [
    ("badges", "add_badge"),
    ("badges", "change_badge"),
    ("badges", "delete_badge"),
    ("badges", "view_badge"),
    ("badges", "award_badge"),
    ("badges", "view_badgeaward"),
]


def grant(apps, schema_editor):
    grant_permissions(apps, "Programme admin", PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("badges", "0001_initial"),
        ("people", "0002_roles"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
