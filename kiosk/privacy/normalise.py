"""One normaliser in front of every check: what a reader would see as digits, whatever was typed.

The text becomes a list of digit groups. Full-width, superscript, circled and other Unicode digits
count as digits (NFKC, then any decimal digit); HTML entities are decoded; zero-width and other
format characters, Markdown markers (* _ ` ~ \\), short HTML tags and brackets are dropped, so they
never split a number. Groups are then joined across short separators (spaces, a line break,
hyphens, dots). Each character keeps the span of the original text it came from, so a finding
maps back to exactly what the editor typed.
"""
import html
import re
import unicodedata
from dataclasses import dataclass

_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9]{0,9}(?:\s[^<>]{0,60})?/?>")
# Characters that never split a number: Markdown emphasis and code markers, escapes, brackets, quotes.
_TRANSPARENT = set("*_`~\\()[]{}<>\"'“”‘’「」『』〔〕【】")
_SEPARATOR_CLASSES = {"-": "-", "‐": "-", "‑": "-", "‒": "-", "–": "-", "—": "-", "―": "-", "−": "-",
                      "﹣": "-", ".": ".", "·": ".", "•": ".", "・": ".", "。": ".", "/": "/", "|": "|"}
MAX_GAP = 3             # separator characters between two groups of one number
MAX_WRAPPED_GAP = 8     # a line break with indentation around it


@dataclass(frozen=True)
class Char:
    value: str
    start: int     # the span in the original text that produced it
    end: int


@dataclass(frozen=True)
class Group:
    """Consecutive digits (an ID's check character X may end it) at [start, end) of the normalised text;
    `gap` is how it is separated from the next group of its run (None for the last one)."""
    digits: str
    start: int
    end: int
    gap: str | None


@dataclass(frozen=True)
class Normalised:
    chars: list[Char]

    @property
    def text(self) -> str:
        return "".join(char.value for char in self.chars)

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """The span of the original text behind normalised characters [start, end)."""
        return self.chars[start].start, self.chars[end - 1].end


def _decoded(text: str) -> list[Char]:
    """Entities decoded, tags dropped, each resulting character with its original span."""
    chars: list[Char] = []
    position = 0
    for match in re.finditer(f"{_ENTITY.pattern}|{_TAG.pattern}", text):
        chars.extend(Char(ch, i, i + 1) for i, ch in enumerate(text[position:match.start()], position))
        if match.group().startswith("&"):
            chars.extend(Char(ch, match.start(), match.end()) for ch in html.unescape(match.group()))
        position = match.end()
    chars.extend(Char(ch, i, i + 1) for i, ch in enumerate(text[position:], position))
    return chars


def _folded(char: Char) -> list[Char]:
    """NFKC of one character, any decimal digit as 0–9, format characters and markers removed."""
    out = []
    for value in unicodedata.normalize("NFKC", char.value):
        if unicodedata.category(value) == "Cf" or value in _TRANSPARENT:
            continue     # zero-width space, word joiner, soft hyphen, BOM, bidi marks...
        decimal = unicodedata.decimal(value, None)
        out.append(Char(str(decimal) if decimal is not None else value, char.start, char.end))
    return out


def normalise(text: str) -> Normalised:
    """The text as a reader sees it, character by character, each with its original span."""
    return Normalised([folded for char in _decoded(text or "") for folded in _folded(char)])


def _gap_kind(values: str) -> str | None:
    """How two digit groups are separated, or None if what is between them ends the number."""
    wrapped = "\n" in values or "\r" in values
    if len(values) > (MAX_WRAPPED_GAP if wrapped else MAX_GAP):
        return None
    kinds = {"ws" if value.isspace() else _SEPARATOR_CLASSES.get(value) for value in values}
    marks = kinds - {"ws"}
    if None in kinds or len(marks) > 1:
        return None
    if wrapped:
        return WRAP
    return marks.pop() if marks else "ws"


WRAP = "wrap"     # a line break: joins with any other separator (a number wrapped at the line's end)
_GROUP = re.compile(r"[0-9]+[Xx]?")


def digit_runs(normalised: Normalised) -> list[list[Group]]:
    """Runs of digit groups joined by short separators: the candidates the detectors read."""
    text = normalised.text
    matches = list(_GROUP.finditer(text))
    runs: list[list[Group]] = []
    current: list[Group] = []
    for index, match in enumerate(matches):
        following = matches[index + 1] if index + 1 < len(matches) else None
        gap = None
        if following is not None and match.group()[-1] not in "Xx":   # an X ends a number
            gap = _gap_kind(text[match.end():following.start()])
        current.append(Group(match.group(), match.start(), match.end(), gap))
        if gap is None:
            runs.append(current)
            current = []
    return runs
