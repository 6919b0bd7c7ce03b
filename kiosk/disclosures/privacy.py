"""The privacy gate: personal data that must never reach a public screen (条例 第十五条).

Finds full 18-digit ID numbers (GB 11643 checksum), bank card numbers (Luhn, 16–19 digits),
mobile numbers and house-number addresses, and masks them.
"""
import re
from dataclasses import asdict, dataclass

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"

_ID = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")
_CARD = re.compile(r"(?<![\d-])\d{4}(?:[ -]?\d){12,15}(?![\d-])")
_MOBILE = re.compile(r"(?<!\d)(?:\+?86[ -]?)?1[3-9]\d[ -]?\d{4}[ -]?\d{4}(?!\d)")
# A place word, then a number with 号/室/栋/幢/单元, possibly repeated (e.g. 幸福路12号3栋2单元501室).
_ADDRESS = re.compile(r"(?:路|街|道|巷|弄|村|组|队|小区|社区|苑|园|庄|屯|楼)\s*"
                      r"\d{1,5}\s*(?:号楼|号|室|栋|幢|单元)(?:\s*\d{1,5}\s*(?:号楼|号|室|栋|幢|单元))*")

KINDS = ("id_number", "bank_card", "mobile", "address")


@dataclass(frozen=True)
class Finding:
    kind: str       # one of KINDS
    field: str      # title, summary, body, or attachment:<id>
    start: int
    end: int
    text: str
    masked: str

    def as_dict(self) -> dict:
        return asdict(self)


def id_number_valid(number: str) -> bool:
    """GB 11643-1999 check digit of an 18-character resident ID number."""
    if not re.fullmatch(r"\d{17}[\dXx]", number):
        return False
    total = sum(int(digit) * weight for digit, weight in zip(number[:17], ID_WEIGHTS))
    return ID_CHECK[total % 11] == number[17].upper()


def luhn_valid(digits: str) -> bool:
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2 == 1:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def _keep_ends(digits: str) -> str:
    return digits[:4] + "*" * (len(digits) - 8) + digits[-4:]


def _mask_mobile(text: str) -> str:
    digits = re.sub(r"\D", "", text)[-11:]
    return digits[:3] + "****" + digits[-4:]


def _mask_address(text: str) -> str:
    # Keep the place word and the units (组, 号, 室 ...), hide the numbers.
    return re.sub(r"\d", "*", text)


def find_in_text(text: str, field: str) -> list[Finding]:
    text = text or ""
    findings: list[Finding] = []
    taken: list[tuple[int, int]] = []

    def free(start, end):
        return all(end <= s or start >= e for s, e in taken)

    def add(kind, match, masked):
        findings.append(Finding(kind, field, match.start(), match.end(), match.group(), masked))
        taken.append((match.start(), match.end()))

    for match in _ID.finditer(text):
        if id_number_valid(match.group()):
            add("id_number", match, _keep_ends(match.group()))
    for match in _CARD.finditer(text):
        digits = re.sub(r"\D", "", match.group())
        if 16 <= len(digits) <= 19 and free(match.start(), match.end()) and luhn_valid(digits):
            add("bank_card", match, _keep_ends(digits))
    for match in _MOBILE.finditer(text):
        if free(match.start(), match.end()):
            add("mobile", match, _mask_mobile(match.group()))
    for match in _ADDRESS.finditer(text):
        if free(match.start(), match.end()):
            add("address", match, _mask_address(match.group()))
    return sorted(findings, key=lambda finding: finding.start)


def mask_text(text: str, markdown: bool = False) -> str:
    """The text with every finding replaced by its masked form. In Markdown the stars are
    escaped, so two masked numbers in one line never pair up into emphasis."""
    result, cursor = [], 0
    for finding in find_in_text(text, ""):
        result.append(text[cursor:finding.start])
        result.append(finding.masked.replace("*", "\\*") if markdown else finding.masked)
        cursor = finding.end
    result.append(text[cursor:])
    return "".join(result)
