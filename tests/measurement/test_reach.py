"""Reach and results: the ledger's shares, readers and conversions and the shares' daily
link previews, summed for a period, and the earned media value with its formula, checked
against sums made here by hand."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from portal.activity.services import activity_record
from portal.measurement import selectors
from portal.measurement.models import MeasurementSettings
from portal.measurement.rollups import rollups_rebuild
from portal.people.models import User
from portal.sharing.models import Kind, Network, Share, ShareDay
from tests.people.factories import UserFactory
from tests.sharing.factories import content_item, share

pytestmark = pytest.mark.django_db


@pytest.fixture
def shared(django_capture_on_commit_callbacks):
    """Four shares (one made 60 days ago), their readers and conversions as the ledger
    records them, and link previews in the shares' daily figures."""
    today = timezone.localdate()
    now = timezone.now()
    people = [UserFactory(profile__onboarded=True) for _ in range(5)]
    wind = content_item(title="Our wind farm is live", kind=Kind.OWN)
    study = content_item(title="A study on heat pumps", kind=Kind.CURATED)
    with django_capture_on_commit_callbacks(execute=True):
        old = share(user=people[0], item=wind, at=now - timedelta(days=60))
        new = [
            share(user=people[1], item=wind, network=Network.LINKEDIN),
            share(user=people[2], item=study, network=Network.LINKEDIN),
            share(user=people[3], item=study, network=Network.X),
        ]
        figures = [  # (share, days ago, readers, previews, conversions)
            (old, 3, 4, 1, 1),
            (old, 40, 9, 2, 0),  # before the period
            (new[0], 1, 10, 3, 2),
            (new[1], 2, 5, 0, 0),
            (new[2], 0, 1, 7, 0),
        ]
        ShareDay.objects.all().delete()  # only the figures above
        for made, days_ago, clicks, previews, conversions in figures:
            at = now - timedelta(days=days_ago)
            ShareDay.objects.create(share=made, day=today - timedelta(days=days_ago),
                                    previews=previews)  # fmt: skip
            for number in range(clicks):
                activity_record(actor=made.user, verb="share.clicked", timestamp=at,
                                key=f"click:{made.pk}:{days_ago}:{number}",
                                result={"network": made.network})  # fmt: skip
            for number in range(conversions):
                activity_record(actor=made.user, verb="share.converted", timestamp=at,
                                key=f"conversion:{made.pk}:{days_ago}:{number}")  # fmt: skip
    # The shares' lifetime readers and quality, which rank the top content.
    Share.objects.filter(pk=new[0].pk).update(quality=80, clicks=10)
    Share.objects.filter(pk=new[1].pk).update(quality=40, clicks=5)
    Share.objects.filter(pk=new[2].pk).update(quality=40, clicks=1)
    rollups_rebuild()  # the daily figures were written straight to their table
    return people


def test_reach_sums_the_ledger_and_the_daily_figures_of_the_period(shared, programme_admin):
    today = timezone.localdate()
    period = selectors.Period(today - timedelta(days=13), today, "two weeks")
    scope = selectors.scope_for(viewer=programme_admin, filters={})
    reach = selectors.reach(scope=scope, period=period)
    assert reach.shares == 3  # the old one was made before the period
    assert reach.by_network == [("LinkedIn", 2), ("X", 1)]
    assert (reach.clicks, reach.previews, reach.conversions) == (4 + 10 + 5 + 1, 1 + 3 + 7, 3)
    assert reach.clicks_per_share == round(20 / 3, 1)
    assert reach.conversion_rate == round(100 * 3 / 20, 1)
    assert (reach.own, reach.curated) == (1, 2)
    # Among the shares made in the period: readers they brought, their average quality.
    assert reach.top_by_clicks == [("Our wind farm is live", 10), ("A study on heat pumps", 6)]
    assert reach.top_by_quality == [("Our wind farm is live", 80), ("A study on heat pumps", 40)]
    # A filtered scope reads the same figures at its grain, and previews of its people.
    team = selectors.scope_for(viewer=programme_admin, filters={"location": "nowhere"})
    assert not team.everyone
    nobody = selectors.reach(scope=team, period=period)
    assert (nobody.shares, nobody.clicks, nobody.previews, nobody.top_by_clicks) == (0, 0, 0, [])
    # What the deliveries counted is what a rebuild derives from the ledger.
    assert rollups_rebuild(check_only=True) == 0
    # The shares of someone who has since left still count for the whole programme, on
    # an admin's page and in the monthly summary alike.
    User.objects.filter(pk=shared[1].pk).update(is_active=False)
    page = selectors.reach(scope=selectors.scope_for(viewer=programme_admin, filters={}),
                           period=period)  # fmt: skip
    assert (page.shares, page.clicks, page.previews) == (3, 20, 11)
    assert selectors.reach(scope=selectors.whole_programme(), period=period) == page


def test_earned_media_value_follows_the_settings_and_prints_its_formula(shared, programme_admin):
    settings = MeasurementSettings.load()
    settings.cost_per_click = Decimal("2.00")
    settings.linkedin_impressions, settings.linkedin_cpm = 500, Decimal("10.00")
    settings.x_impressions = 300  # no cost per thousand: X is left out
    settings.save()
    today = timezone.localdate()
    period = selectors.Period(today - timedelta(days=13), today, "two weeks")
    scope = selectors.scope_for(viewer=programme_admin, filters={})
    reach = selectors.reach(scope=scope, period=period)
    expected = 20 * Decimal("2.00") + Decimal(2 * 500) / 1000 * Decimal("10.00")
    assert reach.value == expected == Decimal("50.00")
    assert reach.formula == (
        "20 clicks x 2.00 per click + 2 LinkedIn shares x 500 impressions / 1,000 x 10.00 "
        "= 50.00 EUR"
    )


def test_the_page_shows_reach_and_hides_it_for_small_selections(client, programme_admin, shared):
    client.force_login(programme_admin)
    page = client.get("/programme/?period=custom&start=2000-01-01&end=2099-12-31")
    assert page.status_code == 400  # more than three years
    today = timezone.localdate()
    start = (today - timedelta(days=13)).isoformat()
    page = client.get(f"/programme/?period=custom&start={start}&end={today.isoformat()}")
    html = page.content.decode()
    assert "Earned media value" in html
    assert "20 clicks x 1.50 per click = 30.00 EUR" in html
    small = client.get(f"/programme/?location=nowhere&period=custom&start={start}&end={today}")
    html = small.content.decode()
    assert "Fewer than 5 people are in this selection" in html
    assert "Earned media value" not in html
