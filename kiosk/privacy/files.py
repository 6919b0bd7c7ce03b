"""What of a file can reach the public, as pieces of text with where each came from.

Everything is read from the public copy (`derivatives.py`), in the checker's own process
(`sandbox.py`). A PDF: every page's text layer, its document information, bookmarks, annotations
and form fields, and every page drawn (annotations' appearances included) and read by OCR
whatever its text layer says, so a lying text layer or digits drawn as strokes are read as shown;
both readings are checked. A picture: every frame read by OCR. QR codes and barcodes on pages and
pictures are decoded and their text checked too."""
import hashlib
from dataclasses import asdict, dataclass, replace
from pathlib import Path

from PIL import Image

from kiosk.files.pages import page_count, page_image
from kiosk.privacy import ocr
from kiosk.privacy.derivatives import frames

OCR_PAGE_WIDTH = 1800     # an A4 page drawn this wide keeps small digits readable


@dataclass(frozen=True)
class Piece:
    where: str                     # "page 3", "page 3 annotation", "metadata Title", "form field X", ...
    text: str
    page: int | None = None        # from 1
    box: list[int] | None = None   # left, top, right, bottom in the OCR'd image's pixels
    source: str = "text"           # "text", "ocr" or "barcode"

    def as_dict(self) -> dict:
        return asdict(self)


def _strings(value) -> list[str]:
    """Every string inside a PDF object (annotation rich text, arrays of names, ...), one level deep."""
    from pypdf.generic import ArrayObject, TextStringObject, ByteStringObject
    value = value.get_object() if hasattr(value, "get_object") else value
    if isinstance(value, (TextStringObject, str)):
        return [str(value)]
    if isinstance(value, ByteStringObject):
        return [value.decode("latin-1")]
    if isinstance(value, ArrayObject):
        return [text for item in value for text in _strings(item)]
    return []


def _outline_titles(items) -> list[str]:
    titles = []
    for item in items:
        if isinstance(item, list):
            titles += _outline_titles(item)
        elif getattr(item, "title", None):
            titles.append(item.title)
    return titles


def pdf_text_pieces(path: Path) -> list[Piece]:
    """What a PDF says in text: information, bookmarks, form fields, each page's text layer and
    annotations."""
    from pypdf import PdfReader
    reader = PdfReader(str(path), strict=False)
    pieces = []
    for key, value in (reader.metadata or {}).items():
        pieces += [Piece(f"metadata {key.lstrip('/')}", text) for text in _strings(value)]
    pieces += [Piece("bookmark", title) for title in _outline_titles(reader.outline)]
    for name, form_field in (reader.get_fields() or {}).items():
        for key in ("/V", "/TU", "/DV", "/Opt"):
            pieces += [Piece(f"form field {name}", text) for text in _strings(form_field.get(key))]
    for number, page in enumerate(reader.pages, 1):
        pieces.append(Piece(f"page {number}", page.extract_text() or "", page=number))
        for annotation in page.get("/Annots") or []:
            annotation = annotation.get_object()
            for key in ("/Contents", "/T", "/Subj", "/RC", "/TU"):
                pieces += [Piece(f"page {number} annotation", value, page=number)
                           for value in _strings(annotation.get(key))]
    return pieces


def _seen(image: Image.Image, page: int | None, where: str, read_before: dict | None = None) -> list[Piece]:
    """What a reader sees on a picture: its text lines, and the text of its QR codes and barcodes.
    With `read_before` (one dict per file), a picture drawn pixel for pixel as one already read is
    not read again (OCR reads the same pixels the same way): the same reading, placed on this page.
    Pages drawn alike (a form's empty continuation sheets, a hostile file's copies of one page up to
    the page limit) cost one reading: a 30-page PDF of one repeated page and a last one took 30
    readings of seconds each, twice when the clerk replaced it with a masked copy."""
    import zxingcpp
    key = None
    if read_before is not None:
        key = (image.mode, image.size, hashlib.sha256(image.tobytes()).digest())
        if key in read_before:
            return [replace(piece, page=page, where=where + piece.where) for piece in read_before[key]]
    pieces = [Piece("", line.text, box=list(line.box), source="ocr") for line in ocr.read_lines(image)]
    for code in zxingcpp.read_barcodes(image.convert("RGB")):
        corners = (code.position.top_left, code.position.top_right, code.position.bottom_left,
                   code.position.bottom_right)
        box = [min(p.x for p in corners), min(p.y for p in corners), max(p.x for p in corners),
               max(p.y for p in corners)]
        pieces.append(Piece(f" {code.format.name}", code.text, box=box, source="barcode"))
    if key is not None:
        read_before[key] = pieces
    return [replace(piece, page=page, where=where + piece.where) for piece in pieces]


def read_picture(image: Image.Image) -> list[Piece]:
    """What every frame of a picture shows: an uploaded image, or a picture for the screens' slides."""
    all_frames = frames(image)
    if len(all_frames) == 1:
        return _seen(all_frames[0], None, "image")
    read_before: dict = {}
    return [piece for number, frame in enumerate(all_frames, 1)
            for piece in _seen(frame, None, f"image frame {number}", read_before)]


def read_file(path: Path, media_type: str) -> list[Piece]:
    """Every text the public can get from a (public copy of a) file, read and seen."""
    if media_type != "application/pdf":
        with Image.open(path) as image:
            return read_picture(image)
    pieces = pdf_text_pieces(path)
    read_before: dict = {}
    for index in range(page_count(path)):
        pieces += _seen(page_image(path, index, OCR_PAGE_WIDTH), index + 1, f"page {index + 1}", read_before)
    return pieces
