"""Mentors follow mentees live; managers recognise people, who hear of it at once; the
public feed names only people who agreed to be featured."""

import re

import pytest
from playwright.sync_api import expect

from portal.mentoring import services as mentoring
from portal.mentoring.models import MentoringProfile
from tests.browser.test_training import sign_in
from tests.conftest import screenshot, serious_accessibility_violations
from tests.courses.factories import course_with_lessons
from tests.people.factories import UserFactory
from tests.recognition.factories import team_with_manager

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_mentors_dashboard_follows_a_mentee_passing_a_scenario(page, live_daphne, chromium):
    _course, [lesson] = course_with_lessons(title="Replying well")
    guide = UserFactory(email="guide@example.com", first_name="Mei", profile__onboarded=True)
    MentoringProfile.objects.create(user=guide, is_mentor=True, capacity=2, topics="careers")
    learner = UserFactory(email="learner@example.com", first_name="Ben", profile__onboarded=True)
    MentoringProfile.objects.create(user=learner, wants_mentor=True)
    mentoring.pairings_apply(pairs=[(learner.pk, guide.pk)])

    sign_in(page, "guide@example.com")
    page.goto("/mentoring/")
    card = page.locator(".mentee-card", has_text="Ben")
    expect(card.locator('[data-field="scenarios"]')).to_have_text("None yet")
    expect(page.locator("#mentees")).to_have_attribute("data-live", "true")

    other = chromium.new_context(base_url=live_daphne)
    mentee_page = other.new_page()
    sign_in(mentee_page, "learner@example.com")
    mentee_page.goto(lesson.url)
    section = mentee_page.locator("[id^=block-]").first
    section.get_by_role("button", name="Start the scenario").click()
    section.get_by_label("Thank them", exact=True).check()
    section.get_by_role("button", name="Choose").click()
    expect(section.get_by_label("Offer help in private", exact=True)).to_be_visible()
    section.get_by_label("Offer help in private", exact=True).check()
    section.get_by_role("button", name="Choose").click()
    # Live: the mentor's card shows it without a reload. (The wait bound only stops a
    # broken socket from hanging the test; a loaded machine took over a second once.
    # How fast updates arrive is measured in bench/, not asserted here.)
    expect(card.locator('[data-field="scenarios"]')).to_have_text(
        "1 played, 100% average", timeout=5000
    )
    screenshot(page, "mentor-dashboard-live")
    assert serious_accessibility_violations(page) == []
    other.close()

    page.goto(f"/mentoring/mentees/{learner.pk}/")
    expect(page.get_by_role("heading", name=re.compile("Ben"), level=1)).to_be_visible()
    page.get_by_label("Check-in note").fill("Great first scenario. Next: a first share.")
    page.get_by_role("button", name="Save check-in").click()
    expect(page.get_by_text("Great first scenario. Next: a first share.")).to_be_visible()
    page.get_by_role("button", name="End this pairing").click()
    page.goto(f"/mentoring/mentees/{learner.pk}/")
    expect(page.get_by_text("You are not this person's mentor.")).to_be_visible()


def test_a_manager_recognises_and_the_recipient_hears_at_once(page, live_daphne, chromium):
    _team, manager, [shy] = team_with_manager(consent=False, team_name="Field Sales")
    manager.email = "lead@example.com"
    manager.save()
    shy.email = "shy@example.com"
    shy.first_name = "Sam"
    shy.save()
    UserFactory(email="reader@example.com", first_name="Rita", profile__onboarded=True)

    recipient_context = chromium.new_context(base_url=live_daphne)
    recipient = recipient_context.new_page()
    sign_in(recipient, "shy@example.com")
    recipient.goto("/me/")
    reader_context = chromium.new_context(base_url=live_daphne)
    reader = reader_context.new_page()
    sign_in(reader, "reader@example.com")
    reader.goto("/recognition/")
    expect(reader.locator("#recognition-feed")).to_have_attribute("data-live", "true")

    sign_in(page, "lead@example.com")
    page.goto("/recognition/give/")
    page.get_by_label("Who").select_option(value=str(shy.pk))
    page.get_by_label("Category").select_option(label="Customer hero")
    page.get_by_label("Message").fill("You turned an angry customer into a fan, in public.")
    page.get_by_label("Points").fill("40")
    screenshot(page, "recognition-give")
    assert serious_accessibility_violations(page) == []
    page.get_by_role("button", name="Recognise").click()
    expect(page.get_by_text(re.compile("You recognised Sam"))).to_be_visible()

    toast = recipient.locator(".toast", has_text="recognised you")
    expect(toast).to_be_visible(timeout=3000)
    expect(toast).to_contain_text("You turned an angry customer into a fan")
    screenshot(recipient, "recognition-toast")

    entry = reader.locator(".recognition-entry").first
    expect(entry).to_contain_text("a colleague in Field Sales", timeout=3000)
    expect(entry).not_to_contain_text("Sam")
    expect(entry).not_to_contain_text("angry customer")
    screenshot(reader, "recognition-feed-live")
    assert serious_accessibility_violations(reader) == []
    recipient_context.close()
    reader_context.close()

    page.goto("/mentoring/teams/")
    card = page.locator(".mentee-card", has_text="Sam")
    expect(card.locator('[data-field="level"]')).to_contain_text("40 points")
    screenshot(page, "manager-teams")
    assert serious_accessibility_violations(page) == []
