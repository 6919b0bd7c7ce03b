"""What of a file can reach the public, as pieces of text with where each came from.

A PDF: every page's text layer (all pages, however many), its document information (Title,
Author, Subject, Keywords...), bookmarks, annotations (comments, free text, link titles) and form
field values; pages without a usable text layer, or with pictures on them, are read by OCR. An
image is read by OCR. The cheap part runs during the upload; OCR runs in the background
(`disclosures.checks`), so `text_pieces` says which pages still need it."""
from dataclasses import asdict, dataclass, field
from pathlib import Path

from kiosk.files.pages import page_count, page_image
from kiosk.privacy import ocr

MIN_PAGE_TEXT = 30        # fewer characters than this on a page: it is a scan, read it by OCR
OCR_PAGE_WIDTH = 1800     # an A4 page drawn this wide keeps small digits readable


@dataclass(frozen=True)
class Piece:
    where: str                     # "page 3", "page 3 annotation", "metadata Title", "form field X", ...
    text: str
    page: int | None = None        # from 1
    box: list[int] | None = None   # left, top, right, bottom in the OCR'd image's pixels
    source: str = "text"           # "text" or "ocr"

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass
class TextScan:
    pieces: list[Piece] = field(default_factory=list)
    ocr_pages: list[int] = field(default_factory=list)   # from 1; for an image: [1]


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


def _has_pictures(page) -> bool:
    resources = page.get("/Resources")
    resources = resources.get_object() if resources is not None else {}
    objects = resources.get("/XObject") if hasattr(resources, "get") else None
    if objects is None:
        return False
    return any(item.get_object().get("/Subtype") == "/Image" for item in objects.get_object().values())


def scan_pdf_text(path: Path) -> TextScan:
    from pypdf import PdfReader
    reader = PdfReader(str(path), strict=False)
    scan = TextScan()
    for key, value in (reader.metadata or {}).items():
        scan.pieces += [Piece(f"metadata {key.lstrip('/')}", text) for text in _strings(value)]
    scan.pieces += [Piece("bookmark", title) for title in _outline_titles(reader.outline)]
    for name, form_field in (reader.get_fields() or {}).items():
        for key in ("/V", "/TU", "/DV"):
            scan.pieces += [Piece(f"form field {name}", text) for text in _strings(form_field.get(key))]
    for number, page in enumerate(reader.pages, 1):
        text = page.extract_text() or ""
        scan.pieces.append(Piece(f"page {number}", text, page=number))
        for annotation in page.get("/Annots") or []:
            annotation = annotation.get_object()
            for key in ("/Contents", "/T", "/Subj", "/RC", "/TU"):
                scan.pieces += [Piece(f"page {number} annotation", value, page=number)
                                for value in _strings(annotation.get(key))]
        if len("".join(text.split())) < MIN_PAGE_TEXT or _has_pictures(page):
            scan.ocr_pages.append(number)
    return scan


def scan_text(path: Path, media_type: str) -> TextScan:
    """The part of a file's check that needs no OCR (fast: runs while the upload waits)."""
    if media_type == "application/pdf":
        return scan_pdf_text(path)
    return TextScan(ocr_pages=[1])


def _lines(image, page: int | None, where: str) -> list[Piece]:
    return [Piece(where, line.text, page=page, box=list(line.box), source="ocr") for line in ocr.read_lines(image)]


def read_picture(image) -> list[Piece]:
    """OCR text lines of a picture: an uploaded image, or a picture for the screens' slides."""
    return _lines(image, None, "image")


def read_by_ocr(path: Path, media_type: str, pages: list[int]) -> list[Piece]:
    """OCR text lines of the given pages of a PDF, or of an image."""
    if media_type != "application/pdf":
        from PIL import Image
        with Image.open(path) as image:
            return read_picture(image)
    pieces = []
    for number in pages:
        if number <= page_count(path):
            pieces += _lines(page_image(path, number - 1, OCR_PAGE_WIDTH), number, f"page {number}")
    return pieces
