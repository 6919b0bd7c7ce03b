"""Every kind of slide as a picture: a slide dict from kiosk/screens/state.py in, a Pillow image out.

The geometry follows display/player/slides.css in units of --u (min(1vw, 1vh)), so a rendered
slide looks like the same slide in the browser: the category band, the title, the body in pages,
and the facts with the QR code below it (portrait) or beside it (landscape).
"""
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta, timezone

from flask_babel import format_date
from flask_babel import gettext as _
from PIL import Image

from kiosk.core import clock
from kiosk.disclosures.models import PeriodUnit
from kiosk.disclosures.periods import days_left, is_last_day
from kiosk.privacy import mask_text
from kiosk.qr import qr_image
from kiosk.render import fonts
from kiosk.render.blocks import parse_body
from kiosk.render.breaking import balanced_lines, break_lines
from kiosk.render.formats import Format
from kiosk.render.paint import ALERT, INK, MUTED, PAPER, Painter
from kiosk.render.typeset import draw_ops, measurer, paginate

URGENT_RED = "#b3001b"


@dataclass(frozen=True)
class Context:
    """What a slide needs besides its dict: the day (days left), the minute (the clock), the
    screen's place, the complaint channels of the notice's township, the player's words, the logo."""
    today: date
    now: datetime                                   # local time
    unit: str = ""
    township: str = ""
    channels: tuple[tuple[str, str], ...] = ()      # (label, number or place)
    words: dict = field(default_factory=dict, hash=False, compare=False)
    logo: str | None = None                         # the township logo's file (KIOSK_QR_LOGO)
    ticker: tuple[str, ...] = ()                    # the ticker lines in effect: a static strip below


def fill(template: str, **values) -> str:
    """The player's {name} templates (state.player_strings)."""
    for name, value in values.items():
        template = template.replace("{" + name + "}", str(value))
    return template


def _lines(text: str, width: float, size: float, bold: bool = False, limit: int | None = None,
           balance: bool = False) -> list[str]:
    lines = (balanced_lines if balance else break_lines)(text, width, measurer(round(size), bold))
    if limit and len(lines) > limit:
        lines = lines[:limit]
        lines[-1] = lines[-1][:-1] + "…"
    return lines


def _paragraph(painter: Painter, lines: list[str], x: float, y: float, size: float, colour: str = INK,
               bold: bool = False, line_height: float = 1.3, anchor: str = "lm") -> float:
    """Draw lines from top `y`; returns the y below them."""
    step = size * line_height
    for line in lines:
        painter.text((x, y + step / 2), line, size, colour, bold, anchor)
        y += step
    return y


# ------------------------------------------------------------------------------------------ ticker

TICKER_SIZE = 3.6           # units, as display/player/ticker.css (0.62 × 7 ≈ 4.3 on the screen, read closer)
TICKER_BAND = "#13294b"
TICKER_GAP = "　◆　"


def ticker_strip(fmt: Format, context: Context) -> tuple[list[str], int]:
    """The lines of a picture's static ticker strip (one on e-paper, two at most elsewhere) and its height."""
    if not context.ticker:
        return [], 0
    size = TICKER_SIZE * fmt.unit
    limit = 1 if fmt.name.startswith("epaper") else 2
    lines = _lines(mask_text(TICKER_GAP.join(context.ticker)), fmt.width - 4 * fmt.unit, size, True, limit=limit)
    return lines, round(len(lines) * size * 1.4 + size * 0.6)


def body_format(fmt: Format, context: Context) -> Format:
    """The part of the page above the ticker strip, where the slide is laid out."""
    height = ticker_strip(fmt, context)[1]
    return replace(fmt, height=fmt.height - height) if height else fmt


def with_ticker(body: Image.Image, fmt: Format, mode: str, context: Context) -> Image.Image:
    """The slide drawn above the strip of the ticker lines in effect."""
    lines, height = ticker_strip(fmt, context)
    if not lines:
        return body
    painter = Painter(fmt, mode)
    painter.image.paste(body.convert("RGB"), (0, 0))
    top = fmt.height - height
    painter.box((0, top, fmt.width, fmt.height), fill=TICKER_BAND)
    size = TICKER_SIZE * fmt.unit
    _paragraph(painter, lines, 2 * fmt.unit, top + size * 0.3, size, "#ffffff", True, 1.4)
    return painter.finished()


