"""QR codes for links under KIOSK_PUBLIC_URL (notices, tickets, complaint pages), as PNG or SVG.

Pictures for the renderer (`qr_image` with a size) choose their error correction for the room they
have: the highest level whose modules stay at least `min_module` pixels wide, so a small code on an
e-paper board stays readable and a large one survives scratches; a township logo in the middle
(KIOSK_QR_LOGO) always takes level H, which restores the modules it covers. The quiet zone of four
modules is always kept.

Only links to our own public site are drawn: /qr/<path>.png renders the QR of
KIOSK_PUBLIC_URL + "/" + path, so the endpoint cannot be used to brand arbitrary URLs.

Every code encodes `scanned_link(link)`: a link to our own site carries the marker `?qr`, so a visit
through a code is told from a typed or clicked one (kiosk/public/visits.py) while the page served is
the same and the address printed in text stays the plain one.
"""
import io
from functools import lru_cache

import qrcode
import qrcode.image.svg
from PIL import Image
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


SCAN_MARKER = "qr"


def scanned_link(link: str) -> str:
    """What a QR code for `link` encodes. Our own pages get the marker `?qr` (`&qr` after a query,
    before a fragment): the page ignores it, so a code once printed keeps working for as long as the
    page does; only the visit counter reads it. Links elsewhere (12388, tel:) are encoded unchanged:
    we cannot count visits to other sites."""
    base = current_app.config["KIOSK_PUBLIC_URL"]
    if not link.startswith((base + "/", base + "?")) and link != base:
        return link
    address, hash_sign, fragment = link.partition("#")
    return f"{address}{'&' if '?' in address else '?'}{SCAN_MARKER}{hash_sign}{fragment}"


def _code(link: str) -> qrcode.QRCode:
    # Level M survives a scratched or sun-bleached print; border 2 is enough on a white card.
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=10, border=2)
    code.add_data(link)
    code.make(fit=True)
    return code


def qr_png(link: str) -> bytes:
    return _png(scanned_link(link))


def qr_svg(link: str) -> bytes:
    return _svg(scanned_link(link))


@lru_cache(maxsize=2048)
def _png(text: str) -> bytes:
    code = _code(text)
    buffer = io.BytesIO()
    code.make_image().save(buffer, format="PNG")
    return buffer.getvalue()


@lru_cache(maxsize=2048)
def _svg(text: str) -> bytes:
    buffer = io.BytesIO()
    _code(text).make_image(image_factory=qrcode.image.svg.SvgPathImage).save(buffer)
    return buffer.getvalue()


QUIET_ZONE = 4
# From the most to the least redundant: H restores 30 % of the modules, L 7 %.
LEVELS = (qrcode.constants.ERROR_CORRECT_H, qrcode.constants.ERROR_CORRECT_Q,
          qrcode.constants.ERROR_CORRECT_M, qrcode.constants.ERROR_CORRECT_L)
LEVEL_NAMES = dict(zip(LEVELS, "HQML"))
LOGO_SHARE = 0.22   # of the code's width: well inside what level H restores


def fitted_code(link: str, pixels: int, min_module: int = 4, with_logo: bool = False) -> tuple[qrcode.QRCode, int]:
    """The code for `link` in a square of `pixels` and its module size: the most error correction
    that keeps modules at least `min_module` pixels (level H when a logo covers the middle)."""
    for level in LEVELS[:1] if with_logo else LEVELS:
        code = qrcode.QRCode(error_correction=level, box_size=1, border=QUIET_ZONE)
        code.add_data(link)
        code.best_fit()      # only the version: the masks are worked out once, for the level chosen
        module = pixels // (code.version * 4 + 17 + 2 * QUIET_ZONE)
        if module >= min_module:
            break
    code.make()
    return code, max(1, module)


@lru_cache(maxsize=4)
def township_logo(path: str | None) -> Image.Image | None:
    """The logo set in KIOSK_QR_LOGO, or None."""
    if not path:
        return None
    with Image.open(path) as picture:
        return picture.convert("RGBA").copy()


def qr_image(link: str, pixels: int | None = None, min_module: int = 4, logo_path: str | None = None):
    """A Pillow image of the QR code for `link`, for drawing onto cards, tickets and print sheets: at
    most `pixels` wide (whole pixels per module, so it stays crisp), with the logo file `logo_path` in
    the middle. Cached: callers paste it and never change it."""
    return code_image(scanned_link(link), pixels, min_module, logo_path)


@lru_cache(maxsize=512)
def code_image(text: str, pixels: int | None = None, min_module: int = 4, logo_path: str | None = None):
    """The picture of a code holding exactly `text` (`qr_image` without the scan marker)."""
    if pixels is None:
        return _code(text).make_image().get_image()
    logo = township_logo(logo_path)
    code, module = fitted_code(text, pixels, min_module, with_logo=logo is not None)
    code.box_size = module
    picture = code.make_image().get_image().convert("L")
    if logo is not None:
        side = int((code.modules_count * module) * LOGO_SHARE)
        mark = Image.alpha_composite(Image.new("RGBA", logo.size, "white"), logo.convert("RGBA")).convert("L")
        mark.thumbnail((side, side))
        pad = max(2, module)
        backing = Image.new("L", (mark.width + 2 * pad, mark.height + 2 * pad), 255)
        backing.paste(mark, (pad, pad))
        picture.paste(backing, ((picture.width - backing.width) // 2, (picture.height - backing.height) // 2))
    return picture


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
