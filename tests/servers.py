"""Real counterparts started by tests: a Redis server of the test's own (never the shared
one on 6379, which these tests kill), and portal processes (workers, bursts)."""

import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from django.db import connection

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class RedisServer:
    """``redis-server`` on a free port, without persistence: a restart is empty."""

    def __init__(self):
        self.port = free_port()
        self.folder = tempfile.mkdtemp(prefix="redis-test-")
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> "RedisServer":
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", self.folder],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return self
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def kill(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait(timeout=10)
            self.process = None


def database_url() -> str:
    """The test database, for a child process (pytest-django's, on SQLite or PostgreSQL)."""
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{settings['NAME']}"
    user = settings.get("USER") or "postgres"
    host = settings.get("HOST") or "127.0.0.1"
    port = settings.get("PORT") or 5432
    return f"postgres://{user}@{host}:{port}/{settings['NAME']}"


def portal_env(**extra: str) -> dict[str, str]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "DATABASE_URL": database_url(),
        "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
    }
    env.update(extra)
    return env


def manage(*args: str, env: dict[str, str], **popen) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, str(ROOT / "manage.py"), *args], cwd=ROOT, env=env, **popen
    )


COUNTERPARTS = ROOT / "tests" / "counterparts"


def wait_for_line(process: subprocess.Popen, prefix: str, timeout: float = 30) -> str:
    """Read ``process``'s output until a line starts with ``prefix``; that line."""
    deadline = time.monotonic() + timeout
    seen = []
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            if process.poll() is not None:
                break
            continue
        seen.append(line)
        if line.startswith(prefix):
            return line.strip()
    process.kill()
    raise RuntimeError(f"did not start ({prefix!r} never came):\n{''.join(seen)}")


class Counterpart:
    """A real implementation of another system, in a process of its own, on a free port."""

    process: subprocess.Popen | None = None

    def spawn(self, args: list[str], *, ready: str = "ready", **popen) -> None:
        """Start it and wait until it prints a line starting with ``ready``."""
        self.process = subprocess.Popen(
            args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, **popen
        )
        wait_for_line(self.process, ready)

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None


class OpenIDProvider(Counterpart):
    """A real OpenID Provider (npm ``oidc-provider``, tests/counterparts/oidc_provider.mjs)
    on a free port, with one confidential client and the given accounts (login -> claims).
    Sign in on its own pages with an account's login and any password."""

    def __init__(self, *, accounts: dict[str, dict], client_id: str, client_secret: str):
        self.port = free_port()
        self.accounts = accounts
        self.client_id, self.client_secret = client_id, client_secret

    @property
    def issuer(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, *, portal_url: str) -> "OpenIDProvider":
        client = {
            "client_id": self.client_id,
            "client_secret": self.client_secret,
            "redirect_uris": [f"{portal_url}/oidc/callback/"],
            "post_logout_redirect_uris": [f"{portal_url}/"],
            "token_endpoint_auth_method": "client_secret_post",
        }
        folder = Path(tempfile.mkdtemp(prefix="oidc-provider-"))
        config = folder / "config.json"
        config.write_text(
            json.dumps({"port": self.port, "clients": [client], "accounts": self.accounts})
        )
        self.spawn(["node", str(COUNTERPARTS / "oidc_provider.mjs"), str(config)], cwd=COUNTERPARTS)
        return self


class WebPushService(Counterpart):
    """A Web Push service (npm ``web-push-testing``: it checks the VAPID signature and
    decrypts what it receives, like a browser's push service) on a free port. ``subscribe``
    plays the browser: it returns a subscription for the portal's public key."""

    def __init__(self):
        self.port = free_port()

    @property
    def url(self) -> str:
        return f"http://localhost:{self.port}"

    def start(self) -> "WebPushService":
        server = COUNTERPARTS / "node_modules" / "web-push-testing" / "src" / "bin" / "server.js"
        self.spawn(["node", str(server), str(self.port)], ready="Server running", cwd=COUNTERPARTS)
        return self

    def _post(self, path: str, body: dict | None = None):
        import requests

        response = requests.post(self.url + path, json=body or {}, timeout=10)
        response.raise_for_status()
        return response.json() if response.text.startswith(("{", "[")) else response.text

    def subscribe(self, public_key: str) -> dict:
        """A subscription as ``PushSubscription.toJSON()`` gives it (``endpoint``, ``keys``)."""
        answer = self._post(
            "/subscribe", {"userVisibleOnly": "true", "applicationServerKey": public_key}
        )
        return answer["data"]

    def received(self, subscription: dict) -> list:
        """What arrived for ``subscription``, decrypted."""
        client = subscription["endpoint"].rsplit("/", 1)[1]
        return self._post("/get-notifications", {"clientHash": client})["data"]["messages"]

    def expire(self, subscription: dict) -> None:
        """From now on pushes to it answer 410 Gone, as for a browser that unsubscribed."""
        client = subscription["endpoint"].rsplit("/", 1)[1]
        self._post(f"/expire-subscription/{client}")


