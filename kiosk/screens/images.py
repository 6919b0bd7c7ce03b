"""Pictures for image slides: checked by kiosk.files (content, not name), re-encoded (dropping
metadata and anything hidden in the file, scaled to at most 4K), stored once per content under
KIOSK_UPLOAD_PATH/screens, and read by the privacy gate before any screen shows them."""
import hashlib
import io
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _
from PIL import Image, ImageOps
from sqlalchemy import select

from kiosk import privacy
from kiosk.accounts.models import User
from kiosk.audit.operations import record_change
from kiosk.extensions import db
from kiosk.files.validation import IMAGES, check_upload
from kiosk.org.models import Unit
from kiosk.privacy import files as privacy_files
from kiosk.screens.models import SlideImage
from kiosk.screens.operations import ensure_manager

MAX_BYTES = 15 * 1024 * 1024
# Screens are at most 4K; a larger picture only costs the player memory.
MAX_SIDE = 3840
ACCEPTED = IMAGES - {"image/gif"}  # re-encoding would stop an animation; slides change by themselves
PILLOW_FORMAT = {"image/jpeg": "JPEG", "image/png": "PNG", "image/webp": "WEBP"}


def image_dir() -> Path:
    path = Path(current_app.config["KIOSK_UPLOAD_PATH"]) / "screens"
    path.mkdir(parents=True, exist_ok=True)
    return path


def image_path(image: SlideImage) -> Path:
    return image_dir() / f"{image.sha256}.{image.content_type.split('/')[1]}"


def _reencoded(data: bytes, media_type: str) -> tuple[bytes, int, int]:
    with Image.open(io.BytesIO(data)) as original:
        picture = ImageOps.exif_transpose(original)
        picture.thumbnail((MAX_SIDE, MAX_SIDE))
        if media_type == "image/jpeg" or picture.mode not in ("RGB", "RGBA"):
            picture = picture.convert("RGBA" if "A" in picture.getbands() and media_type != "image/jpeg" else "RGB")
        buffer = io.BytesIO()
        picture.save(buffer, format=PILLOW_FORMAT[media_type], quality=88)
        return buffer.getvalue(), picture.width, picture.height


def store_image(user: User, unit: Unit, stream, filename: str | None) -> SlideImage:
    ensure_manager(user, unit)
    checked = check_upload(stream, filename, kinds=ACCEPTED, max_bytes=MAX_BYTES)
    clean, width, height = _reencoded(checked.data, checked.media_type)
    digest = hashlib.sha256(clean).hexdigest()
    existing = db.session.scalar(select(SlideImage).where(SlideImage.sha256 == digest, SlideImage.unit_id == unit.id))
    if existing:
        return existing
    _ensure_no_personal_data(clean)
    image = SlideImage(unit=unit, name=checked.display_name[:120], sha256=digest, content_type=checked.media_type,
                       width=width, height=height)
    db.session.add(image)
    db.session.flush()
    image_path(image).write_bytes(clean)
    record_change("slide_image.create", image)
    return image


def _ensure_no_personal_data(data: bytes) -> None:
    """A slide picture is shown on the screens as it is, so the gate reads it first (OCR, seconds),
    as it reads a notice's scanned pages; a finding is refused: black it out, or choose another."""
    with Image.open(io.BytesIO(data)) as picture:
        pieces = [piece.as_dict() for piece in privacy_files.read_picture(picture)]
    findings = privacy.find_in_pieces(pieces, "picture")
    if findings:
        raise privacy.findings_conflict(findings, _(
            "The picture shows personal data (%(examples)s). Black it out, or choose another picture.",
            examples=", ".join(finding.masked for finding in findings[:3])))


def images_visible_to(user: User) -> list[SlideImage]:
    return list(db.session.scalars(select(SlideImage).join(Unit).where(Unit.path.startswith(user.unit.path))
                                   .order_by(SlideImage.id.desc())))
