"""The rollups now also count shares by kind of content (``content.shared.kind:own``,
read from each statement's context): a database with a ledger rebuilds them."""

from importlib import import_module

from django.db import migrations

fill = import_module("portal.measurement.migrations.0007_fill_rollups").fill


class Migration(migrations.Migration):
    dependencies = [("measurement", "0007_fill_rollups")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
