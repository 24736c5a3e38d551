"""What the README shows works as shown on a fresh checkout: management commands without
a SECRET_KEY (the embedded portal's development settings), and `make run` on another
port printing links for that port."""

import os
import subprocess
import sys

from tests.servers import ROOT


def clean_env(**extra):
    env = {key: value for key, value in os.environ.items()
           if key not in {"SECRET_KEY", "DEBUG", "DATABASE_URL", "DJANGO_SETTINGS_MODULE",
                          "SITE_URL", "REDIS_URL"}}  # fmt: skip
    return env | extra


def test_management_commands_run_on_a_fresh_checkout():
    done = subprocess.run(
        [sys.executable, "manage.py", "changepassword", "--help"],
        cwd=ROOT, env=clean_env(), capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "Change a user's password" in done.stdout


def test_a_deployment_without_a_secret_key_is_still_refused():
    done = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT, env=clean_env(DATABASE_URL="postgres://nobody@127.0.0.1:1/none"),
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode != 0
    assert "SECRET_KEY is not set" in done.stderr


def test_make_run_on_another_port_links_to_that_port():
    # -p prints make's variables: the one `make run` exports to the portal's processes.
    done = subprocess.run(
        ["make", "-p", "-n", "run", "PORT=8123"], cwd=ROOT, env=clean_env(),
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert "run: SITE_URL := http://127.0.0.1:8123" in done.stdout
    chosen = subprocess.run(
        ["make", "-p", "-n", "run", "PORT=8123"], cwd=ROOT,
        env=clean_env(SITE_URL="https://advocates.example.com"),
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert "run: SITE_URL := https://advocates.example.com" in chosen.stdout
