"""信息处理费 (条例 Art. 42; 国办函〔2020〕109号): normally nothing. Where a township charges (its
setting), one of two progressive methods per application, in whole yuan:

- by count (按件计收), per applicant per calendar month: the 1st–10th applications free, the 11th–30th
  100 元 each, then each further block of 10 costs 100 元 more each (31st–40th 200, 41st–50th 300, ...);
- by pages (按量计收), per application: pages 1–30 free, 31–100 10 元 a page, 101–200 20 元 a page,
  from the 201st 40 元 a page.
"""
from kiosk.core.settings import get_setting, set_setting

METHODS = ("off", "by_count", "by_pages")
_PAGE_BANDS = ((30, 0), (100, 10), (200, 20), (None, 40))   # (last page of the band, yuan a page)


def fee_by_count(n: int) -> int:
    """What the applicant's `n`-th application of the month costs under the count method."""
    if n < 1:
        raise ValueError("n counts from 1")
    if n <= 10:
        return 0
    if n <= 30:
        return 100
    return 100 + 100 * ((n - 31) // 10 + 1)


def fee_by_pages(pages: int) -> int:
    """The fee of one application of `pages` pages, each band at its own rate."""
    if pages < 0:
        raise ValueError("pages cannot be negative")
    total, first = 0, 1
    for last, rate in _PAGE_BANDS:
        top = pages if last is None else min(pages, last)
        if top >= first:
            total += (top - first + 1) * rate
        if last is None or pages <= last:
            break
        first = last + 1
    return total


def setting_key(township_id: int) -> str:
    return f"applications.fees.{township_id}"


def charging_method(township_id: int) -> str:
    method = get_setting(setting_key(township_id), "off")
    return method if method in METHODS else "off"


def set_charging_method(township_id: int, method: str) -> None:
    if method not in METHODS:
        raise ValueError(method)
    set_setting(setting_key(township_id), method)
