# Two commands: `make run` and `make test`. Everything installs into .venv.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
HOST ?= 127.0.0.1
STAMP := $(VENV)/.installed
# The Nu HTML Checker for tests/test_html_validity.py: npm's vnu-jar, pinned, in .tools/ (gitignored).
VNU_VERSION := 26.9.27
VNU_STAMP := .tools/.vnu-$(VNU_VERSION)

.PHONY: run test system-tools messages editor bench-editor lint format serve backup restore cluster cluster-stop bench bench-app bench-import bench-large bench-history bench-layers bench-mediawiki bench-render bench-templates bench-lists bench-restore bench-lighthouse venv clean

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "$(PYTHON) not found"; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

venv: $(STAMP)

# The visual editor (static/editor/): its npm packages from the committed lockfile (npm ci),
# bundled by esbuild into static/editor/build/ (gitignored), served as static files.
EDITOR := static/editor
EDITOR_MODULES := $(EDITOR)/node_modules/.package-lock.json
EDITOR_BUNDLE := $(EDITOR)/build/visual.js

$(EDITOR_MODULES): $(EDITOR)/package-lock.json $(EDITOR)/package.json
	@command -v npm >/dev/null || { echo "npm not found: the visual editor is built with it (Debian: apt-get install npm)"; exit 1; }
	cd $(EDITOR) && npm ci --silent --no-audit --no-fund
	touch $(EDITOR_MODULES)

