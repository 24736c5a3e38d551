"""Training pages and their form posts; thin: check the request, call a service, render.

Every interactive form works as a plain post (redirect back to the block) and, when
``static/js/training.js`` sends it with ``X-Requested-With: fetch``, answers JSON with
the block's new HTML instead. Refusals from the services become 4xx responses that say
what happened, and change nothing.
"""

import functools

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.db import transaction
from django.http import HttpResponseNotAllowed, JsonResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.utils.translation import gettext

from portal.errors import InvalidInput, NotAllowed, ServiceError, is_fetch, refused
from portal.fields import NUMBER, cleaned
from portal.locales import content_of, localised_one
from portal.submissions import submission_take, token_field

from . import selectors, services
from .models import CoursePage, LessonPage, WorkshopPage


def login_required_page(serve):
    """Wrap a page's ``serve`` so that only signed-in people see training pages."""

    @functools.wraps(serve)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return serve(request, *args, **kwargs)

    return wrapped


def training_post(view):
    """POST only, signed in; a ``ServiceError`` from the service becomes its 4xx."""

    @functools.wraps(view)
    def wrapped(request, page, *args, **kwargs):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not request.user.is_authenticated:
            if is_fetch(request):
                return JsonResponse({"error": "Sign in again to continue."}, status=401)
            return redirect_to_login(page.url)
        try:
            return view(request, page, *args, **kwargs)
        except ServiceError as error:
            return refused(request, error, back_url=page.url)

    return wrapped


def _int(value, *, field: str) -> int:
    return cleaned(
        value, NUMBER, label=field, message=f"The form's {field} is missing or not a number."
    )


def _text(request, name: str) -> str:
    return cleaned(request.POST.get(name, ""), label=name)


# --- courses and lessons ---------------------------------------------------------------


@login_required
def course_detail(request, course: CoursePage):
    # Reading the course enrols nobody: the first lesson action does (services).
    summary = selectors.course_summary(user=request.user, course=course)
    context = course.get_context(request)
    context.update(
        {
            "summary": summary,
            "feedback": selectors.course_feedback_of(user=request.user, course=course)
            if summary.completed
            else None,
            "sharing_unlocked": summary.completed
            and course.unlocks_sharing
            and selectors.sharing_allowed(user=request.user),
        }
    )
    return TemplateResponse(request, "courses/course_page.html", context)


@training_post
def course_feedback(request, course: CoursePage):
    services.course_feedback_give(
        user=request.user,
        course=course,
        rating=_int(request.POST.get("rating"), field="rating"),
        comment=_text(request, "comment"),
    )
    messages.success(request, gettext("Thank you for your feedback."))
    return redirect(course.url + "#feedback")


@login_required
def lesson_detail(request, lesson: LessonPage):
    course = selectors.course_of(lesson)
    try:
        selectors.course_access_check(user=request.user, course=course)
    except ServiceError as error:
        return refused(request, error, back_url=course.url)
    preview = getattr(request, "is_preview", False)
    summary = selectors.course_summary(user=request.user, course=course)
    next_lesson = _after(summary.lessons, lesson)
    context = lesson.get_context(request)
    context.update(
        {
            "course": course,
            "summary": summary,
            "preview": preview,
            "states": {}
            if preview
            else selectors.lesson_states(
                user=request.user, lesson=lesson, content=context["content"]
            ),
            "completed": lesson.pk in summary.completed_lesson_ids,
            "assessed": selectors.lesson_is_assessed(lesson),
            "retry": request.GET.get("retry", ""),
            "next_lesson": next_lesson,
            "next_lesson_content": summary.lesson_content.get(next_lesson.pk)
            if next_lesson
            else None,
        }
    )
    return TemplateResponse(request, "courses/lesson_page.html", context)