# ------------------------------------------------------------------------------------------ notice

@dataclass
class NoticeGeometry:
    band_top: float
    band: float
    title_lines: list[str]
    title_size: float
    body_box: tuple[float, float, float, float]
    side: tuple[float, float, float, float]          # the facts and QR: below (portrait) or beside
    qr_size: int
    pages: list


def ms_to_utc(milliseconds: int) -> datetime:
    return datetime.fromtimestamp(milliseconds / 1000, tz=timezone.utc)


def publicity_left(entry: dict, today: date) -> tuple[int, bool] | None:
    """A notice slide's days left on `today` and whether it is the last day, by the player's rule
    (`periods.days_left` in the notice's period unit: working days count only working days)."""
    if not entry.get("period_until"):
        return None
    end = ms_to_utc(entry["period_until"])
    unit = PeriodUnit(entry["period_unit"]) if entry.get("period_unit") else None
    return days_left(end, today, unit=unit), is_last_day(end, today)


def period_dates(entry: dict) -> str | None:
    """The publicity period as dates (公示期：12月6日至12月14日), for paper: a countdown printed
    today is false tomorrow."""
    if not entry.get("period_from") or not entry.get("period_until"):
        return None
    first = clock.to_local(ms_to_utc(entry["period_from"])).date()
    last = clock.to_local(ms_to_utc(entry["period_until"]) - timedelta(microseconds=1)).date()
    return _("Publicity period: %(first)s to %(last)s", first=_("%(month)s/%(day)s", month=first.month, day=first.day),
             last=_("%(month)s/%(day)s", month=last.month, day=last.day))


def comment_left(entry: dict, now: datetime) -> tuple[int, bool] | None:
    """A draft for comment's days left to comment at `now` and whether it is the last day: the
    latest step of the state's `comment_countdown` that has begun, as the player reads it; None
    before the comment period opens and once it has closed."""
    at = int(now.timestamp() * 1000)
    if entry.get("comment_from") is None or at < entry["comment_from"]:
        return None
    begun = [step for step in entry.get("comment_countdown") or [] if step[0] <= at]
    return (begun[-1][1], begun[-1][2]) if begun and begun[-1][1] > 0 else None


def comment_end(entry: dict) -> str | None:
    """When a draft's comments close, for paper (the last countdown step is the closing instant)."""
    steps = entry.get("comment_countdown") or []
    if not steps:
        return None
    return _("Comments until %(end)s", end=clock.to_local(ms_to_utc(steps[-1][0])).strftime("%Y-%m-%d %H:%M"))


def _facts(entry: dict, fmt: Format, context: Context) -> list[tuple[str, float, str, bool]]:
    """The lines under the body: (text, size factor, colour, bold)."""
    words = context.words
    facts = []
    left, last_day = publicity_left(entry, context.today) or (0, False)
    comments = comment_left(entry, context.now)
    if fmt.is_print:
        if dates := period_dates(entry):
            facts.append((dates, 1.15, ALERT, True))
        if comments and (until := comment_end(entry)):
            facts.append((until, 1.15, ALERT, True))
    else:
        if left:
            template = words["working_days_left"] if entry.get("period_unit") == "working_days" else words["days_left"]
            facts.append((words["last_day"] if last_day else fill(template, n=left), 1.15, ALERT, True))
        if comments:
            facts.append((words["comment_last_day"] if comments[1] else fill(words["comment_days_left"], n=comments[0]),
                           1.15, ALERT, True))
    if entry.get("publisher"):
        facts.append((mask_text(entry["publisher"]), 1.0, INK, False))
    if entry.get("signed_off"):   # 经村务监督委员会审核 (kiosk/villages)
        facts.append((words["signed_off"], 0.85, INK, False))
    if entry.get("index_no"):
        facts.append((f"{words['index_no']} {entry['index_no']}", 0.85, MUTED, False))
    if entry.get("formed_on"):
        facts.append((_("Dated %(date)s", date=entry["formed_on"]), 0.85, MUTED, False))
    if context.channels:
        channels = "  ".join(f"{label} {value}" for label, value in context.channels)
        facts.append((_("Complaints and supervision: %(channels)s", channels=mask_text(channels)), 0.8, MUTED, False))
    return facts


