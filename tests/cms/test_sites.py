"""The request's Wagtail site and its branding come from the process's copy
(cms.sites): read once, not on every page; an editor's change is seen at once; every
request gets instances of its own; a host Django refuses is never kept."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Site

from cms.models import BrandingSettings
from cms.sites import sites
from tests.people.factories import UserFactory

pytestmark = pytest.mark.django_db


def tables_read(client, path: str = "/hub/") -> tuple[str, set[str]]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    read = {
        table
        for table in ("wagtailcore_site", "cms_brandingsettings")
        for query in queries
        if f'FROM "{table}"' in query["sql"]
    }
    return response.content.decode(), read


@pytest.fixture
def signed_in(client):
    client.force_login(UserFactory(profile__onboarded=True))
    return client


def test_the_site_and_its_branding_are_read_once_not_on_every_page(signed_in):
    BrandingSettings.for_site(Site.objects.get(is_default_site=True))  # as the seed makes it
    _, read = tables_read(signed_in)
    assert read == {"wagtailcore_site", "cms_brandingsettings"}
    for path in ("/hub/", "/me/", "/leaderboards/", "/manifest.webmanifest"):
        _, read = tables_read(signed_in, path)
        assert read == set(), path


def test_an_editors_change_to_the_branding_or_the_site_is_seen_at_once(signed_in):
    site = Site.objects.get(is_default_site=True)
    branding = BrandingSettings.for_site(site)
    tables_read(signed_in)
    branding.programme_name = "Voices of Example"
    branding.save()
    html, _ = tables_read(signed_in)
    assert "Voices of Example" in html

    site.site_name = "Renamed"
    site.save()
    assert signed_in.get("/hub/").wsgi_request._wagtail_site.site_name == "Renamed"
    branding.delete()
    html, _ = tables_read(signed_in)
    assert "Voices of Example" not in html
    assert "Advocate Portal" in html  # a new row with the defaults, as Wagtail makes one


def test_each_request_has_instances_of_its_own(signed_in):
    first = signed_in.get("/hub/").wsgi_request
    second = signed_in.get("/hub/").wsgi_request
    assert first._wagtail_site == second._wagtail_site  # the same row
    assert first._wagtail_site is not second._wagtail_site  # not the same object
    assert first._wagtail_site.root_page is not second._wagtail_site.root_page
    assert first._wagtail_site.root_page.pk == second._wagtail_site.root_page.pk
    attr = BrandingSettings.get_cache_attr_name()
    assert getattr(first, attr) is not getattr(second, attr)


def test_a_host_that_django_refuses_is_answered_400_and_never_kept(client):
    client.get("/")
    kept = set(sites.rows())
    for number in range(20):
        assert client.get("/", headers={"host": f"attacker{number}.example"}).status_code == 400
    assert set(sites.rows()) == kept


def test_the_root_page_saved_is_seen_at_once_and_other_pages_keep_the_copy(signed_in):
    from cms.models import HomePage
    from tests.courses.factories import course_with_lessons

    request = signed_in.get("/hub/").wsgi_request
    home = HomePage.objects.get(pk=request._wagtail_site.root_page_id)
    course_with_lessons(title="Another course")  # pages saved below the root
    assert len(sites.rows()) == 1
    home.title = "Welcome home"
    home.save()
    assert len(sites.rows()) == 0
    assert signed_in.get("/hub/").wsgi_request._wagtail_site.root_page.title == "Welcome home"
