"""The statutory clock on the township's calendar: 20 working days (Art. 33) across Spring Festival and
National Day 2026 (the holiday table's official rows, 调休 Saturdays counted), the one extension, the one
correction (Art. 30) restarting the clock or lapsing, a third-party consultation (Art. 32) not counted.
Every expected date below was counted by hand on the 2026 calendar."""
from datetime import date

import pytest

from kiosk.applications import operations as ops
from kiosk.applications.models import Status
from kiosk.core.errors import Conflict, Forbidden, InvalidInput
from kiosk.extensions import db
from kiosk.workdays.calendar import is_working_day
from tests.applications.conftest import at, file_on, user


def test_the_holiday_table_holds_spring_festival_and_national_day_2026(ctx):
    assert not is_working_day(date(2026, 2, 16)) and not is_working_day(date(2026, 10, 1))
    assert is_working_day(date(2026, 2, 14)) and is_working_day(date(2026, 10, 10))   # 调休 Saturdays


def test_twenty_working_days_across_spring_festival(ctx):
    # Fri 6 Feb: 9–13 Feb (5), Sat 14 Feb 调休 (6), 15–23 Feb off, 24–27 Feb (10), Sat 28 Feb 调休 (11),
    # 2–6 Mar (16), 9–12 Mar (20).
    application = file_on(date(2026, 2, 6))
    assert application.received_on == date(2026, 2, 6)
    assert application.due_on == date(2026, 3, 12)


def test_national_day_and_the_one_extension(ctx):
    # Fri 25 Sep: 28–30 Sep (3), 1–7 Oct off, 8–9 Oct (5), Sat 10 Oct 调休 (6), 12–16 (11), 19–23 (16),
    # 26–29 Oct (20).
    application = file_on(date(2026, 9, 25))
    assert application.due_on == date(2026, 10, 29)
    at(date(2026, 10, 27))
    with pytest.raises(Forbidden):
        ops.extend(user("editor"), application, 20, "已电话告知申请人延期")
    with pytest.raises(InvalidInput) as refused:
        ops.extend(user("reviewer"), application, 21, "已电话告知申请人延期")
    assert refused.value.details["field"] == "days"
    db.session.rollback()
    ops.extend(user("reviewer"), application, 20, "已电话告知申请人延期，并寄送延期答复告知书")
    db.session.commit()
    # 20 more: 30 Oct (1), 2–6 Nov (6), 9–13 (11), 16–20 (16), 23–26 Nov (20).
    assert application.due_on == date(2026, 11, 26)
    with pytest.raises(Conflict) as twice:
        ops.extend(user("reviewer"), application, 5, "再次延期")
    assert twice.value.code == "extension_once"


def test_the_extension_comes_before_the_due_date(ctx):
    application = file_on(date(2026, 9, 25))
    at(date(2026, 10, 30))
    with pytest.raises(Conflict) as late:
        ops.extend(user("reviewer"), application, 10, "已电话告知申请人")
    assert late.value.code == "extension_too_late"


def test_a_correction_stops_the_clock_and_restarts_it_from_its_arrival(ctx):
    application = file_on(date(2026, 11, 2))          # Monday
    assert application.due_on == date(2026, 11, 30)
    at(date(2026, 11, 5))                              # day 3 after receipt
    ops.request_correction(user("window1"), application, "请写明所需合同的工程名称和年份", date(2026, 11, 16))
    db.session.commit()
    assert application.status == Status.correcting and application.due_on is None
    at(date(2026, 11, 9))
    ops.record_correction(user("window1"), application)
    db.session.commit()
    # 20 working days after Mon 9 Nov: 10–13 (4), 16–20 (9), 23–27 (14), 30 Nov–4 Dec (19), 7 Dec (20).
    assert application.status == Status.open and application.due_on == date(2026, 12, 7)
    with pytest.raises(Conflict) as again:
        ops.request_correction(user("window1"), application, "再补一次", date(2026, 12, 20))
    assert again.value.code == "correction_once"


