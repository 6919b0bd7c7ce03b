"""The OCR adapter: RapidOCR (PaddleOCR's Chinese models as ONNX, inside the PyPI wheel) reads
text lines with their boxes. Chosen over Tesseract chi_sim by measurement (bench/README.md): it
read every cell of the drawn ledger and the noisy scan, where Tesseract lost cells of the table.

The engine loads its models once per process (about a second) and is shared; one call at a time,
since the scheduler runs the checks one after another anyway.

Faint text (grey 236 on white 255) is below what the models read. On a picture that is mostly
white (a drawn page, a screenshot) every grey is darkened before reading: a steep curve that keeps
white white and black black, so light ink becomes dark. A scan or a photo (a grey background)
is read as it is: there the same curve would darken the paper."""
import threading
from dataclasses import dataclass

from PIL import Image, ImageStat

from kiosk.launch import off_the_event_loop

MAX_SIDE = 2400          # larger pages are scaled down first: digits stay readable, time stays bounded
WHITE_PAGE = 250         # a picture whose median grey is at least this is a white page
INK_CURVE = 12           # grey 236 → 100, 250 → 201, 128 → 0: faint ink as dark as print
BLANK = 250              # lighter than this is paper; only the part with anything darker is read
INK_MARGIN = 24          # pixels of paper kept around it, as the models expect text to have
_engine = None
_lock = threading.Lock()


@dataclass(frozen=True)
class Line:
    text: str
    box: tuple[int, int, int, int]     # left, top, right, bottom in the image's pixels
    confidence: float


def _load():
    global _engine
    if _engine is None:
        from rapidocr_onnxruntime import RapidOCR
        _engine = RapidOCR()
    return _engine


def _recognise(pixels):
    return _load()(pixels)   # loading the models takes seconds too: off the event loop as well


def _faint_ink_darkened(picture: Image.Image) -> Image.Image:
    if ImageStat.Stat(picture.convert("L")).median[0] < WHITE_PAGE:
        return picture
    curve = [round(255 * (value / 255) ** INK_CURVE) for value in range(256)]
    return picture.point(curve * 3)


def _inked_part(picture: Image.Image) -> tuple[int, int, int, int] | None:
    """The box around everything not white, with a margin (None: a blank picture). The models'
    time grows with the pixels they look at, and a sparse page is mostly margin and white."""
    ink = picture.convert("L").point(lambda grey: 255 if grey < BLANK else 0).getbbox()
    if ink is None:
        return None
    left, top, right, bottom = ink
    return (max(0, left - INK_MARGIN), max(0, top - INK_MARGIN),
            min(picture.width, right + INK_MARGIN), min(picture.height, bottom + INK_MARGIN))


def read_lines(image: Image.Image) -> list[Line]:
    """The text lines of an image, top to bottom, with boxes in the image's own pixels."""
    import numpy
    picture = _faint_ink_darkened(image.convert("RGB"))
    inked = _inked_part(picture)
    if inked is None:
        return []
    picture = picture.crop(inked)
    scale = min(1.0, MAX_SIDE / max(picture.size))
    if scale < 1.0:
        picture = picture.resize((round(picture.width * scale), round(picture.height * scale)))
    with _lock:
        result, _timings = off_the_event_loop(_recognise, numpy.asarray(picture))
    lines = []
    for points, text, confidence in result or []:
        xs, ys = [p[0] for p in points], [p[1] for p in points]
        left, top, right, bottom = (round(value / scale) for value in (min(xs), min(ys), max(xs), max(ys)))
        lines.append(Line(text, (left + inked[0], top + inked[1], right + inked[0], bottom + inked[1]),
                          float(confidence)))
    return sorted(lines, key=lambda line: (line.box[1], line.box[0]))
