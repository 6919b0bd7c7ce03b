"""Publicity periods: category minimums, working days across a holiday, days left in local time."""
from datetime import date

from kiosk.disclosures.models import PeriodUnit
from kiosk.disclosures.periods import days_left, period_end
from kiosk.workdays.calendar import add_working_days, working_days_between

from tests.disclosures.conftest import local


def test_working_days_skip_national_day_and_count_the_make_up_saturday(demo_app):
    with demo_app.app_context():
        # 30 Sep (Wed) is day 1; 1–7 Oct are holidays; 8, 9 Oct work; Sat 10 Oct is a 调休 working day.
        assert add_working_days(date(2026, 9, 30), 5) == date(2026, 10, 12)
        assert add_working_days(date(2026, 10, 3), 1) == date(2026, 10, 8)
        assert working_days_between(date(2026, 9, 29), date(2026, 10, 12)) == 5
        end = period_end(local("2026-09-30 09:00"), 5, PeriodUnit.working_days)
        assert end == local("2026-10-13 00:00")
        assert days_left(end, date(2026, 10, 12)) == 1 and days_left(end, date(2026, 10, 13)) == 0


def test_dibao_list_cannot_end_before_seven_days(clients):
    editor = clients("editor")
    short = editor.api("post", "/api/v1/notices", json={
        "category": "dibao", "title": "2026年第四季度低保对象公示", "formed_on": "2026-11-02", "audience": "villages",
        "villages": ["lizhuang", "wangjia", "zhang"], "show_from": "2026-11-03T08:00:00",
        "show_until": "2026-11-08T18:00:00"})
    assert short.status_code == 400 and short.get_json()["field"] == "show_until"
    too_short = editor.api("post", "/api/v1/notices", json={
        "category": "dibao", "title": "低保公示", "formed_on": "2026-11-02", "audience": "villages",
        "villages": ["lizhuang"], "show_from": "2026-11-03T08:00:00", "period_length": 5,
        "period_unit": "calendar_days"})
    assert too_short.status_code == 400 and too_short.get_json()["field"] == "period_length"
    defaulted = editor.api("post", "/api/v1/notices", json={
        "category": "dibao", "title": "低保公示", "formed_on": "2026-11-02", "audience": "villages",
        "villages": ["lizhuang"], "show_from": "2026-11-03T08:00:00"}).get_json()
    assert (defaulted["period_length"], defaulted["period_unit"]) == (7, "calendar_days")


def test_cadre_pre_appointment_minimum_in_working_days_across_a_holiday(clients):
    editor = clients("editor")
    body = {"category": "cadre_preappointment", "title": "干部任前公示", "formed_on": "2026-09-29",
            "audience": "township", "show_from": "2026-09-30T09:00:00", "show_until": "2026-10-12T18:00:00"}
    early = editor.api("post", "/api/v1/notices", json=body)
    assert early.status_code == 400 and "2026-10-13 00:00" in early.get_json()["message"]
    body["show_until"] = "2026-10-13T00:00:00"
    assert editor.api("post", "/api/v1/notices", json=body).status_code == 201


def test_an_added_holiday_moves_the_end(clients):
    admin, editor = clients("admin"), clients("editor")
    assert editor.api("put", "/api/v1/holidays", json={"day": "2026-10-12", "kind": "holiday"}).status_code == 403
    assert admin.api("put", "/api/v1/holidays", json={"day": "2026-10-12", "kind": "holiday",
                                                       "name": "测试"}).status_code == 200
    body = {"category": "cadre_preappointment", "title": "干部任前公示", "formed_on": "2026-09-29",
            "audience": "township", "show_from": "2026-09-30T09:00:00", "show_until": "2026-10-13T00:00:00"}
    moved = editor.api("post", "/api/v1/notices", json=body)
    assert moved.status_code == 400 and "2026-10-14 00:00" in moved.get_json()["message"]
    assert admin.api("delete", "/api/v1/holidays/2026-10-12").status_code == 204
    assert admin.api("delete", "/api/v1/holidays/not-a-day").status_code == 400


def test_approval_late_in_the_period_extends_the_end(clients, approved, frozen):
    frozen("2026-11-05 10:00")
    notice = approved("editor", category="dibao", title="低保公示", audience="villages",
                      villages=["lizhuang", "wangjia", "zhang"], show_from="2026-11-03T08:00:00")
    # Approved on the 5th: seven full days from then, whatever the draft said.
    assert notice["live_until"].startswith("2026-11-11T16:00:00")
    public = clients("editor").http.get("/api/v1/public/notices?unit=wangjia").get_json()["notices"]
    assert next(n for n in public if n["id"] == notice["id"])["days_left"] == 7
