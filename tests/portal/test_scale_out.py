"""The scale-out topology as the README describes it and ``deploy/scale_out.py`` starts
it: Debian's nginx, configured by ``deploy/nginx.conf``, in front of two daphne workers
and the background worker, sharing a Redis server of the test's own."""

import asyncio
import json
import secrets
import urllib.error
import urllib.request

import pytest
import websockets

from deploy.scale_out import Topology
from tests.courses.factories import block, course_with_lessons
from tests.people.factories import UserFactory, signed_in
from tests.servers import RedisServer, portal_env

pytestmark = [
    pytest.mark.slow,
    pytest.mark.counterpart,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


class _KeepRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def test_nginx_serves_pages_and_live_boards_from_every_worker():
    viewer = UserFactory(profile__onboarded=True)
    earner = UserFactory(profile__onboarded=True)
    _course, [lesson] = course_with_lessons(lessons=[[block("paragraph", "<p>Read.</p>")]])
    sessions = {"viewer": signed_in(viewer), "earner": signed_in(earner)}
    redis = RedisServer().start()
    try:
        env = portal_env(REDIS_URL=redis.url, ALLOWED_HOSTS="127.0.0.1", DEBUG="0")
        with Topology(env=env, workers=2, task_workers=1) as topology:
            env["SITE_URL"] = topology.url
            # Pages through nginx, signed in.
            page = urllib.request.Request(  # noqa: S310 - our own server
                f"{topology.url}/leaderboards/",
                headers={"Cookie": f"sessionid={sessions['viewer']}"},
            )
            with urllib.request.urlopen(page, timeout=30) as response:  # noqa: S310
                assert response.status == 200
                assert b"<h1>Leaderboard</h1>" in response.read()
            asyncio.run(_live_update_reaches_every_worker(topology, sessions, lesson.url, earner))
    finally:
        redis.kill()


async def _live_update_reaches_every_worker(topology, sessions, lesson_url, earner):
    """Sockets through nginx (WebSocket upgrades pass) and straight to each worker;
    a lesson completed through nginx reaches every one of them (through Redis)."""
    addresses = [f"ws://127.0.0.1:{topology.port}/ws/leaderboards/company/?window=week"] * 2
    addresses += [
        f"ws://127.0.0.1:{port}/ws/leaderboards/company/?window=week"
        for port in topology.worker_ports
    ]
    sockets = [
        await websockets.connect(
            address,
            additional_headers={"Cookie": f"sessionid={sessions['viewer']}"},
            origin="http://127.0.0.1",
            open_timeout=30,
        )
        for address in addresses
    ]
    name = earner.profile.public_name
    try:
        for socket in sockets:
            assert json.loads(await asyncio.wait_for(socket.recv(), 30))["type"] == "snapshot"
        await asyncio.to_thread(_complete, topology, sessions["earner"], lesson_url)
        for socket in sockets:
            # The rank store starts empty on a new Redis: the background worker's sweep
            # rebuilds it within seconds, then the waiting statements land.
            while True:
                message = json.loads(await asyncio.wait_for(socket.recv(), 60))
                if any(entry["name"] == name for entry in message.get("entries", [])):
                    break
    finally:
        for socket in sockets:
            await socket.close()


def _complete(topology, session: str, lesson_url: str) -> None:
    token = secrets.token_hex(16)
    request = urllib.request.Request(  # noqa: S310 - our own server
        f"{topology.url}{lesson_url}complete/",
        data=f"csrfmiddlewaretoken={token}".encode(),
        headers={"Cookie": f"sessionid={session}; csrftoken={token}",
                 "Content-Type": "application/x-www-form-urlencoded"},
    )  # fmt: skip
    with pytest.raises(urllib.error.HTTPError) as answer:  # the redirect, kept
        urllib.request.build_opener(_KeepRedirects).open(request, timeout=30)
    assert answer.value.code == 302, answer.value.read()[:500]
