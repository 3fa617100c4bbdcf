# Two commands on a fresh machine: `make demo` and `make test`.
# The interpreter .venv is made with: the distribution's /usr/bin/python3 when
# it is 3.11 or later and can make virtualenvs (distributions build CPython
# with profile-guided and link-time optimisation; pyenv's default build has
# neither, and every worker pays for that in CPU), else python3 from PATH.
# `make PYTHON=...` chooses another.
PYTHON ?= $(or $(shell for p in /usr/bin/python3 python3; do \
  $$p -c 'import ensurepip, sys; sys.exit(sys.version_info < (3, 11))' \
  2>/dev/null && { echo $$p; break; }; done),python3)
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
ERP ?= syspro
HOST ?= 127.0.0.1
PORT ?= 8000
WEB_WORKERS ?= 2
# ERP=sagepro: where the demo's Sage Pro agent listens (loopback only).
AGENT_PORT ?= 8765

.PHONY: demo test bench lint lock run-services clean

$(PY):
	$(PYTHON) -m venv $(VENV)

# Every package, transitive ones included, pinned with its hashes: pip refuses
# anything else. requirements*.txt name what the project asks for; `make lock`
# turns them into the lock files.
$(VENV)/.runtime: requirements.lock | $(PY)
	$(PIP) install --quiet --require-hashes --no-deps -r requirements.lock
	touch $@

$(VENV)/.dev: requirements-dev.lock | $(PY)
	$(PIP) install --quiet --require-hashes --no-deps -r requirements-dev.lock
	touch $@ $(VENV)/.runtime

lock:
	$(PYTHON) -m venv /tmp/ledgerbridge-pip-tools
	/tmp/ledgerbridge-pip-tools/bin/pip install --quiet pip-tools==7.6.2
	for name in requirements requirements-dev; do \
	  /tmp/ledgerbridge-pip-tools/bin/pip-compile --quiet --generate-hashes \
	    --allow-unsafe --strip-extras --no-emit-index-url --no-emit-find-links \
	    --output-file $$name.lock $$name.txt; \
	done

.env:
	$(PY) -m portal.envfile

# Production settings are the default everywhere else: the demo opts in to
# development settings (sandboxes mounted, debug on).
demo: export DJANGO_SETTINGS_MODULE = portal.settings.dev
demo: $(VENV)/.runtime .env
	$(PY) manage.py migrate --noinput
	$(PY) manage.py collectstatic --noinput --verbosity 0
	$(PY) manage.py create_demo_admin
	$(PY) manage.py setup_sandbox --erp $(ERP) --portal-url http://$(HOST):$(PORT) \
	  $(if $(filter sagepro,$(ERP)),--erp-url http://127.0.0.1:$(AGENT_PORT)/api/v1)
	ERP=$(ERP) AGENT_PORT=$(AGENT_PORT) bash .ci/demo-services $(HOST) $(PORT) $(WEB_WORKERS)

test: $(VENV)/.dev
	$(VENV)/bin/pytest -q $(PYTEST_ARGS)

bench: $(VENV)/.dev
	$(PY) bench/run_all.py

lint: $(VENV)/.dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

clean:
	rm -rf $(VENV) var staticfiles
