"""Ticker rules: writing, ending and listing ticker lines. What a screen crawls is decided by
kiosk/screens/state.py (`active_tickers`, `tickers_at`); a change reaches the screens as their
new state, pushed through the event bus within a second (`tell_groups`)."""
from datetime import datetime

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from kiosk import privacy
from kiosk.accounts.models import User
from kiosk.audit.operations import audited, record_change, snapshot
from kiosk.broadcast.models import Ticker, TickerTarget, WarningPlacement
from kiosk.broadcast.schemas import TickerIn, TickerOut
from kiosk.core import clock
from kiosk.core.errors import Conflict, InvalidInput, NotFound
from kiosk.extensions import db
from kiosk.org.models import Unit
from kiosk.org.operations import get_unit_by_code
from kiosk.screens import dayparts
from kiosk.screens.models import ScreenGroup
from kiosk.screens.operations import ensure_manager, get_group_for, tell_groups


def default_speed() -> float:
    return current_app.config["KIOSK_TICKER_SPEED"]


def tickers_visible_to(user: User, limit: int = 200) -> list[Ticker]:
    return list(db.session.scalars(select(Ticker).join(Unit).where(Unit.path.startswith(user.unit.path))
                                   .order_by(Ticker.ended_at.is_not(None), Ticker.urgent.desc(),
                                             Ticker.priority.desc(), Ticker.id.desc()).limit(limit)))


def get_ticker_for(user: User, ticker_id: int) -> Ticker:
    ticker = db.session.get(Ticker, ticker_id)
    if ticker is None or not user.unit.contains(ticker.unit):
        raise NotFound(_("No such ticker line."))
    return ticker


def _groups_within(unit: Unit, groups: list[ScreenGroup]) -> list[ScreenGroup]:
    if not groups:
        raise InvalidInput(_("Choose at least one screen group."), details={"field": "groups"})
    for group in groups:
        if not unit.contains(group.unit) and not group.unit.contains(unit):
            raise InvalidInput(_("The group %(group)s is outside %(unit)s.", group=group.name, unit=unit.name),
                               details={"field": "groups"})
    return groups


def _chosen_groups(user: User, unit: Unit, ids: list[int]) -> list[ScreenGroup]:
    """The groups a manager named, each one theirs to aim at and within the line's unit."""
    groups = _groups_within(unit, [get_group_for(user, gid) for gid in dict.fromkeys(ids)])
    for group in groups:
        ensure_manager(user, group.unit)
    return groups


def _write(ticker: Ticker, data: TickerIn, groups: list[ScreenGroup]) -> None:
    text = " ".join(data.text.split())
    if not text:
        raise InvalidInput(_("A ticker line needs its text."), details={"field": "text"})
    privacy.ensure_clean({_("Ticker text"): text})   # crawled along public screens
    if data.ends_at is not None and data.ends_at.tzinfo is None:
        raise InvalidInput(_("Give the end time with its time zone, e.g. 2026-11-22T18:00:00+08:00."),
                           details={"field": "ends_at"})
    if data.ends_at is not None and data.ends_at <= clock.now():
        raise InvalidInput(_("The end time has already passed."), details={"field": "ends_at"})
    ticker.text, ticker.priority, ticker.urgent = text, data.priority, data.urgent
    ticker.speed = data.speed if data.speed is not None else default_speed()
    ticker.pause, ticker.ends_at = data.pause, data.ends_at
    ticker.weekdays = dayparts.normalise_weekdays(data.weekdays)
    ticker.time_from, ticker.time_until = data.time_from, data.time_until
    ticker.date_from, ticker.date_until = data.date_from, data.date_until
    dayparts.check(ticker)
    wanted = {group.id for group in groups}
    ticker.targets = [t for t in ticker.targets if t.group_id in wanted]
    have = {t.group_id for t in ticker.targets}
    ticker.targets += [TickerTarget(group=g) for g in groups if g.id not in have]


