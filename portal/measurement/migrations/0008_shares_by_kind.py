"""The rollups now also count shares by kind of content (``content.shared.kind:own``,
read from each statement's context): a database with a ledger rebuilds them (in 0009,
which rebuilds after its own changes)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("measurement", "0007_fill_rollups")]

    operations = [migrations.RunPython(migrations.RunPython.noop, migrations.RunPython.noop)]
