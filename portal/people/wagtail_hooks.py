from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from .admin_views import import_people_view


@hooks.register("register_admin_urls")
def register_import_url():
    return [path("people/import/", import_people_view, name="people_import")]


class ImportPeopleMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("people.import_people")


@hooks.register("register_admin_menu_item")
def register_import_menu_item():
    return ImportPeopleMenuItem(
        "Import people", reverse("people_import"), icon_name="group", order=900
    )
