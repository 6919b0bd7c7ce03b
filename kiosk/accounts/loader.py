"""How Flask-Login finds the staff member: the session cookie, or an `Authorization: Bearer` token.

A request that sends a bearer token is judged by that token alone, never by a cookie beside it, so
the API's CSRF exemption (for token callers) cannot be borrowed by a cookie session.
"""
from flask import current_app, flash, g, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, user_logged_in

from kiosk.accounts.models import User
from kiosk.accounts.operations import token_row
from kiosk.accounts.passwords import password_change_due
from kiosk.core import clock
from kiosk.core.errors import Forbidden
from kiosk.core.limits import MAX_DB_ID
from kiosk.extensions import db, login_manager

# What someone whose password change is due may still reach: the change itself and the way out.
OPEN_DURING_PASSWORD_CHANGE = {"accounts.change_password", "accounts.logout", "accounts.login",
                               "api.changeOwnPassword", "static", "favicon"}


def _stamp_login(_app, user, **_extra) -> None:
    """A login starts the session's two clocks: since the login, and since the last request."""
    session["login_at"] = session["seen_at"] = clock.now().timestamp()


def _session_still_open() -> bool:
    """Whether this cookie session is within its idle timeout and its absolute lifetime (and, if so,
    count this request as activity)."""
    config = current_app.config
    now = clock.now().timestamp()
    login_at, seen_at = session.get("login_at"), session.get("seen_at")
    if not isinstance(login_at, (int, float)) or not isinstance(seen_at, (int, float)):
        return False  # a session from before these clocks
    if now - login_at > config["KIOSK_SESSION_MAX_HOURS"] * 3600:
        flash(_("Your session ended %(n)d hours after you logged in. Please log in again.",
                n=config["KIOSK_SESSION_MAX_HOURS"]))
        return False
    if now - seen_at > config["KIOSK_SESSION_IDLE_MINUTES"] * 60:
        flash(_("Your session ended after %(n)d minutes without activity. Please log in again.",
                n=config["KIOSK_SESSION_IDLE_MINUTES"]))
        return False
    session["seen_at"] = now
    return True


def _password_change_gate():
    """While a password change is due, everything but the change answers 403 (API) or leads to it."""
    if "Authorization" not in request.headers and current_app.config["SESSION_COOKIE_NAME"] not in request.cookies:
        return None  # an anonymous visitor: leave the session (and Vary: Cookie) untouched
    if request.endpoint in OPEN_DURING_PASSWORD_CHANGE | {None} or not current_user.is_authenticated:
        return None
    if not password_change_due(current_user):
        return None
    if request.blueprint == "api":
        from kiosk.api.registry import OPERATIONS  # (the API imports this module)
        operation = OPERATIONS.get(request.endpoint.removeprefix("api."))
        if operation is None or operation.public:
            return None  # what anyone may read or do (createToken included) stays open
        raise Forbidden(_("Change your password first (changeOwnPassword): it was set by an administrator "
                          "or has expired."), code="password_change_required")
    return redirect(url_for("accounts.change_password"))


def init_login(app):
    user_logged_in.connect(_stamp_login, app)
    app.before_request(_password_change_gate)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = _l("Please log in to see this page.")

    @login_manager.user_loader
    def load_user(session_id: str):
        if "Authorization" in request.headers:
            return None
        user_id, _, generation = str(session_id).partition(":")
        if not (user_id.isdigit() and generation.isdigit()) or int(user_id) > MAX_DB_ID:
            return None
        user = db.session.get(User, int(user_id))
        if user is None or not user.active or str(user.session_generation) != generation:
            return None  # a session from before a logout, password change, role change or deactivation
        if not _session_still_open():
            session.pop("_user_id", None)
            return None
        return user

    @login_manager.request_loader
    def load_from_token(request):
        header = request.headers.get("Authorization", "")
        if not header.startswith("Bearer "):
            return None
        row = token_row(header.removeprefix("Bearer ").strip())
        if row is None:
            return None
        g.token_id = row.id
        return row.user


def authenticated_by_token() -> bool:
    """Whether a valid bearer token (not a cookie) authenticated this request."""
    return g.get("token_id") is not None
