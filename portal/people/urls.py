from django.conf import settings
from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from . import views

app_name = "people"

urlpatterns = [
    path(
        "accounts/password-reset/",
        views.PasswordResetView.as_view(
            success_url=reverse_lazy("people:password_reset_done"),
            email_template_name="registration/password_reset_email.txt",
            extra_email_context={"site_url": settings.SITE_URL},
        ),
        name="password_reset",
    ),
    path(
        "accounts/password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "accounts/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            success_url=reverse_lazy("people:password_reset_complete")
        ),
        name="password_reset_confirm",
    ),
    path(
        "accounts/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path(
        "accounts/invitation/<uidb64>/<token>/",
        views.InvitationView.as_view(),
        name="invitation",
    ),
    path("accounts/two-factor/", views.two_factor, name="two_factor"),
    path("me/security/", views.security, name="security"),
    path("accounts/invitation/done/", views.invitation_done, name="invitation_done"),
    path("onboarding/", views.onboarding, name="onboarding"),
    path("me/profile/", views.profile_edit, name="profile"),
]
