from django.urls import include, path

from . import views

app_name = "identity"

urlpatterns = [
    path("accounts/login/", views.SignIn.as_view(), name="login"),
    path("accounts/logout/", views.SignOut.as_view(), name="logout"),
]

# mozilla-django-oidc's own names (oidc_authentication_init, ..._callback), unnamespaced.
provider_urlpatterns = [path("oidc/", include("mozilla_django_oidc.urls"))]
