"""The village's year in 金家镇: the disclosure list (the common items), the public days 3月1日 and
8月31日 and the township's 村务公开日 two weeks ahead (so its countdown is on the dashboard at once),
demo notices filed under their items, 王家村's 宅基地 approval not yet published (overdue whatever
the date), 李庄村's supervision committee member with a decision waiting for the sign-off, and a
villager's question on 李庄村's ledger, answered in public within the 10 days."""
from datetime import datetime, time, timedelta

from sqlalchemy import select

from kiosk.accounts.models import Role, User
from kiosk.accounts.operations import create_user
from kiosk.core import clock
from kiosk.demo.township import DEMO_PASSWORD
from kiosk.disclosures import operations as notices
from kiosk.disclosures.models import Category, Notice, NoticeState
from kiosk.extensions import db
from kiosk.org.models import Unit
from kiosk.public.models import Comment, CommentKind
from kiosk.villages.items import list_items
from kiosk.villages.models import PublicDay, SignOffCategory

SUPERVISOR = ("lizhuang-jd", "李庄村监委会主任 李建国", "lizhuang")
FILED = {"李庄村10月财务收支公开": "财务收支", "王家村9月财务收支公开": "财务收支",
         "2026年第四季度农村低保对象公示": "低保名单"}
QUESTION = "请问10月12日村道修补的12,000.00元包括哪些费用？是否经过村民代表会议同意？"
ANSWER = "村道修补费用为材料费8,600.00元、人工费3,400.00元，经9月28日村民代表会议同意，会议记录可在村委会查阅。"


def _user(username: str) -> User:
    return db.session.scalar(select(User).where(User.username == username))


def _unit(code: str) -> Unit:
    return db.session.scalar(select(Unit).where(Unit.code == code))


def _at(days: int, hour: int) -> datetime:
    day = clock.local_today() + timedelta(days=days)
    return datetime.combine(day, time(hour), tzinfo=clock.local_zone())


def _public_day(township: Unit, month: int, day: int, name: str, items) -> None:
    exists = db.session.scalar(select(PublicDay).where(PublicDay.township_id == township.id,
                                                       PublicDay.month == month, PublicDay.day == day))
    if exists is None:
        db.session.add(PublicDay(township_id=township.id, month=month, day=day, name=name, items=list(items)))


def _draft(title: str, author: str, at: datetime, submit: bool, **fields) -> Notice:
    existing = db.session.scalar(select(Notice).where(Notice.title == title))
    if existing is not None:
        return existing
    loaded_at = clock.now()
    clock.set_now(at)
    try:
        notice = notices.create_notice(_user(author), {"title": title, **fields})
        if submit:
            notices.submit_notice(_user(author), notice)
        return notice
    finally:
        clock.set_now(loaded_at)


def load(township: Unit) -> str:
    items = {item.name: item for item in list_items(township)}
    _public_day(township, 3, 1, "政务公开日", [items["上年度财务决算和本年度预算"], items["财务收支"]])
    _public_day(township, 8, 31, "政务公开日", [items["财务收支"]])
    soon = clock.local_today() + timedelta(days=14)
    if (soon.month, soon.day) not in ((3, 1), (8, 31)):
        _public_day(township, soon.month, soon.day, "村务公开日", [items["财务收支"], items["低保名单"]])
    for title, item_name in FILED.items():
        notice = db.session.scalar(select(Notice).where(Notice.title == title))
        if notice is not None:
            notice.list_item = items[item_name]

    lizhuang = _unit(SUPERVISOR[2])
    if _user(SUPERVISOR[0]) is None:
        create_user(SUPERVISOR[0], DEMO_PASSWORD, {Role.supervisor}, lizhuang, SUPERVISOR[1], demo=True)
    from kiosk.villages.models import CommitteeMember
    clerk = _user("lizhuang")
    if db.session.scalar(select(CommitteeMember).where(CommitteeMember.user_id == clerk.id)) is None:
        db.session.add(CommitteeMember(village=lizhuang, user=clerk))
    decisions = db.session.scalar(select(Category).where(Category.code == "village_decisions"))
    if db.session.scalar(select(SignOffCategory).where(SignOffCategory.township_id == township.id)) is None:
        db.session.add(SignOffCategory(township_id=township.id, category_id=decisions.id))
    db.session.flush()

    _draft("王家村宅基地审批结果公开", "wangjia", _at(-15, 10), submit=False, category="homestead",
           summary="经镇政府审批同意的宅基地申请2户", body="经审核，同意本村2户村民的宅基地申请（详见附表）。",
           formed_on=_at(-15, 9).date(), audience="villages", villages=["wangjia"],
           list_item=items["需审批事项"].id)
    _draft("李庄村村民代表会议决议公开", "lizhuang", _at(-1, 15), submit=True, category="village_decisions",
           summary="关于村道两侧绿化实施方案的决议", body="村民代表会议应到25人，实到23人，一致同意村道两侧绿化实施方案。",
           formed_on=_at(-1, 9).date(), audience="villages", villages=["lizhuang"],
           list_item=items["村民会议决定及实施情况"].id)

    ledger = db.session.scalar(select(Notice).where(Notice.title == "李庄村10月财务收支公开"))
    if ledger is not None and ledger.state == NoticeState.showing and db.session.scalar(
            select(Comment).where(Comment.notice_id == ledger.id, Comment.kind == CommentKind.question)) is None:
        db.session.add(Comment(notice=ledger, version_number=ledger.published_version.number,
                               kind=CommentKind.question, message=QUESTION, name="李村民", phone="",
                               created_at=_at(-3, 19), answer=ANSWER, answered_at=_at(-2, 10),
                               answered_by=_user("lizhuang"), public=True))
    db.session.flush()
    return (f"village disclosure list ({len(items)} items), public days, a decision waiting for the supervision "
            f"committee; supervision committee member: {SUPERVISOR[0]} {SUPERVISOR[1]}")
