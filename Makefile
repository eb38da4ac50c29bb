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

.PHONY: run test setup services browser nginx media venv db-test clean-venv i18n compat

CATALOG := ckanext/learning/i18n/km/LC_MESSAGES/ckanext-learning

# Served by gunicorn (bin/serve: WORKERS processes x THREADS threads, no
# debugger); `ckan -c ckan.ini run` is Werkzeug's development server.
WORKERS ?= 2
THREADS ?= 4

# `make run` needs no mail server: its mail goes to a local sink (`ckan
# learning mail-sink` on MAIL_PORT) that keeps each message as an .eml file
# in var/mail/.  Production (docker/) mails a real server.
MAIL_PORT ?= $(shell echo $$(( $(PORT) <= 45535 ? $(PORT) + 20000 : $(PORT) - 20000 )))

run: setup
	@echo "Serving the Learning Platform on http://$(HOST):$(PORT) (demo sysadmin: admin / learning-admin)"
	@echo "Background jobs (document text, covers, mail): var/jobs-worker.log"
	: >var/mail-sink.log; $(CKAN) -c ckan.ini learning mail-sink >>var/mail-sink.log 2>&1 & sink=$$!; \
	trap 'kill $$sink $${worker:-} 2>/dev/null' EXIT INT TERM; \
	until grep -q '^\[mail\] Mail sink on' var/mail-sink.log; do \
	    kill -0 $$sink 2>/dev/null || { tail -n 3 var/mail-sink.log >&2; exit 1; }; \
	    sleep 0.5; \
	done; \
	echo "Mail (no mail server needed): each message is a .eml file in $(CURDIR)/var/mail/ (smtp.server 127.0.0.1:$(MAIL_PORT); one line per message in var/mail-sink.log)"; \
	$(CKAN) -c ckan.ini learning worker >var/jobs-worker.log 2>&1 & worker=$$!; \
	HOST=$(HOST) PORT=$(PORT) WORKERS=$(WORKERS) THREADS=$(THREADS) bin/serve ckan.ini

test: services browser nginx media venv $(CATALOG).mo db-test
	$(VENV)/bin/ruff check .
	$(PY) -m pytest $(PYTEST_ARGS)

setup: services media venv $(CATALOG).mo
	bin/ensure-database $(DB)
	bin/write-config ckan.ini $(DB) $(PORT) $(MAIL_PORT)
	$(CKAN) -c ckan.ini db upgrade
	$(CKAN) -c ckan.ini learning init

db-test:
	bin/ensure-database $(TEST_DB)

# CKAN's own search tests against learning_search alone (bench/ckan_compat.sh),
# on a database of their own (the one bench/ckan-compat.ini names), so they
# never clash with `make test`.  Fails unless COMPAT_MIN_PASSED of the 332 pass (329: the other 3 check Solr schema files).
COMPAT_INI := bench/ckan-compat.ini
COMPAT_DB := $(shell sed -n 's|^sqlalchemy.url = .*/||p' $(COMPAT_INI))
COMPAT_MIN_PASSED ?= 329

compat: services venv
	bin/ensure-database $(COMPAT_DB)
	$(CKAN) -c $(COMPAT_INI) db upgrade
	COMPAT_MIN_PASSED=$(COMPAT_MIN_PASSED) bench/ckan_compat.sh

services:
	bin/ensure-services

# Debian's nginx for the test of docker/'s nginx config (tests/docker/test_nginx.py)
nginx:
	bin/ensure-nginx

# PDF.js, served by the portal itself for the PDF previews (npm, pinned in
# ckanext/learning/media/package.json; bin/ensure-media)
media:
	bin/ensure-media

# headless Chromium for the browser tests (ckanext/learning/tests/browser)
browser:
	bin/ensure-browser

venv: $(VENV)/.installed

# Refresh the template and the Khmer catalogue from the code (new strings
# arrive untranslated: tests/test_i18n.py names them until they are done)
i18n: venv
	$(PY) bin/refresh-catalog

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
