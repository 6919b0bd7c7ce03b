"""QR codes for links under KIOSK_PUBLIC_URL (notices, tickets, complaint pages), as PNG or SVG.

Only links to our own public site are drawn: /qr/<path>.png renders the QR of
KIOSK_PUBLIC_URL + "/" + path, so the endpoint cannot be used to brand arbitrary URLs.
"""
import io
from functools import lru_cache

import qrcode
import qrcode.image.svg
from flask import Blueprint, Response, current_app
from flask_babel import gettext as _
from flask_login import current_user

from kiosk.accounts.models import Role
from kiosk.core.errors import InvalidInput
from kiosk.staff.views import DASHBOARD_PANELS

qr_bp = Blueprint("qr", __name__, template_folder="templates")
MAX_LINK_LENGTH = 512


def public_url(path: str) -> str:
    """The absolute public link for a path on our site, the base of every QR code."""
    return f"{current_app.config['KIOSK_PUBLIC_URL']}/{path.lstrip('/')}"


def _code(link: str) -> qrcode.QRCode:
    # Level M survives a scratched or sun-bleached print; border 2 is enough on a white card.
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=10, border=2)
    code.add_data(link)
    code.make(fit=True)
    return code


@lru_cache(maxsize=2048)
def qr_png(link: str) -> bytes:
    code = _code(link)
    buffer = io.BytesIO()
    code.make_image().save(buffer, format="PNG")
    return buffer.getvalue()


@lru_cache(maxsize=2048)
def qr_svg(link: str) -> bytes:
    buffer = io.BytesIO()
    _code(link).make_image(image_factory=qrcode.image.svg.SvgPathImage).save(buffer)
    return buffer.getvalue()


def qr_image(link: str):
    """A Pillow image of the QR code, for drawing onto cards, tickets and print sheets."""
    return _code(link).make_image().get_image()


def _checked_path(path: str) -> str:
    if len(path) > MAX_LINK_LENGTH or "://" in path or path.startswith("/"):
        raise InvalidInput(_("A QR code can only link to a page of this site."))
    return path


@qr_bp.get("/qr/<path:path>.png")
def qr_png_view(path):
    return Response(qr_png(public_url(_checked_path(path))), mimetype="image/png",
                    headers={"Cache-Control": "public, max-age=86400"})


@qr_bp.get("/qr/<path:path>.svg")
def qr_svg_view(path):
    return Response(qr_svg(public_url(_checked_path(path))), mimetype="image/svg+xml",
                    headers={"Cache-Control": "public, max-age=86400"})


def _dashboard_panel():
    """The address every QR code and public link starts with, and why it may be wrong."""
    warnings = current_app.config.get("KIOSK_PUBLIC_URL_WARNINGS", [])
    if not (warnings or current_user.has_role(Role.administrator)):
        return None
    return {"title": _("Public links"), "template": "qr/dashboard_panel.html",
            "base": current_app.config["KIOSK_PUBLIC_URL"], "warnings": warnings}


DASHBOARD_PANELS.append(_dashboard_panel)


def register(app):
    app.register_blueprint(qr_bp)
