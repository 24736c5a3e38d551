"""Lesson blocks: video, reflection prompts, quizzes and branching scenarios.

The interactive blocks validate themselves in the editor with messages that say what
to fix, and turn their stored value into plain objects (``Scenario``, ``Quiz``) that
the services score; the learner's state lives in ``courses.models``.
"""

import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from wagtail import blocks
from wagtail.blocks.list_block import ListBlockValidationError
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageChooserBlock

from portal.blocks import BaseStreamBlock

from .scenarios import Choice, Scenario, Step, graph_problems

STEP_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")


def validate_step_id(value: str) -> None:
    if not STEP_ID.match(value or ""):
        raise ValidationError(
            "Use lower-case letters, digits and hyphens (up to 40), e.g. 'reply-publicly'."
        )


class VideoBlock(blocks.StructBlock):
    """A video file from the document library, played here: nothing loads from elsewhere."""

    title = blocks.CharBlock(max_length=120)
    video = DocumentChooserBlock(help_text="An MP4 or WebM file uploaded to Documents.")
    captions = DocumentChooserBlock(
        required=False, help_text="Optional WebVTT captions (.vtt) uploaded to Documents."
    )
    transcript = blocks.TextBlock(required=False, help_text="Shown under the video.")

    class Meta:
        icon = "media"
        template = "courses/blocks/video_block.html"
        preview_value = {"title": "Why we ask you to share", "transcript": "A short welcome."}
        description = "A video uploaded to the portal, with captions and a transcript"

    def clean(self, value):
        value = super().clean(value)
        video = value.get("video")
        if video and video.file_extension.lower() not in ("mp4", "webm"):
            raise StructBlockValidationError(
                block_errors={"video": ValidationError("Choose an .mp4 or .webm file.")}
            )
        captions = value.get("captions")
        if captions and captions.file_extension.lower() != "vtt":
            raise StructBlockValidationError(
                block_errors={"captions": ValidationError("Captions must be a .vtt file.")}
            )
        return value


class ReflectionBlock(blocks.StructBlock):
    prompt = blocks.TextBlock(max_length=400)
    guidance = blocks.TextBlock(required=False, max_length=400)

    class Meta:
        icon = "comment"
        template = "courses/blocks/reflection_block.html"
        preview_value = {
            "prompt": "Which topic could you post about with confidence this month?",
            "guidance": "Only you and your mentor can read your answer.",
        }
        description = "A question the learner answers in private (shared with their mentor)"


# --- quizzes --------------------------------------------------------------------------


@dataclass(frozen=True)
class QuizOption:
    label: str
    correct: bool
    feedback: str


@dataclass(frozen=True)
class QuizQuestion:
    text: str
    multiple: bool
    options: tuple[QuizOption, ...]

    @property
    def correct(self) -> frozenset[int]:
        return frozenset(i for i, option in enumerate(self.options) if option.correct)


@dataclass(frozen=True)
class Quiz:
    title: str
    questions: tuple[QuizQuestion, ...]
    pass_percentage: int


class QuizOptionBlock(blocks.StructBlock):
    label = blocks.CharBlock(max_length=200)
    correct = blocks.BooleanBlock(required=False)
    feedback = blocks.TextBlock(required=False, max_length=500, help_text="Shown when chosen.")

    class Meta:
        icon = "radio-full"


class QuizQuestionBlock(blocks.StructBlock):
    question = blocks.TextBlock(max_length=400)
    multiple = blocks.BooleanBlock(
        required=False,
        label="Multiple choice",
        help_text="Learners pick every correct option (and no wrong one) to get it right.",
    )
    options = blocks.ListBlock(QuizOptionBlock(), min_num=2, max_num=8)

    class Meta:
        icon = "help"

    def clean(self, value):
        value = super().clean(value)
        correct = sum(1 for option in value["options"] if option["correct"])
        if value["multiple"] and correct == 0:
            raise StructBlockValidationError(
                block_errors={
                    "options": ListBlockValidationError(
                        non_block_errors=["Mark at least one option as correct."]
                    )
                }
            )
        if not value["multiple"] and correct != 1:
            raise StructBlockValidationError(
                block_errors={
                    "options": ListBlockValidationError(
                        non_block_errors=[
                            f"A single-choice question needs exactly one correct option "
                            f"(this one has {correct}); or tick 'Multiple choice'."
                        ]
                    )
                }
            )
        return value


class QuizBlock(blocks.StructBlock):
    title = blocks.CharBlock(max_length=120)
    pass_percentage = blocks.IntegerBlock(min_value=1, max_value=100, default=70)
    questions = blocks.ListBlock(QuizQuestionBlock(), min_num=1, max_num=20)

    class Meta:
        icon = "list-ul"
        template = "courses/blocks/quiz_block.html"
        preview_value = {
            "title": "Check yourself",
            "pass_percentage": 70,
            "questions": [
                {
                    "question": "May you share a draft price list that a colleague sent you?",
                    "multiple": False,
                    "options": [
                        {"label": "Yes", "correct": False, "feedback": "It is confidential."},
                        {"label": "No", "correct": True, "feedback": "Right."},
                    ],
                }
            ],
        }
        description = "Single or multiple choice questions with feedback and a pass mark"

    @staticmethod
    def quiz(value) -> Quiz:
        return Quiz(
            title=value["title"],
            pass_percentage=value["pass_percentage"],
            questions=tuple(
                QuizQuestion(
                    text=question["question"],
                    multiple=bool(question["multiple"]),
                    options=tuple(
                        QuizOption(o["label"], bool(o["correct"]), o["feedback"] or "")
                        for o in question["options"]
                    ),
                )
                for question in value["questions"]
            ),
        )


