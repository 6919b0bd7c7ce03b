"""The renderer's API: notices, a screen's current slide, print sheets, previews and tickets as
pictures. Every picture carries its content key as ETag, so a poll that finds nothing new is a
304 with no body."""
import base64
import enum
from typing import ClassVar, Literal

from flask import Response, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from pydantic import BaseModel, Field
from sqlalchemy import select

from kiosk.api import operation
from kiosk.core import clock
from kiosk.core.errors import Forbidden, InvalidInput, NotFound, Unauthorized
from kiosk.disclosures.feed import is_public, notice_data
from kiosk.disclosures.models import Notice
from kiosk.extensions import db
from kiosk.org.operations import get_unit_by_code
from kiosk.queue.models import Ticket
from kiosk.queue.status import ahead_of
from kiosk.render import boards
from kiosk.render.formats import FORMATS, MODES, get_format, get_mode
from kiosk.render.paint import downscaled
from kiosk.render.rendering import Rendered, draw, png_bytes, render_pdf, render_slide
from kiosk.render.sources import context_for
from kiosk.render.tickets import ticket_image
from kiosk.screens import operations as screens
from kiosk.screens import providers, rotations
from kiosk.screens.devices import request_token
from kiosk.screens.operations import MANAGERS
from kiosk.screens.schemas import RotationIn
from kiosk.screens.state import choose_rotation, day_start, notice_content, playing_slides, unit_ticker_lines

TAG = "rendering"
# The sizes and colour modes as the OpenAPI document's enums: a client sees the choices, and a value
# outside them is refused by validation with the choices named.
SizeName = Literal[tuple(FORMATS)]
ModeName = Literal[MODES]
THUMBNAIL_WIDTH = 270


class PictureQuery(BaseModel):
    field_labels: ClassVar[dict] = {"size": _l("Size"), "mode": _l("Colour mode"), "page": _l("Page"),
                                    "width": _l("Width")}
    size: SizeName | None = Field(None, description="the screen or paper size")
    mode: ModeName | None = Field(None, description="colour, grey or mono (1-bit); e-paper sizes default to theirs")
    page: int = Field(1, ge=1, le=999, description="page of a long notice, from 1")
    width: int | None = Field(None, ge=64, le=2480, description="scale down to this width (thumbnails)")


class ThumbnailQuery(PictureQuery):
    key: str | None = Field(None, max_length=200,
                            description="the slide key the screen reported showing (its now_showing): that slide "
                                        "is drawn, so a thumbnail and the words beside it agree")


class ScreenNowQuery(PictureQuery):
    token: str | None = Field(None, max_length=128,
                              description="the board's device token, for boards that can only open a URL; a "
                                          "board pairing by code sends a secret of its own (16+ characters)")


class PrintSheetQuery(BaseModel):
    notice: int | None = Field(None, description="one notice (its id); give either notice or village, not both")
    village: str | None = Field(None, max_length=40, description="or every notice showing in this unit (its code); "
                                                                  "give either notice or village, not both")
    format: str = Field("pdf", pattern="^(pdf|png)$")
    mode: ModeName | None = Field(None, description="colour, grey or mono")
    page: int = Field(1, ge=1, le=999, description="with format=png: the page")


class RotationPreviewIn(BaseModel):
    screen: int = Field(description="the screen whose strip to show")
    rotation_id: int | None = Field(None, description="the rotation being edited (empty: a new one)")
    rotation: RotationIn


class PreviewSlide(BaseModel):
    key: str
    kind: str
    title: str
    duration: int
    pages: int
    image: str = Field(description="a data: URL of the PNG thumbnail")


class RotationPreview(BaseModel):
    playing: str | None = Field(description="the rotation that would play now")
    why: list[str]
    slides: list[PreviewSlide]


class UrgentPreviewQuery(BaseModel):
    title: str = Field("", max_length=120)
    body: str = Field("", max_length=2000)
    unit: str = Field(min_length=1, max_length=40, description="code of the publishing unit")
    size: SizeName | None = None
    width: int | None = Field(None, ge=64, le=1920)


class PrinterWidth(enum.IntEnum):
    """The thermal printers' widths in dots, as kiosk/render/tickets.py draws them."""
    narrow = 384     # 58 mm paper
    wide = 576       # 80 mm paper


