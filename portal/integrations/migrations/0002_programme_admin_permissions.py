"""The programme team connects webhooks and chat channels, and reads the delivery log."""

from django.db import migrations

from portal.migration_support import grant_permissions

PERMISSIONS = [
    ("integrations", f"{action}_{model}")
    for model in ("webhook", "chatchannel")
    for action in ("add", "change", "delete", "view")
] + [("integrations", "view_delivery"), ("integrations", "change_delivery")]


def grant(apps, schema_editor):
    grant_permissions(apps, "Programme admin", PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("integrations", "0001_initial"),
        ("people", "0002_roles"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
