"""One scheduler: embedded in the server, or only in `kiosk scheduler` when external."""
import logging
import subprocess
import threading
import time
from datetime import datetime, timedelta, timezone

import pytest
import requests

from kiosk import scheduling
from kiosk.scheduling import runner
from tests.conftest import free_port
from tests.kiosk_command import KIOSK, kiosk_env



def _serve_and_read_health(instance, mode):
    env = kiosk_env(instance, KIOSK_SCHEDULER=mode)
    subprocess.run(KIOSK + ["db", "upgrade"], env=env, check=True, capture_output=True)
    port = free_port()
    server = subprocess.Popen(KIOSK + ["serve", "--port", str(port)], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60  # a loaded CI machine starts slowly
        while time.monotonic() < deadline:
            try:
                return requests.get(f"http://127.0.0.1:{port}/healthz", timeout=5).json()
            except (requests.ConnectionError, requests.Timeout):  # not listening yet, or busy starting
                time.sleep(0.2)
        pytest.fail("server did not start: " + server.stdout.read1().decode())
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_server_runs_no_scheduler_when_external(tmp_path):
    health = _serve_and_read_health(tmp_path, "external")
    assert health["scheduler"] == {"mode": "external", "running_here": False}


def test_server_runs_the_scheduler_when_embedded(tmp_path):
    health = _serve_and_read_health(tmp_path, "embedded")
    assert health["scheduler"] == {"mode": "embedded", "running_here": True}


def test_scheduler_command_refuses_when_embedded(tmp_path):
    result = subprocess.run(KIOSK + ["scheduler"], env=kiosk_env(tmp_path, KIOSK_SCHEDULER="embedded"),
                            capture_output=True, text=True, timeout=30)
    assert result.returncode == 2
    assert result.stderr.strip().startswith("kiosk: error:") and len(result.stderr.strip().splitlines()) == 1


def test_bad_scheduler_mode_is_a_usage_error(tmp_path):
    result = subprocess.run(KIOSK + ["db", "upgrade"], env=kiosk_env(tmp_path, KIOSK_SCHEDULER="sometimes"),
                            capture_output=True, text=True, timeout=30)
    assert result.returncode == 2 and "KIOSK_SCHEDULER" in result.stderr


def test_only_one_scheduler_holds_the_lease(app, monkeypatch):
    now = datetime(2026, 11, 3, 1, 0, tzinfo=timezone.utc)
    monkeypatch.setattr(runner, "_wall_now", lambda: now)
    with app.app_context():
        monkeypatch.setattr(runner, "_holder", "box-a")
        assert runner.take_lease() is True
        monkeypatch.setattr(runner, "_holder", "box-b")
        assert runner.take_lease() is False  # a second scheduler waits
        now += timedelta(seconds=runner.LEASE_SECONDS + 1)
        assert runner.take_lease() is True  # box-a went silent: box-b takes over
        monkeypatch.setattr(runner, "_holder", "box-a")
        assert runner.take_lease() is False


def test_registered_jobs_run_in_an_app_context(app, monkeypatch):
    ran = threading.Event()
    seen = {}

    def probe():
        from flask import current_app
        seen["app"] = current_app.name
        ran.set()

    monkeypatch.setattr(runner, "_JOBS", {})
    scheduling.job("test.probe", "interval", seconds=1)(probe)
    scheduler = scheduling.start(app)
    try:
        assert ran.wait(10), "the job never ran"
        assert seen["app"] == app.name
    finally:
        scheduler.shutdown(wait=False)
        runner._running = None


def test_routine_runs_stay_out_of_the_info_log(app, monkeypatch, caplog):
    """A job every second that mostly finds nothing to do: its routine runs log at DEBUG only, a run
    that changes something says what at INFO, and a failing run is an ERROR with its traceback."""
    outcomes = iter([None, None, "2 notices started", None, RuntimeError("database went away")] + [None] * 50)
    done = threading.Event()

    def sometimes():
        outcome = next(outcomes)
        if isinstance(outcome, Exception):
            done.set()
            raise outcome
        return outcome

    monkeypatch.setattr(runner, "_JOBS", {})
    scheduling.job("test.sometimes", "interval", seconds=1)(sometimes)
    with caplog.at_level(logging.DEBUG):
        scheduler = scheduling.start(app)
        try:
            assert done.wait(20), "the job never failed"
            time.sleep(0.5)
        finally:
            scheduler.shutdown(wait=True)
            runner._running = None
    info = [r.getMessage() for r in caplog.records if r.levelno == logging.INFO]
    assert [m for m in info if "sometimes" in m] == ["sometimes: 2 notices started"]
    assert not [m for m in info if "executed successfully" in m or "Running job" in m]
    assert info == [m for m in info if "scheduler started" in m or "lease" in m or "sometimes" in m]
    assert [r.getMessage() for r in caplog.records if r.levelno == logging.ERROR] == ["scheduled job sometimes failed"]
    assert sum("sometimes: nothing to do" in r.getMessage() for r in caplog.records if r.levelno == logging.DEBUG) >= 2
