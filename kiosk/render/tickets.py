"""The queue ticket as a 1-bit picture for ESC/POS thermal printers, 384 dots (58 mm paper) or
576 dots (80 mm) wide: a printer without a Chinese font prints it as well as one with."""
from flask_babel import gettext as _
from PIL import Image, ImageDraw

from kiosk.core import clock
from kiosk.qr import public_url, qr_image
from kiosk.queue.models import Priority, Ticket
from kiosk.queue.operations import rating_code
from kiosk.queue.status import estimated_wait_minutes
from kiosk.render import fonts
from kiosk.render.breaking import break_lines
from kiosk.render.typeset import measurer

PRINTER_WIDTHS = (384, 576)


def ticket_image(ticket: Ticket, waiting_ahead: int | None, dots: int = 576) -> Image.Image:
    """Hall, number, service, priority lane, people ahead and estimated wait, time, the QR of the
    ticket's phone page and the rating code that lets its holder rate the visit at the kiosk. Text is thresholded, never dithered, so it prints sharp."""
    if dots not in PRINTER_WIDTHS:
        raise ValueError(f"thermal printers are {PRINTER_WIDTHS} dots wide, not {dots}")
    unit = dots / 48                    # 8 dots for 384, 12 for 576
    lines: list[tuple[str, float, bool]] = [(ticket.hall.name, 3 * unit, False), (ticket.code, 9 * unit, True),
                                            (ticket.service.name, 3.4 * unit, True)]
    if ticket.priority == Priority.green:
        lines.append((_("Priority lane (elderly, disabled, military)"), 2.6 * unit, True))
    if waiting_ahead is not None:
        lines.append((_("%(count)s waiting before you", count=waiting_ahead), 3 * unit, False))
        minutes = estimated_wait_minutes(ticket, waiting_ahead)
        if minutes is not None:
            lines.append((_("Estimated wait: about %(minutes)s minutes", minutes=minutes), 3 * unit, False))
    lines.append((clock.to_local(ticket.issued_at).strftime("%Y-%m-%d %H:%M"), 2.6 * unit, False))
    link = public_url(f"t/{ticket.token}")
    code = qr_image(link, int(dots * 0.6), min_module=4)
    caption = _("Scan to follow your number on your phone") + " · " + _("Rating code %(code)s", code=rating_code(ticket))
    wrapped = [(line, size, bold) for text, size, bold in lines
               for line in break_lines(text, dots - 2 * unit, measurer(round(size), bold))]
    caption_lines = break_lines(caption, dots - 2 * unit, measurer(round(2.4 * unit)))
    height = int(sum(size * 1.35 for _t, size, _b in wrapped) + code.height + len(caption_lines) * 2.4 * unit * 1.4
                 + 6 * unit)
    image = Image.new("L", (dots, height), 255)
    draw = ImageDraw.Draw(image)
    y = 2 * unit
    for text, size, bold in wrapped:
        draw.text((dots / 2, y + size * 1.35 / 2), fonts.shown(text), font=fonts.font(size, bold), fill=0, anchor="mm")
        y += size * 1.35
    image.paste(code, ((dots - code.width) // 2, round(y)))
    y += code.height
    for line in caption_lines:
        draw.text((dots / 2, y + 2.4 * unit * 0.7), fonts.shown(line), font=fonts.font(2.4 * unit), fill=0, anchor="mm")
        y += 2.4 * unit * 1.4
    return image.point(lambda v: 255 if v >= 160 else 0).convert("1", dither=Image.Dither.NONE)
