"""The holiday table from the official arrangement (chinesecalendar), staff edits winning over it,
the warning while next year is missing, and working days and opening hours across 2026→2027."""
import logging
import subprocess
import sys
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from kiosk.core import clock
from kiosk.extensions import db
from kiosk.workdays import official
from kiosk.workdays.calendar import add_working_days, is_working_day
from kiosk.workdays.models import DayKind

SHANGHAI = ZoneInfo("Asia/Shanghai")
# The 2027 arrangement as a newer chinesecalendar would carry it (the notice comes out in November);
# the test supplies it so that it passes whichever version is installed.
ARRANGEMENT_2027 = {date(2027, 1, 1): (DayKind.holiday, "元旦"), date(2027, 1, 2): (DayKind.holiday, "元旦"),
                    date(2027, 1, 3): (DayKind.holiday, "元旦"), date(2027, 2, 20): (DayKind.workday, "春节调休")}


@pytest.fixture
def with_2027(monkeypatch):
    """The installed package's arrangement plus 2027's, as after `pip install -U chinesecalendar`."""
    installed = official.official_days()
    monkeypatch.setattr(official, "official_days", lambda: {**installed, **ARRANGEMENT_2027})
    monkeypatch.setattr("kiosk.workdays.operations.official_days", lambda: {**installed, **ARRANGEMENT_2027})


def holidays(client, year):
    response = client.get(f"/api/v1/holidays?year={year}")
    assert response.status_code == 200, response.get_json()
    return {row["day"]: row for row in response.get_json()["holidays"]}


def refresh(app):
    with app.app_context():
        result = official.refresh()
        db.session.commit()
    return result


def test_refresh_fills_every_year_the_package_knows_and_is_idempotent(demo_app, staff):
    first = refresh(demo_app)
    assert first.added > 500 and first.years[0] <= 2010 and 2026 in first.years
    assert not refresh(demo_app)  # nothing left to change
    admin = staff("admin")
    assert holidays(admin, 2019)["2019-10-01"] == {"day": "2019-10-01", "kind": "holiday", "name": "国庆节",
                                                  "source": "official"}
    assert holidays(admin, 2026)["2026-02-14"]["kind"] == "workday"  # 春节调休, from 0002's seed
    page = admin.get("/staff/holidays/?year=2019").get_data(as_text=True)
    assert "国庆节" in page and "国务院安排" in page


def test_staff_edits_win_over_a_refresh(demo_app, staff, with_2027):
    admin = staff("admin")
    # A county gives 2 January 2027 back as a working day's name, and takes 4 January off.
    assert admin.api("put", "/api/v1/holidays", json={"day": "2027-01-04", "kind": "holiday",
                                                       "name": "县里补假"}).status_code == 200
    refresh(demo_app)
    assert holidays(admin, 2027)["2027-01-04"] == {"day": "2027-01-04", "kind": "holiday", "name": "县里补假",
                                                  "source": "staff"}
    # Removing an official day leaves an "ordinary" row, which the next refresh keeps.
    assert admin.api("delete", "/api/v1/holidays/2027-01-02").status_code == 204
    result = refresh(demo_app)
    assert holidays(admin, 2027)["2027-01-02"]["kind"] == "ordinary" and result.kept_staff_edits >= 1
    with demo_app.app_context():
        assert not is_working_day(date(2027, 1, 2))  # a Saturday: the weekday rule
        assert is_working_day(date(2027, 2, 20))     # a Saturday worked for 春节
    # Removing that row gives the day back to the official arrangement.
    assert admin.api("delete", "/api/v1/holidays/2027-01-02").status_code == 204
    assert holidays(admin, 2027)["2027-01-02"] == {"day": "2027-01-02", "kind": "holiday", "name": "元旦",
                                                  "source": "official"}