def create_ticker(user: User, data: TickerIn) -> Ticker:
    unit = get_unit_by_code(data.unit)
    ensure_manager(user, unit)
    groups = _chosen_groups(user, unit, data.groups)
    ticker = Ticker(unit=unit, created_by=user.id, starts_at=clock.now())
    _write(ticker, data, groups)
    db.session.add(ticker)
    db.session.flush()
    record_change("ticker.create", ticker, after=snapshot_of(ticker))
    tell_groups(ticker.group_ids, "ticker")
    return ticker


def update_ticker(user: User, ticker: Ticker, data: TickerIn) -> Ticker:
    ensure_manager(user, ticker.unit)
    _refuse_if_ended_or_official(ticker)
    if get_unit_by_code(data.unit).id != ticker.unit_id:
        raise InvalidInput(_("A ticker line stays with the unit that published it."), details={"field": "unit"})
    groups = _chosen_groups(user, ticker.unit, data.groups)
    before_groups = ticker.group_ids
    before = snapshot_of(ticker)
    _write(ticker, data, groups)
    db.session.flush()
    record_change("ticker.update", ticker, before=before, after=snapshot_of(ticker))
    tell_groups(before_groups + ticker.group_ids, "ticker")
    return ticker


def end_ticker(user: User, ticker: Ticker) -> Ticker:
    ensure_manager(user, ticker.unit)
    if ticker.ended_at is not None:
        raise Conflict(_("This ticker line has already ended."))
    finish(ticker, "ticker.end")
    return ticker


def finish(ticker: Ticker, action: str, reason: str = "") -> None:
    """End a line now (staff, or its warning ended) and tell its screens."""
    with audited(action, ticker, reason):
        ticker.ended_at = clock.now()
    tell_groups(ticker.group_ids, "ticker")


def start_official(unit: Unit, text: str, groups: list[ScreenGroup], ends_at: datetime | None,
                   by: int | None, reason: str) -> Ticker:
    """A ticker line for an official warning (Moderate or Minor): urgent, so it crawls at once and
    alone, until the warning's expiry. The warning's own rules (approval, privacy) came first."""
    ticker = Ticker(unit=unit, text=" ".join(text.split())[:500], urgent=True, priority=1000,
                    speed=default_speed(), pause=2, starts_at=clock.now(), ends_at=ends_at, created_by=by,
                    targets=[TickerTarget(group=g) for g in _groups_within(unit, groups)])
    db.session.add(ticker)
    db.session.flush()
    record_change("ticker.create", ticker, after=snapshot_of(ticker), reason=reason)
    tell_groups(ticker.group_ids, "ticker")
    return ticker


def _refuse_if_ended_or_official(ticker: Ticker) -> None:
    if ticker.ended_at is not None:
        raise Conflict(_("This ticker line has ended; write a new one."))
    if db.session.scalar(select(WarningPlacement.id).where(WarningPlacement.ticker_id == ticker.id)):
        raise Conflict(_("This line is an official warning's: it changes only with the warning."))


def snapshot_of(ticker: Ticker) -> dict:
    return {**snapshot(ticker), "groups": ticker.group_ids}


def ticker_out(ticker: Ticker) -> TickerOut:
    placement = db.session.scalar(select(WarningPlacement.alert_id).where(WarningPlacement.ticker_id == ticker.id))
    fmt = lambda value: value.isoformat() if value is not None else None  # noqa: E731
    return TickerOut(id=ticker.id, unit=ticker.unit.code, text=ticker.text, groups=ticker.group_ids,
                     priority=ticker.priority, urgent=ticker.urgent, speed=ticker.speed, pause=ticker.pause,
                     weekdays=ticker.weekdays or dayparts.ALL_DAYS, time_from=fmt(ticker.time_from),
                     time_until=fmt(ticker.time_until), date_from=fmt(ticker.date_from),
                     date_until=fmt(ticker.date_until), starts_at=ticker.starts_at, ends_at=ticker.ends_at,
                     ended_at=ticker.ended_at, from_warning=placement)
