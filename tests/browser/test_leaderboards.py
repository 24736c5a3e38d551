"""One person watches the leaderboard while another earns points: it updates live."""

import re

import pytest
from playwright.sync_api import expect

from portal.activity.services import activity_record
from portal.people.models import Visibility
from tests.browser.test_training import sign_in
from tests.conftest import screenshot, serious_accessibility_violations
from tests.courses.factories import block, course_with_lessons
from tests.people.factories import UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_the_board_moves_while_you_watch(live_daphne, chromium):
    _course, [lesson] = course_with_lessons(
        title="Sharing well", points=40, lessons=[[block("paragraph", "<p>Mix it.</p>")]]
    )
    watcher = UserFactory(email="watch@example.com", first_name="Wanda", last_name="Watch",
                          profile__onboarded=True)  # fmt: skip
    UserFactory(email="earn@example.com", first_name="Ernest", profile__onboarded=True,
                profile__leaderboard_visibility=Visibility.ALIAS,
                profile__alias="Green Spark")  # fmt: skip
    shy = UserFactory(first_name="Shy", last_name="Person", profile__onboarded=True,
                      profile__leaderboard_visibility=Visibility.HIDDEN)  # fmt: skip
    activity_record(actor=watcher, verb="points.adjusted", key="w", points=25)
    activity_record(actor=shy, verb="points.adjusted", key="s", points=500)

    watching = chromium.new_context(base_url=live_daphne, viewport={"width": 1280, "height": 900})
    board = watching.new_page()
    sign_in(board, "watch@example.com")
    board.goto("/leaderboards/?board=company&window=week")
    expect(board.locator("#leaderboard")).to_have_attribute("data-live", "true")
    expect(board.get_by_text("You are #1")).to_be_visible()
    expect(board.locator("#leaderboard")).not_to_contain_text("Shy Person")

    earning = chromium.new_context(base_url=live_daphne, viewport={"width": 390, "height": 844})
    earner = earning.new_page()
    sign_in(earner, "earn@example.com")
    earner.goto(lesson.url)
    earner.get_by_role("button", name="Mark this lesson complete").click()

    first = board.locator(".leaderboard .entry").first
    # Live: the watcher never reloads (how fast is bench/leaderboard_fanout.py's to say).
    expect(first).to_contain_text("Green Spark", timeout=5000)
    expect(first).to_contain_text("50")  # lesson 10 + course 40
    expect(board.get_by_text("You are #2")).to_be_visible()
    # The live update keeps the season in the sentence, as the page first said it.
    expect(board.locator("[data-me]")).to_have_text(
        "You are #2 with 25 points on Company, this week."
    )
    expect(board.locator("#leaderboard")).not_to_contain_text("Ernest")
    expect(board.locator("#leaderboard")).not_to_contain_text("Shy Person")
    screenshot(board, "leaderboard-live")
    assert serious_accessibility_violations(board) == []

    # Another season shows at once, without a separate "Show" click, and the choice
    # keeps the keyboard focus.
    expect(board.get_by_role("button", name="Show")).to_be_hidden()
    board.get_by_label("This month").check()
    expect(board).to_have_url(re.compile(r"window=month"))
    expect(board.get_by_label("This month")).to_be_focused()
    expect(board.locator("[data-me]")).to_contain_text("this month")
    watching.close()
    earning.close()


@pytest.mark.skipif(
    not __import__("os").environ.get("REDIS_URL"),
    reason="two workers share a channel layer only through Redis (the PostgreSQL + Redis run)",
)
def test_an_award_on_one_worker_reaches_a_watcher_on_another(live_daphne, second_daphne, chromium):
    _course, [lesson] = course_with_lessons(
        title="Sharing well", points=40, lessons=[[block("paragraph", "<p>Mix it.</p>")]]
    )
    UserFactory(email="watch@example.com", first_name="Wanda", profile__onboarded=True)
    UserFactory(email="earn@example.com", first_name="Ernest", last_name="Earner",
                profile__onboarded=True)  # fmt: skip

    watching = chromium.new_context(base_url=second_daphne)
    board = watching.new_page()
    sign_in(board, "watch@example.com")
    board.goto("/leaderboards/?board=company&window=week")
    expect(board.locator("#leaderboard")).to_have_attribute("data-live", "true")

    earning = chromium.new_context(base_url=live_daphne)
    earner = earning.new_page()
    sign_in(earner, "earn@example.com")
    earner.goto(lesson.url)
    earner.get_by_role("button", name="Mark this lesson complete").click()
    # A bound on waiting, not a latency target (bench/leaderboard_fanout.py measures that):
    # at 2 s, and once at 5 s, it failed late in a full PostgreSQL + Redis run on the
    # 2-core machine (it passes alone, in about a second).
    expect(board.locator(".leaderboard .entry").first).to_contain_text(
        "Ernest Earner", timeout=10_000
    )
    watching.close()
    earning.close()


def test_around_you_follows_your_own_points_on_a_phone(live_daphne, chromium):
    _course, [lesson] = course_with_lessons(
        title="Sharing well", points=40, lessons=[[block("paragraph", "<p>Mix it.</p>")]]
    )
    watcher = UserFactory(email="watch@example.com", first_name="Wanda", last_name="Watch",
                          profile__onboarded=True)  # fmt: skip
    activity_record(actor=watcher, verb="points.adjusted", key="w", points=25)
    for number, points in enumerate([*range(100, 121), 30, 40, 60]):
        person = UserFactory(first_name=f"Person{number}", last_name="Ahead",
                             profile__onboarded=True)  # fmt: skip
        activity_record(actor=person, verb="points.adjusted", key=f"p{number}", points=points)

    context = chromium.new_context(
        base_url=live_daphne, viewport={"width": 390, "height": 844}, is_mobile=True
    )
    board = context.new_page()
    sign_in(board, "watch@example.com")
    board.goto("/leaderboards/?board=company&window=week")
    expect(board.locator("#leaderboard")).to_have_attribute("data-live", "true")
    expect(board.get_by_text("You are #25")).to_be_visible()
    around = board.locator("[data-around]")
    expect(around.locator(".is-you .entry-rank")).to_have_text("25")

    learning = context.new_page()  # the same person, in another tab
    learning.goto(lesson.url)
    learning.get_by_role("button", name="Mark this lesson complete").click()

    expect(board.get_by_text("You are #22")).to_be_visible(timeout=2000)
    expect(around.locator(".is-you .entry-rank")).to_have_text("22")
    expect(around.locator(".is-you")).to_contain_text("75")
    expect(board.locator("[data-status]")).to_contain_text("updated at")
    assert board.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    screenshot(board, "leaderboard-around-you-phone")
    assert serious_accessibility_violations(board) == []
    context.close()