def _after(lessons: list[LessonPage], lesson: LessonPage) -> LessonPage | None:
    ids = [item.pk for item in lessons]
    if lesson.pk in ids and ids.index(lesson.pk) + 1 < len(ids):
        return lessons[ids.index(lesson.pk) + 1]
    return None


def _block_response(request, lesson: LessonPage, block_id: str, template: str, completion):
    """After a post: JSON with the block's fresh HTML for fetch, else back to the block."""
    lesson_completed, course_completed = completion
    if lesson_completed:
        _completion_messages(request, lesson, course_completed)
    if is_fetch(request):
        html = ""
        if not lesson_completed:
            state = selectors.lesson_states(
                user=request.user, lesson=lesson, content=content_of(lesson, request)
            )[block_id]
            html = render_to_string(
                template, {"state": state, "page": lesson, "retry": ""}, request=request
            )
        return JsonResponse({"html": html, "reload": lesson_completed})
    return redirect(f"{lesson.url}#block-{block_id}")


def _completion_messages(request, lesson: LessonPage, course_completed: bool) -> None:
    messages.success(
        request, gettext("Lesson complete: %(title)s.") % {"title": localised_one(lesson).title}
    )
    if not course_completed:
        return
    course = selectors.course_of(lesson)
    messages.success(
        request,
        gettext("Course complete: %(title)s. You earned %(points)s points.")
        % {"title": localised_one(course).title, "points": course.completion_points},
    )
    if course.unlocks_sharing and selectors.sharing_allowed(user=request.user):
        messages.success(
            request, gettext("Sharing is unlocked: you can now share content in the hub.")
        )


@training_post
def scenario_start(request, lesson: LessonPage, block_id: str):
    services.scenario_start(user=request.user, lesson=lesson, block_id=block_id)
    return _block_response(
        request, lesson, block_id, "courses/includes/scenario.html", (False, False)
    )


@training_post
def scenario_choose(request, lesson: LessonPage, block_id: str):
    if "choice" not in request.POST:
        raise InvalidInput(gettext("Pick one of the choices first."))
    outcome = services.scenario_choose(
        user=request.user,
        lesson=lesson,
        block_id=block_id,
        attempt_id=_int(request.POST.get("attempt"), field="attempt"),
        step_id=_text(request, "step"),
        position=_int(request.POST.get("position"), field="position"),
        choice_index=_int(request.POST.get("choice"), field="choice"),
    )
    return _block_response(
        request,
        lesson,
        block_id,
        "courses/includes/scenario.html",
        (outcome.lesson_completed, outcome.course_completed),
    )


@training_post
def quiz_submit(request, lesson: LessonPage, block_id: str):
    count = _int(request.POST.get("questions"), field="number of questions")
    if not 0 < count <= 50:
        raise InvalidInput(gettext("The form's number of questions is out of range."))
    answers = [
        [_int(value, field="answer") for value in request.POST.getlist(f"q{number}")]
        for number in range(1, count + 1)
    ]
    outcome = services.quiz_submit(
        user=request.user, lesson=lesson, block_id=block_id, answers=answers
    )
    return _block_response(
        request,
        lesson,
        block_id,
        "courses/includes/quiz.html",
        (outcome.lesson_completed, outcome.course_completed),
    )


@training_post
def reflection_save(request, lesson: LessonPage, block_id: str):
    services.reflection_save(
        user=request.user, lesson=lesson, block_id=block_id, text=_text(request, "text")
    )
    if not is_fetch(request):
        messages.success(
            request, gettext("Your reflection is saved. Only you and your mentor can read it.")
        )
    return _block_response(
        request, lesson, block_id, "courses/includes/reflection.html", (False, False)
    )


@training_post
def lesson_complete(request, lesson: LessonPage):
    completion = services.lesson_complete(user=request.user, lesson=lesson)
    if completion.lesson_completed:
        _completion_messages(request, lesson, completion.course_completed)
    return redirect(lesson.url + "#lesson-status")


