from flask import Blueprint, render_template
from flask_babel import lazy_gettext as _l

from kiosk.accounts.models import ROLE_LABELS
from kiosk.accounts.permissions import staff_page
from kiosk.staff import NavItem, add_nav

staff_bp = Blueprint("staff", __name__, url_prefix="/staff", template_folder="templates")

# Each feature adds panels to the dashboard: a function returning (title, template, context) or None.
DASHBOARD_PANELS: list = []


@staff_bp.get("/")
@staff_page()
def dashboard():
    panels = [panel for panel in (make() for make in DASHBOARD_PANELS) if panel]
    return render_template("staff/dashboard.html", panels=panels, role_labels=ROLE_LABELS)


add_nav(NavItem("staff.dashboard", _l("Dashboard"), order=0))
