# Two commands a new user needs: `make run` and `make test`. Both install what they need first,
# into .venv (uv from PyPI, then the locked environment from uv.lock); only python3 and make are required.
PYTHON ?= python3
UV_VERSION := 0.13.9
VENV := .venv
TOOLS := .tools
UV := $(TOOLS)/bin/uv
STAMP := $(VENV)/.kinerja-installed

.PHONY: install run test test-fast lint clean compose-validator

install: $(STAMP)

$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/python -m pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)"

# --compile-bytecode: every module is compiled once here, not by each process that imports it.
# Where PYTHONDONTWRITEBYTECODE is set (as on CI and many images) Python never caches them itself,
# and every dbt, Great Expectations and Airflow process would compile thousands of files again
# (great_expectations alone: 11 s of a 20 s import on the 2-core machine).
$(STAMP): pyproject.toml uv.lock Makefile $(UV)
	UV_PROJECT_ENVIRONMENT=$(VENV) $(UV) sync --frozen --compile-bytecode --python $(PYTHON)
	touch $(STAMP)

run: $(STAMP)
	$(VENV)/bin/kinerja run

test: $(STAMP) compose-validator
	$(VENV)/bin/python -m pytest

# tests/unit/test_compose.py validates docker-compose.yml with Debian's docker-compose 1.29 (no Docker
# engine needed); installed here when missing and this runs as root with apt-get (CI), else the test says how
compose-validator:
	@command -v docker-compose >/dev/null || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null && \
		{ apt-get install -y -qq docker-compose >/dev/null || { apt-get update -qq && apt-get install -y -qq docker-compose >/dev/null; }; }; } || \
		echo "docker-compose is missing: apt-get install -y docker-compose (tests/unit/test_compose.py needs it)"

# the tests that need no build (parsers, clients, registry, DAG files): under a minute
test-fast: $(STAMP) compose-validator
	$(VENV)/bin/python -m pytest tests/unit -q

lint: $(STAMP)
	$(VENV)/bin/ruff check .

clean:
	rm -rf landing quarantine warehouse state airflow_home
