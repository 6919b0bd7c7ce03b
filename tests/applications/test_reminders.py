"""The deadline condition: the handler is told within 3 working days of the due date and again once it
has passed; the reviewer's and the county's overdue lists hold the same applications."""
from datetime import date, datetime, time

from kiosk.applications import operations as ops
from kiosk.applications.conditions import deadlines
from kiosk.core import clock
from kiosk.extensions import db
from kiosk.incidents.conditions import CONDITIONS
from tests.applications.conftest import SHANGHAI, file_on, user


def findings_at(day: date):
    return {f.key: f for f in deadlines(datetime.combine(day, time(9), SHANGHAI))
            if f.key.startswith("application:")}


def test_the_handler_is_reminded_three_working_days_ahead_and_when_overdue(ctx):
    assert CONDITIONS["applications.deadline"].find is deadlines
    application = file_on(date(2026, 11, 30), by="window3")       # due Mon 28 Dec 2026
    assert application.due_on == date(2026, 12, 28)
    key = f"application:{application.id}"
    assert f"{key}:due" not in findings_at(date(2026, 12, 22))     # 4 working days left
    soon = findings_at(date(2026, 12, 23))[f"{key}:due"]           # 3 working days left
    assert soon.user_ids == (user("window3").id,) and "2026-12-28" in soon.title and soon.unit_id == application.unit_id
    assert application.reference in soon.title and "欧阳" not in soon.title + soon.detail
    late = findings_at(date(2026, 12, 29))
    assert f"{key}:overdue" in late and f"{key}:due" not in late
    clock.set_now(datetime.combine(date(2026, 12, 29), time(9), SHANGHAI))
    assert application.id in {item.application.id for item in ops.overdue_list(user("reviewer"))}
    assert application.id in {item.application.id for item in ops.overdue_list(user("admin"))}
    ops.decide(user("window3"), application, ops.Decision("disclosed", provided="复印件", late_reason="档案调取延误"))
    db.session.commit()
    assert f"{key}:overdue" not in findings_at(date(2026, 12, 29))


def test_the_daily_job_lapses_and_erases(ctx):
    from kiosk.scheduling import registered_jobs
    daily = registered_jobs()["applications.daily"]
    assert daily.trigger == "interval" and daily.run_at_start
    application = file_on(date(2026, 11, 24), by="window3")
    clock.set_now(datetime.combine(date(2026, 11, 25), time(9), SHANGHAI))
    ops.request_correction(user("window3"), application, "请写明所需信息的名称", date(2026, 11, 27))
    db.session.commit()
    clock.set_now(datetime.combine(date(2026, 11, 28), time(1), SHANGHAI))
    assert daily.func() == "1 applications lapsed, 0 erased"
    assert application.outcome == "other.correction_lapsed"
    ctx.config["KIOSK_APPLICATION_RETENTION_DAYS"] = 1
    clock.set_now(datetime.combine(date(2026, 11, 30), time(1), SHANGHAI))
    assert daily.func().endswith("erased") and application.applicant_name == ""
    assert daily.func() == ""
