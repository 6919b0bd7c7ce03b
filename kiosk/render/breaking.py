"""Chinese line breaking: where a line of mixed Chinese, numbers and Latin text may end.

Between two CJK characters a line may break anywhere, but (禁则, kinsoku) never before closing
punctuation and never after opening punctuation, and never inside a number with its separators
and date or money units ("50,000.00元", "2026年10月8日", "8:30") or a Latin word. Unicode's line
breaking algorithm (UAX #14) would allow "10÷月8÷日", so the units are found here by pattern.
"""
import re
from collections.abc import Callable

# A line never starts with these (they belong to the text before them) ...
NO_LINE_START = frozenset("。，、；：？！）」』】〕》〉”’．·…—％%,.;:?!)]}*＊")
# ... and never ends with these (they belong to the text after them).
NO_LINE_END = frozenset("（「『【〔《〈“‘([{")

# Digits may hold the stars of a masked number ("3201**********1234", "138****5678").
_NUMBER = r"[0-9０-９][0-9０-９*]*(?:[.,:：/\-][0-9０-９*]+)*"
_UNIT = r"[年月日号时点分秒元角万亿%％‰]"
_TOKEN = re.compile(
    rf"(?:[¥￥$+\-])?{_NUMBER}(?:{_UNIT}(?:{_NUMBER}{_UNIT}?)*)?"   # numbers with their units
    r"|[A-Za-z][A-Za-z0-9_'’\-]*"                                   # Latin words
    r"|[ \t\u3000]+"                                                # spaces (a line may break there)
    r"|.", re.S)

Measure = Callable[[str], float]
# Widths are sums of float advances: a piece measured to fit exactly must not be pushed over by rounding.
TOLERANCE = 0.01


def tokens(text: str) -> list[str]:
    """The pieces a line cannot split: a number with its units, a Latin word, or one character."""
    return _TOKEN.findall(text)


def units(text: str) -> list[str]:
    """Tokens glued by the kinsoku rules: closing punctuation to what precedes it, opening
    punctuation to what follows it."""
    glued: list[str] = []
    carry = ""
    for token in tokens(text):
        if token[0] in NO_LINE_START and glued and not carry:
            glued[-1] += token
        elif token[-1] in NO_LINE_END:
            carry += token
        else:
            glued.append(carry + token)
            carry = ""
    if carry:
        glued.append(carry)
    return glued


def _by_character(text: str, width: float, measure: Measure) -> list[str]:
    pieces, current = [], ""
    for character in text:
        if current and measure(current + character) > width:
            pieces.append(current)
            current = ""
        current += character
    return pieces + [current] if current else pieces


def _split_to_fit(unit: str, width: float, measure: Measure) -> list[str]:
    """The last resort for a piece wider than a whole line: split it between its tokens, letting
    closing punctuation hang past the edge (标点悬挂) rather than start a line; only a single token
    wider than the line (a long link) is split by character."""
    pieces, current = [], ""
    for token in tokens(unit):
        if current and measure(current + token) > width and token[0] not in NO_LINE_START:
            pieces.append(current)
            current = ""
        current += token
    pieces.append(current)
    fitted = []
    for piece in pieces:
        body = piece.rstrip("".join(NO_LINE_START))
        fitted.extend(_by_character(piece, width, measure) if measure(body) > width else [piece])
    return fitted


def break_lines(text: str, width: float, measure: Measure, first_line_width: float | None = None) -> list[str]:
    """`text` as lines no wider than `width` (the first line `first_line_width`, for an indent).
    Explicit newlines start new lines; spaces at the ends of lines are dropped."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line, line_width = "", 0.0
        limit = first_line_width if first_line_width is not None and not lines else width
        for unit in units(paragraph):
            unit_width = measure(unit)
            if line_width + unit_width <= limit + TOLERANCE:
                if line or not unit.isspace():
                    line, line_width = line + unit, line_width + unit_width
                continue
            if line:
                lines.append(line.rstrip())
                line, line_width, limit = "", 0.0, width
            if unit.isspace():        # the break itself: a space is not carried to the next line
                continue
            if unit_width > limit + TOLERANCE:
                *whole, unit = _split_to_fit(unit, limit, measure)
                lines.extend(whole)
                unit_width = measure(unit)
            line, line_width = unit, unit_width
        lines.append(line.rstrip())
    return lines


def balanced_lines(text: str, width: float, measure: Measure) -> list[str]:
    """A heading's lines, as few as at `width` but as even as they can be (CSS `text-wrap:
    balance`, which the player's titles use), so that no character is left alone on its last line."""
    lines = break_lines(text, width, measure)
    if len(lines) < 2:
        return lines
    fits, too_narrow = width, 0.0
    while fits - too_narrow > 1:  # the narrowest width, to a pixel, that needs no more lines
        middle = (fits + too_narrow) / 2
        if len(break_lines(text, middle, measure)) <= len(lines):
            fits = middle
        else:
            too_narrow = middle
    return break_lines(text, fits, measure)


def widest_unit(text: str, measure: Measure) -> float:
    """The narrowest a column holding `text` can be without splitting a number or a word."""
    return max((measure(unit) for unit in units(text) if not unit.isspace()), default=0.0)