def test_a_publicity_period_across_new_year(staff, with_2027, demo_app):
    body = {"category": "cadre_preappointment", "title": "干部任前公示", "formed_on": "2026-12-29",
            "audience": "township", "show_from": "2026-12-30T09:00:00", "show_until": "2027-01-06T00:00:00"}
    # Five working days from Wednesday 30 December: 30, 31 December, then 4, 5, 6 January once 元旦 is
    # in the table, so the 6th (the end without 2027's holidays) is one day short.
    refresh(demo_app)
    editor = staff("editor")
    short = editor.api("post", "/api/v1/notices", json=body)
    assert short.status_code == 400 and "2027-01-07 00:00" in short.get_json()["message"]
    body["show_until"] = "2027-01-07T00:00:00"
    assert editor.api("post", "/api/v1/notices", json=body).status_code == 201
    with demo_app.app_context():
        assert add_working_days(date(2026, 12, 31), 2) == date(2027, 1, 4)


def test_opening_hours_across_new_year(demo_app, staff, with_2027):
    refresh(demo_app)
    clock.set_now(datetime(2026, 12, 31, 17, 0, tzinfo=SHANGHAI))  # Thursday, still open
    clerk = staff("window1")

    def issue(expect):
        response = clerk.api("POST", "/api/v1/queue/halls/jinjia-hall/tickets", json={"service": "A"})
        assert response.status_code == expect, response.get_json()
        return response.get_json()

    assert issue(201)["code"] == "A001"
    clock.set_now(datetime(2027, 1, 1, 10, 0, tzinfo=SHANGHAI))  # 元旦, a Friday
    refused = issue(409)
    assert refused["error"] == "closed" and "星期一 08:30" in refused["message"]
    clock.set_now(datetime(2027, 1, 4, 8, 45, tzinfo=SHANGHAI))
    assert issue(201)["code"] == "A001"  # a new year, a new day, numbers from 1


def test_administrators_are_warned_from_november_while_next_year_is_missing(demo_app, staff, caplog, with_2027):
    from kiosk.workdays.jobs import refresh_holidays
    admin, editor = staff("admin"), staff("editor")
    clock.set_now(datetime(2026, 10, 31, 12, 0, tzinfo=SHANGHAI))
    assert 'id="holidays-missing"' not in admin.get("/staff/").get_data(as_text=True)
    clock.set_now(datetime(2026, 11, 1, 9, 0, tzinfo=SHANGHAI))
    dashboard = admin.get("/staff/").get_data(as_text=True)
    assert 'id="holidays-missing"' in dashboard and "2027年" in dashboard
    assert 'id="holidays-missing"' not in editor.get("/staff/").get_data(as_text=True)
    assert 'id="holidays-missing"' in admin.get("/staff/holidays/?year=2027").get_data(as_text=True)
    with demo_app.app_context(), caplog.at_level(logging.INFO, logger="kiosk"):
        from kiosk.workdays.jobs import warn_if_next_year_missing
        assert warn_if_next_year_missing() == 2027
        assert any(r.levelno == logging.WARNING and "2027" in r.getMessage() for r in caplog.records)
        caplog.clear()
        assert refresh_holidays()  # the newer package brings 2027: the job says what it changed
        assert not [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert 'id="holidays-missing"' not in admin.get("/staff/").get_data(as_text=True)


def test_refresh_command(tmp_path):
    env = {"KIOSK_INSTANCE_PATH": str(tmp_path), "PATH": "/usr/bin:/bin",
           "KIOSK_CLOCK_START": "2026-11-28T06:00:00+08:00"}
    kiosk = [sys.executable, "-m", "kiosk"]
    subprocess.run(kiosk + ["db", "upgrade"], env=env, check=True, capture_output=True, timeout=120)
    done = subprocess.run(kiosk + ["holidays", "refresh"], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("holidays 2004–") and "added" in done.stdout
    again = subprocess.run(kiosk + ["holidays", "refresh"], env=env, capture_output=True, text=True, timeout=120)
    assert " 0 added, 0 changed, 0 removed" in again.stdout
    bad = subprocess.run(kiosk + ["holidays", "refresh"], env={**env, "KIOSK_CLOCK_START": "tomorrow"},
                         capture_output=True, text=True, timeout=120)
    assert bad.returncode == 2 and "KIOSK_CLOCK_START" in bad.stderr
