"""The recognition audit trail as CSV, built by the worker (``portal.exports``)."""

import csv

from django.utils import timezone

from portal.exports import export_builder, safe_cell

from . import selectors

HEADER = ["when", "kind", "giver", "recipient", "team", "category", "points", "badge",
          "budget", "message"]  # fmt: skip


@export_builder(file_name="recognition-audit.csv", title="recognition audit trail")
def audit_csv(out, *, kind: str = "", search: str = "") -> int:
    """Write the trail (filtered like the page) to ``out``; returns the number of rows."""
    writer = csv.writer(out)
    writer.writerow(HEADER)
    count = 0
    for row in selectors.audit_rows(kind=kind, search=search).iterator(chunk_size=2000):
        writer.writerow(
            safe_cell(value) if isinstance(value, str) else value
            for value in [
                timezone.localtime(row.created_at).isoformat(),
                row.kind,
                row.giver.email if row.giver else selectors.FORMER_COLLEAGUE,
                row.recipient.email,
                row.team.name if row.team else "",
                row.category.name if row.category else "",
                row.points,
                row.badge.name if row.badge else "",
                row.budget,
                row.message,
            ]
        )
        count += 1
    return count
