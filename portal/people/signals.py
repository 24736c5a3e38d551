"""Signals of the people app, for the apps that keep something per person up to date."""

from django.dispatch import Signal

# Sent with ``user_ids`` when changes in bulk (an import) moved people to another team or
# department; single profile saves send Django's own post_save.
people_moved = Signal()
