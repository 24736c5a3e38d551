from django.urls import path

from . import views

app_name = "privacy"

urlpatterns = [
    path("privacy/", views.notice, name="notice"),
    path("me/privacy/", views.mine, name="mine"),
    path("me/privacy/seen/", views.seen, name="seen"),
    path("me/privacy/my-data.json", views.export, name="export"),
    path("me/privacy/erasure/", views.erasure_request, name="erasure_request"),
]
