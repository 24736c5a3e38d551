"""The programme team sets the targets and the earned media value's figures."""

from django.db import migrations

from portal.migration_support import grant_permissions

PERMISSIONS = [
    ("measurement", "change_measurementsettings"),
    ("measurement", "add_target"),
    ("measurement", "change_target"),
    ("measurement", "delete_target"),
    ("measurement", "view_target"),
]


def grant(apps, schema_editor):
    grant_permissions(apps, "Programme admin", PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("measurement", "0004_targets"),
        ("people", "0002_roles"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
