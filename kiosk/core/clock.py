"""The one source of "now". Tests move it; everything else reads it."""
import os
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from flask import current_app, has_app_context

_offset = timedelta(0)
_frozen: datetime | None = None


def now() -> datetime:
    """Aware UTC now."""
    if _frozen is not None:
        return _frozen
    return datetime.now(timezone.utc) + _offset


def set_now(moment: datetime | None) -> None:
    """Freeze the clock at an aware moment (None unfreezes). For tests and demos only."""
    global _frozen
    _frozen = moment.astimezone(timezone.utc) if moment else None


def start_at(moment: datetime) -> None:
    """Run the clock on from an aware moment, as if the machine's clock had been set to it."""
    global _offset, _frozen
    _offset, _frozen = moment.astimezone(timezone.utc) - datetime.now(timezone.utc), None


def start_from_environment() -> None:
    """KIOSK_CLOCK_START, an ISO instant with its UTC offset, runs a `kiosk` command's clock on from
    there: how tests start `kiosk serve` at a pinned instant, and how to try the demo on another day."""
    text = os.environ.get("KIOSK_CLOCK_START")
    if not text:
        return
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        raise ValueError(f"KIOSK_CLOCK_START must be an ISO instant with its offset "
                         f"(2026-11-28T22:00:00+08:00), not {text!r}")
    start_at(moment)


def shift(delta: timedelta) -> None:
    """Move a running or frozen clock; used to simulate days passing."""
    global _offset, _frozen
    if _frozen is not None:
        _frozen += delta
    else:
        _offset += delta


def reset() -> None:
    global _offset, _frozen
    _offset, _frozen = timedelta(0), None


def local_zone() -> ZoneInfo:
    name = current_app.config["KIOSK_TIMEZONE"] if has_app_context() else "Asia/Shanghai"
    return ZoneInfo(name)


def local_now() -> datetime:
    return now().astimezone(local_zone())


def local_today() -> date:
    return local_now().date()


def to_local(moment: datetime | None) -> datetime | None:
    return None if moment is None else moment.astimezone(local_zone())


def local_midnight_utc(day: date) -> datetime:
    """The UTC instant at which a local calendar day begins."""
    return datetime(day.year, day.month, day.day, tzinfo=local_zone()).astimezone(timezone.utc)
