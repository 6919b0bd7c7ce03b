"""Monthly and quarterly statements on the staff pages and as CSV, against the year the test made."""
import csv
import io

import pytest

from tests.conftest import StaffClient
from tests.reports.conftest import PASSWORD


@pytest.fixture
def admin(year_app):
    return StaffClient(year_app.test_client(), "lh-admin", PASSWORD)


def _csv(response) -> dict[tuple[str, str, str], str]:
    assert response.status_code == 200 and response.content_type.startswith("text/csv")
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    assert rows[0] == ["period", "part", "item", "measure", "value"]
    return {(part, item, measure): value for _period, part, item, measure, value in rows[1:]}


def test_the_quarter_shows_disclosures_on_time_and_late_per_unit(admin, tally):
    values = _csv(admin.get("/staff/reports/statements.csv?unit=liuhe&period=2026-Q3"))
    # July to September: the budget (formed 1 June, shown 15 July: late) and the 低保 list (on time).
    assert values[("disclosures", "柳河镇", "on_time")] == "1"
    assert values[("disclosures", "柳河镇", "late")] == "1"
    page = admin.get("/staff/reports/statements?unit=liuhe&period=2026-Q3").get_data(as_text=True)
    assert "柳河镇：2026年第3季度统计报表" in page


def test_the_month_shows_the_hall_and_the_bad_ratings_follow_up_within_the_townships_deadline(admin, tally):
    values = _csv(admin.get("/staff/reports/statements.csv?unit=liuhe&period=2026-10"))
    assert values[("hall_service", "柳河镇便民服务中心 A 社会保险", "issued")] == str(tally.tickets)
    assert values[("hall_service", "柳河镇便民服务中心 A 社会保险", "served")] == str(tally.served)
    assert values[("hall_window", "柳河镇便民服务中心 1号窗口", "served")] == str(tally.served)
    # Each served ticket: called 20 minutes apart after 08:30 issue, 8 minutes at the window.
    assert values[("hall_service", "柳河镇便民服务中心 A 社会保险", "service_avg_min")] == "8.0"
    assert values[("ratings", "柳河镇", "bad")] == str(tally.bad)
    assert values[("ratings", "柳河镇", "followed_up_in_time")] == "1"    # the 4th working day, within 5
    assert values[("ratings", "柳河镇", "deadline_working_days")] == "5"
    assert ("disclosures", "柳河镇", "on_time") not in values              # nothing went live in October


def test_the_follow_up_deadline_is_a_township_setting_of_5_7_or_15_working_days(admin):
    assert admin.post_form("/staff/reports/statements?unit=liuhe&period=2026-10",
                           {"follow_up_days": "15"}).status_code == 302
    values = _csv(admin.get("/staff/reports/statements.csv?unit=liuhe&period=2026-10"))
    assert values[("ratings", "柳河镇", "deadline_working_days")] == "15"
    refused = admin.post_form("/staff/reports/statements?unit=liuhe&period=2026-10", {"follow_up_days": "6"})
    assert refused.status_code == 400
    assert "差评整改回访时限只能为5、7或15个工作日。" in refused.get_data(as_text=True)


def test_the_follow_up_is_late_one_working_day_past_the_deadline(year_app, tally):
    """The rule itself: closed on the 4th working day after the rating, the make-up Saturday counted."""
    from datetime import date

    from sqlalchemy import select

    from kiosk.extensions import db
    from kiosk.org.models import Unit
    from kiosk.reports import activity
    with year_app.app_context():
        town = db.session.scalar(select(Unit).where(Unit.code == "liuhe"))
        ids = [u.id for u in activity.units_below(town)]
        assert activity.hall_figures(ids, date(2026, 10, 1), date(2026, 10, 31), 4).followed_up_in_time == 1
        assert activity.hall_figures(ids, date(2026, 10, 1), date(2026, 10, 31), 3).followed_up_in_time == 0


def test_a_wrong_period_gets_a_clear_message(admin):
    response = admin.get("/staff/reports/statements.csv?unit=liuhe&period=2026-13")
    assert response.status_code == 400
    assert "请按月份（2026-11）或季度（2026-Q4）填写统计期间。" in response.get_data(as_text=True)


def test_the_month_shows_each_screens_on_hours_uptime_and_showing_hours(admin, tally):
    values = _csv(admin.get("/staff/reports/statements.csv?unit=liuhe&period=2026-10"))
    # On-hours only: the hour connected before 09:00 is not counted (kiosk/screens/uptime.py).
    assert float(values[("screens", "上村 上村公开栏", "heard_hours")]) == tally.screen_heard_hours
    assert float(values[("screens", "上村 上村公开栏", "on_hours")]) == 20 * 12.0    # 12 to 31 October, 09:00-21:00
    assert float(values[("screens", "上村 上村公开栏", "uptime_percent")]) == round(100 * 3.0 / 240, 1)
    assert float(values[("screens", "上村 上村公开栏", "shown_hours")]) == tally.screen_shown_hours
    november = _csv(admin.get("/staff/reports/statements.csv?unit=liuhe&period=2026-11"))
    assert float(november[("screens", "上村 上村公开栏", "heard_hours")]) == 0.0
