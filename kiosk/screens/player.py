"""What a screen's browser opens: pairing, the player shell and its files, its state, images, reports."""
from flask import Blueprint, Response, jsonify, redirect, render_template, request, send_file, send_from_directory, \
    url_for
from flask_babel import gettext as _
from sqlalchemy import select

from kiosk.core.cookies import set_cookie
from kiosk.core.errors import NotFound, Unauthorized
from kiosk.extensions import csrf, db
from kiosk.org.models import Unit, UnitKind
from kiosk.paths import DISPLAY_DIR
from kiosk.qr import qr_png
from kiosk.screens import commands, providers
from kiosk.screens.devices import HEADER, current_screen, screen_for_token, screen_required, set_token_cookie
from kiosk.screens.images import image_path
from kiosk.screens.models import Screen, ScreenKind, Slide, SlideImage, SlideKind
from kiosk.screens.operations import claim_pairing, start_pairing
from kiosk.screens.reports import record_reports
from kiosk.screens.state import _hall_for, player_state

player_bp = Blueprint("screen_player", __name__, url_prefix="/display", template_folder="templates")
# Screens authenticate with their device token, not a login session; the one write (reports)
# requires the token in a header, which another site cannot make a browser send.
csrf.exempt(player_bp)

PLAYER_DIR = DISPLAY_DIR / "player"
VENDOR_DIR = DISPLAY_DIR / "node_modules" / "socket.io-client" / "dist"
PAIRING_COOKIE = "kiosk_pairing"
NO_STORE = {"Cache-Control": "no-store"}


@player_bp.get("/")
def pairing_page():
    """A browser that is not a screen yet shows a six-digit code for a screen manager to enter."""
    if current_screen() is not None:
        return redirect(url_for(".player"))
    secret = request.cookies.get(PAIRING_COOKIE)
    token, pairing = claim_pairing(secret) if secret else (None, None)
    if pairing is None:
        pairing, secret = start_pairing()
    db.session.commit()
    response = Response(render_template("screens/pairing.html", code=pairing.code, token=token), headers=NO_STORE)
    set_cookie(response, PAIRING_COOKIE, secret, max_age=1800)
    return set_token_cookie(response, token) if token else response


@player_bp.get("/pairing")
def pairing_status():
    """Polled by the pairing page: the device token once a manager has entered the code."""
    secret = request.cookies.get(PAIRING_COOKIE)
    token, pairing = claim_pairing(secret) if secret else (None, None)
    db.session.commit()
    if pairing is None:
        return jsonify({"paired": False, "expired": True}), 410
    if token is None:
        return jsonify({"paired": False, "code": pairing.code})
    response = jsonify({"paired": True, "token": token, "player": url_for(".player")})
    return set_token_cookie(response, token)


@player_bp.get("/activate/<token>")
def activate(token):
    """The player URL createScreen returns: this browser becomes the screen."""
    screen = screen_for_token(token)
    if screen is None:
        return render_template("screens/not_registered.html"), 404
    response = redirect(url_for(".player", token=token))
    return set_token_cookie(response, token)


def board_hall(screen: Screen | None) -> Unit | None:
    """The hall whose queue a hall-board screen shows: its own unit, or its township's hall."""
    if screen is None or screen.kind != ScreenKind.hall_board:
        return None
    return screen.unit if screen.unit.kind == UnitKind.hall else _hall_for(screen, None)


@player_bp.get("/player")
def player():
    """The player shell: the same page for every screen (so the service worker can keep it);
    the screen's own content comes from /display/state. A hall board opens its hall's call board
    instead, which plays the screen's notices between calls; a touch kiosk opens the kiosk app."""
    screen = current_screen()
    hall = board_hall(screen)
    # The device token of a first visit goes along: the board and the kiosk keep it as the player would.
    if hall is not None:
        return redirect(url_for("queue_public.board", code=hall.code, token=request.args.get("token")), code=303)
    if screen is not None and screen.kind == ScreenKind.touch_kiosk:
        return redirect(url_for("touch.home", token=request.args.get("token")), code=303)
    return Response(render_template("screens/player.html"), headers=NO_STORE)


@player_bp.get("/sw.js")
def service_worker():
    response = send_from_directory(PLAYER_DIR, "sw.js", mimetype="text/javascript", max_age=0)
    response.headers["Service-Worker-Allowed"] = "/display/"
    return response


@player_bp.get("/files/<path:name>")
def player_file(name):
    return send_from_directory(PLAYER_DIR, name, max_age=0)


@player_bp.get("/vendor/socket.io.min.js")
def socketio_client():
    return send_from_directory(VENDOR_DIR, "socket.io.min.js", mimetype="text/javascript", max_age=86400)


@player_bp.get("/state")
@screen_required()
def state(screen):
    return jsonify(player_state(screen)), 200, NO_STORE


@player_bp.get("/images/<int:image_id>")
@screen_required()
def image(image_id, screen):
    picture = db.session.get(SlideImage, image_id)
    if picture is None or not image_path(picture).exists():
        raise NotFound(_("No such image."))
    return send_file(image_path(picture), mimetype=picture.content_type, max_age=7 * 86400)


@player_bp.get("/qr/<int:slide_id>.png")
@screen_required()
def slide_qr(slide_id, screen):
    slide = db.session.get(Slide, slide_id)
    if slide is None or slide.kind != SlideKind.qr:
        raise NotFound(_("No such QR card."))
    return Response(qr_png(slide.config["link"]), mimetype="image/png", headers={"Cache-Control": "max-age=86400"})


@player_bp.get("/queue/<hall>")
@screen_required()
def queue(hall, screen):
    unit = db.session.scalar(select(Unit).where(Unit.code == hall, Unit.kind == UnitKind.hall))
    if unit is None:
        raise NotFound(_("No queue for this hall."))
    return jsonify(providers.hall_queue(unit)), 200, NO_STORE


@player_bp.post("/reports")
def reports():
    screen = screen_for_token(request.headers.get(HEADER))
    if screen is None:
        raise Unauthorized(_("This screen is not registered."), code="screen_not_registered")
    added = record_reports(screen, request.get_json(silent=True))
    db.session.commit()
    return jsonify({"added": added})


@player_bp.post("/commands/<int:command_id>/screenshot")
def command_screenshot(command_id):
    """The answer to a screenshot command: the launcher's picture of what the browser displays."""
    screen = screen_for_token(request.headers.get(HEADER))
    if screen is None:
        raise Unauthorized(_("This screen is not registered."), code="screen_not_registered")
    commands.record_screenshot(screen, command_id, request.stream)
    db.session.commit()
    return jsonify({"ok": True})
