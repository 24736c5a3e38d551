import pytest
from django.utils import timezone

from portal import health
from portal.worker.models import WorkerBeat


@pytest.fixture(autouse=True)
def worker_beating(db):
    now = timezone.now()
    WorkerBeat.objects.create(worker_id="w1", started_at=now, seen_at=now)


OK = {"database": "ok", "cache": "ok", "channel_layer": "ok", "rank_store": "ok", "worker": "ok"}


@pytest.mark.django_db
def test_all_working_is_200(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": OK}
    assert "no-cache" in response["Cache-Control"]
    assert client.get("/healthz/ready").json() == {"status": "ok", "checks": OK}
    assert client.get("/healthz/live").json() == {"status": "ok"}


@pytest.mark.django_db
def test_without_a_worker_monitoring_fails_but_pages_are_still_served(client):
    WorkerBeat.objects.all().delete()
    assert client.get("/healthz").status_code == 503
    ready = client.get("/healthz/ready")
    assert ready.status_code == 200
    assert ready.json()["status"] == "degraded"
    assert ready.json()["failed"] == ["worker"]


@pytest.mark.django_db
def test_readiness_fails_without_the_database(client, monkeypatch):
    def broken():
        raise RuntimeError("database is down")

    monkeypatch.setitem(health.CHECKS, "database", broken)
    assert client.get("/healthz/ready").status_code == 503
    assert client.get("/healthz/live").status_code == 200


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
