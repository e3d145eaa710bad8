# memdiff: the two set-up commands of the README, and the developer's others.
# Every target creates the virtual environment it needs, so a fresh clone
# needs nothing but Python 3.11+ and make.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
TSTAMP := $(VENV)/.installed-test

.PHONY: demo test bench validate bundle clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# memdiff/__init__.py holds the version the installed metadata must repeat (the bundle's check).
$(STAMP): pyproject.toml memdiff/__init__.py | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(TSTAMP): pyproject.toml memdiff/__init__.py | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@ $(STAMP)

## make demo: install and run the bundled sample case
demo: $(STAMP)
	$(BIN)/memdiff demo

## make test: install with the test extras and run every test
test: $(TSTAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest

## make bench: the speed and accuracy benchmarks (prints ratios, asserts nothing)
bench: $(TSTAMP)
	$(BIN)/python benchmarks/run_all.py

## make validate: the validation study (docs/VALIDATION.md, resources/validation.json)
validate: $(TSTAMP)
	$(BIN)/python benchmarks/validation.py

## make bundle: the one-folder desktop bundle in dist/memdiff (PyInstaller)
bundle: $(TSTAMP)
	$(BIN)/pyinstaller --noconfirm --clean --distpath dist --workpath build/pyinstaller packaging/pyinstaller/memdiff.spec

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache
