"""Open Badges 2.0: the issuer, badge classes and assertions as JSON-LD, and baked PNGs.

Every object has a stable URL under ``SITE_URL`` and is served at that URL (hosted
verification). A baked badge is the badge image with the assertion embedded in a PNG
``iTXt`` chunk with the keyword ``openbadges``.
"""

import hashlib
import io
import json
import secrets

from django.conf import settings
from django.urls import reverse
from PIL import Image, PngImagePlugin

CONTEXT = "https://w3id.org/openbadges/v2"


def absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def recipient_hash(email: str, salt: str) -> str:
    return "sha256$" + hashlib.sha256((email.lower() + salt).encode()).hexdigest()


def new_salt() -> str:
    return secrets.token_hex(16)


def issuer_url() -> str:
    return absolute(reverse("badges:issuer"))


def issuer_json(*, name: str) -> dict:
    return {
        "@context": CONTEXT,
        "type": "Issuer",
        "id": issuer_url(),
        "name": name,
        "url": absolute("/"),
        "email": settings.BADGE_ISSUER_EMAIL,
    }


def badge_class_json(badge) -> dict:
    return {
        "@context": CONTEXT,
        "type": "BadgeClass",
        "id": absolute(reverse("badges:badge_class", args=[badge.slug])),
        "name": badge.name,
        "description": badge.description,
        "image": absolute(reverse("badges:image", args=[badge.slug])),
        "criteria": {
            "id": absolute(reverse("badges:detail", args=[badge.slug])),
            "narrative": badge.criteria_text,
        },
        "issuer": issuer_url(),
        "tags": [badge.get_tier_display()],
    }


def assertion_url(award) -> str:
    return absolute(reverse("badges:assertion", args=[award.pk]))


def assertion_json(award) -> dict:
    data = {
        "@context": CONTEXT,
        "type": "Assertion",
        "id": assertion_url(award),
        "recipient": {
            "type": "email",
            "hashed": True,
            "salt": award.recipient_salt,
            "identity": award.recipient_hash,
        },
        "badge": absolute(reverse("badges:badge_class", args=[award.badge.slug])),
        "issuedOn": award.awarded_at.isoformat(),
        "verification": {"type": "hosted"},
        "image": absolute(reverse("badges:baked", args=[award.pk])),
        "narrative": award.public_evidence_note() or award.badge.criteria_text,
    }
    evidence = {}
    if award.evidence_url:
        evidence["id"] = award.evidence_url
    if award.public_evidence_note():
        evidence["narrative"] = award.public_evidence_note()
    if evidence:
        data["evidence"] = [evidence]
    return data


ERASED_REASON = "This badge is no longer available."


def erased_json(award_id) -> dict:
    """What verifiers get for the assertion of a person who was erased: gone, no reason
    that says anything about them."""
    return {
        "@context": CONTEXT,
        "type": "Assertion",
        "id": absolute(reverse("badges:assertion", args=[award_id])),
        "revoked": True,
        "revocationReason": ERASED_REASON,
    }


def revoked_json(award) -> dict:
    return {
        "@context": CONTEXT,
        "type": "Assertion",
        "id": assertion_url(award),
        "revoked": True,
        "revocationReason": award.revocation_reason,
    }


def bake(png: bytes, assertion: dict) -> bytes:
    """The PNG with ``assertion`` in an ``iTXt`` chunk keyed ``openbadges``."""
    with Image.open(io.BytesIO(png)) as image:
        info = PngImagePlugin.PngInfo()
        info.add_itxt("openbadges", json.dumps(assertion, separators=(",", ":")))
        out = io.BytesIO()
        image.save(out, format="PNG", pnginfo=info)
    return out.getvalue()


def unbake(png: bytes) -> dict | None:
    """The assertion baked into ``png``, or None."""
    with Image.open(io.BytesIO(png)) as image:
        image.load()
        text = getattr(image, "text", {}).get("openbadges")  # PNG text chunks
    return json.loads(text) if text else None