# --- branching scenarios ---------------------------------------------------------------


class ScenarioChoiceBlock(blocks.StructBlock):
    label = blocks.CharBlock(max_length=200, help_text="What the learner would do or say.")
    feedback = blocks.TextBlock(max_length=800, help_text="Shown right after this choice.")
    score = blocks.IntegerBlock(
        min_value=-10, max_value=10, default=0, help_text="Points for this choice (-10 to 10)."
    )
    next_step = blocks.CharBlock(
        required=False,
        max_length=40,
        help_text="The id of the step that follows; leave empty to end the scenario here.",
    )

    class Meta:
        icon = "arrow-right"


class ScenarioStepBlock(blocks.StructBlock):
    step_id = blocks.CharBlock(
        max_length=40,
        validators=[validate_step_id],
        help_text="A short id that choices point to, e.g. 'angry-reply'.",
    )
    situation = blocks.RichTextBlock(features=["bold", "italic", "link", "ul", "ol"])
    image = ImageChooserBlock(required=False)
    choices = blocks.ListBlock(ScenarioChoiceBlock(), min_num=1, max_num=6)

    class Meta:
        icon = "doc-full"


class ScenarioBlock(blocks.StructBlock):
    title = blocks.CharBlock(max_length=120)
    introduction = blocks.TextBlock(required=False, max_length=600)
    pass_percentage = blocks.IntegerBlock(
        min_value=1,
        max_value=100,
        default=70,
        help_text="The share of the best possible score needed to pass.",
    )
    steps = blocks.ListBlock(
        ScenarioStepBlock(),
        min_num=1,
        max_num=30,
        help_text="The first step is where every attempt starts.",
    )

    class Meta:
        icon = "pick"
        template = "courses/blocks/scenario_block.html"
        preview_value = {
            "title": "A customer complains under your post",
            "introduction": "Practise answering criticism.",
            "pass_percentage": 70,
            "steps": [
                {
                    "step_id": "start",
                    "situation": "<p>A customer writes that our app lost their data.</p>",
                    "choices": [
                        {
                            "label": "Reply that it is their fault",
                            "feedback": "Blaming escalates the situation.",
                            "score": 0,
                            "next_step": "",
                        },
                        {
                            "label": "Thank them and point them to support",
                            "feedback": "Calm, helpful and public.",
                            "score": 2,
                            "next_step": "",
                        },
                    ],
                }
            ],
        }
        description = "A branching scenario: situations, choices with feedback, a pass mark"

    def clean(self, value):
        value = super().clean(value)
        problems = graph_problems(
            (step["step_id"], [(c["next_step"] or "", c["score"]) for c in step["choices"]])
            for step in value["steps"]
        )
        if problems:
            raise _scenario_errors(problems)
        return value

    @staticmethod
    def scenario(value) -> Scenario:
        return Scenario(
            title=value["title"],
            introduction=value["introduction"],
            pass_percentage=value["pass_percentage"],
            steps=tuple(
                Step(
                    id=step["step_id"],
                    situation=step["situation"],
                    image=step["image"],
                    choices=tuple(
                        Choice(
                            c["label"], c["feedback"], c["score"], (c["next_step"] or "").strip()
                        )
                        for c in step["choices"]
                    ),
                )
                for step in value["steps"]
            ),
        )


def _scenario_errors(problems) -> StructBlockValidationError:
    """Attach each problem to the field the editor must change."""
    step_errors = {}
    for index in set(problems.steps) | {i for i, _ in problems.choices}:
        fields = {}
        if index in problems.steps:
            fields["step_id"] = ValidationError(problems.steps[index])
        choice_errors = {
            j: StructBlockValidationError(block_errors={"next_step": ValidationError(messages)})
            for (i, j), messages in problems.choices.items()
            if i == index
        }
        if choice_errors:
            fields["choices"] = ListBlockValidationError(block_errors=choice_errors)
        step_errors[index] = StructBlockValidationError(block_errors=fields)
    block_errors = (
        {"steps": ListBlockValidationError(block_errors=step_errors)} if step_errors else {}
    )
    return StructBlockValidationError(
        block_errors=block_errors,
        non_block_errors=problems.general
        or ["The scenario's steps do not fit together; see the messages on the steps below."],
    )


class LessonStreamBlock(BaseStreamBlock):
    video = VideoBlock()
    reflection = ReflectionBlock()
    quiz = QuizBlock()
    scenario = ScenarioBlock()


# Blocks that must be passed before a lesson counts as complete.
ASSESSED_BLOCKS = ("quiz", "scenario")


# --- purpose workshops ----------------------------------------------------------------


class WorkshopPromptBlock(blocks.StructBlock):
    question = blocks.CharBlock(max_length=200)
    help_text = blocks.TextBlock(
        required=False,
        max_length=500,
        help_text="Pointers for participants, e.g. where to look (mission, annual report).",
    )
    options = blocks.ListBlock(
        blocks.CharBlock(max_length=120),
        min_num=0,
        max_num=12,
        help_text="Optional answers to pick from; participants can still add their own words.",
    )

    class Meta:
        icon = "help"


class WorkshopStepBlock(blocks.StructBlock):
    title = blocks.CharBlock(max_length=120)
    introduction = blocks.RichTextBlock(required=False, features=["bold", "italic", "link", "ul"])
    prompts = blocks.ListBlock(WorkshopPromptBlock(), min_num=1, max_num=15)

    class Meta:
        icon = "list-ol"
        template = "courses/blocks/workshop_step_block.html"
        preview_value = {
            "title": "Finding the business purpose",
            "prompts": [{"question": "What does our mission say we are for?", "options": []}],
        }
        description = "One step of a purpose workshop with its prompts"
