"""Notification wording, from templates."""

from portal.notifications.services import notification_text


def test_notification_wording_comes_from_templates_as_plain_text():
    assert notification_text("level_reached", level="Curator", threshold=1500) == {
        "title": "You reached the level Curator",
        "body": "1,500 points and counting.",
    }
    # Plain text: shown escaped where it is shown, so never escaped twice.
    assert notification_text("mentoring_mentor_assigned", mentor="Ana & <Bo>")["title"] == (
        "Ana & <Bo> is your mentor"
    )
    assert notification_text("points_earned", points=5, verb="", label="")["body"] == "Points."
