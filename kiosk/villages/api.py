"""The village's year in the API: what a village owes on its disclosure list, and the supervision
committee's sign-off of a village notice."""
from datetime import date

from flask_babel import gettext as _
from flask_login import current_user
from pydantic import BaseModel, Field
from sqlalchemy import select

from kiosk.accounts.models import Role
from kiosk.accounts.permissions import can_act_on
from kiosk.api import operation
from kiosk.core.errors import NotFound
from kiosk.disclosures.api import NoticeOut, notice_out
from kiosk.extensions import db
from kiosk.org.models import Unit, UnitKind
from kiosk.villages import committee, due
from kiosk.villages.models import Cadence


class ItemStatusOut(BaseModel):
    item_id: int
    item: str
    cadence: Cadence
    responsible: str
    state: str = Field(description="done, due or overdue")
    period: str | None = Field(description="the period it is owed for (None for a single matter)")
    due_on: date | None = Field(description="the due date, moved to the next working day when needed")
    days_left: int | None
    notices: list[str] = Field(description="the slugs of the notices that count")


class VillageStatus(BaseModel):
    village: str
    name: str
    items: list[ItemStatusOut]


class SignOffBody(BaseModel):
    note: str = Field("", max_length=committee.MAX_NOTE)


class RefuseBody(BaseModel):
    reason: str = Field(..., max_length=2000)


@operation("/villages/<code>/disclosures", method="GET", operation_id="getVillageDisclosures",
           summary="What a village owes on its township's disclosure list this month and quarter", tag="villages",
           response=VillageStatus, errors=(404,))
def village_disclosures(code: str):
    village = db.session.scalar(select(Unit).where(Unit.code == code, Unit.kind == UnitKind.village))
    if village is None or not can_act_on(current_user, village):
        raise NotFound(_("There is no such village."))
    rows = due.statuses(village)
    return VillageStatus(village=village.code, name=village.name, items=[
        ItemStatusOut(item_id=s.item.id, item=s.item.name, cadence=s.item.cadence, responsible=s.item.responsible,
                      state=s.state, period=s.period.label if s.period else None, due_on=s.due,
                      days_left=s.days_left, notices=[n.slug for n in s.notices]) for s in rows])


@operation("/notices/<int:notice_id>/sign-off", method="POST", operation_id="signOffNotice",
           summary="Sign a village notice as its supervision committee (before the township's review)",
           tag="villages", body=SignOffBody, response=NoticeOut, roles=(Role.supervisor,), errors=(400, 403, 404, 409))
def sign_off_notice(notice_id: int, body: SignOffBody):
    notice = committee.get_village_notice(current_user, notice_id)
    committee.sign_off(current_user, notice, body.note)
    db.session.commit()
    return notice_out(notice)


@operation("/notices/<int:notice_id>/refuse-sign-off", method="POST", operation_id="refuseSignOff",
           summary="Send a village notice back to the village as its supervision committee", tag="villages",
           body=RefuseBody, response=NoticeOut, roles=(Role.supervisor,), errors=(400, 403, 404, 409))
def refuse_sign_off(notice_id: int, body: RefuseBody):
    notice = committee.get_village_notice(current_user, notice_id)
    committee.refuse_sign_off(current_user, notice, body.reason)
    db.session.commit()
    return notice_out(notice)
