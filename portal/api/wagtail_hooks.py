from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from .views import ADMIN_PERMISSION, service_tokens


@hooks.register("register_admin_urls")
def register_service_tokens_url():
    return [path("api-tokens/", service_tokens, name="api_service_tokens")]


class ServiceTokensMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(ADMIN_PERMISSION)


@hooks.register("register_admin_menu_item")
def register_service_tokens_menu_item():
    return ServiceTokensMenuItem(
        "API tokens", reverse("api_service_tokens"), icon_name="code", order=915
    )
