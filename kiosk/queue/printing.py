"""Direct ticket printing on an ESC/POS thermal printer (python-escpos), when one is configured.

KIOSK_QUEUE_PRINTER says where the hall's printer is:
  network:192.168.1.50[:9100]   a network printer (raw port 9100)
  usb:0x0416:0x5011             a USB printer by vendor and product id
  file:/dev/usb/lp0             a device file
  browser                       a system printer: the kiosk's browser prints the 58/80 mm page
                                (silently when Chromium runs with --kiosk-printing)
Without it there is no printer: the kiosk shows the ticket's QR code to scan instead.
KIOSK_QUEUE_PRINTER_DOTS is an ESC/POS printer's paper width in dots: 384 (58 mm) or 576 (80 mm).
"""
import logging

from flask import current_app
from flask_babel import gettext as _

from kiosk.core.errors import Conflict, InvalidInput
from kiosk.queue.models import Ticket
from kiosk.queue.status import ahead_of
from kiosk.render.tickets import ticket_image

log = logging.getLogger(__name__)


def print_mode() -> str:
    """How tickets are printed here: "escpos" (the server prints), "browser" (the kiosk's
    browser prints on a system printer) or "none" (nothing prints: the kiosk offers the QR)."""
    setting = current_app.config.get("KIOSK_QUEUE_PRINTER")
    if not setting:
        return "none"
    return "browser" if setting == "browser" else "escpos"


def printer_from_setting(setting: str):
    from escpos import printer
    kind, _sep, where = setting.partition(":")
    if kind == "network" and where:
        host, _sep, port = where.partition(":")
        return printer.Network(host, port=int(port or 9100), timeout=5)
    if kind == "usb" and where.count(":") == 1:
        vendor, product = (int(part, 16) for part in where.split(":"))
        return printer.Usb(vendor, product)
    if kind == "file" and where:
        return printer.File(where)
    raise InvalidInput(_("KIOSK_QUEUE_PRINTER must look like network:HOST[:PORT], usb:VENDOR:PRODUCT or "
                         "file:/dev/usb/lp0."))


def write_ticket(device, ticket: Ticket, waiting_ahead: int | None, dots: int = 576) -> None:
    """Print the ticket as one picture (kiosk/render/tickets.py) on any python-escpos printer (the
    Dummy one in tests): Chinese text and the QR code look the same on every printer model."""
    device.image(ticket_image(ticket, waiting_ahead, dots), center=False)
    device.cut()


def print_ticket(ticket: Ticket) -> bool:
    """Print on the configured ESC/POS printer; False when the server has none to print on."""
    setting = current_app.config.get("KIOSK_QUEUE_PRINTER")
    if print_mode() != "escpos":
        return False
    device = printer_from_setting(setting)
    try:
        write_ticket(device, ticket, ahead_of(ticket), current_app.config["KIOSK_QUEUE_PRINTER_DOTS"])
    except Exception as error:  # the printer's own errors: out of paper, unplugged, unreachable
        log.warning("ticket printer %s failed: %s", setting, error)
        raise Conflict(_("The ticket printer is not responding: %(error)s", error=str(error)), code="printer")
    finally:
        device.close()
    return True
