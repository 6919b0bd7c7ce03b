"""One normaliser in front of every check: what a reader would see as digits, whatever was typed.

Built on character classes, not on lists of tricks:
- a digit is any character whose Unicode numeric value is a whole number 0–9: ASCII, full-width,
  Arabic-Indic, superscripts, circled ➀ ❶ ①, Roman Ⅰ–Ⅸ, Chinese numerals in their everyday and
  financial forms (〇零一…九, 壹贰叁…玖, 幺); Roman and circled numbers above nine (Ⅻ, ⑫) read as
  their value. Chinese 十百千万 are multipliers, not digits (the address check reads them);
- an ID's check character may be any look-alike of X (Cyrillic х, the sign ×, Greek Χ, full-width Ｘ);
- invisible characters are dropped: format characters (Cf: zero-width space, joiners, soft hyphen,
  bidi marks), combining marks (Mn, Me: keycap ⃣, variation selectors), Hangul fillers, and the
  Markdown markers, quotes and brackets in `_TRANSPARENT`; HTML entities are decoded, short tags
  and comments dropped; three or more mask characters (* ● ■ ...) in a row are a mask, which ends
  a number (`normalise(masks=True)` keeps every mask character, for the masking rule);
- between two groups of digits, a gap made only of separators (punctuation P*, spaces Z*, controls,
  symbols and emoji S*, modifier letters such as ー) bridges them, up to MAX_GAP characters, or
  MAX_WRAPPED_GAP when it holds a line break (a wrapped line with its indentation). A gap holding a
  list or cell separator (`WEAK`: , ， 、 ; : | /) is weak: the detectors join across it only when
  the groups have the shape of one number written in parts (3-4-4, 6-8-4, 4-4-4-4, thousands).
Each character keeps the span of the original text it came from, so a finding maps back to
exactly what the editor typed.
"""
import html
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9]{0,9}(?:\s[^<>]{0,60})?/?>")
_COMMENT = re.compile(r"<!--.{0,200}?-->", re.S)
_MARKUP = re.compile(f"{_ENTITY.pattern}|{_TAG.pattern}|{_COMMENT.pattern}", re.S)
# Characters that never split a number: Markdown emphasis and code markers, escapes, brackets, quotes.
_TRANSPARENT = set("*_`~\\()[]{}<>\"'“”‘’「」『』〔〕【】（）")
# Hangul fillers are letters (Lo) by category but print as nothing.
_FILLERS = set("\u115f\u1160\u3164\uffa0")
# Characters written for X, the check character of an ID.
_X_LOOKALIKES = set("Xxх×ΧχХⅩⅹＸｘ✕✖")
# Characters a masked number is written with, kept as "*" when masks are read (`normalise(masks=True)`).
MASK_CHARACTERS = set("*＊●•○◯■□★☆◆◇※﹡∗⁎")
# Three or more in a row (Markdown escapes between them allowed) are a mask, never emphasis.
_MASK_RUN = re.compile("(?:\\\\?[" + re.escape("".join(sorted(MASK_CHARACTERS))) + "]){3,}")
# List and table-cell separators: numbers on either side are usually different numbers.
WEAK = set(",，、;；:：|｜/／")
MAX_GAP = 4             # separator characters between two groups of one number
MAX_WRAPPED_GAP = 12    # a line break with indentation around it


@dataclass(frozen=True)
class Group:
    """Consecutive digits (an ID's check character X may end it) at [start, end) of the normalised text;
    `gap` is how it is joined to the next group of its run: "strong", "weak" (None for the last one)."""
    digits: str
    start: int
    end: int
    gap: str | None


@dataclass(frozen=True)
class Normalised:
    """The text as a reader sees it; character i came from original[starts[i]:ends[i]]; `chinese`: the
    positions of digits written as Chinese numerals (a change of script starts a new group)."""
    text: str
    starts: list[int]
    ends: list[int]
    chinese: frozenset = frozenset()

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """The span of the original text behind normalised characters [start, end)."""
        return self.starts[start], self.ends[end - 1]


def _digit_value(char: str) -> str | None:
    """The digits a character stands for, or None: numeric values 0–9 of any script, and the whole
    values of numeral symbols (Ⅻ, ⑫); Chinese multipliers (十, 百: letters worth 10 and more) excluded."""
    value = unicodedata.numeric(char, None)
    if value is None or value != int(value) or value < 0:
        return None
    if value <= 9:
        return str(int(value))
    return str(int(value)) if unicodedata.category(char) in ("Nl", "No") and value <= 50 else None


@lru_cache(maxsize=16384)
def _fold(value: str, masks: bool) -> str:
    """One character as a reader sees it: a digit, X, "*" (a mask), nothing (invisible) or itself (NFKC)."""
    if masks and value in MASK_CHARACTERS:
        return "*"
    if value in _TRANSPARENT or value in _FILLERS:
        return ""
    if value in _X_LOOKALIKES:
        return "X"
    digits = _digit_value(value)
    if digits is not None:
        return digits
    out = []
    for folded in unicodedata.normalize("NFKC", value):
        category = unicodedata.category(folded)
        if category in ("Cf", "Mn", "Me") or folded in _TRANSPARENT:
            continue
        digits = _digit_value(folded)
        out.append(digits if digits is not None else folded)
    return "".join(out)


