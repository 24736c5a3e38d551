"""The verbs of the activity ledger, with the xAPI verb each one maps to.

Later features register their own verbs here, one line each, so the ledger can refuse
a misspelt verb before it is stored for good.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Verb:
    id: str
    # What someone did, lazily translated (the reader's language): "completed a lesson".
    label: "str | Promise"
    iri: str
    you: "str | Promise" = ""  # the same, said to the person, where it differs: "were recognised"
    # What one statement says, from its result, where the verb alone says too little.
    describe: Callable[[dict], str] | None = None
    # Something the person does themselves, at the moment it is recorded (training, a
    # share, a check-in), as opposed to what happens to them (a click, a badge): only
    # this is work time, which hourly workers may not be rewarded for outside hours.
    own: bool = False

    def said(self, result: dict | None, *, to_you: bool = False) -> str:
        if self.describe is not None:
            return self.describe(result or {})
        return str((self.you or self.label) if to_you else self.label)


VERBS: dict[str, Verb] = {}


def register(
    verb_id: str,
    label: "str | Promise",
    iri: str,
    *,
    you: "str | Promise" = "",
    describe: Callable[[dict], str] | None = None,
    own: bool = False,
) -> Verb:
    verb = Verb(verb_id, label, iri, you, describe, own)
    VERBS[verb_id] = verb
    return verb


def _quality_step(result: dict) -> str:
    step = result.get("step")
    if not isinstance(step, int):
        return gettext("made a quality share")
    # 50 is where a share counts as a quality share (portal.sharing.quality).
    if step >= 50:
        return gettext("reached share quality %(step)s of 100 (a quality share)") % {"step": step}
    return gettext("reached share quality %(step)s of 100") % {"step": step}


ONBOARDING_COMPLETED = register(
    "onboarding.completed",
    _("completed onboarding"),
    "http://adlnet.gov/expapi/verbs/completed",
    own=True,
)
POINTS_ADJUSTED = register(
    "points.adjusted", _("had points adjusted"), "urn:advocate-portal:verbs:points-adjusted"
)
LESSON_COMPLETED = register(
    "lesson.completed",
    _("completed a lesson"),
    "http://adlnet.gov/expapi/verbs/completed",
    own=True,
)
COURSE_COMPLETED = register(
    "course.completed",
    _("completed a course"),
    "http://adlnet.gov/expapi/verbs/completed",
    own=True,
)
SCENARIO_PASSED = register(
    "scenario.passed", _("passed a scenario"), "http://adlnet.gov/expapi/verbs/passed", own=True
)
QUIZ_PASSED = register(
    "quiz.passed", _("passed a quiz"), "http://adlnet.gov/expapi/verbs/passed", own=True
)
WORKSHOP_CONTRIBUTED = register(
    "workshop.contributed",
    _("contributed to a purpose workshop"),
    "http://adlnet.gov/expapi/verbs/responded",
    own=True,
)
LEVEL_REACHED = register(
    "level.reached", _("reached a level"), "http://id.tincanapi.com/verb/achieved"
)
BADGE_EARNED = register("badge.earned", _("earned a badge"), "http://id.tincanapi.com/verb/earned")
BADGE_REVOKED = register(
    "badge.revoked", _("had a badge revoked"), "urn:advocate-portal:verbs:badge-revoked"
)
# Recorded by the content hub, mentoring and recognition features; registered here now
# so that points rules and badge criteria can name them.
SHARE_QUALITY = register(
    "share.quality",
    _("made a quality share"),
    "urn:advocate-portal:verbs:quality-share",
    describe=_quality_step,
)
CONTENT_SHARED = register(
    "content.shared", _("shared hub content"), "http://adlnet.gov/expapi/verbs/shared", own=True
)
SHARE_CONVERTED = register(
    "share.converted", _("had a share convert"), "urn:advocate-portal:verbs:share-converted"
)
SHARE_CLICKED = register(
    "share.clicked", _("had a share clicked"), "urn:advocate-portal:verbs:share-clicked"
)
RECOGNITION_RECEIVED = register(
    "recognition.received",
    _("was recognised"),
    "urn:advocate-portal:verbs:recognised",
    you=_("were recognised"),
)
MENTORING_CHECKIN = register(
    "mentoring.checkin",
    _("held a mentoring check-in"),
    "urn:advocate-portal:verbs:checked-in",
    own=True,
)
MENTEE_ONBOARDED = register(
    "mentoring.mentee_onboarded",
    _("saw a mentee through onboarding"),
    "urn:advocate-portal:verbs:mentee-onboarded",
)
