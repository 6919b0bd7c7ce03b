"""The demo township on a fresh SQLite database, served on a thread: what the scripts that take the
README's screenshots drive Chromium against (docs/*screenshot*.py, display/touch/screenshots.py,
kiosk/applications/screenshots.py). Werkzeug's threaded server: fine for one browser, never for
production (that is `kiosk serve`)."""
import os
import threading
from pathlib import Path

from flask import Flask
from werkzeug.serving import BaseWSGIServer, make_server

from kiosk.app import create_app
from kiosk.core.migrate import upgrade
from kiosk.demo.loader import load_demo


def demo_app(instance: Path) -> Flask:
    """A new app whose instance folder (database, uploads) is `instance`, the demo loaded in it."""
    os.environ["KIOSK_INSTANCE_PATH"] = str(instance)
    app = create_app()
    with app.app_context():
        upgrade()
        load_demo()
    return app


def serve_in_background(app: Flask) -> tuple[BaseWSGIServer, str]:
    """(server, its base URL) on a free port of 127.0.0.1; the thread ends with the process."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_port}"