@login_required
def progress(request):
    return TemplateResponse(
        request,
        "courses/progress.html",
        {
            "overview": selectors.course_overview(user=request.user, with_scores=True),
            "next_step": selectors.onboarding_next_step(user=request.user),
            "sharing_blockers": selectors.sharing_blockers(user=request.user),
        },
    )


# --- purpose workshops -----------------------------------------------------------------


def _workshop_page(request, workshop: WorkshopPage, *, error=None, status=200):
    context = workshop.get_context(request)
    context.update(
        {
            "my_answers": selectors.workshop_my_answers(user=request.user, workshop=workshop),
            "can_facilitate": selectors.workshop_can_facilitate(
                user=request.user, workshop=workshop
            ),
            "error": error,
            "posted": request.POST if error else {},
        }
    )
    return TemplateResponse(request, "courses/workshop_page.html", context, status=status)


@login_required
def workshop_detail(request, workshop: WorkshopPage):
    return _workshop_page(request, workshop)


@training_post
def workshop_answer(request, workshop: WorkshopPage):
    prompt_id = _text(request, "prompt")
    token = token_field(request.POST.get("submission"))
    try:
        with transaction.atomic():
            # A double click or a resent form adds the answer once.
            if submission_take(token, user=request.user):
                services.workshop_answer_add(
                    user=request.user,
                    workshop=workshop,
                    prompt_id=prompt_id,
                    text=_text(request, "text"),
                    options=[
                        cleaned(option, label=gettext("option"))
                        for option in request.POST.getlist("options")
                    ],
                    anonymous=request.POST.get("anonymous") == "on",
                )
    except InvalidInput as error:
        if is_fetch(request):
            raise
        # Show the form again with what they wrote, so nothing is lost.
        return _workshop_page(
            request, workshop, error={"prompt": prompt_id, "message": error.message}, status=400
        )
    if is_fetch(request):
        return JsonResponse({"ok": True})
    messages.success(request, gettext("Thank you, your answer is on the workshop wall."))
    return redirect(f"{workshop.url}#prompt-{prompt_id}")


def _wall_page(request, workshop: WorkshopPage, *, error=None, status=200):
    purpose = getattr(workshop, "purpose_statement", None) if workshop.pk else None
    context = workshop.get_context(request)
    context.update(
        {
            "wall": selectors.workshop_wall(workshop=workshop),
            "purpose": purpose,
            "error": error,
            "posted": request.POST if error else {},
        }
    )
    return TemplateResponse(request, "courses/workshop_wall.html", context, status=status)


@login_required
def workshop_wall(request, workshop: WorkshopPage):
    if not selectors.workshop_can_facilitate(user=request.user, workshop=workshop):
        return refused(
            request,
            NotAllowed(gettext("Only this workshop's facilitators can open its wall.")),
            back_url=workshop.url,
        )
    return _wall_page(request, workshop)


@training_post
def workshop_highlight(request, workshop: WorkshopPage, answer_id: int):
    answer = services.workshop_answer_highlight(
        by=request.user,
        workshop=workshop,
        answer_id=answer_id,
        highlighted=request.POST.get("highlighted") == "1",
    )
    if is_fetch(request):
        return JsonResponse({"highlighted": answer.highlighted})
    return redirect(f"{workshop.url}wall/#answer-{answer.pk}")


@training_post
def workshop_purpose(request, workshop: WorkshopPage):
    publish = request.POST.get("action") == "publish"
    try:
        services.purpose_statement_save(
            by=request.user,
            workshop=workshop,
            statement=_text(request, "statement"),
            objectives=_text(request, "objectives"),
            publish=publish,
        )
    except InvalidInput as error:
        return _wall_page(request, workshop, error=error.message, status=400)
    messages.success(
        request,
        gettext("The purpose statement is published on the home page.")
        if publish
        else gettext("Draft saved; only facilitators see it."),
    )
    return redirect(f"{workshop.url}wall/#purpose")
