# Advocate Portal: `make run` serves the portal with demo data, `make test` runs every check.
# Both work on a fresh clone with only Python 3.11 installed (`make test` installs
# Chromium, nginx and redis-server with apt when they are missing).

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
HOST ?= 127.0.0.1
CHROMIUM := /usr/bin/chromium
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run test lint format browser counterparts bench load validate-badges translations clean

$(PY):
	$(PYTHON) -m venv $(VENV)

# Reinstall only when the dependencies change.
$(VENV)/.installed-run: pyproject.toml | $(PY)
	$(PY) -m pip install --quiet --disable-pip-version-check -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(PY)
	$(PY) -m pip install --quiet --disable-pip-version-check -e ".[dev]"
	touch $@ $(VENV)/.installed-run

browser:
	@if [ ! -x $(CHROMIUM) ]; then \
		echo "Installing Debian's chromium for the browser tests"; \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium >/dev/null; \
	fi
	@test -x $(CHROMIUM) || { echo "chromium is missing at $(CHROMIUM)"; exit 1; }
	@# SAML signatures (djangosaml2 on pysaml2) are made and checked by xmlsec1.
	@if ! command -v xmlsec1 >/dev/null; then \
		echo "Installing Debian's xmlsec1 for SAML single sign-on"; \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq xmlsec1 >/dev/null; \
	fi
	@# The translations check (scripts/translations.sh) runs gettext's makemessages tools.
	@if ! command -v msgfmt >/dev/null; then \
		echo "Installing Debian's gettext for the translations check"; \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq gettext >/dev/null; \
	fi
	@# The scale-out test (and bench) put Debian's nginx in front of several workers.
	@if ! command -v nginx >/dev/null && [ ! -x /usr/sbin/nginx ]; then \
		echo "Installing Debian's nginx for the scale-out test"; \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq nginx >/dev/null; \
	fi
	@# The fault tests start (and kill) Redis servers of their own.
	@if ! command -v redis-server >/dev/null; then \
		echo "Installing Debian's redis-server for the fault tests"; \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq redis-server >/dev/null; \
	fi

# Links the portal prints (tracked links, badges, invitations) use the address it serves.
SITE_URL ?= http://$(HOST):$(PORT)
run: export DEBUG := $(if $(DEBUG),$(DEBUG),1)
run: export SITE_URL := $(SITE_URL)
run: $(VENV)/.installed-run
	$(PY) manage.py migrate --noinput
	@if [ "$$DEBUG" = "0" ]; then $(PY) manage.py collectstatic --noinput -v0; fi
	$(PY) manage.py seed_demo --if-new
	@echo "Serving on http://$(HOST):$(PORT)/ (admin at /admin/; links use $(SITE_URL)). Ctrl-C stops."
	@# The background worker (tasks, and the sweep that keeps boards converging) runs
	@# beside daphne and stops with it. -v 0: no access log, which would keep every
	@# visitor's address (see the privacy notice).
	@$(PY) manage.py worker --interval 1 -v 0 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(PY) -m daphne -v 0 --no-server-name -b $(HOST) -p $(PORT) portal.asgi:application

# Real counterparts the integration tests start: an OpenID Provider from the npm
# registry with the machine's Node.js, pinned by the lock file; Ralph (below).
COUNTERPARTS := tests/counterparts
$(COUNTERPARTS)/node_modules/.package-lock.json: $(COUNTERPARTS)/package-lock.json
	cd $(COUNTERPARTS) && npm ci --no-audit --no-fund --loglevel=error
	touch $@

# A Learning Record Store (Ralph) for the xAPI tests, in a virtualenv of its own: it pins
# fastapi, uvicorn and websockets versions of its own.
RALPH_VENV := .venv-ralph
$(RALPH_VENV)/.installed:
	$(PYTHON) -m venv $(RALPH_VENV)
	$(RALPH_VENV)/bin/pip install --quiet --disable-pip-version-check "ralph-malph[cli,lrs]==5.1.0" "requests>=2.31,<3"
	touch $@

counterparts: $(COUNTERPARTS)/node_modules/.package-lock.json $(RALPH_VENV)/.installed

test: $(VENV)/.installed-dev browser counterparts
	DJANGO_SETTINGS_MODULE=tests.settings $(PY) manage.py makemigrations --check --dry-run
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(VENV)/bin/lint-imports
	$(PY) -m mypy
	PY=$(PY) scripts/translations.sh check
	$(PY) -m pytest

lint: $(VENV)/.installed-dev
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(VENV)/bin/lint-imports
	$(PY) -m mypy

format: $(VENV)/.installed-dev
	$(PY) -m ruff check --fix .
	$(PY) -m ruff format .

# After changing the interface's words: refresh locale/ and compile (commit both).
translations: $(VENV)/.installed-dev
	PY=$(PY) scripts/translations.sh update

bench: $(VENV)/.installed-dev
	for script in bench/bench_*.py; do $(PY) $$script || exit 1; done

# Pages under load (bench/load.py): locust in a virtualenv of its own (gevent), driving
# the scale-out topology on PostgreSQL and Redis (set DATABASE_URL and REDIS_URL).
LOCUST_VENV := .venv-locust
$(LOCUST_VENV)/.installed:
	$(PYTHON) -m venv $(LOCUST_VENV)
	$(LOCUST_VENV)/bin/pip install --quiet --disable-pip-version-check "locust==2.47.0" "websocket-client>=1.8,<2"
	touch $@

load: $(VENV)/.installed-dev $(LOCUST_VENV)/.installed browser
	$(PY) bench/load.py

# The official Open Badges validator, in a virtualenv of its own (its pins do not import
# on Python 3.11 without the swaps below). With `make run` serving the portal:
#   make validate-badges URLS="http://127.0.0.1:8000/badges/assertions/<id>.json"
OB_VENV := .venv-openbadges
$(OB_VENV)/.installed:
	$(PYTHON) -m venv $(OB_VENV)
	$(OB_VENV)/bin/pip install -q openbadges requests
	$(OB_VENV)/bin/pip uninstall -y -q pycrypto
	$(OB_VENV)/bin/pip install -q --upgrade --no-deps pycryptodome python-jose pytz ecdsa six
	touch $@

validate-badges: $(OB_VENV)/.installed
	$(OB_VENV)/bin/python scripts/validate_open_badges.py $(URLS)

clean:
	rm -rf $(VENV) $(OB_VENV) staticfiles .pytest_cache .ruff_cache .import_linter_cache .mypy_cache
