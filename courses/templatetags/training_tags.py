"""Template helpers for the training pages."""

from django import template

register = template.Library()


@register.filter
def get_item(mapping, key):
    """``states|get_item:block.id``: look a value up by a key held in a variable."""
    return mapping.get(key) if mapping else None


@register.filter
def getlist(query_dict, key):
    """``posted|getlist:"options"``: every value posted under ``key``."""
    return query_dict.getlist(key) if hasattr(query_dict, "getlist") else []
