"""The privacy gate's one entry point for text: findings in the original text's coordinates, and
masking that replaces exactly what was typed. Every public path calls these (or `ensure_clean`).

The masking rule (条例 and common practice for 低保 lists): an ID shows at most its first 6 and
last 4 characters (KIOSK_PRIVACY_ID_SHOWN may make it stricter), a mobile its first 3 and last 4
digits, a bank card its last 4. A masked form that shows more, alone or together with another
masked form of the same number in the same text, is a finding naming the rule; one-click masking
masks by the same rule."""
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, replace

from flask import current_app, has_app_context
from flask_babel import gettext as _

from kiosk.core.errors import Conflict
from kiosk.privacy.detectors import MaskRule, find_addresses, find_numbers, find_weak_masks
from kiosk.privacy.normalise import normalise

MASK = "*"
MAX_MASK_PASSES = 3
MOST_SHOWN = MaskRule()   # the rule itself; a setting may only show less


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
    rule: str = ""                 # a masked form showing too much: the masking rule it breaks

    def public_dict(self) -> dict:
        """Without the personal data itself: what an API error or a log may carry."""
        return {"kind": self.kind, "field": self.field, "start": self.start, "end": self.end, "masked": self.masked,
                "where": self.where, "page": self.page, "box": self.box, "rule": self.rule}


def mask_rule() -> MaskRule:
    """The rule in force: KIOSK_PRIVACY_ID_SHOWN (head+tail, e.g. "6+4", "3+4", "0+4"), never more than 6+4."""
    if not has_app_context():
        return MOST_SHOWN
    head, tail = current_app.config.get("KIOSK_PRIVACY_ID_SHOWN", (MOST_SHOWN.id_head, MOST_SHOWN.id_tail))
    return MaskRule(id_head=head, id_tail=tail)


def rule_text(kind: str, together: bool, rule: MaskRule) -> str:
    """The masking rule a masked form breaks, as the editor and the reviewer read it."""
    text = {"id_number": _("an ID shows at most its first %(head)s and last %(tail)s characters",
                           head=rule.id_head, tail=rule.id_tail),
            "mobile": _("a mobile number shows at most its first 3 and last 4 digits"),
            "bank_card": _("a bank card shows at most its last 4 digits")}[kind]
    return _("%(rule)s (together with another masked form of the same number)", rule=text) if together else text


def _keep(characters: str, shown: set[int]) -> str:
    return "".join(char if index in shown else MASK for index, char in enumerate(characters))


def _masked(kind: str, value: str, typed: str, rule: MaskRule) -> str:
    if kind == "address":
        # An address keeps its place words and units (组, 号, 室 ...) and hides every number, however written.
        return "".join(MASK if unicodedata.numeric(char, None) is not None else char for char in typed)
    masked = _keep(value, rule.shown_allowed(kind, len(value)))
    if kind == "mobile" and len(value) > 11:
        return f"+{value[:-11]} " + masked[-11:]
    return masked


def find_in_text(text: str, field: str = "", public: Iterable[str] = ()) -> list[Finding]:
    """Every ID, bank card, mobile number, too-open masked form and house-level address in `text`,
    however written; `public` are the unit's own published numbers and places, which pass."""
    text = text or ""
    rule = mask_rule()
    normalised = normalise(text)
    numbers = find_numbers(normalised)
    addresses = [address for address in find_addresses(normalised)
                 if all(address.end <= n.start or address.start >= n.end for n in numbers)]
    findings = []
    for match in numbers + addresses:
        start, end = normalised.original_span(match.start, match.end)
        typed = text[start:end]
        findings.append(Finding(match.kind, field, start, end, typed, _masked(match.kind, match.value, typed, rule)))
    with_masks = normalise(text, masks=True)
    for match in find_weak_masks(text, rule):
        start, end = with_masks.original_span(match.start, match.end)
        if all(end <= finding.start or start >= finding.end for finding in findings):
            findings.append(Finding(match.kind, field, start, end, text[start:end],
                                    _keep(match.value, rule.shown_allowed(match.kind, len(match.value))),
                                    rule=rule_text(match.kind, match.together, rule)))
    return sorted(without_public(findings, public), key=lambda finding: finding.start)


def _reading(text: str) -> str:
    """What is compared with the unit's public numbers and places: the normalised text without spaces."""
    return "".join(normalise(text).text.split()).replace("-", "")


def without_public(findings: list[Finding], public: Iterable[str]) -> list[Finding]:
    """Findings that are not the unit's own published phone numbers or addresses."""
    readings = [_reading(value) for value in public if value]
    return [finding for finding in findings
            if not any(_reading(finding.text) and _reading(finding.text) in reading for reading in readings)]


def find_in_fields(fields: dict[str, str], public: Iterable[str] = ()) -> list[Finding]:
    return [finding for name, text in fields.items() for finding in find_in_text(text, name, public)]


def find_in_pieces(pieces: list[dict], field: str) -> list[Finding]:
    """Findings in the texts of a file (kiosk.privacy.files.Piece dicts), each saying where it is."""
    return [replace(finding, where=piece["where"], page=piece.get("page"), box=piece.get("box"))
            for piece in pieces for finding in find_in_text(piece["text"], field)]


def escape_masks(masked: str, markdown: bool) -> str:
    """In Markdown the stars are escaped, so two masked numbers in one line never pair up into emphasis."""
    return masked.replace(MASK, "\\" + MASK) if markdown else masked


def apply_masks(text: str, findings: list[Finding], markdown: bool = False) -> str:
    """The text with each finding (spans of this text, not overlapping) replaced by its masked form."""
    result, cursor = [], 0
    for finding in sorted(findings, key=lambda finding: finding.start):
        if finding.start < cursor:
            continue
        result.append(text[cursor:finding.start])
        result.append(escape_masks(finding.masked, markdown))
        cursor = finding.end
    result.append(text[cursor:])
    return "".join(result)


def mask_text(text: str, markdown: bool = False, public: Iterable[str] = ()) -> str:
    """The text with every finding replaced by its masked form, by the masking rule. Masked numbers
    next to each other could read as a new number; masking again until nothing is found rules that out."""
    text = text or ""
    for _pass in range(MAX_MASK_PASSES):
        findings = find_in_text(text, public=public)
        if not findings:
            break
        text = apply_masks(text, findings, markdown)
    return text


def findings_conflict(findings: list[Finding], message: str | None = None) -> Conflict:
    return Conflict(message or _("This text contains personal data (%(count)s findings). Mask it before it is "
                                 "shown in public.", count=len(findings)),
                    code="privacy", details={"findings": [finding.public_dict() for finding in findings]})


def ensure_clean(fields: dict[str, str], public: Iterable[str] = ()) -> None:
    """Refuse text that would show personal data in public (urgent notices, slides, names, answers)."""
    findings = find_in_fields(fields, public)
    if findings:
        raise findings_conflict(findings, _(
            "%(fields)s contains personal data (%(examples)s). Mask it before it is shown in public.",
            fields=", ".join(sorted({finding.field for finding in findings})),
            examples=", ".join(finding.masked for finding in findings[:3])))
