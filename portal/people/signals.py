"""Signals of the people app, for the apps that keep something per person up to date."""

from django.dispatch import Signal

# Sent with ``user_ids`` when changes in bulk (an import) moved people to another team or
# department; single profile saves send Django's own post_save.
people_moved = Signal()

# Sent with ``user`` and ``purposes`` (ids from ``portal.people.consent``) after a person
# granted or withdrew consent; surfaces that show them (the live recognition feed) retract
# or redraw what they show at once.
consent_changed = Signal()

# Sent with ``user_ids`` after people were made in bulk (an import, once their profiles
# exist); one person made alone sends Django's own post_save.
people_joined = Signal()

# Sent with ``user_ids`` when people left (deactivated), came back or are about to be
# erased: the boards and other projections take them off or put them back.
people_left = Signal()
people_returned = Signal()
