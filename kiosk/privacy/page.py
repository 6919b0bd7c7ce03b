"""Check the page, not the source: the text a public surface shows, in its order, read as one.

A surface is a list of parts (field, source, shown): `shown` is the visible text of that field
(`visible_text` of its rendered HTML, or the plain text itself). The parts are read together,
one line apart, so a number split across a link, an image, a table cell, a heading, or between
the title and the summary is read whole. The sources are checked too, so link targets and image
sources (in the source, not shown) are read. Each finding on the page is mapped back to the
characters of each field's source that show it, which is what one-click masking masks."""
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from html.parser import HTMLParser

from kiosk.privacy.gate import MASK, MAX_MASK_PASSES, Finding, apply_masks, find_in_text, mask_rule

BLOCKS = {"p", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "hr", "table",
          "thead", "tbody", "tr", "div", "section", "article", "dt", "dd"}
CELLS = {"td", "th"}


class _Visible(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in BLOCKS:
            self.text.append("\n")
        elif tag in CELLS:
            self.text.append(" | ")

    def handle_endtag(self, tag):
        if tag in BLOCKS:
            self.text.append("\n")

    def handle_data(self, data):
        self.text.append(data)


def visible_text(html: str) -> str:
    """The text a browser shows for this (sanitised) HTML: blocks on their own lines, cells apart."""
    parser = _Visible()
    parser.feed(html or "")
    parser.close()
    return "".join(parser.text)


def align(shown: str, source: str) -> list[int | None]:
    """For each shown character, the position in the source it was typed at (None: made by the renderer).
    Rendering only drops markup, so the shown text is a subsequence of the source: searched forward."""
    positions, cursor = [], 0
    for char in shown:
        found = source.find(char, cursor, cursor + 400) if not char.isspace() else -1
        positions.append(found if found >= 0 else None)
        if found >= 0:
            cursor = found + 1
    return positions


@dataclass(frozen=True)
class Part:
    field: str
    source: str
    shown: str


def find_on_surface(parts: list[Part], public: Iterable[str] = ()) -> list[Finding]:
    """Findings in what the parts show read together, mapped back to each field's source: one finding
    per field a number crosses, covering the source characters that show it, masked by the masking rule
    counted over the digits the page shows."""
    text, origins = "", []   # origins[i]: (part index, source position or None) of text[i]
    for index, part in enumerate(parts):
        if text:
            text += "\n"
            origins.append((None, None))
        text += part.shown
        origins += [(index, position) for position in align(part.shown, part.source)]
    findings, rule = [], mask_rule()
    for finding in find_in_text(text, public=public):
        span = range(finding.start, finding.end)
        digits = [position for position in span if _shows_a_digit(text[position])]
        # The digits the masking rule lets the page show (none of an address).
        kept = set() if finding.kind == "address" else {
            digits[index] for index in rule.shown_allowed(finding.kind, len(digits)) if index < len(digits)}
        by_part: dict[int, dict[int, bool]] = {}   # part → source position → masked?
        for position in span:
            index, source_position = origins[position]
            if index is not None and source_position is not None:
                by_part.setdefault(index, {})[source_position] = position in digits and position not in kept
        for index, positions in by_part.items():
            part, start, end = parts[index], min(positions), max(positions) + 1
            typed = part.source[start:end]
            masked = "".join(MASK if positions.get(position) else char for position, char in enumerate(typed, start))
            findings.append(Finding(finding.kind, part.field, start, end, typed, masked, rule=finding.rule))
    return findings


def _shows_a_digit(char: str) -> bool:
    return unicodedata.numeric(char, None) is not None or char in "Xx"


def _within(finding: Finding, other: Finding) -> bool:
    return other.field == finding.field and other.start <= finding.start and finding.end <= other.end


def find_on_page(fields: dict[str, str], parts: list[Part], public: Iterable[str] = ()) -> list[Finding]:
    """Findings in each field's source (what it holds, link targets and image sources included) and in
    what the public surfaces show (`parts`, in their order). Where the page shows more of a number than
    its source (a part of an ID looking like a mobile), the page's reading wins."""
    sources = [finding for name, text in fields.items() for finding in find_in_text(text, name, public)]
    shown = [finding for finding in find_on_surface(parts, public)
             if not any(_within(finding, source) for source in sources)]
    return [source for source in sources if not any(_within(source, other) for other in shown)] + shown


def mask_page(fields: dict[str, str], parts_of: Callable[[dict[str, str]], list[Part]], markdown: set[str],
              public: Iterable[str] = ()) -> dict[str, str]:
    """Every finding of `find_on_page` masked by the rule where it was typed, again until the page and
    the sources show nothing (masked numbers side by side could read as a new one)."""
    fields = dict(fields)
    for _pass in range(MAX_MASK_PASSES):
        found = find_on_page(fields, parts_of(fields), public)
        if not found:
            break
        for name in {finding.field for finding in found}:
            fields[name] = apply_masks(fields[name], [f for f in found if f.field == name], name in markdown)
    return fields
