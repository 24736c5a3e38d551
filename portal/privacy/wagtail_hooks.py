"""Erasure requests in the Wagtail admin (People → Erasure requests)."""

from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import views


@hooks.register("register_admin_urls")
def register_privacy_urls():
    return [
        path("privacy/erasure/", views.admin_requests, name="privacy_erasure_requests"),
        path("privacy/erasure/erase/", views.admin_erase, name="privacy_erase"),
        path(
            "privacy/erasure/<id:request_id>/decline/",
            views.admin_decline,
            name="privacy_decline",
        ),
    ]


class ErasureMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("people.erase_person")


@hooks.register("register_admin_menu_item")
def register_erasure_menu():
    return ErasureMenuItem(
        "Erasure requests", reverse("privacy_erasure_requests"), icon_name="bin", order=9000
    )
