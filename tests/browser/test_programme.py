"""The programme dashboard in a browser: a programme admin filters it, on a desktop
and on a phone."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from portal.activity.services import activity_record
from tests.browser.test_training import sign_in
from tests.conftest import screenshot, serious_accessibility_violations
from tests.people.factories import DepartmentFactory, TeamFactory, UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_programme_admin_reads_and_filters_the_funnel(
    page, programme_admin, chromium, live_daphne
):
    for name, size in (("Field Sales", 8), ("Support", 6)):
        team = TeamFactory(department=DepartmentFactory(name=name))
        for number in range(size):
            person = UserFactory(profile__team=team, profile__department=team.department)
            if number % 2 == 0:
                activity_record(
                    actor=person, verb="onboarding.completed", key=f"o{person.pk}",
                    timestamp=timezone.now(),
                )  # fmt: skip
    sign_in(page, programme_admin.email)
    page.get_by_role("link", name="Programme").click()
    expect(page.get_by_role("heading", name="Recruitment funnel")).to_be_visible()
    funnel = page.get_by_role("table").first
    expect(funnel.get_by_role("row", name="Onboarded")).to_contain_text("7")
    screenshot(page, "programme-desktop")
    assert serious_accessibility_violations(page) == []

    page.get_by_label("Department", exact=True).select_option(label="Support")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_role("table").first).to_contain_text("of 6 invited")
    expect(page.get_by_role("table").first.get_by_role("row", name="Onboarded")).to_contain_text(
        "3"
    )

    phone = chromium.new_context(
        base_url=live_daphne, viewport={"width": 390, "height": 844}, is_mobile=True
    )
    small = phone.new_page()
    small.context.add_cookies(page.context.cookies())
    small.goto("/programme/")
    expect(small.get_by_role("heading", name="Recruitment funnel")).to_be_visible()
    assert small.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    screenshot(small, "programme-phone")
    phone.close()
