"""Content items in the Wagtail admin: drafts, revisions, locking and moderation."""

from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import ContentItem


class ContentItemViewSet(SnippetViewSet):
    model = ContentItem
    icon = "link"
    menu_label = "Content hub"
    menu_name = "content-hub"
    menu_order = 250
    add_to_admin_menu = True
    list_display = ["title", "kind", "live", "show_from", "show_until", "suggested_by"]
    list_filter = ["kind", "live"]
    search_fields = ["title"]


register_snippet(ContentItemViewSet)
