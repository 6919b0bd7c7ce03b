"""Demo step: the services, windows and a morning of tickets of 金家镇便民服务中心."""
from datetime import datetime, timedelta

from sqlalchemy import select

from kiosk.accounts.models import User
from kiosk.core import clock
from kiosk.extensions import db
from kiosk.org.models import Unit
from kiosk.queue import operations as ops
from kiosk.queue.models import Priority, QueueService

WEEKDAYS_HOURS = {day: "08:30-12:00, 13:30-17:30" for day in range(1, 6)}

# prefix, name, daily cap, materials (from the hall's 办事指南)
SERVICES = (
    ("A", "社会保险", None, (
        "居民身份证原件", "社会保障卡（或户口簿）",
        "城乡居民养老保险参保登记表（窗口领取）", "代办的请带代办人身份证")),
    ("B", "民政救助", None, (
        "申请人及家庭成员身份证、户口簿", "家庭收入、财产情况说明",
        "残疾人证（申请残疾人两项补贴时）", "医疗费用票据（申请临时救助时）", "惠农“一卡通”或银行账户")),
    ("C", "农业补贴", 60, (
        "居民身份证原件", "农村土地承包经营权证", "惠农“一卡通”存折", "农机购置发票（申请农机补贴时）")),
    ("D", "户籍/证照", None, (
        "居民户口簿", "居民身份证", "出生医学证明（办理出生登记时）",
        "近期免冠照片（办理居住证时）")),
    ("E", "退役军人服务", 30, (
        "居民身份证原件", "退役证或相关证明", "近期一寸免冠彩色照片（申领优待证时）")),
)
# One service with no opening hours, so that whoever tries the demo at night or at a weekend can take a
# number, call it from window 1 and hear it on the board. Its name says so; the real services keep
# a real hall's hours.
ALWAYS_OPEN = ("T", "体验取号（演示·全天开放）", None, (
    "无需材料：这是演示用的全天开放业务，大厅的其他业务周一至周五 08:30-12:00、13:30-17:30 办理",))
# window number -> prefixes in order of preference
WINDOWS = {1: "AET", 2: "AB", 3: "BC", 4: "DC"}
# service prefix, priority, minutes after opening issued, outcome, minutes waited, minutes served, rating
MORNING = (
    ("A", Priority.normal, 2, "done", 3, 8, 5),
    ("A", Priority.green, 6, "done", 2, 11, 5),
    ("B", Priority.normal, 7, "done", 4, 14, 4),
    ("D", Priority.normal, 9, "done", 1, 6, 3),
    ("C", Priority.normal, 12, "no_show", 5, 0, None),
    ("A", Priority.normal, 15, "done", 9, 7, 2),
    ("B", Priority.normal, 20, "done", 6, 12, None),
    ("C", Priority.normal, 24, "done", 3, 9, 5),
)


def _last_working_morning() -> datetime:
    """08:30 of today if the morning is over, else of the last working day before: the demo's
    tickets always lie in the past, inside opening hours."""
    local = clock.local_now()
    day = local.date() if local.hour >= 11 else local.date() - timedelta(days=1)
    while day.isoweekday() > 5:
        day -= timedelta(days=1)
    return datetime(day.year, day.month, day.day, 8, 30, tzinfo=clock.local_zone())


def _play_morning(hall: Unit) -> None:
    """Each ticket is called, served and rated at the first free window that handles its service,
    by that window's own clerk (demo account `window<number>`), so the statistics per window and
    per clerk agree."""
    opening = _last_working_morning()
    clerks = {number: db.session.scalar(select(User).where(User.username == f"window{number}")) for number in WINDOWS}
    by_prefix = {service.prefix: service for service in ops.services_of(hall)}
    windows = {window.number: window for window in ops.windows_of(hall)}
    try:
        for prefix, priority, issued, outcome, waited, served, level in MORNING:
            clock.set_now(opening + timedelta(minutes=issued))
            ticket = ops.issue_ticket(by_prefix[prefix], priority=priority, via="kiosk")
            number, window = next((n, w) for n, w in sorted(windows.items())
                                  if prefix in WINDOWS[n] and ops.current_ticket(w) is None)
            clerk = clerks[number]
            clock.shift(timedelta(minutes=waited))
            ops.call_next(clerk, window.id)
            if outcome == "no_show":
                ops.mark_no_show(clerk, window.id, ticket.id)
                continue
            ops.start(clerk, window.id, ticket.id)
            clock.shift(timedelta(minutes=served))
            ops.finish(clerk, window.id, ticket.id)
            if level:
                ops.rate(ticket, level, "window")
    finally:
        clock.set_now(None)  # back to the running clock; the demo is loaded on a real one


def load(township: Unit) -> str:
    hall = db.session.scalar(select(Unit).where(Unit.code == "jinjia-hall"))
    admin = db.session.scalar(select(User).where(User.username == "admin"))
    if db.session.scalar(select(QueueService.id).where(QueueService.hall_id == hall.id)) is not None:
        return "queue: already set up"
    hours = ops.parse_hours(WEEKDAYS_HOURS)
    for prefix, name, cap, materials in SERVICES + (ALWAYS_OPEN,):
        ops.save_service(admin, hall, prefix=prefix, name=name, daily_cap=cap,
                         hours={} if prefix == ALWAYS_OPEN[0] else hours, materials="\n".join(materials))
    by_prefix = {service.prefix: service.id for service in ops.services_of(hall)}
    for number, prefixes in WINDOWS.items():
        ops.save_window(admin, hall, number=number, service_ids=[by_prefix[p] for p in prefixes])
    _play_morning(hall)
    return (f"queue: {len(SERVICES) + 1} services (「{ALWAYS_OPEN[1]}」 open around the clock) and {len(WINDOWS)} "
            f"windows at {hall.name}, a morning of tickets")
