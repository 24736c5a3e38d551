"""The portal's signed HTTP messages and bearer tokens. Signed messages go both ways:
the company's site signs conversion reports to the portal, and the portal signs its
webhooks to other systems, alike.

Headers ``X-Advocate-Timestamp`` (Unix seconds) and ``X-Advocate-Signature``
(``sha256=<hex>``: HMAC-SHA256 of ``<timestamp>.<body>`` under the shared secret).
"""

import hashlib
import hmac
import secrets
import time

TIMESTAMP_HEADER = "X-Advocate-Timestamp"
SIGNATURE_HEADER = "X-Advocate-Signature"


def signature(*, secret: str, timestamp: str, body: bytes) -> str:
    mac = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def signed_headers(*, secret: str, body: bytes, now: float | None = None) -> dict[str, str]:
    timestamp = str(int(now if now is not None else time.time()))
    return {
        TIMESTAMP_HEADER: timestamp,
        SIGNATURE_HEADER: signature(secret=secret, timestamp=timestamp, body=body),
    }


# --- bearer tokens (SCIM, the API) -------------------------------------------------------


def token_digest(token: str) -> str:
    """What is stored of a bearer token. Tokens are random (256 bits), so one SHA-256 is
    as good as a slow hash here."""
    return hashlib.sha256(token.encode()).hexdigest()


def token_new(prefix: str) -> tuple[str, str]:
    """A new bearer token (shown once) and its digest (kept)."""
    token = prefix + secrets.token_urlsafe(32)
    return token, token_digest(token)
