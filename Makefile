# The two commands of the README: `make run` serves the demo, `make test` runs the whole suite.
# Both create .venv and install the tested versions (constraints.txt) on first use.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
# Development defaults; production sets its own environment (see README).
DEV_ENV := DEBUG=1

.PHONY: install run migrate demo test screenshots quality format messages compile-messages lock deploy-check bench clean

$(STAMP): pyproject.toml constraints.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if (3, 11) <= sys.version_info[:2] <= (3, 12) else "Python 3.11 or 3.12 is needed: install python3.11 and run make PYTHON=python3.11 ...")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

migrate: install
	$(DEV_ENV) $(BIN)/python manage.py migrate --noinput

demo: migrate
	$(DEV_ENV) $(BIN)/python manage.py seed_demo

run: demo
	@echo "Serving the demo on http://$(HOST):$(PORT)/ — accounts are listed on the login page (Ctrl+C to stop)."
	$(DEV_ENV) $(BIN)/python manage.py runserver $(HOST):$(PORT)

# The browser tests (tests/browser) need Debian's Chromium: without it they are skipped, and say how to install it.
test: install
	$(DEV_ENV) $(BIN)/python -m pytest $(PYTEST_ARGS)

# The README's screenshots of the three daily journeys, desktop and phone, from the demo in Chromium.
screenshots: install
	SCREENSHOTS=docs/screenshots REQUIRE_BROWSER=1 $(DEV_ENV) $(BIN)/python -m pytest tests/browser/test_screenshots.py

quality: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(DEV_ENV) $(BIN)/python manage.py makemigrations --check --dry-run

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Extract the strings to translate into locale/fr, then compile them (the .mo files are committed).
messages: install
	$(DEV_ENV) $(BIN)/python manage.py makemessages --locale fr --no-location --no-obsolete --ignore ".venv/*" --ignore "staticfiles/*"
	$(MAKE) compile-messages

compile-messages: install
	$(DEV_ENV) $(BIN)/python manage.py compilemessages --locale fr --ignore ".venv/*"

# Pin the versions that the suite passed with, after a change of pyproject.toml.
lock: install
	( echo "# Versions tested together; \`make install\` passes this file to pip with -c."; \
	  echo "# Regenerate with \`make lock\` after changing pyproject.toml."; \
	  $(BIN)/python -m pip freeze --exclude-editable | grep -vi '^jardins-insertion' ) > constraints.txt

# The production settings must pass Django's deployment checklist without a warning.
deploy-check: install
	DEBUG=0 SECRET_KEY=deploy-check-$$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n') \
	  ALLOWED_HOSTS=jardins.example.org $(BIN)/python manage.py check --deploy --fail-level WARNING

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache

# Speed targets are measured here, never by timed tests (see bench/).
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/bench
bench: install
	DEBUG=1 DATABASE_URL=$(BENCH_DATABASE_URL) $(BIN)/python bench/bench_beneficiaries.py
	DEBUG=1 DATABASE_URL=$(BENCH_DATABASE_URL) $(BIN)/python bench/bench_gardens.py
	DEBUG=1 DATABASE_URL=$(BENCH_DATABASE_URL) $(BIN)/python bench/bench_reporting.py