class TicketQuery(BaseModel):
    field_labels: ClassVar[dict] = {"dots": _l("Printer width")}
    dots: PrinterWidth = Field(PrinterWidth.wide, description="printer width in dots: 384 (58 mm) or 576 (80 mm)")


def picture_response(rendered: Rendered, **headers) -> Response:
    """The picture, or 304 when the caller already holds it (its ETag is the content key)."""
    headers = {"ETag": f'"{rendered.key}"', "Cache-Control": "no-cache", **{k: str(v) for k, v in headers.items()}}
    if request.if_none_match.contains(rendered.key):
        return Response(status=304, headers=headers)
    return Response(rendered.data, mimetype=rendered.media_type, headers=headers)


def notice_slide(notice: dict) -> dict:
    """A feed notice as a slide, by the same function the screens' state uses (from today)."""
    return {"kind": "notice", "key": f"n{notice['id']}", "duration": 0, "windows": None,
            **notice_content(notice, day_start(clock.now()))}


def notice_entry(notice: Notice) -> dict:
    return notice_slide(notice_data(notice))


def public_notice(notice_id: int) -> Notice:
    notice = db.session.get(Notice, notice_id)
    if notice is None or not is_public(notice):
        raise NotFound(_("No such notice."))
    return notice


@operation("/render/notices/<int:notice_id>", method="GET", operation_id="renderNotice", tag=TAG, public=True,
           query=PictureQuery, errors=(404, 422),
           summary="A published notice as a PNG picture at a chosen size (the version its public page shows)")
def render_notice(notice_id, query: PictureQuery):
    notice = public_notice(notice_id)
    fmt = get_format(query.size)
    entry = notice_entry(notice)
    rendered = render_slide(entry, fmt, get_mode(query.mode, fmt), context_for(entry), query.page - 1, query.width)
    return picture_response(rendered, **{"X-Pages": rendered.pages, "X-Notice-Id": notice.id,
                                         "X-Notice-Corrected": entry["correction"] or ""})




@operation("/render/screen-now", method="GET", operation_id="renderScreenNow", tag=TAG, public=True,
           query=ScreenNowQuery, errors=(401, 422),
           summary="What a screen shows now as a PNG, for image-only boards: poll it with If-None-Match "
                   "(304 when unchanged); each poll of an image-only board counts as proof of display")
def render_screen_now(query: ScreenNowQuery):
    screen, pairing = boards.screen_or_pairing(query.token or request_token())
    if pairing is not None:
        db.session.commit()
        fmt = get_format(query.size, "landscape")
        rendered = render_slide({"kind": "pairing", "code": pairing.code}, fmt, get_mode(query.mode, fmt),
                                context_for(), 0, query.width)
        return picture_response(rendered, **{"X-Pairing-Code": pairing.code, "X-Next-Change": 10})
    if screen is None:
        raise Unauthorized(_("This screen is not registered."), code="screen_not_registered")
    shown, rendered = boards.picture_now(screen, query.size, query.mode, query.width)
    if boards.counts_as_display(screen):
        boards.record_poll(screen, shown)
        db.session.commit()
    asleep = {"Retry-After": shown.seconds_left} if shown.asleep else {}
    return picture_response(rendered, **{"X-Slide-Key": shown.report_key, "X-Next-Change": shown.seconds_left,
                                         **asleep})


@operation("/render/screens/<int:screen_id>/now", method="GET", operation_id="renderScreenThumbnail", tag=TAG,
           roles=MANAGERS, query=ThumbnailQuery, errors=(404, 422),
           summary="A thumbnail of what a screen shows now (staff; not counted as display)")
def render_screen_thumbnail(screen_id, query: ThumbnailQuery):
    screen = screens.get_screen_for(current_user, screen_id)
    return picture_response(boards.thumbnail(screen, query.key, query.size, query.mode,
                                             query.width or THUMBNAIL_WIDTH))


@operation("/render/print-sheet", method="GET", operation_id="renderPrintSheet", tag=TAG, query=PrintSheetQuery,
           errors=(400, 404, 422),
           summary="A4 print sheets at 300 dpi for the paper noticeboard: one notice, or every notice "
                   "showing in a village as one multi-page PDF (exactly one of notice and village is "
                   "required; 400 otherwise)")
