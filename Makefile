# matchmaker: the everyday commands. `make run` and `make test` work on a fresh clone:
# both start with scripts/bootstrap.sh, which creates .venv and installs what is missing.
SHELL := /bin/bash
PORT ?= 5000
BIN := .venv/bin
FLASK := $(BIN)/flask --app wsgi
PYTEST_ARGS ?=
# Type-check only the packages that already hold Python files.
MYPY_PATHS := $(foreach d,matchmaker search workers config tooling,$(if $(wildcard $(d)/*.py $(d)/*/*.py),$(d)))

.PHONY: venv run test lint worker bench clean

venv:
	@bash scripts/bootstrap.sh

# The demo's sentence embeddings are computed by the embedded scheduler's embed-listings job once
# the server is up (a few minutes on one core the first time, seconds from the content-hash cache
# in instance/ after that; matches are re-ranked as they land); no request waits for them.
run: venv
	$(FLASK) db upgrade
	$(FLASK) seed-demo
	EMBEDDED_SCHEDULER=1 PUBLIC_BASE_URL="$${PUBLIC_BASE_URL:-http://127.0.0.1:$(PORT)}" \
	  $(FLASK) run --host 127.0.0.1 --port $(PORT)

# Under CI=true (or MATCHMAKER_INSTALL_SERVERS=1) bootstrap also installs postgresql and
# redis-server. pytest's exit 5 (no tests collected) is a failure here, not a quiet pass.
test: venv
	@rc=0; $(BIN)/pytest $(PYTEST_ARGS) || rc=$$?; \
	if [ $$rc = 5 ]; then echo "make test: pytest collected no tests (exit 5)"; fi; \
	exit $$rc

# Runs every check even when an earlier one fails, so one run shows all problems.
lint: venv
	@rc=0; \
	echo "ruff check ."; $(BIN)/ruff check . || rc=1; \
	echo "ruff format --check ."; $(BIN)/ruff format --check . || rc=1; \
	if [ -n "$(MYPY_PATHS)" ]; then echo "mypy $(MYPY_PATHS)"; $(BIN)/mypy $(MYPY_PATHS) || rc=1; fi; \
	exit $$rc

worker: venv
	$(BIN)/python -m workers.run

bench: venv
	@found=0; for f in benchmarks/*.py; do \
	  [ -e "$$f" ] || continue; \
	  case "$${f##*/}" in _*|conftest.py) continue;; esac; \
	  found=1; echo "== $$f"; PYTHONPATH=. $(BIN)/python "$$f" || exit $$?; \
	done; \
	[ $$found = 1 ] || echo "bench: no benchmarks/*.py yet"

clean:
	find . -path ./.venv -prune -o -name __pycache__ -type d -prune -exec rm -rf {} +
	rm -rf .pytest_cache .mypy_cache .ruff_cache build dist *.egg-info benchmarks/out
