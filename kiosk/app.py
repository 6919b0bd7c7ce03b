"""The application factory."""
import importlib
import importlib.util
import os
from pathlib import Path

from flask import Flask, send_from_directory
from werkzeug.middleware.proxy_fix import ProxyFix

from kiosk.config import load_config
from kiosk.core import clock
from kiosk.core.cookies import SessionCookies
from kiosk.core.limits import apply_input_limits
from kiosk.extensions import babel, csrf, db, limiter, login_manager, socketio
from kiosk.i18n import remember_locale, select_locale, translation_directories
from kiosk import logs
from kiosk.launch import socketio_mode

# Feature packages. Each has register(app), which adds its blueprints and imports its API module
# (attaching its operations to the shared API blueprint, registered last).
FEATURES = (
    "kiosk.health",
    "kiosk.metrics",
    "kiosk.backups",
    "kiosk.events",
    "kiosk.accounts",
    "kiosk.audit",
    "kiosk.staff",
    "kiosk.qr",
    "kiosk.workdays",
    "kiosk.disclosures",
    "kiosk.screens",
    "kiosk.queue",
    "kiosk.public",
    "kiosk.proof",
    "kiosk.incidents",
    "kiosk.privacy",
    "kiosk.render",
    "kiosk.touch",
    "kiosk.broadcast",
    "kiosk.video",
    "kiosk.applications",
    "kiosk.reports",
    "kiosk.villages",
    "kiosk.consultation",
    "kiosk.surveys",
    "kiosk.cards",
)


def create_app(overrides: dict | None = None) -> Flask:
    instance_path = os.environ.get("KIOSK_INSTANCE_PATH")
    app = Flask(__name__, instance_path=str(Path(instance_path).resolve()) if instance_path else None,
                instance_relative_config=True)
    app.config.update(load_config(Path(app.instance_path)))
    app.config.update(overrides or {})
    app.session_interface = SessionCookies()
    apply_input_limits(app)
    if app.config["KIOSK_TRUSTED_PROXIES"]:
        # Behind nginx/Caddy: take the visitor's address and scheme from the proxy's headers, so
        # rate limits count visitors, not the proxy.
        hops = app.config["KIOSK_TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = translation_directories()
    app.config.setdefault("RATELIMIT_STORAGE_URI", app.config["KIOSK_REDIS_URL"] or "memory://")
    app.config.setdefault("RATELIMIT_HEADERS_ENABLED", True)
    logs.configure(app)

    import kiosk.models  # noqa: F401  (register every table before anything touches the database)

    _import_socket_handlers()
    db.init_app(app)
    csrf.init_app(app)
    limiter.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    login_manager.init_app(app)
    # SocketIO.init_app keeps options between calls; drop a previous app's Redis manager.
    socketio.server_options.pop("client_manager", None)
    socketio.init_app(app, message_queue=app.config["KIOSK_REDIS_URL"], channel=app.config["KIOSK_REDIS_CHANNEL"],
                      async_mode=socketio_mode(app.config["KIOSK_ASYNC_MODE"]),
                      # Pages we serve connect from their own origin, whatever address the screen
                      # used (public name or LAN IP); other sites' pages may not.
                      cors_allowed_origins=None)

    from kiosk.accounts.loader import init_login
    from kiosk.api import register_api
    from kiosk.core.handlers import register_error_handlers
    from kiosk.events import bus_for

    app.extensions["kiosk_bus"] = bus_for(app, socketio)
    init_login(app)
    register_error_handlers(app)
    app.after_request(remember_locale)
    _register_template_helpers(app)
    _register_favicon(app)
    for name in FEATURES:
        importlib.import_module(name).register(app)
    register_api(app)
    return app


def _register_favicon(app: Flask) -> None:
    """Browsers ask every site for /favicon.ico; staff and public pages link the same picture."""
    app.add_url_rule("/favicon.ico", "favicon", lambda: send_from_directory(
        app.static_folder, "favicon.svg", mimetype="image/svg+xml", max_age=86400))


def _import_socket_handlers() -> None:
    """Import every feature's `sockets.py` before SocketIO.init_app: Flask-SocketIO only keeps
    handlers declared before its first init_app for the servers of later apps (one per test)."""
    for name in FEATURES:
        if importlib.util.find_spec(f"{name}.sockets") is not None:
            importlib.import_module(f"{name}.sockets")


def _register_template_helpers(app: Flask) -> None:
    from flask_babel import format_datetime, get_locale

    @app.template_filter("localtime")
    def localtime(moment, fmt="yyyy-MM-dd HH:mm"):
        return "" if moment is None else format_datetime(moment, fmt)

    @app.context_processor
    def inject():
        return {"current_locale": str(get_locale()), "local_now": clock.local_now}
