"""Rules, levels and badges in the admin; notifications for badges and level-ups."""

import pytest

from portal.activity.models import PointsRule
from portal.activity.services import points_adjust
from portal.notifications.models import Notification

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url",
    [
        "/admin/snippets/activity/pointsrule/",
        "/admin/snippets/activity/level/",
        "/admin/snippets/badges/badge/",
    ],
)
def test_programme_admins_edit_rules_levels_and_badges(client, programme_admin, url):
    client.force_login(programme_admin)
    assert client.get(url).status_code == 200


def test_a_rule_is_edited_in_the_admin(client, programme_admin):
    rule = PointsRule.objects.get(verb="share.quality")
    client.force_login(programme_admin)
    response = client.post(
        f"/admin/snippets/activity/pointsrule/edit/{rule.pk}/",
        {"verb": "share.quality", "points": "30", "score_bonus": "0", "daily_cap": "90"},
    )
    assert response.status_code == 302
    rule.refresh_from_db()
    assert (rule.points, rule.daily_cap) == (30, 90)


def test_level_ups_notify_and_the_list_marks_them_read(
    client, onboarded_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        points_adjust(user=onboarded_user, points=120, reason="pilot")
    notification = Notification.objects.get(user=onboarded_user)
    assert notification.title == "You reached the level Curator"
    client.force_login(onboarded_user)
    page = client.get("/me/notifications/").content.decode()
    assert "You reached the level Curator" in page
    assert 'aria-label="1 unread"' in page
    client.post("/me/notifications/read/")
    assert 'aria-label="1 unread"' not in client.get("/me/notifications/").content.decode()
