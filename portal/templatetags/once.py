"""``{% once_token %}``: the hidden one-time token for a hand-written form with a side
effect (``portal.submissions``); Django forms get theirs from ``OnceForm``."""

import uuid

from django import template
from django.utils.html import format_html

register = template.Library()


@register.simple_tag
def once_token():
    return format_html('<input type="hidden" name="submission" value="{}">', uuid.uuid4())