def notice_texts(entry: dict) -> str:
    return " ".join([entry.get("title", ""), entry["category"]["name"], entry.get("publisher", "")])


def notice_geometry(entry: dict, fmt: Format, context: Context) -> NoticeGeometry:
    u, margin = fmt.unit, fmt.margin * fmt.unit
    width, height = fmt.width, fmt.height
    band_top, band = (margin - 3 * u if fmt.is_print else 0), 3.4 * u * 1.8
    title_size = 6.4 * u
    title_lines = _lines(mask_text(entry["title"]), width - 2 * margin, title_size, True, limit=3, balance=True)
    top = band_top + band + 2.4 * u + len(title_lines) * title_size * 1.25 + 1.6 * u
    fact_size = 3.2 * u
    if fmt.landscape:
        side_width = 36 * u
        qr_size = int(28 * u)
        body_box = (margin, top, width - side_width - margin, height - 2 * u)
        side = (width - side_width, top, width - u, height - 2 * u)
    else:
        qr_size = int(22 * u)
        # The lines under the body as _draw_foot wraps them beside the QR, and one for "Sheet n of m".
        text_width = width - 2 * margin - (qr_size + 3 * u if entry.get("link") else 0)
        facts_height = 1.6 * u + sum(len(_lines(text, text_width, fact_size * factor, bold)) * fact_size * factor * 1.3
                                     for text, factor, _colour, bold in _facts(entry, fmt, context)) + fact_size * 0.85 * 1.3
        foot = max(qr_size + 4.5 * u, facts_height) + 3.6 * u
        body_box = (margin, top, width - margin, height - foot - margin / 2)
        side = (margin, height - foot, width - margin, height - margin / 2)
    body_size = round(4.3 * u)
    blocks = parse_body(entry.get("body_html", ""))
    pages = paginate(blocks, body_box[2] - body_box[0], body_box[3] - body_box[1], body_size)
    return NoticeGeometry(band_top, band, title_lines, title_size, body_box, side, qr_size, pages)


def draw_notice(entry: dict, fmt: Format, mode: str, context: Context, page: int,
                geometry: NoticeGeometry) -> Image.Image:
    painter = Painter(fmt, mode, background="#ffffff" if fmt.is_print else PAPER)
    u, margin, words = fmt.unit, fmt.margin * fmt.unit, context.words
    band_colour = (entry.get("category") or {}).get("colour") or "#b3261e"
    band_top = geometry.band_top
    painter.box((0 if not fmt.is_print else margin, band_top, fmt.width - (margin if fmt.is_print else 0),
                 band_top + geometry.band), fill=band_colour)
    band_middle = band_top + geometry.band / 2
    painter.text((margin, band_middle), entry["category"]["name"], 3.4 * u, "#ffffff", True, "lm")
    if entry.get("correction"):
        mark = fill(words["correction"], date=entry["correction"])
        mark_width = measurer(round(3.4 * u), True)(mark)
        right = fmt.width - margin
        painter.box((right - mark_width - 2 * u, band_middle - 2.4 * u, right, band_middle + 2.4 * u),
                    fill="#ffffff", light=True)
        painter.text((right - u, band_middle), mark, 3.4 * u, ALERT, True, "rm")
    _paragraph(painter, geometry.title_lines, margin, band_top + geometry.band + 2.4 * u, geometry.title_size,
               bold=True, line_height=1.25)
    left, top = geometry.body_box[0], geometry.body_box[1]
    draw_ops(painter, geometry.pages[page], left, top)
    _draw_foot(painter, entry, fmt, context, geometry, page)
    return painter.finished()


