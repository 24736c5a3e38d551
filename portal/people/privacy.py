"""Privacy rules every surface shares.

No figure about fewer than ``MIN_GROUP`` people is shown outside a person's own pages: a
count of one or two points at someone.
"""

MIN_GROUP = 5


def group_figure(count: int) -> int | None:
    """``count`` if it may be shown, else None (show "fewer than 5" or nothing)."""
    return count if count >= MIN_GROUP else None
