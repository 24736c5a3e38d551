from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from .admin_views import PERMISSION, identity_view


@hooks.register("register_admin_urls")
def register_identity_url():
    return [path("identity/", identity_view, name="identity_admin")]


class IdentityMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(PERMISSION)


@hooks.register("register_admin_menu_item")
def register_identity_menu_item():
    return IdentityMenuItem(
        "Sign-on and provisioning", reverse("identity_admin"), icon_name="key", order=910
    )
