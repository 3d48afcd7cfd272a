# SIKESAL: `make run` to try it, `make test` to check it. See README.md.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
# make run is the embedded development mode; production sets its own environment.
RUN_ENV := DEBUG=true

.PHONY: run test install lint check migrate reference-data demo-data messages clean

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)

# Reinstall only when the pinned requirements change.
$(VENV)/.installed: requirements.txt requirements-dev.txt | $(VENV)/bin/python
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed

migrate: install
	mkdir -p var
	$(RUN_ENV) $(PY) manage.py migrate --noinput

reference-data: migrate
	$(RUN_ENV) $(PY) manage.py load_reference_data

demo-data: reference-data
	$(RUN_ENV) $(PY) manage.py load_demo_data
	$(RUN_ENV) $(PY) manage.py load_demo_complaints
	$(RUN_ENV) $(PY) manage.py load_demo_recaps

# The server, the background worker (email, SMS, deadlines) and the periodic-job scheduler
# run side by side; Ctrl-C, or the server stopping, stops all three (kill 0: this process
# group, which includes the worker's autoreloader child).
run: demo-data
	@trap 'trap - INT TERM EXIT; kill 0 2>/dev/null' INT TERM EXIT; \
	$(RUN_ENV) $(PY) manage.py db_worker --queue-name '*' & \
	$(RUN_ENV) $(PY) manage.py run_scheduler & \
	$(RUN_ENV) $(PY) manage.py runserver 127.0.0.1:$(PORT)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

check: install
	$(RUN_ENV) $(PY) manage.py check
	$(RUN_ENV) $(PY) manage.py makemigrations --check --dry-run

test: lint check
	$(RUN_ENV) $(VENV)/bin/pytest $(PYTEST_ARGS)

# Regenerate the English catalogue from the Indonesian source strings, then compile it.
messages: install
	$(RUN_ENV) $(PY) manage.py makemessages --locale en --ignore '.venv/*' --ignore 'var/*'
	$(RUN_ENV) $(PY) manage.py compilemessages --locale en --ignore '.venv/*'

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache staticfiles
