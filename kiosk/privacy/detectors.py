"""The checks, run on normalised text: resident ID numbers (GB 11643: 18 characters, and the older
15-digit form), bank cards (Luhn, 16–19 digits), mainland mobile numbers (with or without +86),
masked forms that show more than the masking rule allows, and house-level addresses. Each returns
spans of the normalised text.

An 18-character ID is an ID when its region and birth date are plausible, whatever its check
character: a mistyped ID is still somebody's ID (and read as a mobile it was "masked" wrongly).
Mobiles and IDs are looked for at every offset inside a run of digits (a mobile after a dialling
prefix such as 0 or 17951); cards only on whole groups, since one run in ten passes Luhn."""
import re
from dataclasses import dataclass
from datetime import date

from kiosk.privacy.normalise import Group, Normalised, digit_runs, normalise

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"
# GB/T 2260 province codes: the first two digits of every resident ID.
PROVINCES = {11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52, 53,
             54, 61, 62, 63, 64, 65, 71, 81, 82}
MOBILE_PREFIXES = ("0086", "86", "")
MAX_DIGITS = 19

KINDS = ("id_number", "bank_card", "mobile", "address")
# How a number is written in parts across list or cell separators (weak gaps): group sizes.
_SHAPES = {(3, 4, 4), (2, 3, 4, 4), (4, 3, 4, 4), (3, 8), (7, 4),                       # mobiles
           (6, 8, 4), (6, 4, 4, 4), (6, 4, 2, 2, 4), (3, 3, 4, 4, 4), (6, 6, 6), (6, 8, 3, 1)}   # IDs


@dataclass(frozen=True)
class Match:
    kind: str
    start: int        # in the normalised text
    end: int
    value: str        # the number as digits (or the address as read, or the masked form)
    together: bool | None = None   # a masked form showing too much: only together with another form?


def _valid_birth(year: int, month: int, day: int) -> bool:
    try:
        date(year, month, day)
    except ValueError:
        return False
    return 1900 <= year <= 2099


def id_number_plausible(number: str) -> bool:
    """18 characters with a province and a real birth date: an ID, even if its check character is wrong."""
    return (re.fullmatch(r"[0-9]{17}[0-9Xx]", number) is not None and int(number[:2]) in PROVINCES
            and _valid_birth(int(number[6:10]), int(number[10:12]), int(number[12:14])))


def id_number_valid(number: str) -> bool:
    """A plausible 18-character ID whose GB 11643 check character is right."""
    if not id_number_plausible(number):
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


def _kind_of(number: str, whole_groups: bool) -> str | None:
    """Inside a longer run (not whole groups) only what carries its own proof counts: a mobile's
    prefix, an ID's check character; a card's Luhn and an old ID's date pass too often by chance."""
    if len(number) == 18 and (id_number_plausible(number) if whole_groups else id_number_valid(number)):
        return "id_number"
    if not number.isdigit():
        return None
    if whole_groups and len(number) == 15 and old_id_number_valid(number):
        return "id_number"
    if whole_groups and 16 <= len(number) <= MAX_DIGITS and luhn_valid(number):
        return "bank_card"
    if mobile_valid(number):
        return "mobile"
    return None


MIN_DIGITS = 11
NUMBER_LENGTHS = {11, 13, 15, 16, 17, 18, 19}
# What a number found inside a longer run starts with: a mobile 1[3-9], +86 or 0086, an ID its province.
_INNER = ((11, {f"1{digit}" for digit in "3456789"}), (13, {"86"}), (15, {"00"}),
          (18, {str(code) for code in PROVINCES}))
RANK = {"id_number": 0, "bank_card": 1, "mobile": 2}


def _shaped(groups: list[Group]) -> bool:
    """Groups joined across a list or cell separator are one number only in a usual written shape, or
    when one of them is too long to be an amount or an item number (8 digits or more: a number cut)."""
    sizes = [len(groups[0].digits)]
    for previous, group in zip(groups, groups[1:]):
        if previous.gap == "joined":
            sizes[-1] += len(group.digits)
        else:
            sizes.append(len(group.digits))
    sizes = tuple(sizes)
    if sizes in _SHAPES or max(sizes) >= 8:
        return True
    thousands = 1 <= sizes[0] <= 3 and all(size == 3 for size in sizes[1:])
    cards = all(size == 4 for size in sizes[:-1]) and 1 <= sizes[-1] <= 4 and len(sizes) >= 4
    return thousands or cards