def render_print_sheet(query: PrintSheetQuery):
    fmt = get_format("a4")
    mode = get_mode(query.mode, fmt)
    if (query.notice is None) == (query.village is None):
        raise InvalidInput(_("Choose either one notice or one village."))
    lines: list[str] = []
    if query.notice is not None:
        entries = [notice_entry(public_notice(query.notice))]
        name = f"notice-{query.notice}"
    else:
        unit = get_unit_by_code(query.village)
        entries = [notice_slide(n) for n in providers.showing_notices(unit)]
        if not entries:
            raise NotFound(_("No notices are showing in %(unit)s now.", unit=unit.name))
        name = f"{unit.code}-{clock.local_today().isoformat()}"
        lines = unit_ticker_lines(unit)   # the village's ticker, at the foot of each sheet
    if query.format == "png":
        if len(entries) > 1:
            raise InvalidInput(_("A village's notices come as one PDF; ask for format=pdf."))
        rendered = render_slide(entries[0], fmt, mode, context_for(entries[0]), query.page - 1)
    else:
        rendered = render_pdf([(entry, context_for(entry, ticker=lines)) for entry in entries], fmt, mode)
    return picture_response(rendered, **{"Content-Disposition": f'inline; filename="{name}.{query.format}"'})


@operation("/render/rotation-preview", method="POST", operation_id="previewRotation", tag=TAG, roles=MANAGERS,
           body=RotationPreviewIn, response=RotationPreview, errors=(404, 409, 422),
           summary="The strip of slides a screen would play now if this rotation were saved (nothing is saved)")
def preview_rotation(body: RotationPreviewIn):
    screen = screens.get_screen_for(current_user, body.screen)
    fmt = get_format(boards.default_size(screen))
    try:
        if body.rotation_id is None:
            rotations.create_rotation(current_user, body.rotation)
        else:
            rotations.update_rotation(current_user, rotations.get_rotation_for(current_user, body.rotation_id),
                                      body.rotation)
        db.session.flush()
        choice = choose_rotation(screen)
        strip = []
        for entry in playing_slides(screen):
            context = context_for(entry, {"unit": screen.unit.name})
            rendered = render_slide(entry, fmt, "colour", context, 0, THUMBNAIL_WIDTH // 2 + 40)
            strip.append(PreviewSlide(key=entry["key"], kind=entry["kind"],
                                      title=entry.get("title") or entry.get("caption") or "",
                                      duration=entry["duration"], pages=rendered.pages,
                                      image="data:image/png;base64," + base64.b64encode(rendered.data).decode()))
        return RotationPreview(playing=choice.rotation["name"] if choice.rotation else None, why=choice.reasons,
                               slides=strip)
    finally:
        db.session.rollback()    # a preview: the rotation, its audit entry and its events all vanish


@operation("/render/urgent-preview", method="GET", operation_id="previewUrgentNotice", tag=TAG, roles=MANAGERS,
           query=UrgentPreviewQuery, errors=(404, 422),
           summary="An urgent notice as it will cover the screens, before it is pushed")
def preview_urgent(query: UrgentPreviewQuery):
    unit = get_unit_by_code(query.unit)
    if not current_user.unit.contains(unit):
        raise Forbidden(_("You cannot publish for %(unit)s.", unit=unit.name))
    fmt = get_format(query.size, "landscape")
    entry = {"id": 0, "title": query.title, "body": query.body, "publisher": unit.name}
    image = draw(entry, fmt, "colour", context_for())
    return Response(png_bytes(downscaled(image, query.width) if query.width else image), mimetype="image/png",
                    headers={"Cache-Control": "no-store"})


@operation("/render/tickets/<token>", method="GET", operation_id="renderTicket", tag=TAG, public=True,
           query=TicketQuery, errors=(404, 422),
           summary="A queue ticket as a 1-bit picture for a 384- or 576-dot thermal printer (by the ticket's token)")
def render_ticket(token, query: TicketQuery):
    ticket = db.session.scalar(select(Ticket).where(Ticket.token == token)) if len(token) <= 64 else None
    if ticket is None:
        raise NotFound(_("No such ticket."))
    image = ticket_image(ticket, ahead_of(ticket), int(query.dots))
    return Response(png_bytes(image, 203), mimetype="image/png", headers={"Cache-Control": "no-store"})

