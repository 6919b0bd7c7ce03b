"""The privacy gate's one entry point for text: findings in the original text's coordinates, and
masking that replaces exactly what was typed. Every public path calls these (or `ensure_clean`)."""
import unicodedata
from dataclasses import dataclass, replace

from flask_babel import gettext as _

from kiosk.core.errors import Conflict
from kiosk.privacy.detectors import find_addresses, find_numbers
from kiosk.privacy.normalise import normalise

MASK = "*"
MAX_MASK_PASSES = 3


@dataclass(frozen=True)
class Finding:
    kind: str       # id_number, bank_card, mobile, address
    field: str      # title, summary, body, doc_number, attachment:<id>, caption, ...
    start: int      # the span of the original text, as typed
    end: int
    text: str
    masked: str     # what replaces it
    where: str = ""                # inside a file: "page 3", "metadata Title", "image" ...
    page: int | None = None
    box: list[int] | None = None   # an OCR line's box in the image: what an editor can black out

    def public_dict(self) -> dict:
        """Without the personal data itself: what an API error or a log may carry."""
        return {"kind": self.kind, "field": self.field, "start": self.start, "end": self.end, "masked": self.masked,
                "where": self.where, "page": self.page, "box": self.box}


def _keep_ends(digits: str, head: int, tail: int) -> str:
    return digits[:head] + MASK * (len(digits) - head - tail) + digits[-tail:]


def _masked(kind: str, value: str, typed: str) -> str:
    if kind == "mobile":
        prefix = value[:-11]
        return (f"+{prefix} " if prefix else "") + _keep_ends(value[-11:], 3, 4)
    if kind in ("id_number", "bank_card"):
        return _keep_ends(value, 4, 4)
    # An address keeps its place words and units (组, 号, 室 ...) and hides every digit, however written.
    return "".join(MASK if unicodedata.decimal(char, None) is not None or char.isdigit() else char
                   for char in unicodedata.normalize("NFKC", typed))


def find_in_text(text: str, field: str = "") -> list[Finding]:
    """Every ID, bank card, mobile number and house-number address in `text`, however written."""
    text = text or ""
    normalised = normalise(text)
    numbers = find_numbers(normalised)
    addresses = [address for address in find_addresses(normalised)
                 if all(address.end <= n.start or address.start >= n.end for n in numbers)]
    findings = []
    for match in numbers + addresses:
        start, end = normalised.original_span(match.start, match.end)
        typed = text[start:end]
        findings.append(Finding(match.kind, field, start, end, typed, _masked(match.kind, match.value, typed)))
    return sorted(findings, key=lambda finding: finding.start)


def find_in_fields(fields: dict[str, str]) -> list[Finding]:
    return [finding for name, text in fields.items() for finding in find_in_text(text, name)]


def find_in_pieces(pieces: list[dict], field: str) -> list[Finding]:
    """Findings in the texts of a file (kiosk.privacy.files.Piece dicts), each saying where it is."""
    return [replace(finding, where=piece["where"], page=piece.get("page"), box=piece.get("box"))
            for piece in pieces for finding in find_in_text(piece["text"], field)]


def _mask_once(text: str, markdown: bool) -> tuple[str, int]:
    result, cursor, findings = [], 0, find_in_text(text)
    for finding in findings:
        result.append(text[cursor:finding.start])
        result.append(finding.masked.replace(MASK, "\\" + MASK) if markdown else finding.masked)
        cursor = finding.end
    result.append(text[cursor:])
    return "".join(result), len(findings)


def mask_text(text: str, markdown: bool = False) -> str:
    """The text with every finding replaced by its masked form. In Markdown the stars are escaped,
    so two masked numbers in one line never pair up into emphasis. Masked numbers next to each
    other could read as a new number; masking again until nothing is found rules that out."""
    text = text or ""
    for _pass in range(MAX_MASK_PASSES):
        text, count = _mask_once(text, markdown)
        if count == 0:
            break
    return text


def findings_conflict(findings: list[Finding], message: str | None = None) -> Conflict:
    return Conflict(message or _("This text contains personal data (%(count)s findings). Mask it before it is "
                                 "shown in public.", count=len(findings)),
                    code="privacy", details={"findings": [finding.public_dict() for finding in findings]})


def ensure_clean(fields: dict[str, str]) -> None:
    """Refuse text that would show personal data in public (urgent notices, slides, names, answers)."""
    findings = find_in_fields(fields)
    if findings:
        raise findings_conflict(findings, _(
            "%(fields)s contains personal data (%(examples)s). Mask it before it is shown in public.",
            fields=", ".join(sorted({finding.field for finding in findings})),
            examples=", ".join(finding.masked for finding in findings[:3])))