def _date_spans(run: list[Group]) -> list[tuple[int, int]]:
    """Dates written as one 8-digit group or as year, month and day groups: never part of a mobile or card."""
    spans = []
    for index, group in enumerate(run):
        if len(group.digits) == 8 and group.digits.isdigit() and _valid_birth(
                int(group.digits[:4]), int(group.digits[4:6]), int(group.digits[6:])):
            spans.append((group.start, group.end))
        parts = run[index:index + 3]
        if len(parts) == 3 and [len(part.digits) for part in parts] == [4, 2, 2] and all(
                part.digits.isdigit() for part in parts) and _valid_birth(*(int(part.digits) for part in parts)):
            spans.append((parts[0].start, parts[2].end))
    return spans


def _candidates(run: list[Group]):
    """(start, end, digits, whole_groups, fit) for every stretch of a run that could be one number: whole
    groups (across a weak gap only in a written shape), and inside strongly joined groups every
    stretch of a mobile's or an ID's length, tried once from the span of the groups it touches. `fit`:
    0 whole groups, 1 ending where a group ends (a prefix dialled before it), 2 anywhere else."""
    for first in range(len(run)):
        digits, positions = "", []
        for last in range(first, len(run)):
            digits += run[last].digits
            positions += range(run[last].start, run[last].end)
            if len(digits) > MAX_DIGITS + 12:
                break
            span = run[first:last + 1]
            if len(digits) < MIN_DIGITS:
                continue
            if any(group.gap == "weak" for group in span[:-1]):
                if len(digits) in NUMBER_LENGTHS and _shaped(span):
                    yield positions[0], positions[-1] + 1, digits, True, 0
                continue
            if len(digits) in NUMBER_LENGTHS:
                yield positions[0], positions[-1] + 1, digits, True, 0
            for size, starts in _INNER:
                for offset in range(len(digits) - size + 1):
                    if digits[offset:offset + 2] not in starts or size == len(digits):
                        continue
                    start, end = positions[offset], positions[offset + size - 1]
                    if "X" in digits[offset:offset + size - 1] or not (
                            run[first].start <= start < run[first].end and run[last].start <= end < run[last].end):
                        continue
                    yield start, end + 1, digits[offset:offset + size], False, 1 if end + 1 == run[last].end else 2


def find_numbers(normalised: Normalised) -> list[Match]:
    found = []
    for run in digit_runs(normalised):
        dates = _date_spans(run)
        for start, end, digits, whole_groups, fit in _candidates(run):
            kind = _kind_of(digits, whole_groups)
            if kind in ("mobile", "bank_card") and any(start < d_end and d_start < end for d_start, d_end in dates):
                continue
            if kind:
                found.append((fit, Match(kind, start, end, digits.upper())))
    # Where candidates overlap, an ID wins over a card over a mobile, then the best fit, the longer one.
    found.sort(key=lambda item: (RANK[item[1].kind], item[0], -(item[1].end - item[1].start), item[1].start))
    chosen: list[Match] = []
    for _fit, match in found:
        if all(match.end <= other.start or match.start >= other.end for other in chosen):
            chosen.append(match)
    return chosen


# -- masked forms ------------------------------------------------------------------------------

@dataclass(frozen=True)
class MaskRule:
    """How much of a number a masked form may show: an ID its first `id_head` and last `id_tail`
    characters, a mobile its first 3 and last 4 digits, a card its last 4."""
    id_head: int = 6
    id_tail: int = 4

    def shown_allowed(self, kind: str, length: int) -> set[int]:
        head, tail = {"id_number": (self.id_head, self.id_tail), "mobile": (3, 4), "bank_card": (0, 4)}[kind]
        if kind == "mobile" and length > 11:
            head += length - 11    # +86 is no part of the number
        return set(range(head)) | set(range(length - tail, length))



_MASKED = re.compile(r"[0-9*](?:[0-9*]|[ \t\n\r\u3000\-.·](?=[0-9*X])){8,40}X?")


def _masked_kind(form: str) -> str | None:
    """What a run of digits and masks of this length and shape could be."""
    if len(form) == 18 and (form[:2] == "**" or form[:2].isdigit() and int(form[:2]) in PROVINCES or "*" in form[:2]):
        return "id_number"
    if len(form) in (11, 13) and form[-11] in "1*" and form[-10] in "3456789*":
        return "mobile"
    if 16 <= len(form) <= MAX_DIGITS:
        return "bank_card"
    return None


