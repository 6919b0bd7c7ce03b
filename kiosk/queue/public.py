"""The hall's own pages: the wall board, the ticket page (on the touch kiosk), the printable
ticket and the visitor's phone status page; and the browser files they load from display/hall/."""
from flask import Blueprint, jsonify, redirect, render_template, request, send_from_directory, url_for
from flask_babel import gettext as _
from flask_login import current_user

from kiosk.core.errors import Forbidden, InvalidInput, Unauthorized
from kiosk.paths import DISPLAY_DIR
from kiosk.queue import operations as ops
from kiosk.queue.models import Ticket
from kiosk.queue.status import ahead_of, estimated_wait_minutes, hall_status, ticket_state
from kiosk.screens.devices import current_screen
from kiosk.screens.models import ScreenKind
from kiosk.screens.player import board_hall

queue_public_bp = Blueprint("queue_public", __name__, template_folder="templates")
HALL_ASSETS = DISPLAY_DIR / "hall"
SOCKET_IO_CLIENT = DISPLAY_DIR / "node_modules" / "socket.io-client" / "dist"


def hall_kiosk(hall):
    """The registered touch kiosk of this hall making the request, if it is one."""
    screen = current_screen()
    if screen is not None and screen.kind == ScreenKind.touch_kiosk and screen.unit_id == hall.id:
        return screen
    return None


def issuing_caller(hall):
    """Who is taking a number here: the hall's registered touch kiosk, or a window clerk or
    administrator of the hall. Returns (via, user); anyone else is refused, so nobody can flood
    the queue from outside."""
    if hall_kiosk(hall) is not None:
        return "kiosk", None
    if current_user.is_authenticated:
        ops.ensure_hall_role(current_user, hall, *ops.HALL_STAFF)
        return "staff", current_user
    if current_screen() is not None:
        raise Forbidden(_("Only a touch kiosk of %(hall)s issues its numbers.", hall=hall.name))
    raise Unauthorized(_("Numbers are taken at the hall's kiosk or by hall staff."))


def rating_levels() -> list[tuple[int, str]]:
    return [(level, ops.rating_label(level)) for level in (5, 4, 3, 2, 1)]


def board_strings() -> dict:
    return {"now_calling": _("Now calling"), "recent": _("Recent calls"), "waiting": _("Waiting"),
            "window": _("Window %(number)s", number="{window}"), "people": _("%(count)s waiting", count="{n}"),
            "closed": _("closed"), "offline": _("Reconnecting…"), "nobody": _("No calls yet today"),
            "notices": _("Notices"), "speech_lang": _("en-US")}  # TRANSLATORS: the speech language of the board


@queue_public_bp.get("/hall/<code>/board")
def board(code):
    """The wall board. Opened by a registered hall-board screen of this hall it also plays that
    screen's notices (its state from /display/state) between calls; anonymous, calls only."""
    hall = ops.get_hall(code)
    screen = current_screen()
    plays_notices = board_hall(screen) == hall
    return render_template("queue/board.html", hall=hall, strings=board_strings(), status=hall_status(hall),
                           plays_notices=plays_notices)


@queue_public_bp.get("/hall/<code>/status.json")
def board_state(code):
    return jsonify(hall_status(ops.get_hall(code)))


@queue_public_bp.get("/hall/<code>/ticket")
def ticket_page(code):
    hall = ops.get_hall(code)
    if hall_kiosk(hall) is not None:   # the hall's kiosk takes numbers in its own app
        return redirect(url_for("touch.home", _anchor="take"))
    if not current_user.is_authenticated:
        return redirect(url_for("accounts.login", next=request.full_path))
    issuing_caller(hall)
    status = hall_status(hall)
    waiting = {service["id"]: service for service in status["services"]}
    services = [(service, waiting[service.id]) for service in ops.services_of(hall, active_only=True)]
    return render_template("queue/ticket_page.html", hall=hall, services=services)


@queue_public_bp.get("/hall/<code>/tickets/<int:ticket_id>/print")
def printable(code, ticket_id):
    """The 58 or 80 mm thermal layout for the browser's print dialog (also the reprint)."""
    hall = ops.get_hall(code)
    issuing_caller(hall)
    ticket = ops.get_ticket(ticket_id)
    if ticket.hall_id != hall.id:
        raise InvalidInput(_("This ticket belongs to another hall."))
    paper = request.args.get("paper", "80")
    if paper not in ("58", "80"):
        raise InvalidInput(_("Paper is 58 or 80 (mm)."))
    ahead = ahead_of(ticket)
    return render_template("queue/print.html", ticket=ticket, paper=paper, ahead=ahead,
                           estimate=None if ahead is None else estimated_wait_minutes(ticket, ahead),
                           rating_code=ops.rating_code(ticket))


def _status_strings() -> dict:
    return {"ahead": _("%(count)s people", count="{n}"),
            "estimate": _("about %(minutes)s minutes", minutes="{m}"),
            "estimate_unknown": _("no estimate yet today"),
            "go_to_window": _("Please go to window %(number)s", number="{window}"),
            "thanks": _("Thank you for rating our service."), "offline": _("Reconnecting…")}


@queue_public_bp.get("/t/<token>")
def status_page(token):
    ticket: Ticket = ops.ticket_by_token(token)
    return render_template("queue/status.html", ticket=ticket, state=ticket_state(ticket), strings=_status_strings(),
                           levels=rating_levels(),
                           materials=ticket.service.material_list)


@queue_public_bp.get("/t/<token>.json")
def status_json(token):
    response = jsonify(ticket_state(ops.ticket_by_token(token)))
    response.headers["Cache-Control"] = "no-store"
    return response


@queue_public_bp.get("/hall/assets/socket.io.min.js")
def socket_io_client():
    return send_from_directory(SOCKET_IO_CLIENT, "socket.io.min.js", max_age=86400)


@queue_public_bp.get("/hall/assets/<path:filename>")
def hall_asset(filename):
    return send_from_directory(HALL_ASSETS, filename, max_age=300)
