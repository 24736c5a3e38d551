"""The programme dashboard in a browser: a programme admin filters it, on a desktop
and on a phone."""

import csv
import io
import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from portal.activity.services import activity_record
from portal.measurement.models import Kpi, Target
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
    Target.objects.create(
        objective="Grow the programme", kpi=Kpi.ONBOARDED, value=20,
        cadence=Target.Cadence.BY_DATE, starts=timezone.localdate(),
        due=timezone.localdate() + timedelta(days=30),
    )  # fmt: skip
    sign_in(page, programme_admin.email)
    page.get_by_role("link", name="Programme").click()
    expect(page.get_by_role("heading", name="Recruitment funnel")).to_be_visible()
    funnel = page.get_by_role("table", name=re.compile("^People who reached each step"))
    expect(funnel.get_by_role("row", name="Onboarded")).to_contain_text("7")
    objectives = page.get_by_role("table", name="Objectives and targets")
    expect(objectives.get_by_role("row", name="Grow the programme")).to_contain_text("7")
    for heading in ("Reach and results", "Motivation", "Trends", "Training"):
        expect(page.get_by_role("heading", name=heading, exact=True)).to_be_visible()
    screenshot(page, "programme-desktop")
    assert serious_accessibility_violations(page) == []

    # Every table downloads as the CSV of what it shows.
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the table “People who reached each step").click()
    rows = list(csv.reader(io.StringIO(Path(download.value.path()).read_text())))
    assert rows[0][:2] == ["Step", "People"]
    assert rows[3][:2] == ["Onboarded", "7"]

    page.get_by_label("Department", exact=True).select_option(label="Support")
    page.get_by_role("button", name="Show").click()
    funnel = page.get_by_role("table", name=re.compile("^People who reached each step"))
    expect(funnel).to_contain_text("of 6 invited")
    expect(funnel.get_by_role("row", name="Onboarded")).to_contain_text("3")

    phone = chromium.new_context(
        base_url=live_daphne, viewport={"width": 390, "height": 844}, is_mobile=True
    )
    small = phone.new_page()
    small.context.add_cookies(page.context.cookies())
    small.goto("/programme/")
    expect(small.get_by_role("heading", name="Recruitment funnel")).to_be_visible()
    assert small.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    screenshot(small, "programme-phone")
    assert serious_accessibility_violations(small) == []
    phone.close()
