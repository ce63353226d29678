# The two commands of a fresh machine: `make demo` and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint eval golden bench locale clean

$(BIN)/python:
	$(PY) -m venv $(VENV)

# Editable install in compat mode: a plain path in a .pth, not setuptools' import-hook finder
# (~10-20 ms of every start; docs/performance.md); the default mode should a setuptools drop it.
$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]' --config-settings editable_mode=compat \
		|| $(BIN)/pip install -q -e '.[test]'
	touch $(STAMP)

demo: $(STAMP)
	bash scripts/demo.sh

test: $(STAMP)
	bash scripts/setup-ci-tools.sh
	$(BIN)/pytest

lint: $(STAMP)
	$(BIN)/ruff check jiuzhu tests bench
	$(BIN)/mypy jiuzhu

eval: $(STAMP)
	$(BIN)/python bench/assign_eval.py tests/data/assign-dev.yaml tests/data/assign-holdout.yaml tests/data/assign-precision.yaml

golden: $(STAMP)
	JIUZHU_UPDATE_GOLDEN=1 $(BIN)/pytest tests -k golden

bench: $(STAMP)
	$(BIN)/python bench/run.py --tasks 10000

# Chinese for click's and typer's own messages: edit jiuzhu/locale/zh_CN/LC_MESSAGES/jiuzhu.po, then this.
locale: $(STAMP)
	$(BIN)/python scripts/compile-locale.py

clean:
	rm -rf $(VENV) out .pytest_cache
