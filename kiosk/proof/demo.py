"""Demo display history for the 低保 list under publicity (journey 2), from the moment it went up
until now, on the screens of its villages: 王家村's screen lost power for 6 hours on day 3
(nothing shown), and 李庄村's link dropped for 2 hours on day 2 while its screen kept cycling from
its saved state (those showings reached the server when the link came back)."""
from datetime import datetime, timedelta

from sqlalchemy import insert, select

from kiosk.core import clock
from kiosk.disclosures.models import Category, Notice, NoticeState
from kiosk.extensions import db
from kiosk.org.models import Unit
from kiosk.proof.operations import notice_window, target_screens
from kiosk.screens.models import DisplayReport, ScreenConnection

CYCLE = timedelta(minutes=4)       # one turn of the village rotation
TURN = timedelta(seconds=30)       # the notice's slide in each turn
POWER_CUT = timedelta(hours=6)


def _showing_notice(township: Unit) -> Notice | None:
    """The township's 低保 list from the disclosures demo, or else its latest showing notice."""
    showing = select(Notice).join(Unit, Notice.unit_id == Unit.id).where(
        Notice.state == NoticeState.showing, Unit.path.startswith(township.path))
    return (db.session.scalar(showing.join(Category).where(Category.code == "dibao").order_by(Notice.live_from))
            or db.session.scalar(showing.order_by(Notice.live_from.desc())))


def _local(day, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, datetime.min.time(), clock.local_zone()).replace(hour=hour, minute=minute)


def _outages(start: datetime, now: datetime) -> dict[str, tuple[datetime, datetime, bool]]:
    """village → (from, until, kept showing from its saved state). The power cut is on day 3 from
    08:00, in the village boards' on-hours (else the certificate would not count it), when that is
    over by now, else on day 2 (the demo may load early on day 3)."""
    day_one = clock.to_local(start).date()
    cut = _local(day_one + timedelta(days=2), 8)
    if cut + POWER_CUT > now:
        cut = _local(day_one + timedelta(days=1), 8)
    link = _local(day_one + timedelta(days=1), 14)
    return {"wangjia": (cut, cut + POWER_CUT, False), "lizhuang": (link, link + timedelta(hours=2), True)}


def _history(screen, notice: Notice, start: datetime, end: datetime, outage) -> tuple[list[dict], list[dict]]:
    """A rotation turning every CYCLE from `start` to `end`, around the screen's outage if it has one."""
    def connection(number: int, since: datetime, until: datetime) -> dict:
        return {"screen_id": screen.id, "sid": f"demo-{screen.id}-{number}", "connected_at": since,
                "last_heartbeat": until, "disconnected_at": until}

    if outage is not None and not start < outage[0] < outage[1] < end:
        outage = None   # not within the history so far
    connections = ([connection(0, start, outage[0]), connection(1, outage[1], end)] if outage
                   else [connection(0, start, end)])
    reports, moment = [], start
    while moment + CYCLE <= end:
        down = outage is not None and outage[0] <= moment < outage[1]
        if not down or outage[2]:
            received = outage[1] if down else moment + CYCLE   # cached showings are sent on reconnecting
            row = {"screen_id": screen.id, "offline": down, "received_at": received}
            reports.append({**row, "slide_key": f"demo:n{notice.id}", "slide_kind": "notice",
                            "notice_id": notice.id, "started_at": moment, "ended_at": moment + TURN})
            reports.append({**row, "slide_key": "demo:qr", "slide_kind": "qr", "started_at": moment + TURN,
                            "ended_at": moment + CYCLE})
        moment += CYCLE
    return connections, reports


def load(township: Unit) -> str:
    notice = _showing_notice(township)
    if notice is None:
        return "proof: no notice is showing, so no display history"
    if db.session.scalar(select(DisplayReport.id).where(DisplayReport.notice_id == notice.id).limit(1)):
        return "proof: display history already there"
    window, _open = notice_window(notice)
    now = clock.now()
    end = min(window[1], now)
    outages = _outages(window[0], now)
    screens = target_screens(notice, window)
    for screen in screens:
        # The screens have been up since the notice went live: their history, uptime and certificate agree.
        screen.created_at = min(screen.created_at, window[0])
        connections, reports = _history(screen, notice, window[0], end, outages.get(screen.unit.code))
        db.session.execute(insert(ScreenConnection), connections)
        db.session.execute(insert(DisplayReport), reports)
    cut = outages["wangjia"][0]
    day = (clock.to_local(cut).date() - clock.to_local(window[0]).date()).days + 1
    return (f"proof: display history of 「{notice.published_version.title}」 on {len(screens)} screens "
            f"(王家村 offline 6 h on day {day})")
