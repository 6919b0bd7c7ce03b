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
from functools import lru_cache

_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9]{0,9}(?:\s[^<>]{0,60})?/?>")
_MARKUP = re.compile(f"{_ENTITY.pattern}|{_TAG.pattern}")
# Characters that never split a number: Markdown emphasis and code markers, escapes, brackets, quotes.
_TRANSPARENT = set("*_`~\\()[]{}<>\"'“”‘’「」『』〔〕【】")
# Separators inside one number. Not "|" or a full stop: table cells and sentences are different numbers.
_SEPARATOR_CLASSES = {"-": "-", "‐": "-", "‑": "-", "‒": "-", "–": "-", "—": "-", "―": "-", "−": "-",
                      "﹣": "-", ".": ".", "·": ".", "•": ".", "・": "."}
MAX_GAP = 3             # separator characters between two groups of one number
MAX_WRAPPED_GAP = 8     # a line break with indentation around it


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
    """The text as a reader sees it; character i came from original[starts[i]:ends[i]]."""
    text: str
    starts: list[int]
    ends: list[int]

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """The span of the original text behind normalised characters [start, end)."""
        return self.starts[start], self.ends[end - 1]


@lru_cache(maxsize=8192)
def _fold(value: str) -> str:
    """NFKC of one character, any decimal digit as 0–9, format characters and markers removed."""
    out = []
    for folded in unicodedata.normalize("NFKC", value):
        if unicodedata.category(folded) == "Cf" or folded in _TRANSPARENT:
            continue     # zero-width space, word joiner, soft hyphen, BOM, bidi marks...
        decimal = unicodedata.decimal(folded, None)
        out.append(str(decimal) if decimal is not None else folded)
    return "".join(out)


# ASCII that needs no folding passes through in runs (most of a PDF's text layer): fast.
_PASS_THROUGH = re.compile("[^\x80-\U0010ffff" + re.escape("".join(sorted(_TRANSPARENT))) + "]+")


class _Builder:
    def __init__(self):
        self.parts: list[str] = []
        self.starts: list[int] = []
        self.ends: list[int] = []

    def add(self, value: str, start: int, end: int) -> None:
        """Characters that all come from original[start:end] (one character, or an entity)."""
        for char in value:
            folded = _fold(char)
            self.parts.append(folded)
            self.starts.extend([start] * len(folded))
            self.ends.extend([end] * len(folded))

    def add_text(self, segment: str, offset: int) -> None:
        position = 0
        for match in _PASS_THROUGH.finditer(segment):
            for index in range(position, match.start()):
                self.add(segment[index], offset + index, offset + index + 1)
            self.parts.append(match.group())
            self.starts.extend(range(offset + match.start(), offset + match.end()))
            self.ends.extend(range(offset + match.start() + 1, offset + match.end() + 1))
            position = match.end()
        for index in range(position, len(segment)):
            self.add(segment[index], offset + index, offset + index + 1)


def normalise(text: str) -> Normalised:
    """Entities decoded, tags and invisible characters dropped, digits folded; spans kept."""
    text = text or ""
    builder, position = _Builder(), 0
    for match in _MARKUP.finditer(text):
        builder.add_text(text[position:match.start()], position)
        if match.group().startswith("&"):
            builder.add(html.unescape(match.group()), match.start(), match.end())
        position = match.end()
    builder.add_text(text[position:], position)
    return Normalised("".join(builder.parts), builder.starts, builder.ends)


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
