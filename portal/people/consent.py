"""The consent text people agree to; bump the version whenever the words change."""

FEATURE_CONSENT_VERSION = "2026-11"
FEATURE_CONSENT_TEXT = (
    "You may feature me by name (or by my alias, if I chose one) in recognition posts, on the "
    "public recognition feed and in programme materials such as newsletters and slides. "
    "I can withdraw this at any time on my profile; materials already published stay as they "
    "are, nothing new is published."
)
