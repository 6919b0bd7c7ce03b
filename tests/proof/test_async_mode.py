"""KIOSK_ASYNC_MODE chooses how `kiosk serve` serves Socket.IO; a wrong value is a clear error."""
import os
import subprocess
import sys
from pathlib import Path

KIOSK = str(Path(sys.executable).with_name("kiosk"))


def test_an_unknown_async_mode_is_refused_with_exit_code_2(tmp_path):
    env = {**os.environ, "KIOSK_INSTANCE_PATH": str(tmp_path), "KIOSK_ASYNC_MODE": "eventlet"}
    done = subprocess.run([KIOSK, "db", "upgrade"], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert "KIOSK_ASYNC_MODE must be 'threading' or 'gevent'" in done.stderr
    assert "Traceback" not in done.stderr


def test_the_mode_reaches_the_socketio_server(make_app, migrated_db, monkeypatch):
    monkeypatch.setenv("KIOSK_ASYNC_MODE", "threading")
    app = make_app(migrated_db)
    assert app.config["KIOSK_ASYNC_MODE"] == "threading"
    assert app.extensions["socketio"].server.eio.async_mode == "threading"
