"""Content items in the Wagtail admin: drafts, revisions, locking and moderation."""

from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import ContentItem, ContentSource


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


class ContentSourceViewSet(ModelViewSet):
    """Feeds whose new entries arrive in the hub as drafts for moderation."""

    model = ContentSource
    icon = "download"
    menu_label = "Content sources"
    url_prefix = "content-sources"
    add_to_admin_menu = True
    menu_order = 251
    list_display = ["name", "kind", "topics", "active", "status", "checked_at", "items_made"]
    form_fields = ["name", "url", "kind", "topics", "active"]
    copy_view_enabled = False


@hooks.register("register_admin_viewset")
def register_content_sources():
    return ContentSourceViewSet()
