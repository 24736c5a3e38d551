"""/scim/v2/: django-scim2's routes, with the portal's views where it needs its own."""

from django.urls import re_path
from django_scim import views

from . import scim

app_name = "scim"

urlpatterns = [
    re_path(r"^$", views.SCIMView.as_view(implemented=False), name="root"),
    re_path(
        r"^\.search$",
        scim.ScimNotImplementedView.as_view(
            detail="Search one resource type at a time (/Users/.search, /Groups/.search)."
        ),
        name="search",
    ),
    re_path(r"^Users/\.search$", scim.ScimUserSearchView.as_view(), name="users-search"),
    re_path(r"^Users(?:/(?P<uuid>[^/]+))?$", scim.ScimUserView.as_view(), name="users"),
    re_path(r"^Groups/\.search$", scim.ScimGroupSearchView.as_view(), name="groups-search"),
    re_path(r"^Groups(?:/(?P<uuid>[^/]+))?$", scim.ScimGroupView.as_view(), name="groups"),
    re_path(
        r"^Me$",
        scim.ScimNotImplementedView.as_view(detail="/Me is not offered: tokens are not people."),
        name="me",
    ),
    re_path(
        r"^ServiceProviderConfig$",
        scim.ScimServiceProviderConfigView.as_view(),
        name="service-provider-config",
    ),
    re_path(
        r"^ResourceTypes(?:/(?P<uuid>[^/]+))?$",
        scim.ScimResourceTypesView.as_view(),
        name="resource-types",
    ),
    re_path(r"^Schemas(?:/(?P<uuid>[^/]+))?$", scim.ScimSchemasView.as_view(), name="schemas"),
    re_path(
        r"^Bulk$",
        scim.ScimNotImplementedView.as_view(detail="Bulk operations are not offered."),
        name="bulk",
    ),
    # Anything else: a SCIM 404, not a redirect to a path with a slash.
    re_path(r"^.*$", scim.ScimNotFoundView.as_view(), name="not-found"),
]
