from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.static import serve
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from portal.health import healthz, healthz_live, healthz_ready

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("healthz/live", healthz_live, name="healthz_live"),
    path("healthz/ready", healthz_ready, name="healthz_ready"),
    path("django-admin/", admin.site.urls),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("", include("portal.people.urls")),
    path("", include("courses.urls")),
    path("", include("portal.notifications.urls")),
    path("", include("badges.urls")),
    path("", include("leaderboards.urls")),
    path("", include("portal.sharing.urls")),
    path("", include("portal.recognition.urls")),
    path("", include("portal.mentoring.urls")),
    path("", include("portal.privacy.urls")),
    # Uploaded images and documents. A reverse proxy may serve /media/ itself at scale.
    re_path(r"^media/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT}),
    # Everything else is a Wagtail page; this stays last.
    path("", include(wagtail_urls)),
]
