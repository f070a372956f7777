# Saohei — the commands a newcomer needs. `make demo` runs the product, `make test` tests it.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
VENDOR := saohei/static/vendor
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
PYTEST_WORKERS ?= 2

.PHONY: install demo test e2e lint test-postgres bench bench-load browser deploy-tools messages clean

## install: prepare .venv and the front-end assets; starts nothing
install: $(VENV)/.installed $(VENDOR)/.installed

# The pinned dependencies of pyproject.toml (runtime and dev); the project itself runs from
# this folder and is not installed.
$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -c 'import tomllib; p = tomllib.load(open("pyproject.toml", "rb"))["project"]; \
	  print("\n".join(p["dependencies"] + p["optional-dependencies"]["dev"]))' > $(VENV)/requirements.txt
	$(BIN)/pip install --quiet --disable-pip-version-check -r $(VENV)/requirements.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# Copied, never fetched at run time: the intranet has no CDN.
$(VENDOR)/.installed: node_modules/.installed
	mkdir -p $(VENDOR)/bootstrap $(VENDOR)/htmx $(VENDOR)/echarts $(VENDOR)/cytoscape
	cp node_modules/bootstrap/dist/css/bootstrap.min.css node_modules/bootstrap/dist/css/bootstrap.min.css.map $(VENDOR)/bootstrap/
	cp node_modules/bootstrap/dist/js/bootstrap.bundle.min.js node_modules/bootstrap/dist/js/bootstrap.bundle.min.js.map $(VENDOR)/bootstrap/
	cp node_modules/htmx.org/dist/htmx.min.js $(VENDOR)/htmx/
	cp node_modules/echarts/dist/echarts.min.js $(VENDOR)/echarts/
	cp node_modules/cytoscape/dist/cytoscape.min.js $(VENDOR)/cytoscape/
	touch $@

## demo: the product on embedded SQLite with demo data, at http://127.0.0.1:8000
demo: install
	$(MANAGE) migrate --noinput
	$(MANAGE) seed_demo
	$(MANAGE) runserver 127.0.0.1:8000

## browser: Debian's chromium and CJK fonts for the end-to-end tests, and LibreOffice with
## poppler for the test that renders a briefing to PDF (apt; once)
browser:
	@command -v chromium >/dev/null && command -v soffice >/dev/null && \
	  command -v pdftoppm >/dev/null && fc-list :lang=zh | grep -q . || { \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends \
	    chromium fonts-noto-cjk fontconfig libreoffice-writer-nogui poppler-utils >/dev/null; }

## deploy-tools: nginx (apt; once) for the tests that run the shipped nginx sites in front of
## gunicorn (tests/test_deploy.py); systemd-analyze comes with the base system
deploy-tools:
	@command -v nginx >/dev/null || { \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends \
	    nginx-light >/dev/null; }

## test: the whole suite (unit, property, end-to-end)
test: install browser deploy-tools
	$(BIN)/pytest -n $(PYTEST_WORKERS) -q

## e2e: only the browser tests (they also run in `make test`)
e2e: install browser
	$(BIN)/pytest -q -m e2e

## test-postgres: the whole suite against a throw-away PostgreSQL 15 server
test-postgres: install browser deploy-tools
	bash .ci/with-postgres $(BIN)/pytest -n $(PYTEST_WORKERS) -q

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(MANAGE) makemigrations --check --dry-run
	bash .ci/check-messages

## messages: refresh the zh_Hans catalog after changing user-visible text
messages: install
	$(MANAGE) makemessages -l zh_Hans --ignore '.venv/*' --ignore 'node_modules/*'
	$(MANAGE) compilemessages -l zh_Hans --ignore '.venv/*'

## bench: every bench/bench_*.py (minutes; see bench/README.md), with the `bench` extras
bench: install $(VENV)/.bench-installed
	for b in bench/bench_*.py; do $(BIN)/python $$b; done

## bench-load: 50 users on 100,000 clues through gunicorn, SQLite then PostgreSQL (bench/load/)
bench-load: install
	$(BIN)/python bench/load/run.py --db sqlite
	bash .ci/with-postgres true  # installs the PostgreSQL 15 server if missing
	$(BIN)/python bench/load/run.py --db postgres

# The `bench` optional dependencies of pyproject.toml (Splink and DuckDB), as `.[bench]` would
# add them, the project itself still not installed; `make test` does not need them.
$(VENV)/.bench-installed: pyproject.toml $(VENV)/.installed
	$(BIN)/python -c 'import tomllib; \
	  print("\n".join(tomllib.load(open("pyproject.toml", "rb"))["project"]["optional-dependencies"]["bench"]))' \
	  > $(VENV)/requirements-bench.txt
	$(BIN)/pip install --quiet --disable-pip-version-check -r $(VENV)/requirements-bench.txt
	touch $@

clean:
	rm -rf $(VENV) node_modules $(VENDOR) var/static
