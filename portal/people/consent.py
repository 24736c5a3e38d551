"""The purposes people consent to, each with the words they agree to.

Each purpose is asked, granted and withdrawn on its own. Change a text's words only with a
new version: the words of every version people answered are kept (``ConsentText``), so a
record always says exactly what the person was shown.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Purpose:
    id: str
    field: str  # the Profile field that holds the person's current answer
    label: str  # the checkbox
    version: str
    text: str


FEED = Purpose(
    id="feed",
    field="consent_feed",
    label="Name me in the recognition feed",
    version="2026-12",
    text=(
        "When I am recognised or thanked, the recognition feed may show my name (or my alias, "
        "if I chose one) and the message. Without this I appear as “a colleague in <my team>” "
        "and the message stays between me and the sender. I can withdraw this at any time on "
        "my profile; the feed then stops naming me at once."
    ),
)
BADGE_EVIDENCE = Purpose(
    id="badge_evidence",
    field="consent_badge_evidence",
    label="Show recognition messages on my public badge pages",
    version="2026-12",
    text=(
        "When a badge comes with a recognition, its message may appear as evidence on the "
        "badge's public page and in the Open Badge anyone can verify. Without this the page "
        "shows only what the badge is for. I can withdraw this at any time; pages and badge "
        "files change at once."
    ),
)
MATERIAL = Purpose(
    id="material",
    field="consent_material",
    label="Feature me in programme material",
    version="2026-12",
    text=(
        "The programme team may feature me by name (or alias) in programme material such as "
        "newsletters, slides and success stories. I can withdraw this at any time on my "
        "profile; material already published stays as it is, nothing new is published."
    ),
)

PURPOSES: dict[str, Purpose] = {purpose.id: purpose for purpose in (FEED, BADGE_EVIDENCE, MATERIAL)}

# The single consent of the first release (before purposes were separate); its words are
# kept so that the records of people who answered it still say what they agreed to.
LEGACY_FEATURE_VERSION = "2026-11"
LEGACY_FEATURE_TEXT = (
    "You may feature me by name (or by my alias, if I chose one) in recognition posts, on the "
    "public recognition feed and in programme materials such as newsletters and slides. "
    "I can withdraw this at any time on my profile; materials already published stay as they "
    "are, nothing new is published."
)
