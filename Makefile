# Two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: run test install install-dev lint check-prompts bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

# Re-install only when pyproject.toml changes.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e '.[dev]'
	touch $(VENV)/.installed $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

## run: install, migrate a SQLite database under ./var and serve http://127.0.0.1:8000 (demo mode)
run: install
	SAID_DEMO=1 $(BIN)/said serve

## test: ruff, the layer contracts, the type checker, hadolint on the Dockerfile, the easy-read check of the
## shipped packs, then the whole test suite (which includes tests/wheel_install: the built wheel installed
## and run from a fresh virtualenv)
test: install-dev
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/mypy
	$(BIN)/hadolint Dockerfile
	$(BIN)/said prompts check
	@# pytest exits 5 when it collects no tests; that is not a failure of the code.
	$(BIN)/python -m pytest $(PYTEST_ARGS); rc=$$?; \
	  if [ $$rc -eq 5 ]; then echo "pytest: no tests were collected"; exit 0; fi; exit $$rc

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/mypy
	$(BIN)/hadolint Dockerfile

check-prompts: install
	$(BIN)/said prompts check

bench: install-dev
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache .hypothesis
