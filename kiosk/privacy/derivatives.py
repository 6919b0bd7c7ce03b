"""The copy the public gets: made by us from what the file shows, never the upload's own bytes.

A picture is re-encoded from its pixels, every frame of an animation kept: EXIF (GPS too), PNG
text chunks, JPEG comments, ICC profiles and anything appended after the image are left behind.
A PDF is rewritten page by page into a new file: no embedded files, JavaScript, open or page
actions, links, XMP or document information, hidden layers (optional content is dropped, so
whatever it hid is drawn and read), form fields and their options, or earlier revisions of an
incremental update (only the pages as shown now are copied). A PDF with pictures on its pages is
published as pictures of its pages instead: a picture inside a PDF can carry its own EXIF and
hidden data, which cannot be cleaned safely in place. Runs in the checker's own process."""
import io
from pathlib import Path

from PIL import Image, ImageSequence

PICTURE_PAGE_WIDTH = 1654          # an A4 page at 200 dpi: small print stays readable
# Annotations the public never needs, that carry files, sounds, scripts or forms.
_DROPPED_ANNOTATIONS = {"/Link", "/FileAttachment", "/Sound", "/Movie", "/Screen", "/RichMedia", "/3D",
                        "/Widget", "/Popup"}
_DROPPED_ANNOTATION_KEYS = ("/A", "/AA", "/Parent", "/Opt", "/V", "/DV", "/RC")
_DROPPED_PAGE_KEYS = ("/AA", "/Metadata", "/PieceInfo", "/Thumb", "/B")
_PILLOW_FORMATS = {"image/png": "PNG", "image/jpeg": "JPEG", "image/gif": "GIF", "image/webp": "WEBP"}


def make_derivative(source: Path, media_type: str, target: Path) -> None:
    """Write the public copy of `source` to `target` (same media type)."""
    if media_type == "application/pdf":
        if _has_pictures(source):
            _pdf_as_pictures(source, target)
        else:
            _rewritten_pdf(source, target)
    else:
        _reencoded_picture(source, media_type, target)


def frames(image: Image.Image) -> list[Image.Image]:
    """Every frame of a picture as bare RGB(A) pixels (one for a still picture), without the
    original's info (EXIF, comment, ICC profile): Pillow would write those again when saving."""
    pictures = [frame.convert("RGBA" if _has_alpha(frame) else "RGB") for frame in ImageSequence.Iterator(image)]
    for picture in pictures:
        picture.info = {}
    return pictures


def _has_alpha(frame: Image.Image) -> bool:
    return frame.mode in ("RGBA", "LA", "PA") or "transparency" in frame.info


def _reencoded_picture(source: Path, media_type: str, target: Path) -> None:
    with Image.open(source) as original:
        pictures = frames(original)
        durations = [original.info.get("duration", 100)] * len(pictures)
        loop = original.info.get("loop", 0)
    image_format = _PILLOW_FORMATS[media_type]
    if image_format == "JPEG":
        pictures = [picture.convert("RGB") for picture in pictures]
    options = {"format": image_format}
    if len(pictures) > 1:
        options.update(save_all=True, append_images=pictures[1:], duration=durations, loop=loop)
    if image_format == "WEBP":
        options["lossless"] = True
    if image_format == "JPEG":
        options["quality"] = 90
    # Saved from bare pixels: Pillow writes no EXIF, text chunk, comment or profile we do not give it.
    pictures[0].save(target, **options)


def _has_pictures(source: Path) -> bool:
    from pypdf import PdfReader
    for page in PdfReader(str(source), strict=False).pages:
        resources = page.get("/Resources")
        objects = resources.get_object().get("/XObject") if resources is not None else None
        if objects is not None and any(item.get_object().get("/Subtype") == "/Image"
                                       for item in objects.get_object().values()):
            return True
    return False


def _pdf_as_pictures(source: Path, target: Path) -> None:
    from pypdf import PdfReader, PdfWriter

    from kiosk.files.pages import page_count, page_image
    writer = PdfWriter()
    for index in range(page_count(source)):    # one page in memory at a time
        page = io.BytesIO()
        page_image(source, index, PICTURE_PAGE_WIDTH).save(page, "PDF", resolution=200)
        writer.append(PdfReader(page))
    writer.metadata = None
    with open(target, "wb") as out:
        writer.write(out)


def _rewritten_pdf(source: Path, target: Path) -> None:
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import ArrayObject, NameObject
    reader = PdfReader(str(source), strict=False)
    writer = PdfWriter()
    for page in reader.pages:
        # Cleaned before copying, so that nothing left out is copied along.
        for key in _DROPPED_PAGE_KEYS:
            page.pop(key, None)
        if "/Annots" in page:
            kept = ArrayObject(reference for reference in page["/Annots"]
                               if reference.get_object().get("/Subtype") not in _DROPPED_ANNOTATIONS)
            for annotation in kept:
                for key in _DROPPED_ANNOTATION_KEYS:
                    annotation.get_object().pop(key, None)
            page[NameObject("/Annots")] = kept
        writer.add_page(page)
    # Only the pages were copied: the catalogue's names (embedded files, scripts), open action,
    # forms, optional content, outlines and XMP stay behind, and the new file has one revision.
    writer.metadata = None
    writer.compress_identical_objects(remove_duplicates=False, remove_unreferenced=True)
    with open(target, "wb") as out:
        writer.write(out)
