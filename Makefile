# The two commands of the README: `make run` and `make test`.
# Each does all of its own set-up (system packages, PostgreSQL, Redis, venv,
# database, config) and is fast and data-preserving when run again.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
CKAN := $(VENV)/bin/ckan
DB ?= ckan_learning
TEST_DB ?= ckan_learning_test
HOST ?= 127.0.0.1
PORT ?= 5000
PYTEST_ARGS ?=

.PHONY: run test setup services browser venv db-test clean-venv

CATALOG := ckanext/learning/i18n/km/LC_MESSAGES/ckanext-learning

run: setup
	@echo "Serving the Learning Platform on http://$(HOST):$(PORT) (demo sysadmin: admin / learning-admin)"
	$(CKAN) -c ckan.ini run --host $(HOST) --port $(PORT)

test: services browser venv $(CATALOG).mo db-test
	$(PY) -m pytest $(PYTEST_ARGS)

setup: services venv $(CATALOG).mo
	bin/ensure-database $(DB)
	bin/write-config ckan.ini $(DB) $(PORT)
	$(CKAN) -c ckan.ini db upgrade
	$(CKAN) -c ckan.ini learning init

db-test:
	bin/ensure-database $(TEST_DB)

services:
	bin/ensure-services

# headless Chromium for the browser tests (ckanext/learning/tests/browser)
browser:
	bin/ensure-browser

venv: $(VENV)/.installed

# Khmer UI: compiled from the committed .po (the .mo is a build product)
$(CATALOG).mo: $(CATALOG).po $(VENV)/.installed
	$(VENV)/bin/pybabel -q compile -d ckanext/learning/i18n -D ckanext-learning -l km

$(VENV)/.installed: requirements.txt pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip wheel setuptools
	$(PY) -m pip install -q -r requirements.txt -e .
	touch $@

clean-venv:
	rm -rf $(VENV)
