"""How Flask-Login finds the staff member: the session cookie, or an `Authorization: Bearer` token."""
from flask_babel import lazy_gettext as _l

from kiosk.accounts.models import User
from kiosk.accounts.operations import user_for_token
from kiosk.extensions import db, login_manager


def init_login(app):
    login_manager.login_view = "accounts.login"
    login_manager.login_message = _l("Please log in to see this page.")

    @login_manager.user_loader
    def load_user(user_id: str):
        user = db.session.get(User, int(user_id))
        return user if user and user.active else None

    @login_manager.request_loader
    def load_from_token(request):
        header = request.headers.get("Authorization", "")
        if not header.startswith("Bearer "):
            return None
        return user_for_token(header.removeprefix("Bearer ").strip())
