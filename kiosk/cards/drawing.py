"""明白卡 household cards: a notice or a service guide as an A6 card (title, the essentials, its
QR code to the full text), four to an A4 sheet with cut marks, as a 300 dpi PDF for the township's
printer. Drawn with the renderer's typesetting (Chinese line breaking, fonts, colour modes) and
the QR codes of kiosk/qr.

The A4 sheet is cut once across and once down the middle: each quarter (105 × 148.5 mm) is one
card. Everything a card draws keeps CARD_MARGIN from its edges, inside what a printer can print
and clear of the cut; the marks sit on the cut lines at the sheet's edges and where the cards meet.
"""
import io
from dataclasses import dataclass, field

from flask_babel import gettext as _
from PIL import Image, ImageDraw

from kiosk.privacy import mask_text
from kiosk.qr import qr_image
from kiosk.render.breaking import break_lines
from kiosk.render.formats import Format
from kiosk.render.paint import ALERT, INK, MUTED, Painter
from kiosk.render.typeset import measurer

DPI = 300
SHEET = (2480, 3508)                         # A4 at 300 dpi
CARD = Format("a6-card", SHEET[0] // 2, SHEET[1] // 2, 12.0, dpi=DPI, margin=8.0)   # a quarter: 105 × 148.5 mm
CARD_MARGIN = 100                            # 8.5 mm: the printer's edge and the cut stay clear
MARK_FROM, MARK_TO, MARK_WIDTH = 40, 95, 4   # 3.4–8 mm in from the sheet's edge: printable, clear of the text
MARK_ARM = 30                                # the cross where the cards meet: 2.5 mm each way
QR_PIXELS = 430                              # 36 mm: a phone reads it from an arm's length
BAND = "#b3261e"
JPEG_QUALITY = 92


@dataclass
class Card:
    """What one card says: its kind (明白卡 · category), title, sections of short lines, facts at the
    foot, and the link its QR code opens."""
    kind: str
    title: str
    link: str
    sections: list[tuple[str, list[str]]] = field(default_factory=list)
    facts: list[str] = field(default_factory=list)
    colour: str = BAND


def _lines(text: str, width: float, size: int, bold: bool = False) -> list[str]:
    return break_lines(text, width, measurer(size, bold))


ROW = {"heading": 62, "first": 54, "line": 54, "gap": 16}   # each row's height, in pixels


def _sections(painter: Painter, sections: list[tuple[str, list[str]]], y: float, bottom: float) -> None:
    """Headings and their items as bulleted lines from `y`; where the next row would pass `bottom`,
    "……" instead (the QR code has the rest)."""
    margin, inner = CARD_MARGIN, CARD.width - 2 * CARD_MARGIN
    rows = []
    for heading, items in sections:
        rows += [("heading", heading)] if heading else []
        for item in items:
            rows += [("first" if n == 0 else "line", line) for n, line in enumerate(_lines(mask_text(item), inner - 40, 40))]
        rows.append(("gap", ""))
    for kind, text in rows:
        if y + ROW[kind] > bottom:
            painter.text((margin + 40, y), "……", 40, MUTED, False, "la")
            return
        if kind == "heading":
            painter.text((margin, y), text, 44, ALERT, True, "la")
        elif kind != "gap":
            if kind == "first":
                painter.text((margin + 8, y), "·", 40, INK, True, "la")
            painter.text((margin + 40, y), text, 40, INK, False, "la")
        y += ROW[kind]


def draw_card(card: Card, mode: str = "colour") -> Image.Image:
    """One card at 300 dpi. Sections that do not fit end with "…" (the QR code has the full text)."""
    painter = Painter(CARD, mode, background="#ffffff")
    width, height, margin = CARD.width, CARD.height, CARD_MARGIN
    inner = width - 2 * margin
    band = 120
    painter.box((margin, margin, width - margin, margin + band), fill=card.colour)
    painter.text((margin + 30, margin + band / 2), mask_text(card.kind), 50, "#ffffff", True, "lm")
    y = margin + band + 40
    for line in _lines(mask_text(card.title), inner, 72, True)[:3]:
        painter.text((margin, y), line, 72, INK, True, "la")
        y += 96
    foot_top = height - margin - QR_PIXELS
    _sections(painter, card.sections, y + 10, foot_top - 30 - ROW["line"])
    code = qr_image(card.link, QR_PIXELS, min_module=6)
    painter.code(code, (width - margin - code.width, height - margin - code.height))
    facts_width = inner - code.width - 30
    fy = foot_top
    for fact in card.facts:
        for line in _lines(mask_text(fact), facts_width, 34)[:2]:
            if fy + 46 > height - margin - 60:
                break
            painter.text((margin, fy), line, 34, MUTED, False, "la")
            fy += 46
    painter.text((margin, height - margin), _("Scan the code for the full text"), 36, INK, True, "ld")
    return painter.finished()


def cut_marks(sheet: Image.Image) -> None:
    """Short lines on the two cut lines near the sheet's edges, and a cross where the four cards meet."""
    draw = ImageDraw.Draw(sheet)
    cx, cy, half = SHEET[0] // 2, SHEET[1] // 2, MARK_WIDTH // 2
    for y0, y1 in ((MARK_FROM, MARK_TO), (SHEET[1] - MARK_TO, SHEET[1] - MARK_FROM)):   # down the middle
        draw.rectangle((cx - half, y0, cx + half - 1, y1), fill="#000000")
    for x0, x1 in ((MARK_FROM, MARK_TO), (SHEET[0] - MARK_TO, SHEET[0] - MARK_FROM)):   # across the middle
        draw.rectangle((x0, cy - half, x1, cy + half - 1), fill="#000000")
    draw.rectangle((cx - half, cy - MARK_ARM, cx + half - 1, cy + MARK_ARM), fill="#000000")
    draw.rectangle((cx - MARK_ARM, cy - half, cx + MARK_ARM, cy + half - 1), fill="#000000")


def card_sheet(card: Card, mode: str = "colour") -> Image.Image:
    """An A4 page with the same card four times, two across and two down, and its cut marks."""
    picture = draw_card(card, mode)
    sheet = Image.new(picture.mode, SHEET, "#ffffff" if picture.mode == "RGB" else 255)
    for x in (0, CARD.width):
        for y in (0, CARD.height):
            sheet.paste(picture, (x, y))
    cut_marks(sheet)
    return sheet


def sheet_pdf(card: Card, mode: str = "colour") -> bytes:
    """The sheet as a one-page PDF at 300 dpi (A4), for the printer."""
    sheet = card_sheet(card, mode)
    buffer = io.BytesIO()
    quality = {} if mode == "mono" else {"quality": JPEG_QUALITY}
    sheet.save(buffer, format="PDF", resolution=DPI, **quality)
    return buffer.getvalue()
