# SIKESAL: `make run` to try it, `make test` to check it. See README.md.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
# make run is the embedded development mode; production sets its own environment.
RUN_ENV := DEBUG=true
# make run serves http://127.0.0.1:$(PORT) and nothing else, so that is the address of the
# links it sends and of the QR codes it freezes into recaps (unless SIKESAL_SITE_URL is set).
SIKESAL_SITE_URL ?= http://127.0.0.1:$(PORT)
SITE_ENV := $(RUN_ENV) SIKESAL_SITE_URL=$(SIKESAL_SITE_URL)

.PHONY: run test fuzz install lint check migrate reference-data demo-data messages clean

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)

# Reinstall only when the pinned requirements change.
$(VENV)/.installed: requirements.txt requirements-dev.txt | $(VENV)/bin/python
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed

# A `manage.py` command typed by hand runs in the same embedded mode as make run: settings
# read this git-ignored file, and the environment wins over it. Written once, readable by
# its owner only, with a key of its own.
.env: | $(VENV)/bin/python
	(umask 077 && printf '%s\n' \
	    '# Written by make for the embedded development mode (make run); never on a server.' \
	    'DEBUG=true' \
	    "SECRET_KEY=$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))')" >$@)

migrate: install .env
	mkdir -p var
	$(SITE_ENV) $(PY) manage.py migrate --noinput

reference-data: migrate
	$(SITE_ENV) $(PY) manage.py load_reference_data

demo-data: reference-data
	$(SITE_ENV) $(PY) manage.py load_demo_data
	$(SITE_ENV) $(PY) manage.py load_demo_complaints
	$(SITE_ENV) $(PY) manage.py load_demo_recaps

# The server, the background worker (email, SMS, deadlines) and the periodic-job scheduler
# run side by side; Ctrl-C, or the server stopping, stops all three (kill 0: this process
# group, which includes the worker's autoreloader child).
run: demo-data
	@trap 'trap - INT TERM EXIT; kill 0 2>/dev/null' INT TERM EXIT; \
	$(SITE_ENV) $(PY) manage.py run_worker --queue-name '*' & \
	$(SITE_ENV) $(PY) manage.py run_scheduler & \
	$(SITE_ENV) $(PY) manage.py runserver 127.0.0.1:$(PORT)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

check: install
	$(RUN_ENV) $(PY) manage.py check
	$(RUN_ENV) $(PY) manage.py makemigrations --check --dry-run

test: lint check
	$(RUN_ENV) $(VENV)/bin/pytest $(PYTEST_ARGS)

# Schemathesis over the API's OpenAPI schema against a throwaway server and database (SQLite,
# then PostgreSQL sikesal_fuzz on 127.0.0.1:5432): .ci/api-fuzz says how.
fuzz: install
	.ci/api-fuzz

# Regenerate the English catalogue from the Indonesian source strings, then compile it.
messages: install
	$(RUN_ENV) $(PY) manage.py makemessages --locale en --ignore '.venv/*' --ignore 'var/*' --ignore 'bench/*'
	$(RUN_ENV) $(PY) manage.py compilemessages --locale en --ignore '.venv/*'

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache staticfiles