# The interface's translations (locale/<lang>/LC_MESSAGES/django.po, README "Interface
# languages") compiled to .mo files (gitignored) by Django's compilemessages (GNU gettext's msgfmt).
MESSAGES := $(patsubst %.po,%.mo,$(wildcard locale/*/LC_MESSAGES/django.po))

locale/%/LC_MESSAGES/django.mo: locale/%/LC_MESSAGES/django.po $(STAMP)
	@command -v msgfmt >/dev/null || { echo "msgfmt not found: the translations are compiled with GNU gettext (Debian: apt-get install gettext)"; exit 1; }
	$(PY) manage.py compilemessages --locale $* --ignore '.venv/*' --ignore 'static/*' -v0

messages: $(MESSAGES)

$(EDITOR_BUNDLE): $(EDITOR_MODULES) $(wildcard $(EDITOR)/src/*.js)
	cd $(EDITOR) && npm run --silent build

editor: $(EDITOR_BUNDLE)

$(VNU_STAMP): | system-tools
	npm install --silent --no-audit --no-fund --prefix .tools vnu-jar@$(VNU_VERSION)
	touch $(VNU_STAMP)

run: $(STAMP) $(EDITOR_BUNDLE) $(MESSAGES)
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo
	$(PY) manage.py demo_accounts
	@echo "Serving on http://$(HOST):$(PORT)/ with a task-queue worker  (Ctrl+C stops both)"
	$(PY) deploy/with_worker.py $(PY) manage.py runserver $(HOST):$(PORT)

# Production-style serving: gunicorn, DEBUG off, WhiteNoise with compressed hashed static files.
# SECRET_KEY, DATABASE_URL, REDIS_URL, ALLOWED_HOSTS come from the environment (docs/operators.md).
serve: export DEBUG = 0
serve: export SECURE_SSL_REDIRECT ?= 0
# Secure cookies follow the HTTPS redirect here: off over plain HTTP, on with SECURE_SSL_REDIRECT=1
# (behind a TLS proxy that redirects itself, set SESSION_COOKIE_SECURE=1 CSRF_COOKIE_SECURE=1).
serve: export SESSION_COOKIE_SECURE ?= $(SECURE_SSL_REDIRECT)
serve: export CSRF_COOKIE_SECURE ?= $(SECURE_SSL_REDIRECT)
serve: export SECRET_KEY ?= $(shell $(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(50))')
serve: $(STAMP) $(EDITOR_BUNDLE) $(MESSAGES)
	$(PY) manage.py collectstatic --noinput -v0
	$(PY) manage.py migrate --noinput -v0
	@echo "Serving with gunicorn on http://$(HOST):$(PORT)/ and a task-queue worker"
	HOST=$(HOST) PORT=$(PORT) $(PY) deploy/with_worker.py $(VENV)/bin/gunicorn -c encyclopedia/gunicorn.conf.py

# Backups of the embedded SQLite database and the uploaded files into BACKUP_DIR, and restoring
# the newest at or before TARGET ("2026-12-05 14:03", UTC), then check_integrity.
# PostgreSQL: pgBackRest (docs/operators.md).
backup: $(STAMP)
	$(PY) manage.py backup

restore: $(STAMP)
	$(PY) manage.py restore $(if $(TARGET),--target "$(TARGET)")

# The scaled-out site on loopback (deploy/cluster.py, deploy/ha.py), ports 8400-8499
# (CLUSTER_PORT_BASE): Varnish :8400 -> haproxy :8401 -> two gunicorn app servers -> haproxy
# -> three PostgreSQL 15 nodes under Patroni and etcd (failover), Redis under Sentinel; a
# task-queue worker. Needs patroni, etcd-server, haproxy, redis-sentinel, varnish.
cluster: $(STAMP)
	$(PY) deploy/cluster.py start

cluster-stop: $(STAMP)
	$(PY) deploy/cluster.py stop

# Benchmarks (bench/README.md): N generated articles, our server and MediaWiki under the same load.
bench: $(STAMP)
	$(PY) bench/scale.py --articles $${BENCH_ARTICLES:-2000} $(BENCH_ARGS)

# One app server alone: uncached and cached views, search, history, import (bench/run.py).
bench-app: $(STAMP)
	$(PY) bench/run.py --articles $${BENCH_ARTICLES:-2000} $(BENCH_ARGS)

# Import rate alone: the median of 5 imports into an empty database (bench/import.py).
bench-import: $(STAMP)
	$(PY) bench/import.py --articles $${BENCH_ARTICLES:-2000}

# The site at 10,000, 100,000 and 1,000,000 articles on PostgreSQL (bench/large.py, issue 34):
# each size's database enc_large_<N> built once (300 articles through the write path, the rest
# copied from them in SQL) and kept for reruns; search, suggestions, Go, section saves, views,
# lists and the admin at each size; the growth table and plot in bench/results/.
# BENCH_ARGS="--articles 10000 100000" for fewer sizes, "--rebuild" to build again.
BENCH_STAMP := $(VENV)/.installed-bench
$(BENCH_STAMP): $(STAMP)
	$(PY) -m pip install --quiet -e ".[dev,bench]"
	touch $(BENCH_STAMP)

bench-large: $(BENCH_STAMP)
	$(PY) bench/large.py $(BENCH_ARGS)

# The whole suite. tests/system-tools.sh first installs (Debian, as root) or names what the
# suite needs besides Python packages; no test is then skipped for a missing program.
# It runs in PYTEST_WORKERS processes (pytest-xdist; auto: one per CPU; 0: this process alone)
# and ends with its 30 slowest steps, where the suite's time goes;
# tests that must not run beside one another share an xdist_group (tests/conftest.py).
PYTEST_WORKERS ?= auto
test: $(STAMP) system-tools $(VNU_STAMP) $(EDITOR_BUNDLE) $(MESSAGES)
	ENCYCLOPEDIA_REQUIRE_MEDIAWIKI=1 ENCYCLOPEDIA_REQUIRE_VARNISH=1 \
	  $(PY) -m pytest -n $(PYTEST_WORKERS) --dist loadgroup --durations=30 $(PYTEST_ARGS)

system-tools:
	@bash tests/system-tools.sh

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(STAMP)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# MediaWiki exports (../shared/mediawiki-samples) imported by us (SQLite, PostgreSQL; one
# process and all cores) and by MediaWiki 1.39's importDump.php plus its job queue (runJobs.php
# until empty) in the same run (bench/mediawiki_import.py; BENCH_ARGS=--current: the samples of
# current articles alone).
bench-mediawiki: $(STAMP)
	$(PY) bench/mediawiki_import.py $(BENCH_ARGS)

# MB of article Markdown composed per second per core over the demo and the samples, this tree
# against BASE (default main) in one run (bench/render.py; BENCH_ARGS="--profile 30": a profile).
bench-render: $(STAMP)
	$(PY) bench/render.py --base $(or $(BASE),main) $(BENCH_ARGS)

# History pages at 5,000 revisions, in-process (bench/history.py); `make bench` covers it over HTTP.
# A save, a cached and an uncached view: this tree against BASE (default main), A/B in one run.
bench-layers: $(STAMP)
	$(PY) bench/layers.py --base $(or $(BASE),main) $(BENCH_ARGS)

# The visual editor's ready time on the largest demo article and its compressed size
# (bench/editor_ready.py), in headless Chromium.
bench-editor: $(STAMP) $(EDITOR_BUNDLE)
	$(PY) bench/editor_ready.py $(BENCH_ARGS)

# Lighthouse (mobile) on an article, the main page, a category and a search of the demo site
# served as `make serve` serves it (bench/lighthouse.py); Lighthouse from npm, pinned by
# bench/lighthouse/package-lock.json, with Debian's Chromium. PORT chooses the port.
LIGHTHOUSE := bench/lighthouse
LIGHTHOUSE_MODULES := $(LIGHTHOUSE)/node_modules/.package-lock.json

$(LIGHTHOUSE_MODULES): $(LIGHTHOUSE)/package-lock.json $(LIGHTHOUSE)/package.json
	@command -v npm >/dev/null || { echo "npm not found: Lighthouse is installed with it (Debian: apt-get install npm)"; exit 1; }
	cd $(LIGHTHOUSE) && npm ci --silent --no-audit --no-fund
	touch $(LIGHTHOUSE_MODULES)

bench-lighthouse: $(STAMP) $(EDITOR_BUNDLE) $(LIGHTHOUSE_MODULES)
	CHROME_PATH=$${CHROME_PATH:-/usr/bin/chromium} $(PY) bench/lighthouse.py --port $(PORT) $(BENCH_ARGS)

bench-history: $(STAMP)
	DJANGO_SETTINGS_MODULE=encyclopedia.settings $(PY) bench/history.py

# Pages/s re-rendered when a template used by N pages changes (bench/template_rerender.py).
bench-templates: $(STAMP)
	DJANGO_SETTINGS_MODULE=encyclopedia.settings $(PY) bench/template_rerender.py --pages $${BENCH_PAGES:-2000}

# The first and the last page of every list and the sitemaps (bench/lists.py) on a PostgreSQL
# database generated in SQL: BENCH_LISTS_DB (a throwaway database, made if missing), BENCH_ARTICLES.
BENCH_LISTS_DB ?= encyclopedia_bench_lists
bench-lists: $(STAMP)
	createdb -h 127.0.0.1 -U postgres $(BENCH_LISTS_DB) 2>/dev/null || true
	DATABASE_URL=postgres://postgres@127.0.0.1:5432/$(BENCH_LISTS_DB) \
	  $(PY) bench/lists.py --articles $${BENCH_ARTICLES:-100000} $(BENCH_ARGS)

# Restore time (bench/restore.py): `make restore TARGET=…` with pgBackRest and check_integrity on
# the demo wiki and BENCH_ARTICLES (100,000) generated articles, each in a PostgreSQL server of
# its own kept in BENCH_RESTORE_DIR (/var/tmp/encyclopedia-bench-restore) for reruns.
bench-restore: $(STAMP)
	$(PY) bench/restore.py --articles $${BENCH_ARTICLES:-100000} $(BENCH_ARGS)

clean:
	rm -rf $(VENV) staticfiles db.sqlite3 test-results .tools $(EDITOR)/node_modules $(EDITOR)/build
