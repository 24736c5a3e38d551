from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from .admin_views import PERMISSION, background_work


@hooks.register("register_admin_urls")
def register_background_work_url():
    return [path("reports/background-work/", background_work, name="background_work")]


class BackgroundWorkMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(PERMISSION)


@hooks.register("register_reports_menu_item")
def register_background_work_menu_item():
    return BackgroundWorkMenuItem(
        "Background work", reverse("background_work"), icon_name="cogs", order=900
    )
