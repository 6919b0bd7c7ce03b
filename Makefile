# Two commands: `make run` serves a demo township on SQLite; `make test` runs the whole suite.
VENV ?= .venv
PYTHON ?= python3
PY := $(VENV)/bin/python
KIOSK := $(VENV)/bin/kiosk
export KIOSK_INSTANCE_PATH ?= $(CURDIR)/instance
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: run test install install-test messages clean

$(VENV)/bin/activate:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

display/node_modules/.package-lock.json: display/package.json display/package-lock.json
	cd display && npm ci --no-audit --no-fund --loglevel=error

$(VENV)/.installed: $(VENV)/bin/activate pyproject.toml display/node_modules/.package-lock.json
	$(PY) -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test

run: install
	$(KIOSK) db upgrade
	$(KIOSK) demo --if-empty
	$(KIOSK) serve --host $(HOST) --port $(PORT)

# AT="2026-12-31 23:58:00" runs the suite with the machine's clock moved there (libfaketime, in the
# time zone TZ or the machine's); the clock runs on from it, and the servers the tests start share it.
# tests/faketime/sitecustomize.py works around libfaketime 0.9.10's broken sleep for Python 3.11.
# FAKETIME_FORCE_MONOTONIC_FIX=0: the monotonic clock is not faked, so its condition variables need no
# translating, and libfaketime's translation made every wait for Python's GIL overrun: two threads
# ran 8-15 times slower than one after the other, and the threaded SQLite tests outwaited busy_timeout.
FAKETIME_RUN = PYTHONPATH=$(CURDIR)/tests/faketime FAKETIME_DONT_FAKE_MONOTONIC=1 FAKETIME_FORCE_MONOTONIC_FIX=0 faketime "$(AT)"
test: install-test
	$(if $(AT),$(FAKETIME_RUN)) $(PY) -m pytest -n 2 --durations=15 $(PYTEST_ARGS)

messages: install
	$(PY) -m kiosk.catalogs update


clean:
	rm -rf $(VENV) display/node_modules instance build *.egg-info
