"""Badge criteria kinds: small registered classes with typed parameters.

Badge kinds are code, badges are content: each kind names the ledger verbs that can
change it (so it is evaluated only when one of them is recorded), declares its
parameters as a Wagtail block (the admin form for them), and measures a person's
progress from the ledger and its projections. ``KINDS`` is the registry.
"""

from dataclasses import dataclass
from typing import ClassVar

from django.utils.formats import number_format
from django.utils.translation import gettext, gettext_lazy
from wagtail import blocks

from courses.selectors import scenario_best_scores
from portal.activity import verbs
from portal.activity.models import Activity
from portal.activity.selectors import points_total, streak_weeks
from portal.people.models import User
from portal.sharing.quality import QUALITY_SHARE_STEP


@dataclass(frozen=True)
class Progress:
    current: int
    target: int
    unit: str  # "quality shares", "points", ... (translatable)

    @property
    def met(self) -> bool:
        return self.current >= self.target

    @property
    def percentage(self) -> int:
        return 100 if self.met else max(0, min(100, round(100 * self.current / self.target)))

    def __str__(self) -> str:
        return gettext("%(current)s of %(target)s %(unit)s") % {
            "current": number_format(min(self.current, self.target), force_grouping=True),
            "target": number_format(self.target, force_grouping=True),
            "unit": self.unit,
        }


class CriteriaKind:
    id: ClassVar[str]
    label: ClassVar[str]
    # The verbs that can change progress; None: any statement that gives points.
    listens: ClassVar[frozenset[str] | None] = frozenset()

    @classmethod
    def params_block(cls) -> blocks.StructBlock:
        raise NotImplementedError

    def hears(self, activity: Activity) -> bool:
        if self.listens is None:
            return activity.points > 0
        return activity.verb in self.listens

    def progress(self, user: User, params) -> Progress | None:
        """Where ``user`` stands; None for badges given only by hand."""
        raise NotImplementedError


KINDS: dict[str, CriteriaKind] = {}


def register(kind: type[CriteriaKind]) -> type[CriteriaKind]:
    KINDS[kind.id] = kind()
    return kind


def _count(user: User, verb: str, **filters) -> int:
    return Activity.objects.filter(actor_id=user.pk, verb=verb, **filters).count()


def _count_block(label: str, help_text: str = "") -> blocks.StructBlock:
    return blocks.StructBlock(
        [
            (
                "count",
                blocks.IntegerBlock(
                    min_value=1, max_value=100_000, label=label, help_text=help_text
                ),
            )
        ],
        icon="tick",
    )


@register
class CourseCompleted(CriteriaKind):
    id = "course_completed"
    label = "Completed a course"
    listens = frozenset({verbs.COURSE_COMPLETED.id})

    @classmethod
    def params_block(cls):
        return blocks.StructBlock(
            [("course", blocks.PageChooserBlock(page_type="courses.CoursePage"))], icon="tick"
        )

    def progress(self, user: User, params):
        course = params["course"]
        done = course is not None and _count(
            user, verbs.COURSE_COMPLETED.id, object_id=str(course.pk)
        )
        return Progress(1 if done else 0, 1, gettext("course"))


@register
class CoursesCompleted(CriteriaKind):
    id = "courses_completed"
    label = "Completed N courses"
    listens = frozenset({verbs.COURSE_COMPLETED.id})

    @classmethod
    def params_block(cls):
        return _count_block("Courses")

    def progress(self, user: User, params):
        return Progress(
            _count(user, verbs.COURSE_COMPLETED.id), params["count"], gettext("courses")
        )


@register
class ScenarioAverage(CriteriaKind):
    id = "scenario_average"
    label = "Average scenario score at least X"
    listens = frozenset({verbs.SCENARIO_PASSED.id})

    @classmethod
    def params_block(cls):
        return blocks.StructBlock(
            [
                (
                    "minimum_score",
                    blocks.IntegerBlock(min_value=1, max_value=100, label=gettext("Score %")),
                ),
                (
                    "scenarios",
                    blocks.IntegerBlock(
                        min_value=1,
                        max_value=1000,
                        default=3,
                        label=gettext("Over at least N scenarios"),
                    ),
                ),
            ],
            icon="tick",
        )

    def progress(self, user: User, params):
        scores = scenario_best_scores(user=user)
        if len(scores) < params["scenarios"]:
            return Progress(len(scores), params["scenarios"], gettext("scenarios played"))
        average = round(sum(scores) / len(scores))
        return Progress(average, params["minimum_score"], gettext("percent average score"))


