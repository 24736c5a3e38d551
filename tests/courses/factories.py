"""Training pages for tests: a course index, courses with lessons, scenarios and quizzes."""

import uuid

from wagtail.models import Page

from cms.models import HomePage
from courses.content import stream
from courses.models import CourseIndexPage, CoursePage, LessonPage, WorkshopPage
from portal.locales import originals


def scenario_value(title="Reply to a complaint", pass_percentage=70):
    """Two steps; the best path scores 4 (Good, then Good); 70% needs the best path."""
    return {
        "title": title,
        "introduction": "Practise it.",
        "pass_percentage": pass_percentage,
        "steps": [
            {
                "step_id": "start",
                "situation": "<p>A customer complains under your post.</p>",
                "image": None,
                "choices": [
                    {
                        "label": "Thank them",
                        "feedback": "Good start.",
                        "score": 2,
                        "next_step": "second",
                    },
                    {
                        "label": "Argue",
                        "feedback": "That escalates.",
                        "score": 0,
                        "next_step": "second",
                    },
                ],
            },
            {
                "step_id": "second",
                "situation": "<p>They reply angrily.</p>",
                "image": None,
                "choices": [
                    {
                        "label": "Offer help in private",
                        "feedback": "Right.",
                        "score": 2,
                        "next_step": "",
                    },
                    {
                        "label": "Delete their comment",
                        "feedback": "Never.",
                        "score": -1,
                        "next_step": "",
                    },
                ],
            },
        ],
    }


def quiz_value(title="Check yourself"):
    return {
        "title": title,
        "pass_percentage": 100,
        "questions": [
            {
                "question": "May you share a draft price list?",
                "multiple": False,
                "options": [
                    {"label": "Yes", "correct": False, "feedback": "It is confidential."},
                    {"label": "No", "correct": True, "feedback": "Right."},
                ],
            },
            {
                "question": "Which are fine to share?",
                "multiple": True,
                "options": [
                    {"label": "Our public blog post", "correct": True, "feedback": ""},
                    {"label": "A press release", "correct": True, "feedback": ""},
                    {"label": "The board minutes", "correct": False, "feedback": "Private."},
                ],
            },
        ],
    }


def block(block_type, value):
    return {"type": block_type, "value": value, "id": str(uuid.uuid4())}


def home_page() -> HomePage:
    return originals(HomePage.objects.all()).get()


def course_index() -> CourseIndexPage:
    index = originals(CourseIndexPage.objects.all()).first()
    if index is None:
        index = home_page().add_child(instance=CourseIndexPage(title="Training", slug="courses"))
    return index


def course_with_lessons(
    *,
    title="Social media guidelines",
    lessons=None,
    unlocks_sharing=False,
    points=50,
    prerequisites=(),
) -> tuple[CoursePage, list[LessonPage]]:
    """A published course; ``lessons`` is a list of bodies (lists of ``block(...)``)."""
    course = CoursePage(
        title=title,
        slug=f"course-{uuid.uuid4().hex[:8]}",
        summary="What to share and how.",
        completion_points=points,
        unlocks_sharing=unlocks_sharing,
    )
    course_index().add_child(instance=course)
    if prerequisites:
        course.prerequisites.set(prerequisites)
        course.save()
    created = []
    for number, body in enumerate(
        lessons if lessons is not None else [[block("scenario", scenario_value())]], 1
    ):
        lesson = LessonPage(
            title=f"Lesson {number}",
            slug=f"lesson-{number}",
            body=stream(LessonPage, "body", body),
        )
        course.add_child(instance=lesson)
        created.append(lesson)
    return course, created


def workshop(*, steps=None, parent: Page | None = None) -> WorkshopPage:
    page = WorkshopPage(
        title="Our purpose",
        slug=f"workshop-{uuid.uuid4().hex[:8]}",
        introduction="Why we do this, together.",
        steps=stream(
            WorkshopPage,
            "steps",
            steps
            or [
                {
                    "type": "step",
                    "value": {
                        "title": "The employees' purpose",
                        "introduction": "",
                        "prompts": [
                            {
                                "question": "Why would you join?",
                                "help_text": "",
                                "options": ["Career", "Share expertise"],
                            },
                            {
                                "question": "At our best we are like what?",
                                "help_text": "",
                                "options": [],
                            },
                        ],
                    },
                }
            ],
        ),
    )
    (parent or course_index()).add_child(instance=page)
    return page
