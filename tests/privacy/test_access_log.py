"""No access log keeps visitors' addresses: daphne started exactly as `make run` and the
README start it, behind a proxy that passes the real address, writes none of them (and
names no server software in its answers)."""

import os
import re
import shlex
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
VISITOR = "203.0.113.77"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _flags(words: list[str]) -> list[str]:
    """The options of a daphne command, less its address and port (the test picks them)."""
    flags, skip = [], False
    for word in words:
        if skip:
            skip = False
        elif word in ("-b", "-p"):
            skip = True
        elif word != "portal.asgi:application":
            flags.append(word)
    return flags


def _makefile_daphne_flags() -> list[str]:
    line = next(
        line for line in (ROOT / "Makefile").read_text().splitlines() if "-m daphne" in line
    )
    return _flags(shlex.split(line.split("-m daphne", 1)[1]))


def _readme_daphne_flags() -> list[str]:
    readme = (ROOT / "README.md").read_text()
    [command] = re.findall(r"`(daphne [^`]*portal\.asgi:application)`", readme)
    return _flags(shlex.split(command)[1:])


def _serve_and_read_output(flags: list[str], tmp_path) -> tuple[str, str | None]:
    """daphne's output, and the ``Server`` header it sent."""
    port = _free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "DEBUG": "1",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "REDIS_URL": "",
    }
    command = [sys.executable, "-m", "daphne", *flags, "-b", "127.0.0.1", "-p", str(port)]
    command += (
        ["--proxy-headers", "portal.asgi:application"]
        if "--proxy-headers" not in flags
        else ["portal.asgi:application"]
    )
    process = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                request = urllib.request.Request(
                    f"http://127.0.0.1:{port}/healthz/live", headers={"X-Forwarded-For": VISITOR}
                )
                with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310
                    server = response.headers.get("Server")
                break
            except urllib.error.HTTPError as error:
                server = error.headers.get("Server")
                break  # answered (503 without services is fine): the request was served
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise
                time.sleep(0.2)
        time.sleep(0.5)
    finally:
        process.terminate()
        output, _ = process.communicate(timeout=10)
    return output, server


@pytest.mark.parametrize("source", ["Makefile", "README"])
def test_the_documented_daphne_commands_log_no_client_address(source, tmp_path):
    flags = _makefile_daphne_flags() if source == "Makefile" else _readme_daphne_flags()
    output, server = _serve_and_read_output(flags, tmp_path)
    assert VISITOR not in output
    assert "healthz" not in output  # no access log line at all
    assert server is None  # --no-server-name: no software name or version for scanners


def test_without_those_flags_daphne_would_log_the_visitor(tmp_path):
    """The check above can fail: daphne's default access log names the visitor."""
    output, server = _serve_and_read_output([], tmp_path)
    assert VISITOR in output
    assert server == "daphne"
