"""Who must be told (kiosk/incidents): a village clerk before an item of the list falls due, the
township and the village's supervision committee once it is overdue, and the same for villagers'
questions waiting for an answer."""
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from kiosk.core import clock
from kiosk.extensions import db
from kiosk.incidents.conditions import Finding, condition
from kiosk.org.models import Unit, UnitKind
from kiosk.villages import committee, due, questions


def _townships() -> list[Unit]:
    return list(db.session.scalars(select(Unit).where(Unit.kind == UnitKind.township).order_by(Unit.id)))


def _link(village: Unit) -> str:
    return f"/staff/villages/?village={village.code}"


@condition("villages.item_due", label=_l("Village disclosure due soon"), roles=("editor",))
def items_due(now):
    today = clock.to_local(now).date()
    for township in _townships():
        for status in due.due_soon(township, today):
            yield Finding(key=status.key, unit_id=status.village.id, link=_link(status.village),
                          title=_("%(village)s: %(item)s is due by %(date)s", village=status.village.name,
                                  item=status.item.name, date=status.due.isoformat()))


@condition("villages.item_overdue", label=_l("Village disclosure overdue"), roles=("administrator", "reviewer"))
def items_overdue(now):
    today = clock.to_local(now).date()
    for township in _townships():
        for status in due.overdue(township, today):
            yield Finding(key=status.key, unit_id=township.id, link=_link(status.village),
                          user_ids=tuple(user.id for user in committee.supervisors_of(status.village)),
                          title=_("%(village)s: %(item)s was due by %(date)s (%(days)s days overdue)",
                                  village=status.village.name, item=status.item.name, date=status.due.isoformat(),
                                  days=status.overdue_days))


def _question_finding(question: questions.OpenQuestion, unit_id: int, title: str, user_ids=()) -> Finding:
    return Finding(key=f"village-question:{question.comment.id}", unit_id=unit_id, title=title, user_ids=user_ids,
                   link=f"/staff/public/comments?notice={question.comment.notice_id}")


@condition("villages.question_due", label=_l("Villagers' question to answer soon"), roles=("editor",))
def questions_due(now):
    today = clock.to_local(now).date()
    for township in _townships():
        for question in questions.open_questions(township, today):
            if not question.overdue and question.days_left <= questions.REMIND_DAYS:
                notice = question.comment.notice
                yield _question_finding(question, notice.unit_id, _(
                    "A question on “%(title)s” must be answered by %(date)s", title=notice.published_version.title,
                    date=question.due.isoformat()))


@condition("villages.question_overdue", label=_l("Villagers' question not answered in time"),
           roles=("administrator", "reviewer"))
def questions_overdue(now):
    today = clock.to_local(now).date()
    for township in _townships():
        for question in questions.open_questions(township, today):
            if question.overdue:
                notice = question.comment.notice
                village = notice.unit if notice.unit.kind == UnitKind.village else None
                yield _question_finding(question, township.id, _(
                    "A question on “%(title)s” was due for an answer by %(date)s",
                    title=notice.published_version.title, date=question.due.isoformat()),
                    user_ids=tuple(u.id for u in committee.supervisors_of(village)) if village else ())
