"""Nightly checked backups with retention (operations.py), and their alert on the staff dashboard."""
from flask import Blueprint
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from kiosk.accounts.models import Role
from kiosk.staff.views import DASHBOARD_PANELS


def _dashboard_panel():
    """Administrators see a failed or missing backup."""
    from kiosk.backups.operations import open_alerts
    if not current_user.has_role(Role.administrator):
        return None
    alerts = open_alerts()
    return {"title": _l("Backups"), "template": "backups/dashboard_panel.html", "alerts": alerts} if alerts else None


DASHBOARD_PANELS.append(_dashboard_panel)
backups_bp = Blueprint("backups", __name__, template_folder="templates")   # the panel's template


def register(app):
    from kiosk.backups import jobs  # noqa: F401  (the nightly job)
    app.register_blueprint(backups_bp)
