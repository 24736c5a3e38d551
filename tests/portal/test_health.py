import pytest

from portal import health


@pytest.mark.django_db
def test_all_working_is_200(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "ok", "cache": "ok", "channel_layer": "ok"},
    }
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_a_failing_part_is_503_and_named(client, monkeypatch):
    def broken_cache():
        raise ConnectionError("Connection refused")

    monkeypatch.setitem(health.CHECKS, "cache", broken_cache)
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["failed"] == ["cache"]
    assert body["checks"]["cache"] == "error: ConnectionError: Connection refused"
    assert body["checks"]["database"] == "ok"


@pytest.mark.django_db
def test_a_hanging_part_times_out(client, monkeypatch):
    import asyncio

    async def hanging():
        await asyncio.sleep(60)

    monkeypatch.setattr(health, "TIMEOUT_SECONDS", 0.05)
    monkeypatch.setitem(health.CHECKS, "channel_layer", hanging)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["failed"] == ["channel_layer"]


@pytest.mark.django_db
def test_database_failure_is_reported(client, monkeypatch):
    def broken_database():
        raise RuntimeError("database is down")

    monkeypatch.setitem(health.CHECKS, "database", broken_database)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["failed"] == ["database"]
