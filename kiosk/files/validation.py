"""What an upload really is, decided from its bytes."""
import hashlib
import io
import logging
import unicodedata
import warnings
from dataclasses import dataclass

from flask_babel import gettext as _
from PIL import Image, UnidentifiedImageError

from kiosk.core.errors import InvalidInput, TooLarge, UnsupportedMedia

log = logging.getLogger(__name__)

# The formats we accept: media type → (magic bytes test, extension used on disk).
_SIGNATURES = {
    "application/pdf": (lambda head: head.startswith(b"%PDF-"), "pdf"),
    "image/png": (lambda head: head.startswith(b"\x89PNG\r\n\x1a\n"), "png"),
    "image/jpeg": (lambda head: head.startswith(b"\xff\xd8\xff"), "jpg"),
    "image/gif": (lambda head: head[:6] in (b"GIF87a", b"GIF89a"), "gif"),
    "image/webp": (lambda head: head[:4] == b"RIFF" and head[8:12] == b"WEBP", "webp"),
}
_PILLOW_FORMATS = {"PNG": "image/png", "JPEG": "image/jpeg", "GIF": "image/gif", "WEBP": "image/webp"}
IMAGES = frozenset(media for media in _SIGNATURES if media.startswith("image/"))
IMAGE_OR_PDF = IMAGES | {"application/pdf"}

# A scanned A4 page at 300 dpi is under 9 million pixels; a "bomb" claims far more than it carries.
MAX_IMAGE_PIXELS = 40_000_000


@dataclass(frozen=True)
class CheckedFile:
    data: bytes
    media_type: str
    extension: str
    display_name: str
    sha256: str
    width: int | None = None
    height: int | None = None

    @property
    def size(self) -> int:
        return len(self.data)

    @property
    def is_image(self) -> bool:
        return self.media_type in IMAGES


def clean_display_name(name: str | None) -> str:
    """The uploaded name, kept only as text to show: no path, no control characters, bounded."""
    name = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in unicodedata.normalize("NFC", name) if unicodedata.category(ch)[0] != "C")
    return name.strip()[:200] or "file"


def read_limited(stream, max_bytes: int) -> bytes:
    data = stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise TooLarge(_("The file is larger than %(size)s MB.", size=max_bytes // (1024 * 1024)))
    return data


def _check_image(data: bytes, media_type: str) -> tuple[int, int]:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                width, height = image.size
                if width * height > MAX_IMAGE_PIXELS:
                    raise TooLarge(_("The image has too many pixels (%(width)s × %(height)s).",
                                     width=width, height=height))
                if _PILLOW_FORMATS.get(image.format) != media_type:
                    raise UnsupportedMedia(_("The image's content does not match its format."))
                image.verify()
            # verify() checks structure only; decoding proves the pixels are really there.
            with Image.open(io.BytesIO(data)) as image:
                image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise TooLarge(_("The image has too many pixels."))
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        log.info("rejected an image: %s", error)
        raise UnsupportedMedia(_("The image is damaged or not really an image."))
    return width, height


def _check_pdf(data: bytes) -> None:
    """A PDF we can open, unprotected, with pages; a broken file is refused. Nothing is decoded
    here (a page's content may be a bomb): reading is the contained checker's work."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise UnsupportedMedia(_("Password-protected PDFs cannot be published; upload an unprotected copy."))
        if len(reader.pages) == 0:
            raise UnsupportedMedia(_("The PDF has no pages."))
    except UnsupportedMedia:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, IndexError, RecursionError) as error:
        log.info("rejected a PDF: %s", error)
        raise UnsupportedMedia(_("The PDF is damaged or not really a PDF."))


# Videos are judged by their first bytes here and by ffprobe in a contained process (kiosk/video):
# an MP4 (ISO base media) file opens with a box of type "ftyp", a WebM (Matroska) file with EBML's magic.
VIDEO_HEAD_BYTES = 16
_VIDEO_SIGNATURES = {
    "video/mp4": (lambda head: head[4:8] == b"ftyp", "mp4"),
    "video/webm": (lambda head: head.startswith(b"\x1a\x45\xdf\xa3"), "webm"),
}


def video_kind(head: bytes) -> tuple[str, str]:
    """(media type, extension) of a video by its first bytes; UnsupportedMedia if it is neither kind."""
    for media_type, (test, extension) in _VIDEO_SIGNATURES.items():
        if test(head):
            return media_type, extension
    raise UnsupportedMedia(_("Only these file types are accepted: %(types)s.", types="MP4, WebM"))


def check_upload(stream, filename: str | None, *, kinds=IMAGE_OR_PDF, max_bytes: int) -> CheckedFile:
    """Read at most `max_bytes` from `stream` and decide what the file is by its content."""
    data = read_limited(stream, max_bytes)
    if not data:
        raise InvalidInput(_("The file is empty."))
    media_type = next((media for media, (test, _ext) in _SIGNATURES.items() if test(data[:16])), None)
    if media_type not in kinds:
        allowed = ", ".join(sorted(_SIGNATURES[kind][1].upper() for kind in kinds))
        raise UnsupportedMedia(_("Only these file types are accepted: %(types)s.", types=allowed))
    width = height = None
    if media_type in IMAGES:
        width, height = _check_image(data, media_type)
    else:
        _check_pdf(data)
    return CheckedFile(data=data, media_type=media_type, extension=_SIGNATURES[media_type][1],
                       display_name=clean_display_name(filename), sha256=hashlib.sha256(data).hexdigest(),
                       width=width, height=height)
