"""Signals of the sharing app, for the apps that count what shares achieve."""

from django.dispatch import Signal

# Sent in the writing transaction with ``changes``: (share id, readers added, quality
# added) for shares whose readers or quality changed (either may be negative or 0).
shares_changed = Signal()

# Sent in the writing transaction with ``changes``: (share id, day, link previews added)
# for shares whose previews on that day changed.
previews_changed = Signal()