def _draw_foot(painter: Painter, entry: dict, fmt: Format, context: Context, geometry: NoticeGeometry, page: int):
    u, words = fmt.unit, context.words
    x0, y0, x1, y1 = geometry.side
    fact_size = 3.2 * u
    facts = _facts(entry, fmt, context)
    total = len(geometry.pages)
    if total > 1:
        facts.append((_("Sheet %(n)s of %(total)s", n=page + 1, total=total), 0.85, MUTED, False))
    qr = qr_image(entry["link"], geometry.qr_size, min_module=max(3, round(u / 2.5)), logo_path=context.logo) \
        if entry.get("link") else None
    if fmt.landscape:
        painter.line((x0, y0, x0, y1), width=max(2, round(u / 3)))
        centre = (x0 + x1) / 2
        y = y0
        if qr is not None:
            painter.code(qr, (round(centre - qr.width / 2), round(y)))
            y = _paragraph(painter, [words["scan"]], centre, y + qr.height + u, 3 * u, anchor="mm")
        for text, factor, colour, bold in facts:
            y = _paragraph(painter, _lines(text, x1 - x0 - 2 * u, fact_size * factor, bold), centre, y + 0.3 * u,
                           fact_size * factor, colour, bold, anchor="mm")
    else:
        painter.line((x0 - (0 if fmt.is_print else fmt.margin * u), y0, x1 + (0 if fmt.is_print else fmt.margin * u),
                      y0), width=max(2, round(u / 3)))
        text_right = x1 - (geometry.qr_size + 3 * u if qr is not None else 0)
        y = y0 + 1.6 * u
        for text, factor, colour, bold in facts:
            y = _paragraph(painter, _lines(text, text_right - x0, fact_size * factor, bold), x0, y,
                           fact_size * factor, colour, bold)
        if qr is not None:
            qr_x = round(x1 - (geometry.qr_size + qr.width) / 2)
            painter.code(qr, (qr_x, round(y0 + 1.6 * u)))
            _paragraph(painter, [words["scan"]], qr_x + qr.width / 2, y0 + 1.6 * u + qr.height + 0.5 * u, 3 * u,
                       anchor="mm")


# ------------------------------------------------------------------------------------------ others

def draw_urgent(urgent: dict, fmt: Format, mode: str, context: Context) -> Image.Image:
    painter = Painter(fmt, mode, background=URGENT_RED)
    u = fmt.unit
    width = fmt.width * 0.9
    left, centre = fmt.width * 0.05, fmt.width / 2
    label = context.words["urgent"]
    label_size = 6 * u
    title_lines = _lines(mask_text(urgent["title"]), width, 8 * u, True, limit=3, balance=True)
    body_lines = _lines(mask_text(urgent.get("body", "")), width, 5 * u, limit=12)
    height = label_size * 1.6 + 3 * u + len(title_lines) * 10 * u + 3 * u + len(body_lines) * 7.5 * u + 7 * u
    y = max(2 * u, (fmt.height - height) / 2)
    label_width = measurer(round(label_size), True)(label) + 2 * label_size
    painter.box((centre - label_width / 2, y, centre + label_width / 2, y + label_size * 1.6), outline="#ffffff",
                width=round(0.12 * label_size))
    painter.text((centre, y + label_size * 0.8), label, label_size, "#ffffff", True, "mm")
    y = _paragraph(painter, title_lines, centre, y + label_size * 1.6 + 3 * u, 8 * u, "#ffffff", True, 1.25, "mm")
    y = _paragraph(painter, body_lines, left, y + 3 * u, 5 * u, "#ffffff", False, 1.5)
    _paragraph(painter, [mask_text(urgent.get("publisher", ""))], centre, y + 3 * u, 4 * u, "#ffffff", anchor="mm")
    return painter.finished()


def draw_clock(entry: dict, fmt: Format, mode: str, context: Context) -> Image.Image:
    welcome = mask_text(entry.get("welcome") or context.words.get("welcome", ""))
    painter = Painter(fmt, mode)
    u, centre = fmt.unit, fmt.width / 2
    y = fmt.height / 2 - 22 * u
    painter.text((centre, y), context.now.strftime("%H:%M"), 22 * u, INK, True, "mm")
    painter.text((centre, y + 16 * u), format_date(context.now.date(), "full"), 5 * u, INK, False, "mm")
    y = _paragraph(painter, _lines(welcome, fmt.width * 0.9, 7 * u, limit=3), centre, y + 23 * u, 7 * u,
                   anchor="mm")
    painter.text((centre, y + 4 * u), context.unit, 5 * u, MUTED, False, "mm")
    return painter.finished()


