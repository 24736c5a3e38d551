from django.contrib import admin
from django.urls import include, path, re_path
from django.views.i18n import JavaScriptCatalog
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from cms.page_add import page_add
from portal.dashboard import activity_history, dashboard
from portal.exports import export_download
from portal.health import healthz, healthz_live, healthz_ready
from portal.identity.urls import provider_urlpatterns
from portal.media import media
from portal.pwa import app_icon, manifest, offline, service_worker

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("healthz/live", healthz_live, name="healthz_live"),
    path("healthz/ready", healthz_ready, name="healthz_ready"),
    # The installable web app (portal/pwa.py); the worker must sit at the root to serve
    # every page.
    path("manifest.webmanifest", manifest, name="manifest"),
    path("service-worker.js", service_worker, name="service_worker"),
    path("app-icon-<int:size>.png", app_icon, name="app_icon"),
    path("offline/", offline, name="offline"),
    # The interface's words for the pages' scripts, in the request's language.
    path(
        "jsi18n/",
        JavaScriptCatalog.as_view(),
        name="javascript_catalog",
    ),
    path("django-admin/", admin.site.urls),
    # Before Wagtail's own: its "add page" view, safe when autosave and Publish race.
    path(
        "admin/pages/add/<slug:content_type_app_name>/<slug:content_type_model_name>/"
        "<int:parent_page_id>/",
        page_add,
    ),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("exports/<uuid:pk>/", export_download, name="export_download"),
    path("me/", dashboard, name="dashboard"),
    path("me/activity/", activity_history, name="activity_history"),
    path("", include("portal.api.urls")),
    path("", include("portal.identity.urls")),
    *provider_urlpatterns,
    path("scim/v2/", include("portal.identity.scim_urls", namespace="scim")),
    path("", include("portal.people.urls")),
    path("", include("courses.urls")),
    path("", include("portal.notifications.urls")),
    path("", include("badges.urls")),
    path("", include("leaderboards.urls")),
    path("", include("portal.sharing.urls")),
    path("", include("portal.recognition.urls")),
    path("", include("portal.mentoring.urls")),
    path("", include("portal.privacy.urls")),
    path("", include("portal.measurement.urls")),
    # Uploaded files, as far as Wagtail's collection privacy allows (portal/media.py).
    re_path(r"^media/(?P<path>.*)$", media, name="media"),
    # Everything else is a Wagtail page; this stays last.
    path("", include(wagtail_urls)),
]
