"""Drawn documents with personal data in them: a village ledger as a clean table and as a
photo-like scan. The demo attaches one, the OCR tests read them and bench/privacy_gate.py times them."""
import random
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter, ImageFont

FONT_PATHS = ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
              "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc")
LEDGER_CARD = "6222021234567890128"      # Luhn-valid, 19 digits
LEDGER_ROWS = (("10月3日", "道路维修材料款", "3,860.00", "李建国", LEDGER_CARD),
               ("10月9日", "村委会办公用品", "426.50", "王秀英", "—"),
               ("10月17日", "保洁员工资", "2,400.00", "张桂兰", "—"))


def _font(size: int) -> ImageFont.FreeTypeFont:
    for path in FONT_PATHS:
        if Path(path).exists():
            return ImageFont.truetype(path, size)
    raise FileNotFoundError("a CJK font (Debian fonts-noto-cjk) is needed to draw the sample ledger")


def ledger_image(rows=LEDGER_ROWS, title: str = "李庄村10月财务收支明细") -> Image.Image:
    """A ledger table as a spreadsheet printout: title, ruled grid, one payee with a bank card."""
    columns = (("日期", 150), ("摘要", 300), ("金额(元)", 170), ("收款人", 150), ("收款账号", 420))
    width, row_height, top = sum(w for _c, w in columns) + 80, 64, 140
    image = Image.new("RGB", (width, top + row_height * (len(rows) + 1) + 80), "white")
    draw = ImageDraw.Draw(image)
    draw.text((40, 40), title, font=_font(44), fill="black")
    font = _font(30)
    for row_index, row in enumerate((tuple(c for c, _w in columns), *rows)):
        y, x = top + row_index * row_height, 40
        for (_name, column_width), cell in zip(columns, row):
            draw.rectangle((x, y, x + column_width, y + row_height), outline="black", width=2)
            draw.text((x + 12, y + 14), cell, font=font, fill="black")
            x += column_width
    return image


def scanned(image: Image.Image, seed: int = 8) -> Image.Image:
    """The same page as a phone photo of paper: slightly turned, grey, blurred, speckled, JPEG-like."""
    generator = random.Random(seed)
    page = image.convert("L").rotate(1.2, expand=True, fillcolor=235, resample=Image.BICUBIC)
    page = page.filter(ImageFilter.GaussianBlur(0.8))
    pixels = page.load()
    for _unused in range(page.width * page.height // 40):
        x, y = generator.randrange(page.width), generator.randrange(page.height)
        pixels[x, y] = max(0, min(255, pixels[x, y] + generator.randint(-90, 90)))
    return page.point(lambda value: 40 + value * 190 // 255).convert("RGB")


def scanned_pdf(path: Path, pages: int = 1) -> Path:
    """An image-only PDF (no text layer), like a scanner's output: the scanned ledger on every page."""
    page = scanned(ledger_image())
    page.save(path, "PDF", resolution=150, save_all=True, append_images=[page] * (pages - 1))
    return path


def _pdf_string(text: str) -> str:
    return "(" + text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ")"


def text_pdf(path: Path, pages: list[str], title: str = "", annotation: str = "", form_value: str = "",
             annotation_page: int = 1) -> Path:
    """A PDF with a text layer: each page's lines (Latin-1, drawn in Helvetica), and optionally a
    Title in its document information, a comment (annotation) and a filled-in form field."""
    from pypdf import PdfWriter
    from pypdf.annotations import FreeText
    from pypdf.generic import (ArrayObject, DecodedStreamObject, DictionaryObject, NameObject, NumberObject,
                               TextStringObject)
    writer = PdfWriter()
    font = writer._add_object(DictionaryObject({
        NameObject("/Type"): NameObject("/Font"), NameObject("/Subtype"): NameObject("/Type1"),
        NameObject("/BaseFont"): NameObject("/Helvetica"), NameObject("/Encoding"): NameObject("/WinAnsiEncoding")}))
    for text in pages:
        page = writer.add_blank_page(595, 842)
        lines = "".join(f"{_pdf_string(line)} Tj 0 -16 Td " for line in text.splitlines() or [""])
        stream = DecodedStreamObject()
        stream.set_data(f"BT /F1 11 Tf 56 780 Td {lines}ET".encode("latin-1"))
        page[NameObject("/Contents")] = writer._add_object(stream)
        page[NameObject("/Resources")] = DictionaryObject({NameObject("/Font"): DictionaryObject(
            {NameObject("/F1"): font})})
    if title:
        writer.add_metadata({"/Title": title})
    if annotation:
        writer.add_annotation(annotation_page - 1, FreeText(text=annotation, rect=(50, 50, 300, 100)))
    if form_value:
        field = writer._add_object(DictionaryObject({
            NameObject("/FT"): NameObject("/Tx"), NameObject("/T"): TextStringObject("payee"),
            NameObject("/V"): TextStringObject(form_value), NameObject("/Rect"): ArrayObject(
                [NumberObject(0), NumberObject(0), NumberObject(10), NumberObject(10)])}))
        writer._root_object[NameObject("/AcroForm")] = DictionaryObject(
            {NameObject("/Fields"): ArrayObject([field])})
    with open(path, "wb") as out:
        writer.write(out)
    return path
