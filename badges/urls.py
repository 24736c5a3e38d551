from django.urls import path

from . import views

app_name = "badges"

urlpatterns = [
    path("me/badges/", views.mine, name="mine"),
    path("badges/", views.gallery, name="gallery"),
    path("badges/issuer.json", views.issuer, name="issuer"),
    path("badges/assertions/<str:award_id>.json", views.assertion, name="assertion"),
    path("badges/assertions/<str:award_id>.png", views.baked, name="baked"),
    path("badges/assertions/<str:award_id>/", views.assertion_page, name="assertion_page"),
    path("badges/assertions/<str:award_id>/visibility/", views.visibility, name="visibility"),
    path("badges/assertions/<str:award_id>/revoke/", views.revoke, name="revoke"),
    path("badges/<slug:slug>.json", views.badge_class, name="badge_class"),
    path("badges/<slug:slug>/image.png", views.badge_image, name="image"),
    path("badges/<slug:slug>/award/", views.award, name="award"),
    path("badges/<slug:slug>/", views.detail, name="detail"),
]
