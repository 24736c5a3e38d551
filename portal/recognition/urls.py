from django.urls import path

from . import views

app_name = "recognition"

urlpatterns = [
    path("recognition/", views.feed, name="feed"),
    path("recognition/give/", views.give, name="give"),
    path("recognition/thanks/", views.thanks, name="thanks"),
    path("recognition/audit/", views.audit, name="audit"),
]
