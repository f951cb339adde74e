# Two commands do everything: `make run` and `make test`. See README.md.
SHELL := /bin/bash
.DEFAULT_GOAL := help

# The newest Python 3.11+ on the PATH, unless PYTHON is given.
PYTHON ?= $(shell for p in python3.13 python3.12 python3.11 python3; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null && { echo $$p; break; }; done)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=

.PHONY: help install var run test test-services e2e lint format lock bench loadtest clean

help:
	@echo "make run            install, migrate, load the demo, start the worker and serve http://$(HOST):$(PORT)"
	@echo "make test           run the whole test suite on SQLite (PostgreSQL/Redis tests skip)"
	@echo "make test-services  the suite on PostgreSQL + Redis (DATABASE_URL, REDIS_URL), nothing skipped"
	@echo "make e2e            browser journeys of every persona in Chromium (/usr/bin/chromium), with axe-core"
	@echo "make lint           ruff (lint + format check), mypy, bandit (no high-severity finding), migrations check"
	@echo "make format         ruff format and fix"
	@echo "make lock           re-resolve requirements*.lock from pyproject.toml"
	@echo "make bench          the import benchmark (bench_import --rows 50000)"
	@echo "make loadtest       20 users for 60 s on gunicorn + PostgreSQL with the demo data (needs PostgreSQL)"

$(STAMP): requirements-dev.lock
	@test -n "$(PYTHON)" || { echo "Python 3.11 or newer is required (set PYTHON=/path/to/python3.11)."; exit 1; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements-dev.lock
	@touch $(STAMP)

install: $(STAMP)

var:
	@mkdir -p var/log var/mail var/cache var/celery/broker var/celery/processed var/celery/control

run: install var
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo --if-empty
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0
	@echo "Starting the background worker (log: var/log/celery.log) and the web server."
	@SITE_URL=$${SITE_URL:-http://$(HOST):$(PORT)} $(BIN)/celery -A mentoring --quiet worker --beat --pool=solo --loglevel=INFO \
		--logfile=var/log/celery.log --schedule=var/celery/beat-schedule & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	sleep 2; kill -0 $$worker 2>/dev/null || { echo "The background worker did not start; see var/log/celery.log."; exit 1; }; \
	$(BIN)/python manage.py demo_logins; \
	echo "Open http://$(HOST):$(PORT)/ (Ctrl-C stops the server and the worker)"; \
	SITE_URL=$${SITE_URL:-http://$(HOST):$(PORT)} $(BIN)/python manage.py runserver $(HOST):$(PORT)

test: install
	$(BIN)/pytest -n 2 $(PYTEST_ARGS)

test-services: install
	REQUIRE_SERVICES=1 $(BIN)/pytest -n 2 $(PYTEST_ARGS)

e2e: install
	$(BIN)/pytest tests/e2e -m e2e $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/bandit -c pyproject.toml -r . -lll --quiet
	$(BIN)/python manage.py makemigrations --check --dry-run

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

lock: install
	$(BIN)/pip-compile --quiet --strip-extras --generate-hashes --no-emit-index-url --no-emit-find-links --allow-unsafe -o requirements.lock pyproject.toml
	$(BIN)/pip-compile --quiet --strip-extras --generate-hashes --no-emit-index-url --no-emit-find-links --allow-unsafe --extra dev -o requirements-dev.lock pyproject.toml

bench: install var
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py bench_import --rows 50000

loadtest: install
	$(BIN)/python loadtest/run.py

clean:
	rm -rf $(VENV) var
