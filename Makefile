# specloom: every target sets itself up from nothing (venv + pip), so a fresh clone needs only
# `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
PKG    := orchestra

export PYTHONDONTWRITEBYTECODE := 1

.PHONY: setup demo test test-tool test-generated generate check validate plan bench lint clean

setup: $(STAMP)

$(STAMP): pyproject.toml runtime/pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e 'runtime[nats]' --config-settings editable_mode=compat
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

# Each generated system is its own project (own package, own impl/): its tests run in their own
# pytest process. The tool's own tests run last.
test: setup
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
	$(BIN)/python -m pytest tests

bench: setup
	$(BIN)/python benchmarks/run.py

lint: setup
	$(BIN)/ruff check generator tests benchmarks runtime
	$(BIN)/mypy generator
	$(BIN)/mypy --strict runtime/specloom_runtime

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
