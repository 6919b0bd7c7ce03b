"""Black boxes drawn over an image by the server (Pillow): the editor marks where, we paint it,
and the result is a new file that is checked again from scratch."""
import io

from flask_babel import gettext as _
from PIL import Image, ImageDraw

from kiosk.core.errors import InvalidInput

MAX_BOXES = 50
MARGIN = 4   # pixels added around each box: OCR boxes hug the glyphs


def _clamped(box, width: int, height: int) -> tuple[int, int, int, int]:
    try:
        left, top, right, bottom = (int(value) for value in box)
    except (TypeError, ValueError):
        raise InvalidInput(_("A box is four numbers: left, top, right, bottom."), details={"field": "boxes"})
    left, right = sorted((left, right))
    top, bottom = sorted((top, bottom))
    left, top = max(0, left - MARGIN), max(0, top - MARGIN)
    right, bottom = min(width, right + MARGIN), min(height, bottom + MARGIN)
    if right - left < 2 or bottom - top < 2:
        raise InvalidInput(_("A box lies outside the image or is too small."), details={"field": "boxes"})
    return left, top, right, bottom


def blacken(data: bytes, boxes: list, image_format: str) -> bytes:
    """The image with every box filled black, saved again in its own format (metadata dropped)."""
    if not boxes or len(boxes) > MAX_BOXES:
        raise InvalidInput(_("Draw between 1 and %(count)s boxes.", count=MAX_BOXES), details={"field": "boxes"})
    with Image.open(io.BytesIO(data)) as original:
        image = original.convert("RGB")
    draw = ImageDraw.Draw(image)
    for box in boxes:
        draw.rectangle(_clamped(box, image.width, image.height), fill="black")
    out = io.BytesIO()
    image.save(out, format=image_format)
    return out.getvalue()
