from django.urls import path

from . import views

app_name = "courses"

urlpatterns = [
    path("me/training/", views.progress, name="progress"),
]
