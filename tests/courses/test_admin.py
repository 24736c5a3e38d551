"""Authors build courses in the Wagtail admin; bad scenario graphs come back with reasons."""

import html

import pytest
from wagtail.models import Page
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from courses.models import LessonPage, WorkshopPage
from tests.courses.factories import course_with_lessons, workshop
from tests.people.factories import UserFactory

pytestmark = pytest.mark.django_db


def listblock(items):
    return {
        "count": len(items),
        **{
            str(i): {"value": item, "deleted": "", "order": str(i), "id": ""}
            for i, item in enumerate(items)
        },
    }


def choice(label, score, next_step=""):
    return {"label": label, "feedback": f"About {label}", "score": score, "next_step": next_step}


def step(step_id, choices):
    return {
        "step_id": step_id,
        "situation": rich_text(f"<p>Situation {step_id}</p>"),
        "image": "",
        "choices": listblock(choices),
    }


def lesson_form(steps):
    return nested_form_data(
        {
            "title": "Answering criticism",
            "slug": "answering-criticism",
            "introduction": "",
            "body": streamfield(
                [
                    (
                        "scenario",
                        {
                            "title": "A complaint",
                            "introduction": "",
                            "pass_percentage": "70",
                            "steps": listblock(steps),
                        },
                    )
                ]
            ),
            "action-publish": "publish",
        }
    )


def add_lesson(client, course, steps):
    return client.post(f"/admin/pages/add/courses/lessonpage/{course.pk}/", lesson_form(steps))


def test_an_author_adds_a_lesson_with_a_branching_scenario(client, programme_admin):
    course, _ = course_with_lessons(lessons=[])
    client.force_login(programme_admin)
    response = add_lesson(
        client,
        course,
        [
            step("start", [choice("Reply kindly", 2, "follow-up"), choice("Ignore", 0)]),
            step("follow-up", [choice("Move to private", 2), choice("Argue", -1)]),
        ],
    )
    assert response.status_code == 302, response.content[:2000]
    lesson = LessonPage.objects.get(slug="answering-criticism")
    assert lesson.live
    [scenario] = list(lesson.body)
    assert [s["step_id"] for s in scenario.value["steps"]] == ["start", "follow-up"]


@pytest.mark.parametrize(
    ("steps", "message"),
    [
        (
            [step("start", [choice("A", 1, "start")]), step("start", [choice("B", 1)])],
            "The id 'start' is already used by step 1",
        ),
        ([step("start", [choice("A", 1, "missing")])], "Leads to step 'missing', which does not"),
        (
            [step("start", [choice("A", 1)]), step("island", [choice("B", 1)])],
            "Step 'island' cannot be reached",
        ),
        (
            [step("start", [choice("A", 1, "next")]), step("next", [choice("B", 1, "start")])],
            "Makes a loop (start → next → start)",
        ),
        (
            [step("start", [choice("A", 1, "next")]), step("next", [choice("B", 1, "start")])],
            "No path from the first step reaches an ending",
        ),
        ([step("Bad Id!", [choice("A", 1)])], "Use lower-case letters, digits and hyphens"),
    ],
)
def test_a_bad_scenario_graph_is_refused_with_what_to_fix(client, programme_admin, steps, message):
    course, _ = course_with_lessons(lessons=[])
    client.force_login(programme_admin)
    response = add_lesson(client, course, steps)
    assert response.status_code == 200
    content = html.unescape(html.unescape(response.content.decode()))
    assert "The page could not be created due to validation errors" in content
    assert message in content.replace("\\u2192", "→")
    assert not LessonPage.objects.filter(slug="answering-criticism").exists()


def test_page_rules(programme_admin):
    from cms.models import HomePage
    from courses.models import CourseIndexPage, CoursePage

    assert set(CourseIndexPage.allowed_subpage_models()) == {CoursePage, WorkshopPage}
    assert CoursePage.allowed_subpage_models() == [LessonPage]
    assert LessonPage.allowed_subpage_models() == []
    assert CourseIndexPage in HomePage.allowed_subpage_models()
    assert CourseIndexPage.allowed_parent_page_models() == [HomePage]


def test_feedback_report_is_for_programme_admins(client, programme_admin, onboarded_user):
    course_with_lessons(title="Guidelines")
    client.force_login(onboarded_user)
    assert client.get("/admin/courses/feedback/").status_code in (302, 403)
    client.force_login(programme_admin)
    response = client.get("/admin/courses/feedback/")
    assert response.status_code == 200
    assert "Guidelines" in response.content.decode()


def test_facilitators_are_added_and_removed_in_the_admin(client, programme_admin):
    page = workshop()
    person = UserFactory(email="facilitator@example.com")
    client.force_login(programme_admin)
    url = f"/admin/courses/workshops/{page.pk}/facilitators/"
    response = client.post(url, {"people": "nobody@example.com"})
    assert "nobody@example.com" in response.content.decode()
    client.post(url, {"people": "facilitator@example.com"})
    assert person.has_perm("courses.facilitate_workshop", page)
    client.post(url, {"remove": person.pk})
    person = type(person).objects.get(pk=person.pk)
    assert not person.has_perm("courses.facilitate_workshop", page)
    # The page's admin header offers the screen.
    edit = client.get(f"/admin/pages/{page.pk}/edit/").content.decode()
    assert url in edit
    assert Page.objects.filter(pk=page.pk).exists()
