# specloom: every target sets itself up from nothing (venv + pip), so a fresh clone needs only
# `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
PKG    := orchestra

export PYTHONDONTWRITEBYTECODE := 1

.PHONY: browser postgres setup sandbox-tool demo demo-services test test-tool test-generated generate check validate plan bench lint templates clean

setup: $(STAMP) sandbox-tool

# The OS sandbox of `specloom fill` (bubblewrap), installed only when missing and only when we
# may (root, apt-get); otherwise fill falls back to `unshare` or asks for --allow-unsandboxed.
sandbox-tool:
	@command -v bwrap >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null && \
	  { apt-get install -y -qq bubblewrap >/dev/null 2>&1 || \
	    { apt-get update -qq >/dev/null && apt-get install -y -qq bubblewrap >/dev/null; }; }; } || \
	  echo "note: bubblewrap is not installed; specloom fill will use unshare if it can"

$(STAMP): pyproject.toml runtime/pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e 'runtime[nats,prometheus,http]' --config-settings editable_mode=compat
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

validate: setup
	$(BIN)/specloom validate specs

generate: setup
	$(BIN)/specloom generate specs

check: setup
	$(BIN)/specloom check specs

plan: setup
	$(BIN)/specloom plan specs

demo: setup
	$(BIN)/specloom validate specs
	$(BIN)/specloom generate specs
	cd generated && ../$(BIN)/python -m $(PKG) health
	cd generated && ../$(BIN)/python -m $(PKG) call Database@1.create '{"table": "users", "data": {"name": "Ada"}}'
	cd generated && ../$(BIN)/python -m $(PKG) metrics

# The flagship as services: nats-server, twelve module processes on NATS, a record that survives a
# restart of the database module, the LLM module against a fake Ollama, health --nats (its
# DETAIL), two deployments and a rollback of the database module as real processes, /metrics;
# all stopped.
demo-services: setup
	$(BIN)/specloom generate specs
	$(BIN)/python demo/services.py

# Each generated system is its own project (own package, own impl/): its tests run in their own
# pytest process. The tool's own tests run last.
# Debian's chromium for the web page's browser test (Playwright drives it; never
# `playwright install`, which downloads a browser build).
browser:
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
	  else echo "make browser: /usr/bin/chromium is missing; apt-get install chromium as root" >&2; fi; \
	fi

# Debian's PostgreSQL for the Database module's PostgreSQL tests (tests/flagship/
# test_database_postgres.py start their own server in a temporary folder): installed only when
# missing and only when we may (root, apt-get); without it those tests are skipped, saying why.
postgres:
	@if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 && ! command -v initdb >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null; \
	  else echo "make postgres: PostgreSQL is missing; apt-get install postgresql as root" >&2; fi; \
	fi

# The drift checks below run on an empty specloom cache of their own (SPECLOOM_CACHE_DIR), so a
# cache entry left on this machine by older code cannot hide stale checked-in output.
test: export SPECLOOM_CACHE_DIR := $(CURDIR)/.venv/test-cache
test: setup browser postgres
	rm -rf $(SPECLOOM_CACHE_DIR)
	$(BIN)/ruff check generator tests benchmarks runtime
	$(BIN)/ruff format --check generator tests benchmarks runtime
	$(BIN)/mypy generator
	$(BIN)/mypy --strict runtime/specloom_runtime
	$(BIN)/specloom validate specs
	$(BIN)/specloom check specs
	$(BIN)/python -m pytest -p no:cacheprovider generated/tests
	for ex in examples/*/; do \
	  $(BIN)/specloom validate $$ex/specs && $(BIN)/specloom check $$ex/specs && \
	  $(BIN)/python -m pytest -p no:cacheprovider $$ex/generated/tests || exit 1; \
	done
	$(BIN)/python -m pytest -n 2 --dist loadfile tests

bench: setup
	$(BIN)/python benchmarks/run.py

# The built-in templates compiled into the package (generator/render/precompiled); run after
# editing a template (tests/generate/test_gen_precompiled.py fails while it is stale).
templates: setup
	$(BIN)/python -m generator.render.precompile

lint: setup
	$(BIN)/ruff check generator tests benchmarks runtime
	$(BIN)/mypy generator
	$(BIN)/mypy --strict runtime/specloom_runtime

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
