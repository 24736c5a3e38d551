"""Links: tracked short links, the redirect target with UTM tags, and network share pages."""

import secrets
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

from django.conf import settings
from django.utils.text import slugify

from .models import Network

CODE_ALPHABET = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8  # 57^8: about 10^14 codes, not guessable by walking them


def code_new() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def code_is_well_formed(code: str) -> bool:
    return len(code) == CODE_LENGTH and all(char in CODE_ALPHABET for char in code)


def tracked_url(code: str) -> str:
    return f"{settings.SITE_URL}/s/{code}"


def campaign_for(*, item_id: int, title: str) -> str:
    return f"{item_id}-{slugify(title)[:50]}".rstrip("-")


def destination(*, url: str, network: str, campaign: str, code: str) -> str:
    """The item's stored ``url`` with UTM tags (replacing any it had)."""
    parts = urlsplit(url)
    query = [(key, value) for key, value in parse_qsl(parts.query, keep_blank_values=True)]
    query = [(key, value) for key, value in query if not key.lower().startswith("utm_")]
    query += [
        ("utm_source", network),
        ("utm_medium", "advocacy"),
        ("utm_campaign", campaign),
        ("utm_content", code),
    ]
    return urlunsplit(parts._replace(query=urlencode(query)))


def share_page_url(*, network: str, text: str, link: str, subject: str) -> str:
    """The network's own share page, with the text and the tracked link encoded.

    LinkedIn's share-offsite and Facebook's sharer take only the link; the page copies
    the text for pasting.
    """
    if network == Network.LINKEDIN:
        return "https://www.linkedin.com/sharing/share-offsite/?" + urlencode({"url": link})
    if network == Network.X:
        return "https://twitter.com/intent/tweet?" + urlencode({"text": text, "url": link})
    if network == Network.FACEBOOK:
        return "https://www.facebook.com/sharer/sharer.php?" + urlencode({"u": link})
    if network == Network.EMAIL:
        # mailto (RFC 6068) wants %20 for spaces, not "+".
        body = f"{text}\n\n{link}"
        return "mailto:?" + urlencode({"subject": subject, "body": body}, quote_via=quote)
    raise ValueError(f"Unknown network {network!r}")


def network_takes_text(network: str) -> bool:
    return network in (Network.X, Network.EMAIL)