def draw_pairing(entry: dict, fmt: Format, mode: str, context: Context) -> Image.Image:
    """What an unpaired image-only board shows: its six-digit pairing code."""
    painter = Painter(fmt, mode)
    u, centre = fmt.unit, fmt.width / 2
    code = f"{entry['code'][:3]} {entry['code'][3:]}"
    painter.text((centre, fmt.height / 2 - 14 * u), _("Pairing code"), 6 * u, MUTED, False, "mm")
    painter.text((centre, fmt.height / 2 + 2 * u), code, 20 * u, INK, True, "mm")
    hint = _lines(_("Enter this code on the Screens page of the staff site to make this board a screen."),
                  fmt.width * 0.9, 4 * u, limit=3)
    _paragraph(painter, hint, centre, fmt.height / 2 + 16 * u, 4 * u, MUTED, anchor="mm")
    return painter.finished()


def draw_sleep(entry: dict, fmt: Format, mode: str, context: Context) -> Image.Image:
    """What an image-only board shows outside its on-hours: dark, with a dim line saying when it wakes."""
    painter = Painter(fmt, mode, background="#000000")
    u, centre = fmt.unit, fmt.width / 2
    line = _("The screen is resting; it comes on at %(time)s.", time=entry["wake"]) if entry.get("wake") \
        else _("The screen is resting.")
    painter.text((centre, fmt.height / 2), line, 3 * u, "#ffffff" if mode == "mono" else "#5f6368", False, "mm")
    return painter.finished()


def draw_qr_card(entry: dict, fmt: Format, mode: str, context: Context) -> Image.Image:
    caption = mask_text(entry.get("caption", ""))
    painter = Painter(fmt, mode)
    u, centre = fmt.unit, fmt.width / 2
    caption_lines = _lines(caption, fmt.width - 8 * u, 6 * u, limit=2)
    code = qr_image(entry["link"], int(55 * u), min_module=max(3, round(u / 2)), logo_path=context.logo)
    link_lines = _lines(entry["link"], fmt.width - 8 * u, 2.6 * u, limit=2)
    height = len(caption_lines) * 7.5 * u + 3 * u + code.height + 3 * u + len(link_lines) * 3.4 * u
    y = (fmt.height - height) / 2
    y = _paragraph(painter, caption_lines, centre, y, 6 * u, anchor="mm", line_height=1.25)
    painter.code(code, (round(centre - code.width / 2), round(y + 3 * u)))
    _paragraph(painter, link_lines, centre, y + 6 * u + code.height, 2.6 * u, MUTED, anchor="mm")
    return painter.finished()


def draw_picture(entry: dict, fmt: Format, mode: str, context: Context, picture: Image.Image | None) -> Image.Image:
    caption = mask_text(entry.get("caption", ""))
    painter = Painter(fmt, mode, background="#000000")
    u = fmt.unit
    caption_height = 7 * u if caption else 0
    if picture is not None:
        painter.picture(picture, (0, 0, fmt.width, round(fmt.height - caption_height)))
    if caption:
        painter.text((fmt.width / 2, fmt.height - caption_height / 2), caption, 4 * u, "#ffffff", False, "mm")
    return painter.finished()


def draw_queue(entry: dict, fmt: Format, mode: str, context: Context) -> Image.Image:
    words = context.words
    services = (entry.get("queue") or {}).get("services") or []
    painter = Painter(fmt, mode)
    u = fmt.unit
    x0, x1 = 3 * u, fmt.width - 3 * u
    painter.text((x0, 3 * u + 3 * u), words["queue_title"], 6 * u, INK, True, "lm")
    y, size = 12 * u, 4.6 * u
    row = size * 1.3 + 2.4 * u
    for service in services:
        if y + row > fmt.height:
            break
        closed = service.get("open") is False
        colour = MUTED if closed else INK
        painter.text((x0, y + row / 2), service["prefix"], size, MUTED if closed else ALERT, True, "lm")
        painter.text((x0 + 2.6 * size, y + row / 2), service["name"], size, colour, False, "lm")
        waiting = words["closed"] if closed else fill(words["waiting"], n=service["waiting"])
        painter.text((x1, y + row / 2), waiting, size, colour, True, "rm")
        painter.line((x0, y + row, x1, y + row), width=max(1, round(u / 5)))
        y += row
    return painter.finished()


