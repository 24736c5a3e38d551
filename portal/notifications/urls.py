from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("me/notifications/", views.notification_list, name="list"),
    path("me/notifications/read/", views.notifications_read, name="read"),
    path("me/notifications/digest/", views.digest_switch, name="digest"),
    path("me/notifications/settings/", views.reach_settings, name="settings"),
    path("me/notifications/push/subscribe/", views.push_subscribe, name="push_subscribe"),
    path("me/notifications/push/unsubscribe/", views.push_unsubscribe, name="push_unsubscribe"),
]