# ASCII that needs no folding passes through in runs (most of a PDF's text layer): fast.
_PASS_THROUGH = re.compile("[^\x80-\U0010ffffXx" + re.escape("".join(sorted(_TRANSPARENT))) + "]+")
_PASS_THROUGH_MASKS = re.compile("[^\x80-\U0010ffffXx" + re.escape("".join(sorted(_TRANSPARENT | {"*"}))) + "]+")


class _Builder:
    def __init__(self, masks: bool):
        self.masks = masks
        self.parts: list[str] = []
        self.starts: list[int] = []
        self.ends: list[int] = []
        self.chinese: set[int] = set()

    def add(self, value: str, start: int, end: int) -> None:
        """Characters that all come from original[start:end] (one character, or an entity)."""
        for char in value:
            folded = _fold(char, self.masks)
            if len(folded) == 1 and folded.isdigit() and (unicodedata.category(char) == "Lo" or char == "〇"):
                self.chinese.add(len(self.starts))
            self.parts.append(folded)
            self.starts.extend([start] * len(folded))
            self.ends.extend([end] * len(folded))

    def add_text(self, segment: str, offset: int) -> None:
        """A segment without markup; a run of mask characters reads as masks, not as Markdown markers."""
        position = 0
        for run in _MASK_RUN.finditer(segment):
            self._add_plain(segment[position:run.start()], offset + position)
            for index in range(run.start(), run.end()):
                if segment[index] != "\\":
                    self.parts.append("*")
                    self.starts.append(offset + index)
                    self.ends.append(offset + index + 1)
            position = run.end()
        self._add_plain(segment[position:], offset + position)

    def _add_plain(self, segment: str, offset: int) -> None:
        position = 0
        for match in (_PASS_THROUGH_MASKS if self.masks else _PASS_THROUGH).finditer(segment):
            for index in range(position, match.start()):
                self.add(segment[index], offset + index, offset + index + 1)
            self.parts.append(match.group())
            self.starts.extend(range(offset + match.start(), offset + match.end()))
            self.ends.extend(range(offset + match.start() + 1, offset + match.end() + 1))
            position = match.end()
        for index in range(position, len(segment)):
            self.add(segment[index], offset + index, offset + index + 1)


@lru_cache(maxsize=256)
def normalise(text: str, masks: bool = False) -> Normalised:
    """Entities decoded, tags and invisible characters dropped, digits folded; spans kept. With
    `masks`, mask characters (*, ●, ■ ...) are kept as "*" instead of being dropped as markup."""
    text = text or ""
    builder, position = _Builder(masks), 0
    for match in _MARKUP.finditer(text):
        builder.add_text(text[position:match.start()], position)
        if match.group().startswith("&"):
            builder.add(html.unescape(match.group()), match.start(), match.end())
        position = match.end()
    builder.add_text(text[position:], position)
    return Normalised("".join(builder.parts), builder.starts, builder.ends, frozenset(builder.chinese))


def is_separator(char: str) -> bool:
    """Punctuation, spaces, controls, symbols (emoji included) and modifier letters (ー) separate."""
    return unicodedata.category(char)[0] in "PZSC" or unicodedata.category(char) == "Lm"


def gap_kind(values: str) -> str | None:
    """How two digit groups are joined ("joined": nothing between, "strong" or "weak"), or None if what is between them ends the
    number (a letter, a mask, or more than the bound)."""
    wrapped = "\n" in values or "\r" in values
    if not values:
        return "joined"   # a change of script inside one run of digits
    if len(values) > (MAX_WRAPPED_GAP if wrapped else MAX_GAP) or "*" in values or not all(map(is_separator, values)):
        return None
    return "weak" if any(value in WEAK for value in values) else "strong"


_GROUP = re.compile(r"[0-9]+X?")


def digit_runs(normalised: Normalised) -> list[list[Group]]:
    """Runs of digit groups joined by separators: the candidates the detectors read."""
    text = normalised.text
    matches = [piece for match in _GROUP.finditer(text) for piece in _by_script(match, normalised.chinese)]
    runs: list[list[Group]] = []
    current: list[Group] = []
    for index, (digits, start, end) in enumerate(matches):
        following = matches[index + 1] if index + 1 < len(matches) else None
        gap = None
        if following is not None and not digits.endswith("X"):   # an X ends a number
            gap = gap_kind(text[end:following[1]])
        current.append(Group(digits, start, end, gap))
        if gap is None:
            runs.append(current)
            current = []
    return runs


def _by_script(match: re.Match, chinese: frozenset) -> list[tuple[str, int, int]]:
    """A group split where Chinese numerals meet other digits (李四13812345678, 128一户): each side may be
    a number of its own, and they are still joined (an empty gap bridges) for 159二七三八4610."""
    pieces, start = [], match.start()
    for position in range(match.start() + 1, match.end()):
        if (position in chinese) != (position - 1 in chinese) and match.string[position] != "X":
            pieces.append((match.string[start:position], start, position))
            start = position
    pieces.append((match.string[start:match.end()], start, match.end()))
    return pieces
