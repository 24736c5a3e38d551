"""Recognition categories in the Wagtail admin (settings are under Settings)."""

from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import Category


class CategoryViewSet(SnippetViewSet):
    model = Category
    icon = "pick"
    menu_label = "Recognition categories"
    menu_name = "recognition-categories"
    add_to_settings_menu = True
    list_display = ["name", "description", "active", "sort_order"]


register_snippet(CategoryViewSet)
