"""How Flask-Login finds the staff member: the session cookie, or an `Authorization: Bearer` token.

A request that sends a bearer token is judged by that token alone, never by a cookie beside it, so
the API's CSRF exemption (for token callers) cannot be borrowed by a cookie session.
"""
from flask import g, request
from flask_babel import lazy_gettext as _l

from kiosk.accounts.models import User
from kiosk.accounts.operations import token_row
from kiosk.core.limits import MAX_DB_ID
from kiosk.extensions import db, login_manager


def init_login(app):
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
