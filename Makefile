# OpenDVC – the two set-up commands are `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PG_URL ?= postgres://postgres@127.0.0.1:5432/opendvc
export DJANGO_SETTINGS_MODULE := opendvc.settings

.PHONY: run test test-sqlite test-postgres test-browser install install-test chromium setup serve lint bench clean

# Reinstall only when the dependency pins change.
$(VENV)/.installed: pyproject.toml requirements.lock
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@echo "==> Cài đặt thư viện (installing dependencies)"
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check -c requirements.lock -e ".[test]" \
	  2> >(grep -v "^WARNING: Location" >&2)
	@touch $@

install: $(VENV)/.installed

setup: install
	@echo "==> Cơ sở dữ liệu (migrate)"
	@$(BIN)/opendvc migrate --no-input -v 0
	@$(BIN)/opendvc import_admin_units
	@$(BIN)/opendvc import_catalog
	@$(BIN)/opendvc setup_demo_province
	@$(BIN)/opendvc setup_demo_accounts
	@$(BIN)/opendvc setup_demo_pki
	@$(BIN)/opendvc collectstatic --no-input -v 0

serve:
	@$(BIN)/opendvc serve

run: setup serve

chromium:
	@command -v chromium >/dev/null || { echo "==> Cài Chromium (Debian)"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

test: install chromium
	@echo "==> Kiểm tra mã nguồn (ruff, import contracts)"
	@$(BIN)/ruff check --quiet opendvc tests bench conftest.py
	@$(BIN)/ruff format --check --quiet opendvc tests bench conftest.py
	@out=$$($(BIN)/lint-imports --no-cache 2>&1) || { echo "$$out"; exit 1; }
	@echo "==> Kiểm thử trên SQLite (kèm kiểm thử trình duyệt)"
	@$(BIN)/pytest -q
	@echo "==> Kiểm thử trên PostgreSQL ($(PG_URL))"
	@OPENDVC_DATABASE_URL=$(PG_URL) $(BIN)/pytest -q -m "not browser"

test-sqlite: install
	@$(BIN)/pytest -q -m "not browser"

lint: install
	@$(BIN)/ruff check opendvc tests bench conftest.py
	@$(BIN)/ruff format --check opendvc tests bench conftest.py
	@$(BIN)/lint-imports --no-cache

bench: setup
	@$(BIN)/python bench/search.py

clean:
	rm -rf $(VENV) var
