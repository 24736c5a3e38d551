"""Badges, points rules and levels in the Wagtail admin, and the audit log's words."""

from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from portal.activity.models import Level, PointsRule

from .models import Badge


class BadgeViewSet(SnippetViewSet):
    model = Badge
    icon = "pick"
    list_display = ["name", "tier", "active", "updated_at"]
    list_filter = ["tier", "active"]
    search_fields = ["name"]


class PointsRuleViewSet(SnippetViewSet):
    model = PointsRule
    icon = "plus-inverse"
    menu_label = "Points rules"
    list_display = ["verb", "points", "score_bonus", "daily_cap"]


class LevelViewSet(SnippetViewSet):
    model = Level
    icon = "order"
    list_display = ["name", "threshold"]


class RewardsViewSetGroup(SnippetViewSetGroup):
    items = (BadgeViewSet, PointsRuleViewSet, LevelViewSet)
    menu_icon = "pick"
    menu_label = "Rewards"
    menu_name = "rewards"
    menu_order = 300


register_snippet(RewardsViewSetGroup)


@hooks.register("register_log_actions")
def register_badge_log_actions(actions):
    actions.register_action("badges.award", "Award badge", "Badge awarded")
    actions.register_action("badges.revoke", "Revoke badge", "Badge revoked")
