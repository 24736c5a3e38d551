from django.urls import include, path

from . import saml, views

app_name = "identity"

urlpatterns = [
    path("accounts/login/", views.SignIn.as_view(), name="login"),
    path("accounts/logout/", views.SignOut.as_view(), name="logout"),
]

# mozilla-django-oidc's and djangosaml2's own names (oidc_authentication_init,
# saml2_login, saml2_acs, ...), unnamespaced; the sign-in starts are the portal's.
provider_urlpatterns = [
    path("oidc/", include("mozilla_django_oidc.urls")),
    path("saml2/login/", saml.SignInStart.as_view(), name="saml2_login"),
    path("saml2/", include("djangosaml2.urls")),
]
