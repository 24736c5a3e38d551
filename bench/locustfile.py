"""Advocates using the portal, for ``bench/load.py`` (run by locust in its own virtualenv,
``.venv-locust``: it speaks HTTP and WebSocket only and imports nothing of the portal).

Each simulated person takes an account from ``LOAD_ACCOUNTS`` (a JSON file the
benchmark writes): most come back with the session their browser kept, the others sign
in with the password. Then, with think time between steps, each opens their dashboard,
the hub, a lesson, makes a scenario choice, shares an item, watches the leaderboard (the
page, then its socket until the snapshot arrives) and opens a badge. ``LOAD_THINK=0`` drops
the think time (to measure capacity); ``LOAD_BASELINE=1`` asks only for a minimal Django
view (``/healthz/live``) as fast as it answers, the yardstick for requests per second.
"""

import itertools
import json
import os
import random
import re
import secrets
import time
from urllib.parse import urlsplit

from locust import HttpUser, between, constant, events, task
from websocket import create_connection

with open(os.environ["LOAD_ACCOUNTS"]) as accounts_file:
    WORLD = json.load(accounts_file)
ACCOUNTS = itertools.cycle(WORLD["accounts"])
THINK = float(os.environ.get("LOAD_THINK", "1"))
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def field(name: str, html: str) -> str:
    found = re.search(rf'name="{name}" value="([^"]*)"', html)
    return found.group(1) if found else ""


class Advocate(HttpUser):
    # No think time is a millisecond, not zero: a step that raises before any request
    # would otherwise never yield to gevent, and locust's run timer would never fire.
    wait_time = between(3 * THINK, 10 * THINK) if THINK else constant(0.001)

    def on_start(self):
        self.email, session = next(ACCOUNTS)
        if session:
            # A returning person's browser: the session and the CSRF cookie it kept.
            # Set for the host, as the server sets them: a cookie of no domain beside
            # the server's would be a second one of the same name.
            host = urlsplit(self.host).hostname
            self.client.cookies.set("sessionid", session, domain=host)
            self.client.cookies.set("csrftoken", secrets.token_hex(16), domain=host)
            return
        page = self.client.get("/accounts/login/", name="sign in (page)")
        self.client.post(
            "/accounts/login/",
            data={"username": self.email, "password": WORLD["password"],
                  "csrfmiddlewaretoken": TOKEN.search(page.text).group(1), "next": "/me/"},
            name="sign in",
        )  # fmt: skip

    def _token(self) -> str:
        return self.client.cookies.get("csrftoken", "")

    @task(5)
    def dashboard(self):
        self.client.get("/me/", name="dashboard")

    @task(4)
    def hub(self):
        self.client.get("/hub/", name="hub")

    @task(3)
    def lesson(self):
        self.client.get(WORLD["lesson"], name="lesson")

    @task(1)
    def scenario_choice(self):
        base = f"{WORLD['lesson']}scenario/{WORLD['scenario']}/"
        started = self.client.post(f"{base}start/", data={"csrfmiddlewaretoken": self._token()},
                                   name="scenario start")  # fmt: skip
        self.client.post(
            f"{base}choose/",
            data={"csrfmiddlewaretoken": self._token(), "attempt": field("attempt", started.text),
                  "step": field("step", started.text),
                  "position": field("position", started.text), "choice": random.choice("01")},
            name="scenario choice",
        )  # fmt: skip

    @task(1)
    def share(self):
        item = random.choice(WORLD["items"])
        self.client.get(f"/hub/items/{item}/share/", name="share (form)")
        self.client.post(
            f"/hub/items/{item}/share/",
            data={"csrfmiddlewaretoken": self._token(), "network": "linkedin",
                  "caption": "Proud of what we built: have a look."},
            name="share",
        )  # fmt: skip

    @task(2)
    def leaderboard(self):
        self.client.get("/leaderboards/", name="leaderboard")
        address = self.host.replace("http", "ws", 1) + "/ws/leaderboards/company/?window=week"
        started = time.perf_counter()
        error = None
        try:
            socket = create_connection(
                address, timeout=30, origin=self.host,
                cookie=f"sessionid={self.client.cookies.get('sessionid', '')}",
            )  # fmt: skip
            length = len(socket.recv())
            socket.close()
        except Exception as failure:  # reported as the request's failure
            error, length = failure, 0
        events.request.fire(
            request_type="WS", name="leaderboard socket (snapshot)", exception=error,
            response_time=(time.perf_counter() - started) * 1000, response_length=length,
            context={},
        )  # fmt: skip

    @task(2)
    def badge(self):
        self.client.get(f"/badges/{random.choice(WORLD['badges'])}/", name="badge")


class Baseline(HttpUser):
    """A minimal Django view, as fast as it answers (``LOAD_BASELINE=1``)."""

    wait_time = constant(0)

    @task
    def live(self):
        self.client.get("/healthz/live", name="minimal Django view")


if os.environ.get("LOAD_BASELINE") == "1":
    del Advocate
else:
    del Baseline
