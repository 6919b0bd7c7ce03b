"""The typefaces the renderer draws with, from a font package (Debian's fonts-noto-cjk by default).

KIOSK_RENDER_FONT and KIOSK_RENDER_FONT_BOLD name the font files, KIOSK_RENDER_FONT_FACE the face
inside a collection (.ttc). A character the regular face lacks is drawn as a visible placeholder (□):
refusing the picture instead blanked a board for as long as the notice showed. The reviewer is
warned before approval (`unshown`), so the placeholder is never a surprise.
"""
from dataclasses import dataclass
from functools import lru_cache

from flask import current_app
from fontTools.ttLib import TTCollection, TTFont
from PIL import ImageFont

# Layout characters that are never drawn as glyphs.
NOT_DRAWN = frozenset("\n\r\t\u200b\ufeff")
# Drawn in place of a character the font lacks (Noto Sans CJK has it).
PLACEHOLDER = "□"


@dataclass(frozen=True)
class FontChoice:
    regular: str
    bold: str
    face: str


def configured() -> FontChoice:
    config = current_app.config
    return FontChoice(config["KIOSK_RENDER_FONT"], config["KIOSK_RENDER_FONT_BOLD"], config["KIOSK_RENDER_FONT_FACE"])


def _family(font: TTFont) -> str:
    return font["name"].getDebugName(1) or ""


@lru_cache(maxsize=8)
def face_index(path: str, face: str) -> int:
    """The index of `face` in a collection (0 for a single font file)."""
    if not path.lower().endswith((".ttc", ".otc")):
        return 0
    faces = [_family(font) for font in TTCollection(path, lazy=True).fonts]
    if face not in faces:
        raise ValueError(f"{path} has no face {face!r}; it has {', '.join(faces)}")
    return faces.index(face)


@lru_cache(maxsize=8)
def coverage(path: str, face: str) -> frozenset[int]:
    """Every code point the face maps to a glyph."""
    if path.lower().endswith((".ttc", ".otc")):
        font = TTCollection(path, lazy=True).fonts[face_index(path, face)]
    else:
        font = TTFont(path, lazy=True)
    return frozenset(font.getBestCmap())


def _lacks(character: str, have: frozenset[int]) -> bool:
    return ord(character) not in have and character not in NOT_DRAWN and not character.isspace()


def unshown(text: str, choice: FontChoice | None = None) -> list[str]:
    """The characters of `text` the regular face cannot draw, each once, in order."""
    choice = choice or configured()
    have = coverage(choice.regular, choice.face)
    return list(dict.fromkeys(character for character in text if _lacks(character, have)))


def shown(text: str, choice: FontChoice | None = None) -> str:
    """`text` as it is drawn: every character the face lacks replaced by the placeholder."""
    choice = choice or configured()
    have = coverage(choice.regular, choice.face)
    if all(ord(character) in have for character in text):
        return text
    return "".join(PLACEHOLDER if _lacks(character, have) else character for character in text)


@lru_cache(maxsize=256)
def _font(path: str, face: str, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(path, size=size, index=face_index(path, face), layout_engine=ImageFont.Layout.BASIC)


def font(size: float, bold: bool = False, choice: FontChoice | None = None) -> ImageFont.FreeTypeFont:
    choice = choice or configured()
    return _font(choice.bold if bold else choice.regular, choice.face, max(6, round(size)))