def _counting_kind(kind_id: str, label: str, verb, unit, block_label: str, **filters):
    class Counting(CriteriaKind):
        listens = frozenset({verb.id})

        @classmethod
        def params_block(cls):
            return _count_block(block_label)

        def progress(self, user: User, params):
            return Progress(_count(user, verb.id, **filters), params["count"], unit)

    Counting.id = kind_id
    Counting.label = label
    Counting.__name__ = Counting.__qualname__ = "".join(p.title() for p in kind_id.split("_"))
    return register(Counting)


# One statement per share reaches the quality-share step (the lower steps give points).
QualityShares = _counting_kind(
    "quality_shares",
    "N quality shares",
    verbs.SHARE_QUALITY,
    gettext_lazy("quality shares"),
    "Quality shares",
    result__step=QUALITY_SHARE_STEP,
)
ShareClicks = _counting_kind(
    "share_clicks", "N clicks on own shares", verbs.SHARE_CLICKED, gettext_lazy("clicks"), "Clicks"
)
RecognitionsReceived = _counting_kind(
    "recognitions_received",
    "N recognitions received",
    verbs.RECOGNITION_RECEIVED,
    gettext_lazy("recognitions"),
    "Recognitions",
)
MenteesOnboarded = _counting_kind(
    "mentees_onboarded",
    "N mentees through onboarding",
    verbs.MENTEE_ONBOARDED,
    gettext_lazy("mentees onboarded"),
    "Mentees",
)


@register
class WorkshopContribution(CriteriaKind):
    id = "workshop_contribution"
    label = "Contributed to a purpose workshop"
    listens = frozenset({verbs.WORKSHOP_CONTRIBUTED.id})

    @classmethod
    def params_block(cls):
        return blocks.StructBlock(
            [
                (
                    "workshop",
                    blocks.PageChooserBlock(
                        page_type="courses.WorkshopPage",
                        required=False,
                        help_text=gettext("Leave empty for any workshop."),
                    ),
                )
            ],
            icon="tick",
        )

    def progress(self, user: User, params):
        workshop = params["workshop"]
        filters = {"object_id": str(workshop.pk)} if workshop else {}
        done = _count(user, verbs.WORKSHOP_CONTRIBUTED.id, **filters)
        return Progress(1 if done else 0, 1, gettext("workshop"))


@register
class PointsReached(CriteriaKind):
    id = "points"
    label = "N points"
    listens = None

    @classmethod
    def params_block(cls):
        return _count_block("Points")

    def progress(self, user: User, params):
        return Progress(points_total(user=user), params["count"], gettext("points"))


@register
class WeeklyStreak(CriteriaKind):
    id = "streak"
    label = "An N-week streak"
    listens = None

    @classmethod
    def params_block(cls):
        return _count_block("Weeks in a row", "Weeks with at least one activity, back to back.")

    def progress(self, user: User, params):
        return Progress(streak_weeks(user=user), params["count"], gettext("weeks in a row"))


@register
class ManualOnly(CriteriaKind):
    id = "manual"
    label = "Given by hand only"
    listens = frozenset()

    @classmethod
    def params_block(cls):
        return blocks.StructBlock(
            [
                (
                    "note",
                    blocks.CharBlock(required=False, help_text=gettext("Who gives it, and when.")),
                )
            ],
            icon="user",
        )

    def progress(self, user: User, params):
        return None


def criteria_stream_blocks() -> list[tuple[str, blocks.Block]]:
    """One block per kind, for the badge's criteria field (exactly one is chosen)."""
    found = []
    for kind in KINDS.values():
        block = type(kind).params_block()
        block.meta.label = block.label = kind.label
        found.append((kind.id, block))
    return found
