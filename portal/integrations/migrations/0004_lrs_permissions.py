"""The programme team sees how far the push to the Learning Record Store has come."""

from django.db import migrations

from portal.migration_support import grant_permissions


def grant(apps, schema_editor):
    grant_permissions(apps, "Programme admin", [("integrations", "view_xapicursor")])


class Migration(migrations.Migration):
    dependencies = [("integrations", "0003_xapicursor")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