def test_a_correction_is_asked_for_within_seven_working_days(ctx):
    application = file_on(date(2026, 11, 2))
    at(date(2026, 11, 12))                             # 7 working days after Mon 2 Nov end on Wed 11 Nov
    with pytest.raises(Conflict) as late:
        ops.request_correction(user("window1"), application, "请补充信息名称", date(2026, 11, 30))
    assert late.value.code == "correction_too_late" and "2026-11-11" in late.value.message


def test_an_uncorrected_application_lapses_the_day_after_its_period(ctx):
    application = file_on(date(2026, 11, 2))
    at(date(2026, 11, 4))
    ops.request_correction(user("window1"), application, "请写明所需信息的名称", date(2026, 11, 13))
    db.session.commit()
    at(date(2026, 11, 13), 23)
    assert ops.lapse_uncorrected() == 0                # the last day of the period is still the applicant's
    at(date(2026, 11, 14), 1)
    assert ops.lapse_uncorrected() == 1
    db.session.commit()
    assert application.status == Status.closed and application.outcome == "other.correction_lapsed"
    assert application.decided_on == date(2026, 11, 14) and application.reason
    at(date(2026, 11, 16))
    with pytest.raises(Conflict):
        ops.record_correction(user("window1"), application)


def test_a_late_correction_is_refused_as_lapsed(ctx):
    application = file_on(date(2026, 11, 2))
    at(date(2026, 11, 4))
    ops.request_correction(user("window1"), application, "请写明所需信息的名称", date(2026, 11, 10))
    db.session.commit()
    at(date(2026, 11, 12), 8)
    with pytest.raises(Conflict) as lapsed:
        ops.record_correction(user("window1"), application, date(2026, 11, 11))
    assert lapsed.value.code == "correction_lapsed"


def test_a_third_party_consultation_is_not_counted(ctx):
    application = file_on(date(2026, 11, 2))
    at(date(2026, 11, 4))                              # Wednesday
    ops.start_consultation(user("window1"), application, "征求施工单位意见（第三十二条）")
    db.session.commit()
    # Still open: its longest end (15 working days) is assumed. 20 + 15 after Mon 2 Nov = Mon 21 Dec.
    assert application.due_on == date(2026, 12, 21)
    at(date(2026, 11, 11))
    ops.end_consultation(user("window1"), application, "第三方同意公开")
    db.session.commit()
    # Paused Thu 5 – Wed 11 Nov: 5 working days; 25 after Mon 2 Nov = Mon 7 Dec.
    assert application.due_on == date(2026, 12, 7)


def test_an_answer_during_a_consultation_counts_the_consultation_as_it_was(ctx):
    application = file_on(date(2026, 11, 2))
    at(date(2026, 11, 3))
    ops.start_consultation(user("window1"), application, "征求施工单位意见")
    db.session.commit()
    # Answered on Tue 1 Dec, the consultation ending then: it pauses the clock for at most 15 working days
    # (Wed 4 – Tue 24 Nov), so the answer is due 35 working days after Mon 2 Nov, Mon 21 Dec: not late.
    at(date(2026, 12, 1))
    ops.decide(user("window1"), application, ops.Decision("disclosed", provided="复印件"))
    db.session.commit()
    assert application.status == Status.closed and application.late_reason == ""


def test_a_short_consultation_does_not_hide_a_late_answer(ctx):
    application = file_on(date(2026, 11, 2))        # due Mon 30 Nov without the consultation
    at(date(2026, 12, 1))
    ops.start_consultation(user("window1"), application, "征求施工单位意见")
    db.session.commit()
    assert application.due_on > date(2026, 12, 1)    # its longest end is assumed while it runs
    at(date(2026, 12, 2))
    # Ended after one working day (Wed 2 Dec): due Tue 1 Dec, so an answer today is late.
    with pytest.raises(InvalidInput) as late:
        ops.decide(user("window1"), application, ops.Decision("disclosed", provided="复印件"))
    assert late.value.details["field"] == "late_reason" and "2026-12-01" in late.value.message
