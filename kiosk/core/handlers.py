"""Every error becomes a clear 4xx: JSON {"error", "message"} under /api, a page elsewhere."""
import logging

from flask import jsonify, render_template, request
from flask_babel import gettext as _
from flask_limiter.errors import RateLimitExceeded
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DataError, OperationalError
from werkzeug.exceptions import HTTPException

from kiosk.core.errors import KioskError
from kiosk.extensions import db

log = logging.getLogger(__name__)

_HTTP_CODES = {400: "invalid", 401: "unauthorized", 403: "forbidden", 404: "not_found",
               405: "method_not_allowed", 409: "conflict", 413: "too_large", 415: "unsupported_media",
               429: "rate_limited", 503: "unavailable"}


def _wants_json() -> bool:
    return request.path.startswith("/api/") or request.accept_mimetypes.best == "application/json"


def error_response(status: int, code: str, message: str, details: dict | None = None,
                   headers: dict | None = None):
    if _wants_json():
        body = {"error": code, "message": message}
        if details:
            body.update(details)
        return jsonify(body), status, headers or {}
    return render_template("error.html", status=status, message=message), status, headers or {}


def register_error_handlers(app):
    @app.errorhandler(KioskError)
    def kiosk_error(error: KioskError):
        db.session.rollback()
        return error_response(error.status, error.code, error.message, error.details, error.headers)

    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError):
        return error_response(400, "csrf", _("The form expired or did not come from this site. "
                                             "Reload the page and try again."))

    @app.errorhandler(RateLimitExceeded)
    def rate_limited(error: RateLimitExceeded):
        return error_response(429, "rate_limited", _("Too many attempts. Wait a few minutes and try again."),
                              headers={"Retry-After": str(error.limit.limit.get_expiry())})

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        messages = {404: _("Nothing is here."), 405: _("That method is not allowed here."),
                    413: _("The upload is too large."), 400: _("The request was not understood.")}
        status = error.code or 500
        # Keep what the exception says about itself, e.g. `Allow` on a 405.
        headers = {name: value for name, value in error.get_headers() if name.lower() != "content-type"}
        return error_response(status, _HTTP_CODES.get(status, "error"), messages.get(status, error.description),
                              headers=headers)

    @app.errorhandler(OverflowError)
    @app.errorhandler(DataError)
    def out_of_range(error: Exception):
        # A number past what the database column holds (an id beyond 64 bits, a count too large):
        # the input is wrong, whichever route let it through.
        db.session.rollback()
        return error_response(400, "invalid", _("A number in the request is out of range."))

    @app.errorhandler(OperationalError)
    def database_unavailable(error: OperationalError):
        db.session.rollback()
        log.exception("database error")
        return error_response(503, "unavailable", _("The database is busy or unreachable. Try again shortly."))

    @app.errorhandler(Exception)
    def unexpected(error: Exception):
        db.session.rollback()
        log.exception("unexpected error on %s %s", request.method, request.path)
        if _wants_json():
            return jsonify({"error": "internal", "message": _("Something went wrong on our side.")}), 500
        return render_template("error.html", status=500, message=_("Something went wrong on our side.")), 500
