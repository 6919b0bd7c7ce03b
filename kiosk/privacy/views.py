"""The editors' guide to the privacy gate (linked from the notice form)."""
from flask import Blueprint, current_app, render_template

from kiosk.accounts.permissions import staff_page
from kiosk.privacy.detectors import MAX_DIGITS
from kiosk.privacy.gate import mask_rule

privacy_bp = Blueprint("privacy", __name__, url_prefix="/staff/privacy", template_folder="templates")


@privacy_bp.get("/guide")
@staff_page()
def guide():
    rule = mask_rule()
    config = current_app.config
    return render_template("privacy/guide.html", max_digits=MAX_DIGITS, id_head=rule.id_head, id_tail=rule.id_tail,
                           check_memory_mb=config["KIOSK_CHECK_MEMORY_MB"], check_seconds=config["KIOSK_CHECK_SECONDS"],
                           check_pages=config["KIOSK_CHECK_MAX_PAGES"])
