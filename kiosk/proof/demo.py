"""Demo display history for the 低保 list under publicity (journey 2): the list went up four days
ago on the screens of three villages; 王家村's screen lost power for 6 hours on day 3 (nothing
shown), and 李庄村's link dropped for 2 hours on day 2 while its screen kept cycling from its
saved state (those showings reached the server when the link came back)."""
from datetime import datetime, timedelta

from sqlalchemy import insert, select

from kiosk.accounts.models import User
from kiosk.core import clock
from kiosk.disclosures import operations as notices
from kiosk.disclosures.models import Category, Notice, NoticeState
from kiosk.extensions import db
from kiosk.org.models import Unit
from kiosk.proof.operations import notice_window, target_screens
from kiosk.screens.models import DisplayReport, ScreenConnection

VILLAGES = ("wangjia", "lizhuang", "zhang")
DAYS_AGO = 4                       # today is the list's day 5
CYCLE = timedelta(minutes=4)       # one turn of the village rotation
TURN = timedelta(seconds=30)       # the list's slide in each turn
# (village, day number, local start hour, hours, the player kept showing from its saved state)
OUTAGES = (("wangjia", 3, 8, 6, False), ("lizhuang", 2, 14, 2, True))

BODY = """根据《最低生活保障审核确认办法》，经村民委员会入户调查、民主评议和镇人民政府审核，
现将2026年第四季度新增城乡低保对象名单予以公示（个人信息已按规定脱敏）。

| 村 | 户主 | 保障人数 | 月保障金（元） |
|---|---|---|---|
| 王家村 | 王*明 | 3 | 1860 |
| 王家村 | 赵*英 | 1 | 620 |
| 李庄村 | 李*华 | 2 | 1240 |
| 张村 | 张*国 | 4 | 2480 |

公示期7天。如有异议，请扫描二维码在线提出，或拨打12345政务服务便民热线，也可向12388纪检监察举报电话反映。"""


def _local(day, hour: int) -> datetime:
    return datetime.combine(day, datetime.min.time(), clock.local_zone()).replace(hour=hour)


def _dibao_notice(township: Unit) -> Notice | None:
    """The 低保 list the disclosures demo published days ago, if it did."""
    return db.session.scalar(
        select(Notice).join(Category).where(Category.code == "dibao", Notice.unit_id == township.id,
                                            Notice.state.in_([NoticeState.showing, NoticeState.expired]),
                                            Notice.live_from <= clock.now() - timedelta(days=3))
        .order_by(Notice.live_from.desc()).limit(1))


def _publish_dibao(township: Unit) -> Notice:
    """Draft, submit and approve the list as the demo editor and reviewer did four days ago."""
    editor = db.session.scalar(select(User).where(User.username == "editor"))
    reviewer = db.session.scalar(select(User).where(User.username == "reviewer"))
    start = _local(clock.local_today() - timedelta(days=DAYS_AGO), 9)
    back = clock.now() - start
    clock.shift(-back)
    try:
        notice = notices.create_notice(editor, {
            "category": "dibao", "title": "金家镇2026年第四季度新增城乡低保对象公示", "body": BODY,
            "summary": "王家村、李庄村、张村新增低保对象4户10人，公示7天", "formed_on": clock.local_today(),
            "audience": "villages", "villages": list(VILLAGES), "doc_number": "金民〔2026〕31号"})
        notices.submit_notice(editor, notice)
        notices.approve_notice(reviewer, notice)
    finally:
        clock.shift(back)
    notices.advance(notice, clock.now())
    return notice


def _history(screen, notice: Notice, start: datetime, end: datetime) -> tuple[list[dict], list[dict]]:
    """A rotation turning every CYCLE from `start` to `end`, with the screen's outages."""
    day_one = clock.to_local(start).date()
    outages = [(_local(day_one + timedelta(days=day - 1), hour), timedelta(hours=hours), cached)
               for code, day, hour, hours, cached in OUTAGES if code == screen.unit.code]
    connections, reports, cursor = [], [], start
    for out_start, length, _cached in outages:
        connections.append({"screen_id": screen.id, "sid": f"demo-{screen.id}-{len(connections)}",
                            "connected_at": cursor, "last_heartbeat": out_start, "disconnected_at": out_start})
        cursor = out_start + length
    connections.append({"screen_id": screen.id, "sid": f"demo-{screen.id}-{len(connections)}",
                        "connected_at": cursor, "last_heartbeat": end, "disconnected_at": end})
    moment = start
    while moment + CYCLE <= end:
        outage = next(((s, s + n, cached) for s, n, cached in outages if s <= moment < s + n), None)
        if outage is None or outage[2]:
            received = outage[1] if outage else moment + CYCLE
            offline = outage is not None
            reports.append({"screen_id": screen.id, "slide_key": f"demo:n{notice.id}", "slide_kind": "notice",
                            "notice_id": notice.id, "started_at": moment, "ended_at": moment + TURN,
                            "offline": offline, "received_at": received})
            reports.append({"screen_id": screen.id, "slide_key": "demo:qr", "slide_kind": "qr",
                            "started_at": moment + TURN, "ended_at": moment + CYCLE, "offline": offline,
                            "received_at": received})
        moment += CYCLE
    return connections, reports


def load(township: Unit) -> str:
    notice = _dibao_notice(township) or _publish_dibao(township)
    if db.session.scalar(select(DisplayReport.id).where(DisplayReport.notice_id == notice.id).limit(1)):
        return "proof: display history already there"
    window, _open = notice_window(notice)
    end = min(window[1], clock.now())
    screens = target_screens(notice, window)
    for screen in screens:
        connections, reports = _history(screen, notice, window[0], end)
        db.session.execute(insert(ScreenConnection), connections)
        db.session.execute(insert(DisplayReport), reports)
    return (f"proof: {DAYS_AGO} days of display history for 「{notice.published_version.title}」 on "
            f"{len(screens)} screens (王家村 offline 6 h on day 3)")
