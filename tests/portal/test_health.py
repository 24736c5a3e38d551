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
@pytest.mark.parametrize(
    ("part", "error", "state"),
    [
        (
            "cache",
            ConnectionError("10.0.0.5:6379 refused"),
            "error: ConnectionError",
        ),
        ("database", RuntimeError("database is down"), "error: RuntimeError"),
    ],
)
def test_a_failing_part_is_503_and_named(client, monkeypatch, part, error, state):
    def broken():
        raise error

    monkeypatch.setitem(health.CHECKS, part, broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["failed"] == [part]
    assert body["checks"][part] == state
    assert all(value == "ok" for name, value in body["checks"].items() if name != part)


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
