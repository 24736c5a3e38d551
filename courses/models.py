"""Training pages (course index, course, lesson, purpose workshop) and learner state.

Pages stay declarative: fields, panels, allowed parents and children, and display-only
context. What a learner did lives in ordinary models with a foreign key to the page
and changes only through ``courses.services``; the routes on the pages only hand
requests to ``courses.views``.
"""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy
from modelcluster.fields import ParentalManyToManyField
from wagtail import blocks as wagtail_blocks
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import StreamField
from wagtail.models import Page

from portal.locales import LocalisedPage, localised

from .blocks import LessonStreamBlock, WorkshopStepBlock


def _views():
    # The routes hand requests to courses.views, which imports these models.
    from . import views

    return views


class CourseIndexPage(LocalisedPage, Page):
    introduction = models.TextField(max_length=600, blank=True)

    content_panels = [*Page.content_panels, FieldPanel("introduction")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["courses.CoursePage", "courses.WorkshopPage"]
    max_count = 1

    class Meta:
        verbose_name = "course index"

    def serve(self, request, *args, **kwargs):
        return _views().login_required_page(super().serve)(request, *args, **kwargs)

    def get_context(self, request, *args, **kwargs):
        from .selectors import course_overview  # selectors read these models: import late

        context = super().get_context(request, *args, **kwargs)
        context["overview"] = course_overview(user=request.user, index=self)
        workshops = list(WorkshopPage.objects.child_of(self).live().order_by("path"))
        # Each workshop and what the reader reads of it (its version in their language).
        context["workshops"] = list(zip(workshops, localised(workshops), strict=True))
        return context


class CoursePage(LocalisedPage, RoutablePageMixin, Page):
    summary = models.TextField(max_length=500)
    audience = models.CharField(
        max_length=120,
        blank=True,
        help_text=gettext_lazy("Who this is for, e.g. 'Everyone before sharing'."),
    )
    estimated_minutes = models.PositiveSmallIntegerField(
        default=15, validators=[MinValueValidator(1), MaxValueValidator(600)]
    )
    completion_points = models.PositiveIntegerField(
        default=50,
        validators=[MaxValueValidator(10_000)],
        help_text=gettext_lazy("Points given once, when someone completes the course."),
    )
    prerequisites = ParentalManyToManyField(
        "courses.CoursePage",
        blank=True,
        related_name="unlocks",
        help_text=gettext_lazy("Courses to complete before this one opens."),
    )
    unlocks_sharing = models.BooleanField(
        default=False,
        help_text=gettext_lazy(
            "People may share content only after completing every course marked so."
        ),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        MultiFieldPanel(
            [
                FieldPanel("audience"),
                FieldPanel("estimated_minutes"),
                FieldPanel("completion_points"),
                FieldPanel("prerequisites"),
                FieldPanel("unlocks_sharing"),
            ],
            heading=gettext_lazy("Course settings"),
        ),
    ]
    parent_page_types = ["courses.CourseIndexPage"]
    subpage_types = ["courses.LessonPage"]

    class Meta:
        verbose_name = "course"

    def clean(self):
        super().clean()
        if self.pk and any(course.pk == self.pk for course in self.prerequisites.all()):
            raise ValidationError({"prerequisites": "A course cannot be its own prerequisite."})

    @path("")
    def course(self, request):
        return _views().course_detail(request, self)

    @path("feedback/")
    def feedback(self, request):
        return _views().course_feedback(request, self)


class LessonPage(LocalisedPage, RoutablePageMixin, Page):
    introduction = models.TextField(max_length=600, blank=True)
    body = StreamField(LessonStreamBlock(), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("introduction"), FieldPanel("body")]
    parent_page_types = ["courses.CoursePage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = "lesson"

    @path("")
    def lesson(self, request):
        return _views().lesson_detail(request, self)

    @path("scenario/<str:block_id>/start/")
    def scenario_start(self, request, block_id):
        return _views().scenario_start(request, self, block_id)

    @path("scenario/<str:block_id>/choose/")
    def scenario_choose(self, request, block_id):
        return _views().scenario_choose(request, self, block_id)

    @path("quiz/<str:block_id>/")
    def quiz_submit(self, request, block_id):
        return _views().quiz_submit(request, self, block_id)

    @path("reflection/<str:block_id>/")
    def reflection_save(self, request, block_id):
        return _views().reflection_save(request, self, block_id)

    @path("complete/")
    def complete(self, request):
        return _views().lesson_complete(request, self)


class WorkshopPage(LocalisedPage, RoutablePageMixin, Page):
    """A purpose workshop: ordered steps of prompts that participants answer."""

    introduction = models.TextField(max_length=800, blank=True)
    accepting_answers = models.BooleanField(default=True)
    steps = StreamField([("step", WorkshopStepBlock())], blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("introduction"),
        FieldPanel("accepting_answers"),
        FieldPanel("steps"),
    ]
    parent_page_types = ["courses.CourseIndexPage", "cms.HomePage", "cms.StandardPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = "purpose workshop"
        permissions = [("facilitate_workshop", "Can facilitate the purpose workshop")]

    def prompts(self) -> dict[str, str]:
        """Every prompt's stable id (the list item's id) and question, in order."""
        return {
            prompt.id: prompt.value["question"]
            for step in self.steps
            for prompt in step.value["prompts"].bound_blocks
        }

    @path("")
    def workshop(self, request):
        return _views().workshop_detail(request, self)

    @path("answer/")
    def answer(self, request):
        return _views().workshop_answer(request, self)

    @path("wall/")
    def wall(self, request):
        return _views().workshop_wall(request, self)

    @path("wall/highlight/<id:answer_id>/")
    def highlight(self, request, answer_id):
        return _views().workshop_highlight(request, self, answer_id)

    @path("wall/purpose/")
    def purpose(self, request):
        return _views().workshop_purpose(request, self)


@register_setting(icon="list-ol")
class TrainingSettings(BaseSiteSetting):
    onboarding_courses = StreamField(
        [("course", wagtail_blocks.PageChooserBlock(page_type="courses.CoursePage"))],
        blank=True,
        help_text=gettext_lazy(
            "The onboarding path: the courses new advocates take, in this order."
        ),
    )

    panels = [FieldPanel("onboarding_courses")]

    class Meta:
        verbose_name = "training"

    def onboarding_course_ids(self) -> list[int]:
        return [block.value.pk for block in self.onboarding_courses if block.value is not None]


# --- learner state ---------------------------------------------------------------------


class Enrolment(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrolments"
    )
    course = models.ForeignKey(CoursePage, on_delete=models.CASCADE, related_name="enrolments")
    started_at = models.DateTimeField()
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "course"], name="enrolment_once"),
        ]
        indexes = [models.Index(fields=["course", "completed_at"], name="enrolment_course_done")]

    def __str__(self):
        return f"{self.user} in {self.course}"


