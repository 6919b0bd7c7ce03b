from flask import Blueprint, render_template, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from kiosk.accounts.permissions import staff_page
from kiosk.audit.chain import verify
from kiosk.audit.queries import entries_visible_to
from kiosk.staff import NavItem, add_nav

audit_bp = Blueprint("audit", __name__, url_prefix="/staff/audit", template_folder="templates")


@audit_bp.get("/")
@staff_page()
def audit_log():
    before = request.args.get("before", type=int)
    entries = entries_visible_to(current_user, before_id=before, action=request.args.get("action") or None)
    return render_template("audit/log.html", entries=entries, chain=verify())


add_nav(NavItem("audit.audit_log", _l("Audit log"), order=90))
