"""Start the README's scale-out topology on this machine: nginx in front (Debian's
``nginx``, configured by ``deploy/nginx.conf``), several daphne workers behind it and the
background worker, all on the PostgreSQL and Redis that ``DATABASE_URL`` and
``REDIS_URL`` name. The benchmarks under ``bench/`` start the same topology with it.

Run: DATABASE_URL=postgres://... REDIS_URL=redis://... SECRET_KEY=... \\
     .venv/bin/python deploy/scale_out.py --workers 4 --port 8080
Ctrl-C stops every process it started.
"""

import argparse
import os
import shutil
import signal
import socket
import string
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NGINX_CONF = Path(__file__).resolve().parent / "nginx.conf"
DATABASE_POOL = 10  # connections at most per worker: 4 workers stay well within 100


class _Fields(string.Template):
    delimiter = "@"  # nginx's own variables start with $


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def nginx_binary() -> str:
    found = shutil.which("nginx") or "/usr/sbin/nginx"
    if not os.access(found, os.X_OK):
        raise RuntimeError("nginx is not installed (Debian: apt-get install nginx)")
    return found


def daphne_command(
    port: int, *options: str, application: str = "portal.asgi:application"
) -> list[str]:
    """A daphne worker on 127.0.0.1:``port`` as the README runs it: ``-v 0``, no access
    log (it would keep every visitor's address); ``options`` are daphne's own."""
    return [sys.executable, "-m", "daphne", "-v", "0", "--no-server-name", *options,
            "-b", "127.0.0.1", "-p", str(port), application]  # fmt: skip


class Topology:
    """nginx on ``port`` in front of ``workers`` daphne workers (each on a free port),
    and ``task_workers`` background workers; ``env`` is every process's environment."""

    def __init__(
        self, *, env: dict[str, str], workers: int = 4, port: int = 0, task_workers: int = 1
    ):
        # A pool of database connections in each worker (README, Scale-out): without it,
        # every request opens a PostgreSQL connection of its own.
        self.env = {"DATABASE_POOL": str(DATABASE_POOL), **env}
        self.workers = workers
        self.port = port or free_port()
        self.task_workers = task_workers
        self.worker_ports: list[int] = []
        self.processes: list[subprocess.Popen] = []
        self.state = Path(tempfile.mkdtemp(prefix="advocate-scale-out-"))

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _spawn(self, args: list[str]) -> subprocess.Popen:
        log = open(self.state / "processes.log", "a")  # noqa: SIM115 - kept by the child
        process = subprocess.Popen(  # noqa: S603 - our own programs and arguments
            args, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT
        )
        self.processes.append(process)
        return process

    def nginx_conf(self) -> str:
        servers = "\n".join(
            f"        server 127.0.0.1:{port} max_fails=0;" for port in self.worker_ports
        )
        return _Fields(NGINX_CONF.read_text()).substitute(
            state=self.state, servers=servers, listen=f"127.0.0.1:{self.port}"
        )

    def start(self, *, timeout: float = 120) -> "Topology":
        for _ in range(self.workers):
            port = free_port()
            self.worker_ports.append(port)
            self._spawn(daphne_command(port, "--proxy-headers"))
        for _ in range(self.task_workers):
            self._spawn([sys.executable, str(ROOT / "manage.py"), "worker", "-v", "0"])
        conf = self.state / "nginx.conf"
        conf.write_text(self.nginx_conf())
        self._spawn([nginx_binary(), "-p", str(self.state), "-e", str(self.state / "error.log"),
                     "-c", str(conf)])  # fmt: skip
        deadline = time.monotonic() + timeout
        waiting = [f"http://127.0.0.1:{port}/healthz" for port in self.worker_ports]
        waiting.append(f"{self.url}/healthz")
        while waiting:
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"not up after {timeout:.0f} s: {waiting[0]} (see {self.state})")
            try:
                with urllib.request.urlopen(waiting[0], timeout=1):  # noqa: S310 - our own
                    waiting.pop(0)
            except OSError:
                time.sleep(0.2)
        return self

    def stop(self) -> None:
        for process in reversed(self.processes):
            if process.poll() is None:
                process.send_signal(signal.SIGTERM if process.args[0] != nginx_binary()
                                    else signal.SIGQUIT)  # fmt: skip
        for process in self.processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        self.processes = []

    def __enter__(self) -> "Topology":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def setup(env: dict[str, str], *, migrate: bool = True) -> None:
    """What the workers need before they start: the schema, and the static files their
    pages name (with DEBUG off, a page naming a file collectstatic has not collected is
    a server error)."""
    commands = [["collectstatic", "--noinput", "-v0"]]
    if migrate:
        commands.insert(0, ["migrate", "--noinput", "-v0"])
    for command in commands:
        subprocess.run([sys.executable, str(ROOT / "manage.py"), *command],  # noqa: S603
                       cwd=ROOT, env=env, check=True)  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", type=int, default=4, help="daphne workers (default 4)")
    parser.add_argument("--task-workers", type=int, default=1)
    parser.add_argument("--port", type=int, default=8080, help="nginx's port (default 8080)")
    parser.add_argument("--no-setup", action="store_true",
                        help="skip migrate and collectstatic")  # fmt: skip
    args = parser.parse_args()
    missing = [name for name in ("DATABASE_URL", "REDIS_URL") if not os.environ.get(name)]
    if missing:
        parser.error(f"set {' and '.join(missing)}: workers share the database and Redis")
    site = f"http://127.0.0.1:{args.port}"
    env = {"DEBUG": "0", "ALLOWED_HOSTS": "127.0.0.1,localhost", "SITE_URL": site,
           **os.environ, "DJANGO_SETTINGS_MODULE": "portal.settings"}  # fmt: skip
    if not args.no_setup:
        setup(env)
    topology = Topology(env=env, workers=args.workers, port=args.port,
                        task_workers=args.task_workers)  # fmt: skip
    topology.start()
    print(f"Serving on {topology.url}/ through nginx: {args.workers} daphne workers on ports "
          f"{', '.join(map(str, topology.worker_ports))}, {args.task_workers} background "
          f"worker(s); state and logs in {topology.state}. Ctrl-C stops.", flush=True)  # fmt: skip
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        topology.stop()


if __name__ == "__main__":
    main()