class LessonCompletion(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lesson_completions"
    )
    lesson = models.ForeignKey(LessonPage, on_delete=models.CASCADE, related_name="completions")
    course = models.ForeignKey(CoursePage, on_delete=models.CASCADE, related_name="+")
    completed_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "lesson"], name="lesson_completed_once"),
        ]
        indexes = [models.Index(fields=["user", "course"], name="lesson_done_user_course")]

    def __str__(self):
        return f"{self.user} completed {self.lesson}"


class ScenarioAttempt(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", gettext_lazy("in progress")
        FINISHED = "finished", gettext_lazy("finished")
        ABANDONED = "abandoned", gettext_lazy("abandoned")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="scenario_attempts"
    )
    lesson = models.ForeignKey(LessonPage, on_delete=models.CASCADE, related_name="+")
    block_id = models.CharField(max_length=64)
    title = models.CharField(max_length=120)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    current_step = models.CharField(max_length=40, blank=True)
    position = models.PositiveSmallIntegerField(
        default=0, help_text=gettext_lazy("Choices made so far.")
    )
    score = models.IntegerField(default=0)
    best_possible = models.IntegerField()
    percentage = models.PositiveSmallIntegerField(null=True, blank=True)
    passed = models.BooleanField(default=False)
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "lesson", "block_id"],
                condition=Q(status="open"),
                name="scenario_one_open_attempt",
            ),
        ]
        indexes = [models.Index(fields=["user", "lesson"], name="scenario_attempt_user_lesson")]

    def __str__(self):
        return f"{self.user} on {self.title} ({self.get_status_display()})"


