"""PDF pages as pictures: for OCR of scanned pages, for kiosks and phones that cannot show a PDF,
and for print previews. pypdfium2 (PDFium, the PDF engine of Chromium) does the rasterising."""
import glob
from io import BytesIO
from pathlib import Path

from flask import current_app
from PIL import Image

# A page is drawn at most this many pixels on its longer side, whatever width is asked for,
# so that a hostile page size cannot make us allocate gigabytes.
MAX_PAGE_PIXELS = 4000


def page_count(path: Path | str) -> int:
    import pypdfium2

    document = pypdfium2.PdfDocument(str(path))
    try:
        return len(document)
    finally:
        document.close()


def page_image(path: Path | str, index: int, width: int = 1200) -> Image.Image:
    """Page `index` (from 0) drawn `width` pixels wide on white, as an RGB image."""
    import pypdfium2

    document = pypdfium2.PdfDocument(str(path))
    try:
        if not 0 <= index < len(document):
            raise IndexError(f"the document has no page {index + 1}")
        page = document[index]
        page_width, page_height = page.get_size()
        longer = max(page_width, page_height) or 1
        scale = min(width / (page_width or 1), MAX_PAGE_PIXELS / longer)
        bitmap = page.render(scale=scale, fill_color=(255, 255, 255, 255))
        return bitmap.to_pil().convert("RGB")
    finally:
        document.close()


def page_png(path: Path, index: int, width: int) -> bytes:
    """Page `index` as a PNG, drawn once and then kept in the instance folder: a stored file never
    changes (a new or masked document gets a new random name), so its pictures never go stale.
    IndexError when the document has no such page."""
    cache = _pictures()
    cached = cache / f"{Path(path).name}-{index}-{width}.png"
    if not cached.exists():
        buffer = BytesIO()
        page_image(path, index, width).save(buffer, format="PNG", optimize=True)
        cache.mkdir(parents=True, exist_ok=True)
        partial = cached.with_suffix(".part")
        partial.write_bytes(buffer.getvalue())
        partial.replace(cached)   # another request drawing the same page at once finds a whole file
    return cached.read_bytes()


def forget_pictures(stored_name: str) -> None:
    """Delete the pictures of a stored file's pages, with the file (a document replaced by its
    masked copy must not stay on disk as pictures)."""
    for picture in _pictures().glob(f"{glob.escape(stored_name)}-*.png"):
        picture.unlink(missing_ok=True)


def _pictures() -> Path:
    return Path(current_app.instance_path) / "page-pictures"
