from datetime import date

from flask_login import current_user
from pydantic import BaseModel, Field

from kiosk.accounts.models import Role
from kiosk.api import operation
from kiosk.core import clock
from kiosk.extensions import db
from kiosk.workdays import operations as ops
from kiosk.workdays.models import DayKind, DaySource


class HolidayOut(BaseModel):
    day: date
    kind: DayKind
    name: str
    source: DaySource


class HolidayList(BaseModel):
    holidays: list[HolidayOut]


class HolidayQuery(BaseModel):
    year: int | None = Field(None, ge=2000, le=2100)


class HolidayBody(BaseModel):
    day: date
    kind: DayKind
    name: str = Field("", max_length=40)


@operation("/holidays", method="GET", operation_id="listHolidays",
           summary="Public holidays and make-up working days of a year", tag="workdays", query=HolidayQuery,
           response=HolidayList)
def list_holidays(query: HolidayQuery):
    year = query.year or clock.local_today().year
    return HolidayList(holidays=[HolidayOut(day=h.day, kind=h.kind, name=h.name, source=h.source) for h in ops.holidays_in(year)])


@operation("/holidays", method="PUT", operation_id="setHoliday",
           summary="Mark a day as a holiday or a make-up working day (administrators)", tag="workdays",
           body=HolidayBody, response=HolidayOut, roles=(Role.administrator,), errors=(400, 403))
def set_holiday(body: HolidayBody):
    row = ops.set_day(current_user, body.day, body.kind, body.name)
    db.session.commit()
    return HolidayOut(day=row.day, kind=row.kind, name=row.name, source=row.source)


@operation("/holidays/<day>", method="DELETE", operation_id="deleteHoliday",
           summary="Make a day ordinary again, or give it back to the official arrangement (administrators)", tag="workdays", status=204,
           roles=(Role.administrator,), errors=(400, 403, 404), path_formats={"day": "date"})
def delete_holiday(day: str):
    ops.clear_day(current_user, parse_day(day))
    db.session.commit()
    return "", 204


def parse_day(text: str) -> date:
    from flask_babel import gettext as _

    from kiosk.core.errors import InvalidInput
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidInput(_("Give the day as YYYY-MM-DD."))