class ScenarioChoice(models.Model):
    attempt = models.ForeignKey(ScenarioAttempt, on_delete=models.CASCADE, related_name="choices")
    position = models.PositiveSmallIntegerField()
    step_id = models.CharField(max_length=40)
    choice_index = models.PositiveSmallIntegerField()
    label = models.CharField(max_length=200)
    feedback = models.TextField()
    score = models.IntegerField()
    chosen_at = models.DateTimeField()

    class Meta:
        ordering = ["attempt", "position"]
        constraints = [
            models.UniqueConstraint(fields=["attempt", "position"], name="scenario_choice_once"),
        ]

    def __str__(self):
        return f"{self.label} ({self.score:+d}) at step {self.step_id}"


class QuizAttempt(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="quiz_attempts"
    )
    lesson = models.ForeignKey(LessonPage, on_delete=models.CASCADE, related_name="+")
    block_id = models.CharField(max_length=64)
    title = models.CharField(max_length=120)
    answers = models.JSONField(
        help_text=gettext_lazy("The chosen option indexes, one list per question.")
    )
    correct = models.PositiveSmallIntegerField()
    questions = models.PositiveSmallIntegerField()
    percentage = models.PositiveSmallIntegerField()
    passed = models.BooleanField()
    submitted_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["user", "lesson"], name="quiz_attempt_user_lesson")]

    def __str__(self):
        return f"{self.user} on {self.title}: {self.percentage}%"


class Reflection(models.Model):
    """A learner's private answer to a reflection prompt; their mentor may read it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reflections"
    )
    lesson = models.ForeignKey(LessonPage, on_delete=models.CASCADE, related_name="+")
    block_id = models.CharField(max_length=64)
    prompt = models.TextField()
    text = models.TextField(max_length=4000)
    updated_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "lesson", "block_id"], name="reflection_once_per_prompt"
            ),
        ]

    def __str__(self):
        return f"{self.user} on {self.prompt[:40]}"


class CourseFeedback(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="course_feedback"
    )
    course = models.ForeignKey(CoursePage, on_delete=models.CASCADE, related_name="feedback_given")
    rating = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    comment = models.TextField(max_length=2000, blank=True)
    updated_at = models.DateTimeField()

    class Meta:
        verbose_name_plural = "course feedback"
        constraints = [
            models.UniqueConstraint(fields=["user", "course"], name="feedback_once_per_course"),
            models.CheckConstraint(
                condition=Q(rating__gte=1, rating__lte=5), name="feedback_rating_1_to_5"
            ),
        ]

    def __str__(self):
        return f"{self.user} rated {self.course} {self.rating}/5"


class WorkshopAnswer(models.Model):
    """One participant's answer to one prompt; an anonymous answer keeps no author."""

    workshop = models.ForeignKey(WorkshopPage, on_delete=models.CASCADE, related_name="answers")
    prompt_id = models.CharField(max_length=64)
    prompt = models.CharField(max_length=200)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="workshop_answers",
    )
    text = models.TextField(max_length=1000, blank=True)
    options = models.JSONField(default=list, blank=True)
    highlighted = models.BooleanField(default=False)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["workshop", "created_at"], name="workshop_answer_time")]

    def __str__(self):
        return f"{self.prompt[:40]}: {(self.text or ', '.join(self.options))[:60]}"


class WorkshopParticipation(models.Model):
    """Someone answered in a workshop, awaiting or past their contribution credit.

    Credit is given in batches (``workshop_contributions_credit``), never as someone
    answers, so a facilitator cannot pair an anonymous answer with the person whose
    statement (or points on a live board) follows it. Hence no time is kept here, and a
    random id, so the row's order tells nothing about the order of answers either.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    workshop = models.ForeignKey(
        WorkshopPage, on_delete=models.CASCADE, related_name="participations"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="workshop_participations"
    )
    credited = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["workshop", "user"], name="workshop_participation_once")
        ]

    def __str__(self):
        return f"{self.user} in {self.workshop}"


class PurposeStatement(models.Model):
    """The programme's purpose and objectives a facilitator drafts from a workshop."""

    workshop = models.OneToOneField(
        WorkshopPage, on_delete=models.CASCADE, related_name="purpose_statement"
    )
    draft_statement = models.TextField(max_length=1500, blank=True)
    draft_objectives = models.TextField(max_length=2000, blank=True)
    published_statement = models.TextField(max_length=1500, blank=True)
    published_objectives = models.TextField(max_length=2000, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField()

    def __str__(self):
        return f"Purpose from {self.workshop}"

    def published_objective_list(self) -> list[str]:
        return [line.strip() for line in self.published_objectives.splitlines() if line.strip()]
