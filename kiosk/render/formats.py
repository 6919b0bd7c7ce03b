"""The pictures the renderer makes: sizes, colour modes and file types.

`unit` is the CSS player's --u (min(1vw, 1vh)) for screens, so a slide has the proportions it
has in the browser; the A4 sheet at 300 dpi uses its own, for 12 pt body text read at arm's length.
"""
from dataclasses import dataclass

from flask_babel import gettext as _

from kiosk.core.errors import InvalidInput


@dataclass(frozen=True)
class Format:
    name: str
    width: int
    height: int
    unit: float
    dpi: int = 96
    default_mode: str = "colour"
    margin: float = 3.0    # page margin, in units (a printed sheet needs 1 cm)

    @property
    def landscape(self) -> bool:
        return self.width > self.height

    @property
    def is_print(self) -> bool:
        return self.name == "a4"


FORMATS = {f.name: f for f in (
    Format("portrait", 1080, 1920, 10.8),
    Format("landscape", 1920, 1080, 10.8),
    # E-paper panels (7.5" and 9.7"): larger type than the CSS unit gives, they are read close up.
    Format("epaper-800x480", 800, 480, 5.6, default_mode="mono"),
    Format("epaper-1200x825", 1200, 825, 8.6, default_mode="grey"),
    Format("a4", 2480, 3508, 12.0, dpi=300, margin=10.0),
)}
# colour: screens; grey: 16-level e-paper; mono: 1-bit e-paper (text thresholded, pictures dithered).
MODES = ("colour", "grey", "mono")


def get_format(name: str | None, default: str = "portrait") -> Format:
    fmt = FORMATS.get(name or default)
    if fmt is None:
        raise InvalidInput(_("Unknown size %(name)s; choose one of %(names)s.", name=name, names=", ".join(FORMATS)))
    return fmt


def get_mode(name: str | None, fmt: Format) -> str:
    mode = name or fmt.default_mode
    if mode not in MODES:
        raise InvalidInput(_("Unknown colour mode %(name)s; choose one of %(names)s.", name=name,
                             names=", ".join(MODES)))
    return mode
