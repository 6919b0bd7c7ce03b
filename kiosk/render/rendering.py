"""The renderer's entry points: a slide (or an urgent notice) as PNG or PDF, from the cache when
the same picture was drawn before.

    render_slide(entry, fmt, mode, context, page)   -> Rendered (PNG bytes, its key, the page count)
    render_pdf([(entry, context), ...], fmt, mode) -> one PDF of every page of every notice
"""
import io
from dataclasses import dataclass

from flask import current_app
from PIL import Image

from kiosk.render import fonts, slides
from kiosk.render.cache import ByteCache, content_key
from kiosk.render.formats import Format
from kiosk.render.paint import downscaled
from kiosk.render.slides import Context
from kiosk.render.sources import slide_picture

# Keys of a slide dict that say when it plays, not what it shows.
NOT_DRAWN = ("windows", "duration", "until", "key", "starts", "countdown", "comment_countdown")
PNG_COMPRESSION = 3     # fast; the pictures are flat colour and text, so little is lost against 9
JPEG_QUALITY_IN_PDF = 92


@dataclass
class Rendered:
    data: bytes
    key: str
    pages: int
    media_type: str = "image/png"


def _cache(name: str) -> ByteCache:
    return current_app.extensions[name]


def drawn(entry: dict, context: Context) -> list:
    """Everything a picture of `entry` depends on: the key of its cache entry and its ETag."""
    data = {k: v for k, v in entry.items() if k not in NOT_DRAWN}
    kind = entry.get("kind", "urgent")
    extra: dict = {"words": context.words, "font": fonts.configured(),
                   "logo": current_app.config.get("KIOSK_QR_LOGO"), "ticker": list(context.ticker)}
    if kind == "notice":
        extra["days_left"] = slides.publicity_left(entry, context.today)
        extra["comment_left"] = slides.comment_left(entry, context.now)
        extra["channels"] = context.channels
    elif kind == "clock":
        extra.update(minute=context.now.strftime("%Y-%m-%d %H:%M"), unit=context.unit)
    return [data, extra]


def _geometry(entry: dict, fmt: Format, context: Context, key: str) -> slides.NoticeGeometry:
    cache = _cache("kiosk_render_layouts")
    geometry = cache.get(key)
    if geometry is None:
        geometry = slides.notice_geometry(entry, fmt, context)
        cache.put(key, geometry, 1)
    return geometry


def page_count(entry: dict, fmt: Format, context: Context) -> int:
    if entry.get("kind") != "notice":
        return 1
    fmt = slides.body_format(fmt, context)
    return len(_geometry(entry, fmt, context, content_key("layout", fmt.name, drawn(entry, context))).pages)


def draw(entry: dict, fmt: Format, mode: str, context: Context, page: int = 0) -> Image.Image:
    """The picture of one page of a slide (an urgent notice is a dict without "kind"), above the
    static strip of the ticker lines in the context."""
    body = _draw_body(entry, slides.body_format(fmt, context), mode, context, page)
    return slides.with_ticker(body, fmt, mode, context)


def _draw_body(entry: dict, fmt: Format, mode: str, context: Context, page: int) -> Image.Image:
    kind = entry.get("kind")
    if kind == "notice":
        geometry = _geometry(entry, fmt, context, content_key("layout", fmt.name, drawn(entry, context)))
        return slides.draw_notice(entry, fmt, mode, context, min(page, len(geometry.pages) - 1), geometry)
    if kind in ("image", "video"):      # a video slide: its poster (an image-only board plays no video)
        return slides.draw_picture(entry, fmt, mode, context, slide_picture(entry))
    if kind == "qr":
        return slides.draw_qr_card(entry, fmt, mode, context)
    if kind == "queue":
        return slides.draw_queue(entry, fmt, mode, context)
    if kind is None:
        return slides.draw_urgent(entry, fmt, mode, context)
    if kind == "pairing":
        return slides.draw_pairing(entry, fmt, mode, context)
    if kind == "sleep":
        return slides.draw_sleep(entry, fmt, mode, context)
    return slides.draw_clock(entry, fmt, mode, context)


def png_bytes(image: Image.Image, dpi: int = 96) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", compress_level=PNG_COMPRESSION, dpi=(dpi, dpi))
    return buffer.getvalue()


def render_slide(entry: dict, fmt: Format, mode: str, context: Context, page: int = 0,
                 width: int | None = None) -> Rendered:
    """One page of a slide as PNG, `width` pixels wide when a thumbnail is wanted."""
    pages = page_count(entry, fmt, context)
    page = max(0, min(page, pages - 1))
    key = content_key("png", fmt.name, mode, page, width, drawn(entry, context))
    cache = _cache("kiosk_render_images")
    data = cache.get(key)
    if data is None:
        image = draw(entry, fmt, mode, context, page)
        data = png_bytes(downscaled(image, width) if width else image, fmt.dpi)
        cache.put(key, data, len(data))
    return Rendered(data, key, pages)


def render_pdf(entries: list[tuple[dict, Context]], fmt: Format, mode: str) -> Rendered:
    """Every page of every slide, in order, as one PDF at the format's resolution."""
    key = content_key("pdf", fmt.name, mode, [drawn(entry, context) for entry, context in entries])
    cache = _cache("kiosk_render_images")
    data = cache.get(key)
    if data is None:
        images = [draw(entry, fmt, mode, context, page) for entry, context in entries
                  for page in range(page_count(entry, fmt, context))]
        buffer = io.BytesIO()
        # Colour and grey pages go in as JPEG (quality high enough for sharp 300 dpi text); 1-bit
        # pages as CCITT G4, lossless and small.
        quality = {} if mode == "mono" else {"quality": JPEG_QUALITY_IN_PDF}
        images[0].save(buffer, format="PDF", save_all=True, append_images=images[1:], resolution=fmt.dpi, **quality)
        data = buffer.getvalue()
        cache.put(key, data, len(data))
    return Rendered(data, key, 0, "application/pdf")


def install_caches(app) -> None:
    limit = app.config["KIOSK_RENDER_CACHE_MB"] * 1024 * 1024
    app.extensions["kiosk_render_images"] = ByteCache(limit)
    app.extensions["kiosk_render_layouts"] = ByteCache(256)
