"""Direct ticket printing on an ESC/POS thermal printer (python-escpos), when one is configured.

KIOSK_QUEUE_PRINTER says where the hall's printer is:
  network:192.168.1.50[:9100]   a network printer (raw port 9100)
  usb:0x0416:0x5011             a USB printer by vendor and product id
  file:/dev/usb/lp0             a device file
  browser                       a system printer: the kiosk's browser prints the 58/80 mm page
                                (silently when Chromium runs with --kiosk-printing)
Without it there is no printer: the kiosk shows the ticket's QR code to scan instead.
"""
import logging

from flask import current_app
from flask_babel import gettext as _

from kiosk.core import clock
from kiosk.core.errors import Conflict, InvalidInput
from kiosk.qr import public_url
from kiosk.queue.models import Priority, Ticket
from kiosk.queue.operations import rating_code
from kiosk.queue.status import ahead_of, estimated_wait_minutes

log = logging.getLogger(__name__)
# FS & selects the Chinese character mode of the GB18030 printers sold in China.
CHINESE_MODE = b"\x1c\x26"


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


def _text(device, text: str) -> None:
    device._raw(text.encode("gb18030", errors="replace"))


def write_ticket(device, ticket: Ticket) -> None:
    """Lay the ticket out on any python-escpos printer (the Dummy one in tests): the number, the
    people ahead and the estimated wait (the phone page's), the QR and the rating code."""
    waiting_ahead = ahead_of(ticket)
    estimate = None if waiting_ahead is None else estimated_wait_minutes(ticket, waiting_ahead)
    device._raw(CHINESE_MODE)
    device.set(align="center", normal_textsize=True)
    _text(device, f"{ticket.hall.name}\n")
    device.set(align="center", double_height=True, double_width=True, bold=True)
    _text(device, f"{ticket.code}\n")
    device.set(align="center", normal_textsize=True, bold=False)
    _text(device, f"{ticket.service.name}\n")
    if ticket.priority == Priority.green:
        _text(device, _("Priority lane (elderly, disabled, military)") + "\n")
    if waiting_ahead is not None:
        _text(device, _("%(count)s waiting before you", count=waiting_ahead) + "\n")
    if estimate is not None:
        _text(device, _("Estimated wait: about %(minutes)s minutes", minutes=estimate) + "\n")
    _text(device, clock.to_local(ticket.issued_at).strftime("%Y-%m-%d %H:%M") + "\n")
    device.qr(public_url(f"t/{ticket.token}"), size=6, native=True)  # centred by the align above
    _text(device, _("Scan to follow your number on your phone") + "\n")
    _text(device, _("Rating code %(code)s", code=rating_code(ticket)) + "\n")
    device.cut()


def print_ticket(ticket: Ticket) -> bool:
    """Print on the configured ESC/POS printer; False when the server has none to print on."""
    setting = current_app.config.get("KIOSK_QUEUE_PRINTER")
    if print_mode() != "escpos":
        return False
    device = printer_from_setting(setting)
    try:
        write_ticket(device, ticket)
    except Exception as error:  # the printer's own errors: out of paper, unplugged, unreachable
        log.warning("ticket printer %s failed: %s", setting, error)
        raise Conflict(_("The ticket printer is not responding: %(error)s", error=str(error)), code="printer")
    finally:
        device.close()
    return True
