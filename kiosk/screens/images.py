"""Pictures for image slides: checked with Pillow, re-encoded (dropping anything hidden in the file),
stored once per content under KIOSK_UPLOAD_PATH/screens."""
import hashlib
import io
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError
from sqlalchemy import select

from kiosk.accounts.models import User
from kiosk.audit.operations import record_change
from kiosk.core.errors import InvalidInput, TooLarge, UnsupportedMedia
from kiosk.extensions import db
from kiosk.org.models import Unit
from kiosk.screens.models import SlideImage
from kiosk.screens.operations import ensure_manager

MAX_BYTES = 15 * 1024 * 1024
MAX_PIXELS = 40_000_000
# Screens are at most 4K; a larger picture only costs the player memory.
MAX_SIDE = 3840
ACCEPTED = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}


def image_dir() -> Path:
    path = Path(current_app.config["KIOSK_UPLOAD_PATH"]) / "screens"
    path.mkdir(parents=True, exist_ok=True)
    return path


def image_path(image: SlideImage) -> Path:
    return image_dir() / f"{image.sha256}.{image.content_type.split('/')[1]}"


def _decode(data: bytes) -> tuple[Image.Image, str]:
    try:
        with Image.open(io.BytesIO(data)) as probe:
            kind = probe.format
            if kind not in ACCEPTED:
                raise UnsupportedMedia(_("Upload a JPEG, PNG or WebP picture."))
            if probe.width * probe.height > MAX_PIXELS:
                raise TooLarge(_("The picture has too many pixels (at most 40 million)."))
            probe.load()
            picture = ImageOps.exif_transpose(probe)
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError):
        raise UnsupportedMedia(_("This file is not a picture we can read."))
    return picture, kind


def store_image(user: User, unit: Unit, name: str, data: bytes) -> SlideImage:
    ensure_manager(user, unit)
    if not data:
        raise InvalidInput(_("The file is empty."))
    if len(data) > MAX_BYTES:
        raise TooLarge(_("The picture is larger than 15 MB."))
    picture, kind = _decode(data)
    picture.thumbnail((MAX_SIDE, MAX_SIDE))
    if kind == "JPEG" or picture.mode not in ("RGB", "RGBA"):
        picture = picture.convert("RGBA" if "A" in picture.getbands() and kind != "JPEG" else "RGB")
    buffer = io.BytesIO()
    picture.save(buffer, format=kind, quality=88)
    clean = buffer.getvalue()
    digest = hashlib.sha256(clean).hexdigest()
    existing = db.session.scalar(select(SlideImage).where(SlideImage.sha256 == digest, SlideImage.unit_id == unit.id))
    if existing:
        return existing
    image = SlideImage(unit=unit, name=(name or "image")[:120], sha256=digest, content_type=ACCEPTED[kind],
                       width=picture.width, height=picture.height)
    db.session.add(image)
    db.session.flush()
    image_path(image).write_bytes(clean)
    record_change("slide_image.create", image)
    return image


def images_visible_to(user: User) -> list[SlideImage]:
    return list(db.session.scalars(select(SlideImage).join(Unit).where(Unit.path.startswith(user.unit.path))
                                   .order_by(SlideImage.id.desc())))