@dataclass(frozen=True)
class MaskedForm:
    kind: str
    start: int
    end: int
    form: str           # digits and "*", separators removed
    shown: frozenset    # positions showing a character


_PIECE = re.compile(r"[0-9*X]+")
_MASK_RANK = {"id_number": 0, "mobile": 1, "bank_card": 2}


def masked_forms(normalised: Normalised) -> list[MaskedForm]:
    """Numbers written with some characters masked (text normalised with masks=True). Where the
    pieces of a match could be read several ways (a dialling prefix before a masked mobile), an ID
    is preferred, then a mobile, then a card."""
    forms = []
    for match in _MASKED.finditer(normalised.text):
        pieces = [(match.start() + piece.start(), match.start() + piece.end(), piece.group())
                  for piece in _PIECE.finditer(match.group())]
        readings = []
        for first in range(len(pieces)):
            for last in range(first, len(pieces)):
                form = "".join(piece[2] for piece in pieces[first:last + 1])
                kind = _masked_kind(form) if "*" in form and re.search(r"[0-9]", form) else None
                if kind:
                    readings.append((_MASK_RANK[kind], -len(form), pieces[first][0], pieces[last][1], kind, form))
        if readings:
            _rank, _length, start, end, kind, form = min(readings)
            forms.append(MaskedForm(kind, start, end, form, frozenset(i for i, char in enumerate(form) if char != "*")))
    return forms


def find_weak_masks(text: str, rule: MaskRule) -> list[Match]:
    """Masked forms that show more than the rule allows, alone or together with another masked form of
    the same number elsewhere in the text (complementary masks: each hides what the other shows)."""
    normalised = normalise(text, masks=True)
    forms = masked_forms(normalised)
    found = []
    for form in forms:
        allowed = rule.shown_allowed(form.kind, len(form.form))
        shown = set(form.shown)
        for other in forms:
            if other is not form and other.kind == form.kind and len(other.form) == len(form.form) and all(
                    form.form[i] == other.form[i] for i in form.shown & other.shown) and form.shown & other.shown:
                shown |= other.shown   # the same number: what both show together
        if not shown <= allowed:
            found.append(Match(form.kind, form.start, form.end, form.form, together=set(form.shown) <= allowed))
    return found


# -- addresses ---------------------------------------------------------------------------------

_NUMBER = r"[0-9十百]{1,6}"
_PLACE = r"(?:大道|路|街|道|巷|弄|胡同|里|村|组|队|小区|社区|苑|园|庄|屯|楼|大厦|公寓|广场|新村|家园|院|宿舍)"
_UNIT = r"(?:号楼|号院|号|室|栋|幢|单元|层|楼|组|队)"
# A place word, then numbers with units, at least one of them house-level (号, 室, 栋, 幢, 单元,
# 层 with a room after it), e.g. 幸福路12号3栋2单元501室, 李庄村3组15号, 阳光大厦12层1203; or a
# street number written with dashes, 幸福路12-3-501.
_ADDRESS = re.compile(
    rf"{_PLACE}\s*(?:{_NUMBER}\s*{_UNIT}\s*)*"
    rf"(?:{_NUMBER}\s*(?:号楼|号院|号|室|栋|幢|单元)(?:\s*{_NUMBER}\s*{_UNIT})*(?:\s*{_NUMBER}(?![0-9]))?"
    rf"|{_NUMBER}\s*层\s*[0-9]{{2,5}}(?:\s*室)?"
    rf"|[0-9]{{1,5}}(?:\s*[-－—]\s*[0-9]{{1,5}}){{1,3}}(?![0-9.]))")


# A number with 号 that names a thing rather than a home: 李庄村二号屏, 3号机, 1号窗口, 2号井.
_THING_AFTER_NUMBER = re.compile(
    r"\s*(?:[屏机窗台柜箱车线桥井闸站门厅馆库仓池塘渠坝泵]|墨水屏|显示屏|大屏|公开栏|宣传栏|展板|广播|喇叭|路灯|"
    r"摄像|监控|文件|公告|通知|令)")


def find_addresses(normalised: Normalised) -> list[Match]:
    text = normalised.text
    return [Match("address", m.start(), m.end(), m.group()) for m in _ADDRESS.finditer(text)
            if not (m.group().endswith("号") and _THING_AFTER_NUMBER.match(text, m.end()))]