def self_signed(folder: Path, name: str) -> tuple[str, str]:
    """A key and a self-signed certificate (PEM files) for a test's SAML party."""
    from datetime import UTC, datetime, timedelta

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import NameOID

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = datetime.now(UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=30))
        .sign(key, hashes.SHA256())
    )
    key_file, cert_file = folder / f"{name}.key", folder / f"{name}.crt"
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.TraditionalOpenSSL,
            serialization.NoEncryption(),
        )
    )
    cert_file.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    return str(key_file), str(cert_file)


class SamlIdentityProvider(Counterpart):
    """pysaml2's identity provider (tests/counterparts/saml_idp.py) on a free port, with the
    given accounts (login -> attributes). ``sp_metadata_file`` must hold the portal's
    metadata before anyone signs in."""

    def __init__(self, *, accounts: dict[str, dict]):
        self.port = free_port()
        self.folder = Path(tempfile.mkdtemp(prefix="saml-idp-"))
        self.sp_metadata_file = self.folder / "sp.xml"
        self.accounts = accounts

    @property
    def metadata_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/metadata"

    def start(self) -> "SamlIdentityProvider":
        key_file, cert_file = self_signed(self.folder, "idp")
        config = self.folder / "config.json"
        config.write_text(
            json.dumps(
                {
                    "port": self.port,
                    "key_file": key_file,
                    "cert_file": cert_file,
                    "sp_metadata_file": str(self.sp_metadata_file),
                    "accounts": self.accounts,
                }
            )
        )
        self.spawn(
            [sys.executable, str(COUNTERPARTS / "saml_idp.py"), str(config)], cwd=COUNTERPARTS
        )
        return self


class Receiver:
    """An HTTP server on a free port that keeps every POST it gets (path, headers, body)
    and answers with the statuses queued for its path (then 200): the other end of
    webhooks and chat messages, which the tests then check."""

    def __init__(self):
        import http.server
        import threading

        self.received: list[dict] = []
        self.statuses: dict[str, list[int]] = {}
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                size = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(size)
                receiver.received.append(
                    {"path": self.path, "headers": dict(self.headers), "body": body}
                )
                queued = receiver.statuses.get(self.path) or []
                status = queued.pop(0) if queued else 200
                self.send_response(status)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def __enter__(self) -> "Receiver":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()

    def bodies(self, path: str) -> list[dict]:
        return [json.loads(item["body"]) for item in self.received if item["path"] == path]


RALPH_VENV = ROOT / ".venv-ralph"


class RalphLRS(Counterpart):
    """Ralph (PyPI ``ralph-malph``), a Learning Record Store, on a free port with its file
    backend, in a virtualenv of its own (``make counterparts`` makes .venv-ralph)."""

    username, password = "portal", "tests-only-lrs-password"

    def __init__(self):
        self.port = free_port()
        self.folder = Path(tempfile.mkdtemp(prefix="ralph-"))
        self.env = {
            **os.environ,
            "RALPH_RUNSERVER_BACKEND": "fs",
            "RALPH_AUTH_FILE": str(self.folder / "auth.json"),
            "RALPH_BACKENDS__LRS__FS__DEFAULT_DIRECTORY_PATH": str(self.folder / "statements"),
        }

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/xAPI/"

    def start(self) -> "RalphLRS":
        bin_dir = RALPH_VENV / "bin"
        if not (bin_dir / "ralph").exists():
            raise RuntimeError("Ralph is missing: `make counterparts` installs it.")
        subprocess.run(
            [str(bin_dir / "ralph"), "auth", "-u", self.username, "-p", self.password,
             "-s", "all", "-M", "mailto:lrs@example.com", "-w"],
            env=self.env, check=True, capture_output=True,
        )  # fmt: skip
        self.process = subprocess.Popen(
            [str(bin_dir / "uvicorn"), "--app-dir", str(COUNTERPARTS), "ralph_app:app",
             "--host", "127.0.0.1", "--port", str(self.port)],
            env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(
                    f"http://127.0.0.1:{self.port}/__heartbeat__", timeout=1
                ):
                    return self
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("Ralph did not start")

    def statements(self) -> list[dict]:
        """Everything the LRS holds (following its pages)."""
        import base64

        found, url = [], f"http://127.0.0.1:{self.port}/xAPI/statements/?limit=500"
        token = base64.b64encode(f"{self.username}:{self.password}".encode()).decode()
        while url:
            request = urllib.request.Request(
                url,
                headers={"Authorization": f"Basic {token}", "X-Experience-API-Version": "1.0.3"},
            )
            with urllib.request.urlopen(request) as answer:  # noqa: S310 (our own server)
                page = json.loads(answer.read())
            found += page["statements"]
            more = page.get("more")
            url = f"http://127.0.0.1:{self.port}{more}" if more else ""
        return found
