"""Reading one submitted value through a Django form field, for views whose inputs are a
field or two (fetch posts, query strings, JSON bodies): the field's own rules apply (no
NUL bytes, lengths, numbers in range), and a refusal is ``InvalidInput`` (a 400)."""

from django import forms
from django.core.exceptions import ValidationError

from .errors import InvalidInput

# Free text as the services take it: they strip and check lengths themselves.
TEXT = forms.CharField(required=False, strip=False)
# A database id, or a small count: an integer any database can hold.
NUMBER = forms.IntegerField(min_value=-(2**63), max_value=2**63 - 1)


def cleaned(value, field: forms.Field = TEXT, *, label: str, message: str = ""):
    """``value`` cleaned by ``field``; if it is refused, ``InvalidInput`` with ``message``
    (by default the field's own, naming ``label``)."""
    try:
        return field.clean(value)
    except ValidationError as error:
        raise InvalidInput(message or f"The {label}: {' '.join(error.messages)}") from error
