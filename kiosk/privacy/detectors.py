"""The checks, run on normalised text: resident ID numbers (GB 11643, 18 digits with the check
character, and the older 15-digit form), bank cards (Luhn, 16–19 digits), mainland mobile numbers
(with or without +86) and house-number addresses. Each returns spans of the normalised text."""
import re
from dataclasses import dataclass
from datetime import date

from kiosk.privacy.normalise import WRAP, Group, Normalised, digit_runs

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"
# GB/T 2260 province codes: the first two digits of every resident ID.
PROVINCES = {11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52, 53,
             54, 61, 62, 63, 64, 65, 71, 81, 82}
MOBILE_PREFIXES = ("0086", "86", "")
MIN_DIGITS = 11   # a mobile number; nothing shorter is looked at
MAX_DIGITS = 19

KINDS = ("id_number", "bank_card", "mobile", "address")
# A place word, then a number with 号/室/栋/幢/单元, possibly repeated (e.g. 幸福路12号3栋2单元501室).
_ADDRESS = re.compile(r"(?:路|街|道|巷|弄|村|组|队|小区|社区|苑|园|庄|屯|楼)\s*"
                      r"\d{1,5}\s*(?:号楼|号|室|栋|幢|单元)(?:\s*\d{1,5}\s*(?:号楼|号|室|栋|幢|单元))*")


@dataclass(frozen=True)
class Match:
    kind: str
    start: int        # in the normalised text
    end: int
    value: str        # the number as digits (or the address as read)


def _valid_birth(year: int, month: int, day: int) -> bool:
    try:
        date(year, month, day)
    except ValueError:
        return False
    return 1900 <= year <= 2099


def id_number_valid(number: str) -> bool:
    """An 18-character resident ID: a province, a real birth date and the GB 11643 check character."""
    if not re.fullmatch(r"[0-9]{17}[0-9Xx]", number) or int(number[:2]) not in PROVINCES:
        return False
    if not _valid_birth(int(number[6:10]), int(number[10:12]), int(number[12:14])):
        return False
    total = sum(int(digit) * weight for digit, weight in zip(number[:17], ID_WEIGHTS))
    return ID_CHECK[total % 11] == number[17].upper()


def old_id_number_valid(number: str) -> bool:
    """A 15-digit ID (issued before 1999): province, then a birth date YYMMDD of the 1900s."""
    return (re.fullmatch(r"[0-9]{15}", number) is not None and int(number[:2]) in PROVINCES
            and _valid_birth(1900 + int(number[6:8]), int(number[8:10]), int(number[10:12])))


def luhn_valid(digits: str) -> bool:
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2 == 1:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def mobile_valid(digits: str) -> bool:
    for prefix in MOBILE_PREFIXES:
        rest = digits[len(prefix):]
        if digits.startswith(prefix) and len(rest) == 11 and rest[0] == "1" and rest[1] in "3456789":
            return True
    return False


def _kind_of(number: str) -> str | None:
    if len(number) == 18 and id_number_valid(number):
        return "id_number"
    if not number.isdigit():
        return None
    if len(number) == 15 and old_id_number_valid(number):
        return "id_number"
    if 16 <= len(number) <= MAX_DIGITS and luhn_valid(number):
        return "bank_card"
    if mobile_valid(number):
        return "mobile"
    return None


RANK = {"id_number": 0, "bank_card": 1, "mobile": 2}


def _consistent(groups: list[Group]) -> bool:
    """One number is written with one kind of separator (a line break may cut it anywhere)."""
    kinds = {group.gap for group in groups[:-1]} - {WRAP}
    return len(kinds) <= 1


def _candidates(run: list[Group]):
    """Every span of whole groups of a run that could be one number, with the trailing X optional."""
    for first in range(len(run)):
        digits = ""
        for last in range(first, len(run)):
            digits += run[last].digits
            if len(digits.rstrip("Xx")) > MAX_DIGITS:
                break
            if not _consistent(run[first:last + 1]):
                break
            end = run[last].end
            if len(digits) < MIN_DIGITS:
                continue
            yield run[first].start, end, digits
            if digits[-1] in "Xx":
                yield run[first].start, end - 1, digits[:-1]


def find_numbers(normalised: Normalised) -> list[Match]:
    found = []
    for run in digit_runs(normalised):
        for start, end, digits in _candidates(run):
            kind = _kind_of(digits)
            if kind:
                found.append(Match(kind, start, end, digits.upper()))
    # Where candidates overlap, an ID wins over a card over a mobile, then the longer one.
    found.sort(key=lambda match: (RANK[match.kind], -(match.end - match.start), match.start))
    chosen: list[Match] = []
    for match in found:
        if all(match.end <= other.start or match.start >= other.end for other in chosen):
            chosen.append(match)
    return chosen


def find_addresses(normalised: Normalised) -> list[Match]:
    return [Match("address", m.start(), m.end(), m.group()) for m in _ADDRESS.finditer(normalised.text)]
