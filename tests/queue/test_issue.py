"""Issuing numbers: per service and day, caps, hours, who may issue."""
from datetime import date, timedelta

from kiosk.core import clock
from tests.conftest import csrf_from
from kiosk.extensions import db
from kiosk.queue.models import Ticket, TicketEvent
from tests.queue.conftest import HALL, issue, shanghai


def test_numbers_count_per_service_and_show_on_the_status_page(clerk, demo_app):
    first = issue(clerk, "A")
    second = issue(clerk, "A", priority="green")
    other = issue(clerk, "B")
    assert (first["code"], second["code"], other["code"]) == ("A001", "A002", "B001")
    assert first["status"] == "waiting" and second["priority"] == "green"
    page = demo_app.test_client().get(first["status_url"])  # no login needed
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "A001" in html and "社会保险" in html and "居民身份证原件" in html
    state = demo_app.test_client().get(f"/t/{first['token']}.json").get_json()
    # The 绿色通道 ticket issued later is still called first, so it is ahead.
    assert state["ahead"] == 1 and state["status_label"] == "等候中"
    with demo_app.app_context():
        kinds = [event.kind for event in db.session.scalars(db.select(TicketEvent).where(
            TicketEvent.ticket_id == first["id"]))]
    assert kinds == ["issued"]


def test_a_wrong_token_finds_nothing(demo_app):
    client = demo_app.test_client()
    assert client.get("/t/" + "x" * 43).status_code == 404
    assert client.get("/t/short.json").status_code == 404


def test_anonymous_callers_cannot_take_numbers(demo_app, monday_morning):
    response = demo_app.test_client().post(f"/api/v1/queue/halls/{HALL}/tickets", json={"service": "A"})
    assert response.status_code == 401
    assert "取号" in response.get_json()["message"]
    page = demo_app.test_client().get(f"/hall/{HALL}/ticket")
    assert page.status_code == 302 and "/staff/login" in page.headers["Location"]


def test_only_staff_of_the_hall_issue(staff, token_for, demo_app, monday_morning):
    editor = staff("lizhuang")  # a village clerk: no role at the hall
    assert issue(editor, "A", expect=403)["error"] == "forbidden"
    headers = token_for("window2")
    response = demo_app.test_client().post(f"/api/v1/queue/halls/{HALL}/tickets", json={"service": "C"},
                                           headers=headers)
    assert response.status_code == 201 and response.get_json()["code"] == "C001"


def test_a_clerk_of_another_hall_is_refused(demo_app, staff, monday_morning):
    from kiosk.accounts.models import Role
    from kiosk.accounts.operations import create_user
    from kiosk.org.models import Unit, UnitKind
    from kiosk.org.operations import create_unit
    with demo_app.app_context():
        county = db.session.scalar(db.select(Unit).where(Unit.code == "county"))
        other = create_unit(UnitKind.township, "银河镇", "yinhe", county)
        other_hall = create_unit(UnitKind.hall, "银河镇便民服务中心", "yinhe-hall", other)
        create_user("yinhe1", "Yinhe-window-pass", {Role.window_clerk}, other_hall, "银河1号窗口")
        db.session.commit()
    outsider = staff("yinhe1", "Yinhe-window-pass")
    response = issue(outsider, "A", expect=403)
    assert "金家镇便民服务中心" in response["message"]
    assert outsider.api("POST", "/api/v1/queue/windows/1/call-next").status_code == 403
    assert outsider.get("/queue/windows/1").status_code == 403


def test_unknown_service_and_bad_priority_are_clear_errors(clerk):
    assert "Z" in issue(clerk, "Z", expect=400)["message"]
    assert issue(clerk, "A", priority="vip", expect=400)["error"] == "invalid"


def test_closed_service_is_refused_with_the_next_opening(clerk):
    clock.set_now(shanghai(2026, 11, 23, 12, 30))  # lunch break
    refused = issue(clerk, "A", expect=409)
    assert refused["error"] == "closed" and "今天 13:30" in refused["message"]
    clock.set_now(shanghai(2026, 11, 28, 10, 0))  # Saturday
    assert "星期一 08:30" in issue(clerk, "A", expect=409)["message"]
    clock.set_now(shanghai(2026, 11, 23, 13, 30))
    assert issue(clerk, "A")["code"] == "A001"


