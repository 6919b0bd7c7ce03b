"""Drawing on one page: text, boxes and pictures, in the page's colour mode, and the page as a
greyscale or 1-bit picture for e-paper with text kept crisp (only pictures are dithered)."""
from PIL import Image, ImageColor, ImageDraw, ImageOps

from kiosk.render import fonts
from kiosk.render.formats import Format

INK, PAPER, MUTED, ALERT, RULE = "#111111", "#fffdf7", "#4a4a4a", "#8b0000", "#bbbbbb"
# A 1-bit page has no grey: text at this lightness or darker becomes black, the rest white.
MONO_THRESHOLD = 160


def luminance(colour: str) -> int:
    return ImageColor.getcolor(colour, "L")


class Painter:
    """One page being drawn. In mono mode every colour becomes black or white as it is drawn,
    so coloured bands turn into black bands with white text instead of a dithered grey."""

    def __init__(self, fmt: Format, mode: str, background: str = PAPER):
        self.fmt, self.mode = fmt, mode
        self.image = Image.new("RGB", (fmt.width, fmt.height), self.colour(background, light=True))
        self.draw = ImageDraw.Draw(self.image)
        self.pictures: list[tuple[int, int, int, int]] = []   # areas to dither, not threshold
        self.u = fmt.unit

    def colour(self, colour: str, light: bool = False) -> str:
        if self.mode != "mono":
            return colour
        return "#ffffff" if luminance(colour) > (230 if not light else 120) else "#000000"

    def text(self, xy, text: str, size: float, colour: str = INK, bold: bool = False, anchor: str = "la") -> None:
        if text:
            self.draw.text(xy, fonts.shown(text), font=fonts.font(size, bold), fill=self.colour(colour), anchor=anchor)

    def box(self, rectangle, fill: str | None = None, outline: str | None = None, width: int = 1,
            light: bool = False) -> None:
        self.draw.rectangle(rectangle, fill=fill and self.colour(fill, light), outline=outline and self.colour(
            outline), width=width)

    def line(self, points, colour: str = RULE, width: int = 1) -> None:
        self.draw.line(points, fill=self.colour(colour), width=width)

    def picture(self, picture: Image.Image, box: tuple[int, int, int, int]) -> tuple[int, int, int, int]:
        """A photo fitted inside `box` (centred, proportions kept); returns where it went."""
        fitted = ImageOps.contain(picture.convert("RGB"), (box[2] - box[0], box[3] - box[1]))
        x = box[0] + (box[2] - box[0] - fitted.width) // 2
        y = box[1] + (box[3] - box[1] - fitted.height) // 2
        self.image.paste(fitted, (x, y))
        self.pictures.append((x, y, x + fitted.width, y + fitted.height))
        return x, y, x + fitted.width, y + fitted.height

    def code(self, picture: Image.Image, xy: tuple[int, int]) -> None:
        """A QR code: pasted pixel for pixel, never scaled or dithered."""
        self.image.paste(picture.convert("RGB"), xy)

    def finished(self) -> Image.Image:
        return convert(self.image, self.mode, self.pictures)


def convert(image: Image.Image, mode: str, pictures=()) -> Image.Image:
    if mode == "colour":
        return image
    grey = image.convert("L")
    if mode == "grey":
        return grey.point(lambda v: (v + 8) // 17 * 17)   # the 16 levels of a greyscale e-paper panel
    crisp = grey.point(lambda v: 255 if v >= MONO_THRESHOLD else 0).convert("1", dither=Image.Dither.NONE)
    if not pictures:
        return crisp
    mask = Image.new("1", image.size, 0)
    mask_draw = ImageDraw.Draw(mask)
    for area in pictures:
        mask_draw.rectangle((area[0], area[1], area[2] - 1, area[3] - 1), fill=1)
    dithered = grey.convert("1", dither=Image.Dither.FLOYDSTEINBERG)
    return Image.composite(dithered, crisp, mask)


def downscaled(image: Image.Image, width: int) -> Image.Image:
    """A thumbnail `width` pixels wide (for staff pages)."""
    if image.mode == "1":
        image = image.convert("L")
    return image.resize((width, round(image.height * width / image.width)), Image.Resampling.LANCZOS) \
        if width < image.width else image

