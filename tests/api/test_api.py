"""The public API: tokens, scopes by role, each endpoint, bad input; and schemathesis
against the live OpenAPI schema, which must find no server error."""

import json

import pytest
from django.contrib.auth.models import Group

from portal.api.models import ApiToken, Scope
from portal.people.services import Role
from portal.sharing.models import ContentItem
from tests.people.factories import UserFactory
from tests.sharing.factories import content_item

pytestmark = pytest.mark.django_db
ALL = [scope.value for scope in Scope]


def bearer(token):
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


@pytest.fixture
def admin_token(programme_admin):
    return ApiToken.issue(owner=programme_admin, name="BI", scopes=ALL, service=True)[1]


@pytest.fixture
def advocate(db):
    return UserFactory(profile__onboarded=True)


def test_no_token_or_a_revoked_one_is_refused(client, advocate):
    made, token = ApiToken.issue(owner=advocate, name="mine", scopes=ALL)
    assert client.get("/api/v1/me/progress").status_code == 401
    assert client.get("/api/v1/me/progress", **bearer("apt_nope")).status_code == 401
    assert client.get("/api/v1/me/progress", **bearer(token)).status_code == 200
    ApiToken.objects.filter(pk=made.pk).update(revoked_at="2026-01-01T00:00:00Z")
    assert client.get("/api/v1/me/progress", **bearer(token)).status_code == 401


def test_a_person_reads_their_own_progress(client, advocate):
    _, token = ApiToken.issue(owner=advocate, name="mine", scopes=[Scope.PROGRESS_READ])
    body = client.get("/api/v1/me/progress", **bearer(token)).json()
    assert set(body) == {
        "points", "level", "next_level", "points_to_next_level", "streak_weeks", "courses"
    }  # fmt: skip
    assert body["points"] == 0


def test_scopes_are_limited_by_the_owners_role(client, advocate):
    _, token = ApiToken.issue(owner=advocate, name="mine", scopes=ALL)
    figures = client.get("/api/v1/programme/tables", **bearer(token))
    assert figures.status_code == 403
    assert "may not use figures:read" in figures.json()["detail"]
    assert client.get("/api/v1/content/items", **bearer(token)).status_code == 403
    _, narrow = ApiToken.issue(owner=advocate, name="narrow", scopes=[Scope.PROGRESS_READ])
    refused = client.post(
        "/api/v1/content/items", json.dumps({"title": "x", "url": "https://x.example"}),
        content_type="application/json", **bearer(narrow),
    )  # fmt: skip
    assert refused.status_code == 403


def test_service_tokens_have_no_person_and_stop_when_the_owner_loses_the_role(
    client, programme_admin, admin_token
):
    assert client.get("/api/v1/me/progress", **bearer(admin_token)).status_code == 403
    assert client.get("/api/v1/content/items", **bearer(admin_token)).status_code == 200
    programme_admin.groups.remove(Group.objects.get(name=Role.PROGRAMME_ADMIN))
    assert client.get("/api/v1/content/items", **bearer(admin_token)).status_code == 403


def test_bi_reads_the_dashboards_tables(client, admin_token):
    tables = client.get("/api/v1/programme/tables", {"period": "quarter"}, **bearer(admin_token))
    assert tables.status_code == 200
    slugs = [table["slug"] for table in tables.json()]
    assert slugs
    table = client.get(f"/api/v1/programme/tables/{slugs[0]}", **bearer(admin_token)).json()
    assert set(table) == {"slug", "caption", "columns", "rows", "note", "start", "end"}
    assert client.get("/api/v1/programme/tables/nope", **bearer(admin_token)).status_code == 404
    custom = client.get(
        "/api/v1/programme/tables", {"period": "custom", "start": "2026-05-01"},
        **bearer(admin_token),
    )  # fmt: skip
    assert custom.status_code == 422


def test_marketing_tools_read_items_and_suggest_new_ones_into_moderation(
    client, programme_admin, admin_token
):
    content_item(title="Our wind farm", tags=["energy"])
    listed = client.get("/api/v1/content/items", {"limit": 10}, **bearer(admin_token)).json()
    assert listed["count"] == 1
    assert listed["items"][0]["topics"] == ["energy"]
    made = client.post(
        "/api/v1/content/items",
        json.dumps({"title": "Solar record", "url": "https://news.example.com/solar",
                    "topics": ["Energy"], "summary": "A record\\u0000 year"}),
        content_type="application/json", **bearer(admin_token),
    )  # fmt: skip
    assert made.status_code == 201, made.content
    item = ContentItem.objects.get(pk=made.json()["id"])
    assert (item.live, item.suggested_by) == (False, programme_admin)
    bad = client.post(
        "/api/v1/content/items", json.dumps({"title": "x", "url": "javascript:alert(1)"}),
        content_type="application/json", **bearer(admin_token),
    )  # fmt: skip
    assert bad.status_code == 400
    assert client.get(f"/api/v1/content/items/{2**70}", **bearer(admin_token)).status_code in (
        404, 422,
    )  # fmt: skip
    assert client.post(
        "/api/v1/content/items", "{not json", content_type="application/json",
        **bearer(admin_token),
    ).status_code in (400, 422)  # fmt: skip


def test_people_make_and_revoke_their_own_tokens(client, advocate):
    client.force_login(advocate)
    page = client.post("/me/api-tokens/", {"name": "My script", "scopes": ["progress:read"]})
    token = page.context["new_token"]
    assert token.startswith("apt_")
    offered = [value for value, _ in page.context["form"].fields["scopes"].choices]
    assert "figures:read" not in offered  # not for an advocate
    assert client.get("/api/v1/me/progress", **bearer(token)).status_code == 200
    made = ApiToken.objects.get(owner=advocate)
    client.post("/me/api-tokens/", {"revoke": str(made.pk)})
    assert client.get("/api/v1/me/progress", **bearer(token)).status_code == 401
    assert token.encode() not in client.get("/me/api-tokens/").content


def test_the_schema_and_its_documentation_are_served_from_the_portal(client):
    schema = client.get("/api/v1/openapi.json")
    assert schema.status_code == 200
    assert "/api/v1/content/items" in schema.json()["paths"]
    docs = client.get("/api/v1/docs")
    assert docs.status_code == 200
    assert b"/static/ninja/swagger-ui-bundle.js" in docs.content
    assert b"cdn" not in docs.content.lower()
