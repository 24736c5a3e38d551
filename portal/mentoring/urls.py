from django.urls import path

from . import views

app_name = "mentoring"

urlpatterns = [
    path("mentoring/", views.dashboard, name="dashboard"),
    path("mentoring/me/", views.mine, name="mine"),
    path("mentoring/mentees/<id:user_id>/", views.mentee, name="mentee"),
    path("mentoring/mentees/<id:user_id>.json", views.mentee_json, name="mentee_json"),
    path("mentoring/pairings/<id:pairing_id>/<str:action>/", views.pairing_action, name="act"),
    path("mentoring/goals/<id:goal_id>/done/", views.goal_done, name="goal_done"),
    path("mentoring/pairing/", views.pairing_admin, name="pairing_admin"),
    path("mentoring/teams/", views.teams, name="teams"),
]
