"""The editors' guide to the privacy gate (linked from the notice form)."""
from flask import Blueprint, render_template

from kiosk.accounts.permissions import staff_page
from kiosk.privacy.detectors import MAX_DIGITS

privacy_bp = Blueprint("privacy", __name__, url_prefix="/staff/privacy", template_folder="templates")


@privacy_bp.get("/guide")
@staff_page()
def guide():
    return render_template("privacy/guide.html", max_digits=MAX_DIGITS)
