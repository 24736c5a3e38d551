"""What a company's identity provider says about a person, onto the portal's person.

OpenID Connect (claims) and SAML (attributes) send the same facts under names each
company chooses; ``OIDC_CLAIMS`` and ``SAML_ATTRIBUTES`` map the portal's attributes to
those names. Both land in ``person_sync``, the import's rules for one person.
"""

from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.utils.translation import gettext

from portal.people.importing import PERSON_ATTRIBUTES, SyncResult, person_sync


def claim_value(claims: Mapping, name: str) -> str | None:
    """The claim ``name`` as text: None when the provider did not send it. A dotted name
    reads inside an object (``address.locality``); a list gives its first value (SAML
    attributes are lists, and so are some providers' claims)."""
    value: object = claims
    for part in name.split("."):
        if not isinstance(value, Mapping) or part not in value:
            return None
        value = value[part]
    if isinstance(value, list | tuple):
        value = value[0] if value else ""
    if value is None:
        return None
    if isinstance(value, Mapping):
        return None  # an object where text was expected: as if absent
    return str(value).replace("\x00", "")


def person_attributes(claims: Mapping, mapping: Mapping[str, str]) -> dict[str, str | None]:
    """The person's attributes from ``claims``, by the ``mapping`` (attribute -> claim
    name; an empty name means the provider does not send that attribute)."""
    return {
        attribute: claim_value(claims, mapping[attribute]) if mapping.get(attribute) else None
        for attribute in PERSON_ATTRIBUTES
    }


class UnusableClaims(ValueError):
    """The provider vouched for someone the portal cannot take (no usable email)."""


def person_from_claims(email: str | None, claims: Mapping, mapping: Mapping[str, str]):
    """Create or update the person the provider vouched for (just in time)."""
    if not email:
        raise UnusableClaims(gettext("The identity provider sent no email address."))
    try:
        result: SyncResult = person_sync(email=email, **person_attributes(claims, mapping))
    except ValidationError:
        raise UnusableClaims(
            gettext("The identity provider sent an unusable email address.")
        ) from None
    return result.user
