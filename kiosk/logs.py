"""The server's log: plain text lines, or with KIOSK_LOG_FORMAT=json one JSON object per line
(python-json-logger) carrying the request's id (X-Request-ID from the proxy, or a new one, sent
back in the answer), the staff user and their unit, for a log collector."""
import logging
import uuid

from flask import g, has_request_context, request
from pythonjsonlogger.json import JsonFormatter

TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
JSON_FIELDS = ["asctime", "levelname", "name", "message"]


class RequestContext(logging.Filter):
    """Adds request_id, user and unit to every record (empty outside a request or logged out)."""

    def filter(self, record):
        record.request_id = record.user = record.unit = None
        if has_request_context():
            from flask_login import current_user
            record.request_id = g.get("request_id")
            if current_user and current_user.is_authenticated:
                record.user = current_user.username
                record.unit = current_user.unit.code if current_user.unit else None
        return True


def handler() -> logging.Handler:
    """Our handler on the root logger, to stderr (made by the first app; later apps set its format)."""
    root = logging.getLogger()
    for existing in root.handlers:
        if existing.get_name() == "kiosk":
            return existing
    made = logging.StreamHandler()
    made.set_name("kiosk")
    root.addHandler(made)
    if root.level == logging.NOTSET or root.level > logging.INFO:
        root.setLevel(logging.INFO)
    return made


def configure(app) -> None:
    ours = handler()
    if app.config["KIOSK_LOG_FORMAT"] == "json":
        ours.setFormatter(JsonFormatter(JSON_FIELDS + ["request_id", "user", "unit"],
                                        rename_fields={"levelname": "level", "name": "logger", "asctime": "time"},
                                        json_ensure_ascii=False))
        if not any(isinstance(f, RequestContext) for f in ours.filters):
            ours.addFilter(RequestContext())
    else:
        ours.setFormatter(logging.Formatter(TEXT_FORMAT))
    app.before_request(_take_request_id)
    app.after_request(_send_request_id)


def _take_request_id():
    offered = request.headers.get("X-Request-ID", "")
    g.request_id = offered[:64] if offered.isprintable() and offered else uuid.uuid4().hex


def _send_request_id(response):
    if "request_id" in g:
        response.headers["X-Request-ID"] = g.request_id
    return response
