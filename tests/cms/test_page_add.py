"""Wagtail's autosave and Publish on a new page: whichever lands second, no 500 and no
second page; the author carries on with the draft autosave made."""

import pytest
from wagtail.admin.forms.pages import WagtailAdminPageForm

from courses.models import LessonPage
from tests.courses.factories import course_with_lessons
from tests.courses.test_admin import add_lesson, choice, step
from tests.people.factories import UserFactory

pytestmark = pytest.mark.django_db

STEPS = [step("start", [choice("Reply kindly", 2), choice("Ignore", 0)])]


def autosaved(course, author, *, published=False):
    """What autosave's first post leaves: a draft with the form's slug, by its author."""
    page = course.add_child(
        instance=LessonPage(title="Answering criticism", slug="answering-criticism", live=False)
    )
    revision = page.save_revision(user=author)
    if published:
        revision.publish()
    return page


def commit_between_check_and_save(monkeypatch, make):
    """Let ``make()`` commit right after the form's checks pass (the race's window)."""
    original = WagtailAdminPageForm.clean

    def clean(form):
        cleaned = original(form)
        if not LessonPage.objects.filter(slug="answering-criticism").exists():
            make()
        return cleaned

    monkeypatch.setattr(WagtailAdminPageForm, "clean", clean)


def test_autosave_committing_inside_publish_sends_the_author_to_the_draft(
    client, programme_admin, monkeypatch
):
    course, _ = course_with_lessons(lessons=[])
    client.force_login(programme_admin)
    commit_between_check_and_save(monkeypatch, lambda: autosaved(course, programme_admin))
    answer = add_lesson(client, course, STEPS)
    [draft] = LessonPage.objects.filter(slug="answering-criticism")
    assert answer.status_code == 302
    assert answer["Location"] == f"/admin/pages/{draft.pk}/edit/"
    page = client.get(answer["Location"])
    assert "saved as a draft a moment ago" in page.content.decode()


def test_publish_after_autosave_finished_lands_on_the_draft(client, programme_admin):
    course, _ = course_with_lessons(lessons=[])
    draft = autosaved(course, programme_admin)
    client.force_login(programme_admin)
    answer = add_lesson(client, course, STEPS)
    assert answer.status_code == 302
    assert answer["Location"] == f"/admin/pages/{draft.pk}/edit/"
    assert LessonPage.objects.filter(slug="answering-criticism").count() == 1
    # A second autosave post in the same instant gets JSON it can show, not a page.
    json_answer = client.post(
        f"/admin/pages/add/courses/lessonpage/{course.pk}/",
        {"title": "Answering criticism", "slug": "answering-criticism", "action-save": "1"},
        headers={"accept": "application/json"},
    )
    assert json_answer.status_code == 409
    assert json_answer.json()["edit_url"] == f"/admin/pages/{draft.pk}/edit/"


def test_a_slug_another_author_took_in_that_instant_is_a_form_error(
    client, programme_admin, monkeypatch
):
    course, _ = course_with_lessons(lessons=[])
    colleague = UserFactory(is_staff=True)
    client.force_login(programme_admin)
    commit_between_check_and_save(monkeypatch, lambda: autosaved(course, colleague, published=True))
    answer = add_lesson(client, course, STEPS)
    assert answer.status_code == 302
    assert answer["Location"] == f"/admin/pages/add/courses/lessonpage/{course.pk}/"
    assert "already in use" in client.get(answer["Location"]).content.decode()
    assert LessonPage.objects.filter(slug="answering-criticism").count() == 1
