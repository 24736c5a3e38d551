import pytest


@pytest.mark.django_db
def test_pages_may_not_be_framed_but_the_admin_may_frame_itself(client, programme_admin):
    assert client.get("/healthz")["X-Frame-Options"] == "DENY"
    client.force_login(programme_admin)
    assert client.get("/admin/")["X-Frame-Options"] == "SAMEORIGIN"
