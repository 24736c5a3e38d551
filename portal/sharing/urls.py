from django.urls import path

from . import views

app_name = "sharing"

urlpatterns = [
    path("hub/", views.hub, name="hub"),
    path("hub/items/<id:pk>/share/", views.share, name="share"),
    path("hub/shares/<str:code>/", views.share_ready, name="share_ready"),
    path("hub/mine/", views.my_shares, name="mine"),
    path("hub/suggest/", views.suggest, name="suggest"),
    path("api/conversions", views.conversions_api, name="conversions_api"),
]