def test_daily_cap_refuses_without_using_up_a_number(clerk, demo_app):
    admin_set_cap(demo_app, "E", 2)
    assert [issue(clerk, "E")["code"] for _ in range(2)] == ["E001", "E002"]
    refused = issue(clerk, "E", expect=409)
    assert refused["error"] == "cap_reached" and "2" in refused["message"]
    admin_set_cap(demo_app, "E", 3)
    assert issue(clerk, "E")["code"] == "E003"  # the refusal did not burn E003


def admin_set_cap(app, prefix, cap):
    from kiosk.queue.models import QueueService
    with app.app_context():
        service = db.session.scalar(db.select(QueueService).where(QueueService.prefix == prefix))
        service.daily_cap = cap
        db.session.commit()


def test_numbers_start_again_at_midnight_in_shanghai(clerk, demo_app):
    open_always(demo_app, "A")
    clock.set_now(shanghai(2026, 11, 23, 23, 58))
    assert [issue(clerk, "A")["code"] for _ in range(2)] == ["A001", "A002"]
    late = issue(clerk, "A")
    clock.shift(timedelta(minutes=3))  # 00:01 on Tuesday in Shanghai, still Monday 16:01 UTC
    assert clock.now().day == 23
    fresh = issue(clerk, "A")
    assert fresh["code"] == "A001" and fresh["day"] == "2026-11-24"
    # Yesterday's leftover is not called today and its page says so.
    assert demo_app.test_client().get(f"/t/{late['token']}.json").get_json()["status_label"] == "已过期"
    called = clerk.api("POST", "/api/v1/queue/windows/1/call-next").get_json()["ticket"]
    assert called["code"] == "A001" and called["day"] == "2026-11-24"


def open_always(app, prefix):
    from kiosk.queue.models import QueueService
    with app.app_context():
        service = db.session.scalar(db.select(QueueService).where(QueueService.prefix == prefix))
        service.hours = {}
        db.session.commit()


def test_the_issue_is_recorded_with_its_channel_and_clerk(clerk, demo_app):
    ticket = issue(clerk, "D")
    with demo_app.app_context():
        row = db.session.get(Ticket, ticket["id"])
        assert row.issued_via == "staff" and row.issued_by_id is not None
        assert row.queued_at == row.issued_at == clock.now()


def test_the_halls_touch_kiosk_takes_numbers_without_a_login(demo_app, screen_token, monday_morning):
    kiosk = demo_app.test_client()
    headers = {"X-Screen-Token": screen_token()}
    # The kiosk takes numbers in its own app (kiosk/touch), which carries the page's CSRF token.
    assert kiosk.get(f"/hall/{HALL}/ticket", headers=headers).location == "/touch/#take"
    page = kiosk.get("/touch/", headers=headers)
    headers["X-CSRFToken"] = csrf_from(page.get_data(as_text=True))  # the page's own token, as its script sends
    response = kiosk.post(f"/api/v1/queue/halls/{HALL}/tickets", json={"service": "A", "priority": "green"},
                          headers=headers)
    assert response.status_code == 201 and response.get_json()["code"] == "A001"
    with demo_app.app_context():
        assert db.session.get(Ticket, response.get_json()["id"]).issued_via == "kiosk"
    printable = kiosk.get(f"/hall/{HALL}/tickets/{response.get_json()['id']}/print", headers=headers)
    assert printable.status_code == 200


def test_other_screens_cannot_take_numbers(demo_app, screen_token, monday_morning):
    client = demo_app.test_client()
    for kind, unit in (("hall_board", HALL), ("touch_kiosk", "wangjia")):
        headers = {"X-Screen-Token": screen_token(kind, unit)}
        response = client.post(f"/api/v1/queue/halls/{HALL}/tickets", json={"service": "A"}, headers=headers)
        assert response.status_code == 403, (kind, unit)
    forged = client.post(f"/api/v1/queue/halls/{HALL}/tickets", json={"service": "A"},
                         headers={"X-Screen-Token": "not-a-token"})
    assert forged.status_code == 401


def test_public_holidays_close_and_make_up_days_open(clerk, demo_app):
    from kiosk.workdays.models import DayKind, Holiday
    with demo_app.app_context():
        db.session.add_all([Holiday(day=date(2026, 11, 23), kind=DayKind.holiday, name="测试假日"),
                            Holiday(day=date(2026, 11, 28), kind=DayKind.workday, name="调休上班")])
        db.session.commit()
    refused = issue(clerk, "A", expect=409)  # Monday 09:00, but a holiday
    assert refused["error"] == "closed" and "明天 08:30" in refused["message"]
    clock.set_now(shanghai(2026, 11, 28, 9, 0))  # a Saturday worked to make up for it
    assert issue(clerk, "A")["code"] == "A001"
