"""What a learner and a facilitator see: scenarios by keyboard, the gate, the live wall."""

import re

import pytest
from playwright.sync_api import expect

from cms.models import HomePage
from courses.blocks import QuizBlock, ScenarioBlock
from courses.demo import demo_training_create
from courses.scenarios import _best_from
from courses.services import workshop_facilitator_add
from portal.people.models import User
from portal.people.twofactor import two_factor_required
from tests.conftest import (
    PASSWORD,
    screenshot,
    serious_accessibility_violations,
    two_factor_code,
    two_factor_device,
)
from tests.people.factories import UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def sign_in(page, email):
    """Sign in as a person would, with the code from their app when they have two-step
    sign-in (programme admins must: they get an authenticator here)."""
    person = User.objects.get(email=email)
    if two_factor_required(person):
        two_factor_device(person)
    page.goto("/accounts/login/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    if "/accounts/two-factor/" in page.url:
        page.get_by_label("Code").fill(two_factor_code(person))
        page.get_by_role("button", name="Continue").click()
    # The dashboard greets them, in their language.
    expect(page.get_by_role("heading", name=re.compile("Hello|Hallo|Bonjour|Hola"))).to_be_visible()


def best_labels(scenario):
    """The labels of the best path's choices, step by step."""
    memo, labels, step = {}, [], scenario.start
    while step is not None:

        def value(choice):
            rest = _best_from(choice.next_step, scenario.by_id, memo) if choice.next_step else 0
            return choice.score + rest

        choice = max(step.choices, key=value)
        labels.append(choice)
        step = scenario.step(choice.next_step) if choice.next_step else None
    return labels


def choose_with_keyboard(page, section, label):
    section.get_by_label(label, exact=True).focus()
    page.keyboard.press("Space")
    page.keyboard.press("Enter")


@pytest.mark.parametrize("page", ["desktop", "phone"], indirect=True)
def test_a_new_advocate_completes_the_guidelines_and_unlocks_sharing(page, request):
    viewport = request.node.callspec.params["page"]
    courses = demo_training_create(home=HomePage.objects.get())
    UserFactory(email="learner@example.com", first_name="Ada", profile__onboarded=True)
    sign_in(page, "learner@example.com")
    expect(page.get_by_role("heading", name="Your next step")).to_be_visible()
    page.get_by_role("link", name=re.compile("Start: Speaking for yourself")).click()

    lessons = courses["guidelines"].get_children().live().specific().order_by("path")
    for number, lesson in enumerate(lessons):
        expect(page.get_by_role("heading", name=lesson.title, level=1)).to_be_visible()
        for child in lesson.body:
            section = page.locator(f"#block-{child.id}")
            if child.block_type == "scenario":
                scenario = ScenarioBlock.scenario(child.value)
                section.get_by_role("button", name="Start the scenario").focus()
                page.keyboard.press("Enter")
                for choice in best_labels(scenario):
                    expect(section.get_by_text(choice.label, exact=True)).to_be_visible()
                    choose_with_keyboard(page, section, choice.label)
                    if child is not list(lesson.body)[-1] or choice.next_step:
                        feedback = section.locator(".feedback")
                        expect(feedback).to_contain_text(choice.feedback)
                        if number == 0 and choice.next_step:
                            expect(feedback).to_be_focused()
                            screenshot(page, f"scenario-feedback-{viewport}")
                            assert serious_accessibility_violations(page) == []
            elif child.block_type == "quiz":
                quiz = QuizBlock.quiz(child.value)
                for question in quiz.questions:
                    for index in sorted(question.correct):
                        section.get_by_label(question.options[index].label, exact=True).check()
                section.get_by_role("button", name="Check my answers").click()
        expect(page.get_by_text(f"Lesson complete: {lesson.title}.")).to_be_visible()
        if number < len(lessons) - 1:
            page.get_by_role("link", name=re.compile("Next lesson")).click()

    expect(page.get_by_text("Course complete: Social media guidelines.")).to_be_visible()
    expect(page.get_by_text("Sharing is unlocked: you can now share content")).to_be_visible()
    screenshot(page, f"course-complete-{viewport}")
    page.goto("/me/training/")
    expect(page.get_by_text("Sharing is unlocked.")).to_be_visible()
    expect(page.get_by_text("Completed", exact=True)).to_be_visible()
    screenshot(page, f"training-progress-{viewport}")
    assert serious_accessibility_violations(page) == []


def test_a_scenario_works_without_javascript(live_daphne, chromium):
    courses = demo_training_create(home=HomePage.objects.get())
    UserFactory(email="nojs@example.com", first_name="Ada", profile__onboarded=True)
    context = chromium.new_context(base_url=live_daphne, java_script_enabled=False)
    page = context.new_page()
    sign_in(page, "nojs@example.com")
    lesson = courses["guidelines"].get_children().live().first().specific
    scenario_block = next(c for c in lesson.body if c.block_type == "scenario")
    page.goto(lesson.url)
    section = page.locator(f"#block-{scenario_block.id}")
    section.get_by_role("button", name="Start the scenario").click()
    first = ScenarioBlock.scenario(scenario_block.value).start.choices[1]
    section.get_by_label(first.label, exact=True).check()
    section.get_by_role("button", name="Choose").click()
    expect(page).to_have_url(re.compile(f"#block-{scenario_block.id}$"))
    expect(section.locator(".feedback")).to_contain_text(first.feedback)
    context.close()


def test_the_facilitators_wall_shows_an_answer_within_a_second(live_daphne, chromium):
    courses = demo_training_create(home=HomePage.objects.get())
    workshop = courses["workshop"]
    facilitator = UserFactory(email="host@example.com", first_name="Fran", profile__onboarded=True)
    workshop_facilitator_add(workshop=workshop, user=facilitator)
    UserFactory(email="voice@example.com", first_name="Vic", profile__onboarded=True)

    host = chromium.new_context(base_url=live_daphne, viewport={"width": 1280, "height": 900})
    wall = host.new_page()
    sign_in(wall, "host@example.com")
    wall.goto(f"{workshop.url}wall/")
    expect(wall.locator("#wall")).to_have_attribute("data-live", "true")

    guest = chromium.new_context(base_url=live_daphne, viewport={"width": 390, "height": 844})
    participant = guest.new_page()
    sign_in(participant, "voice@example.com")
    participant.goto(workshop.url)
    prompt = participant.locator("section.prompt", has_text="At our best, we are like what?")
    prompt.get_by_label("Your answer").fill("A trusted neighbour who knows energy")
    prompt.get_by_label("Answer anonymously").check()
    prompt.get_by_role("button", name="Add my answer").click()

    answer = wall.get_by_text("A trusted neighbour who knows energy")
    expect(answer).to_be_visible(timeout=5000)  # live: the wall never reloads
    expect(wall.locator(".wall-answer", has_text="A trusted neighbour")).to_contain_text(
        "Anonymous"
    )
    expect(
        participant.get_by_text("Thank you, your answer is on the workshop wall.")
    ).to_be_visible()
    screenshot(participant, "workshop-phone")

    # Highlighting shows on the wall through the same socket.
    item = wall.locator(".wall-answer", has_text="A trusted neighbour")
    item.get_by_role("button", name="☆ Highlight").click()
    expect(item).to_have_class(re.compile("is-highlighted"))
    screenshot(wall, "workshop-wall")
    assert serious_accessibility_violations(wall) == []
    host.close()
    guest.close()


def test_a_quiz_passed_on_a_retry_shows_its_result(page):
    from tests.courses.factories import block, course_with_lessons, quiz_value

    UserFactory(email="retry@example.com", first_name="Ada", profile__onboarded=True)
    _course, [lesson] = course_with_lessons(lessons=[[block("quiz", quiz_value())]])
    sign_in(page, "retry@example.com")
    page.goto(lesson.url)
    quiz = page.locator(".quiz-form")
    quiz.get_by_label("Yes", exact=True).check()  # wrong
    quiz.get_by_label("The board minutes").check()  # wrong too
    quiz.get_by_role("button").click()
    expect(page.get_by_text("Not passed yet")).to_be_visible()

    page.get_by_role("link", name="Try the quiz again").click()
    expect(page).to_have_url(re.compile(r"\?retry="))
    quiz = page.locator(".quiz-form")
    quiz.get_by_label("No", exact=True).check()
    quiz.get_by_label("Our public blog post").check()
    quiz.get_by_label("A press release").check()
    quiz.get_by_role("button").click()

    # The lesson completes and the page reloads: with the result, not an empty quiz.
    expect(page.get_by_text("Passed: 2 of 2 right")).to_be_visible()
    assert "retry=" not in page.url
    expect(page.locator(".quiz-form")).to_have_count(0)
