"""The window's actions: call order, recall, the one-ticket rule, transfer, pause."""
from datetime import timedelta

import pytest
from sqlalchemy.exc import IntegrityError

from kiosk.core import clock
from kiosk.extensions import db
from kiosk.queue.models import Ticket, TicketStatus
from tests.queue.conftest import act, call_next, issue, serve

# Demo windows: 1 serves A then E, 2 serves A then B, 3 serves B then C, 4 serves D then C.


def test_call_next_takes_priority_then_preference_then_time(clerk):
    normal_b = issue(clerk, "B")
    clock.shift(timedelta(minutes=1))
    normal_a = issue(clerk, "A")
    clock.shift(timedelta(minutes=1))
    green_b = issue(clerk, "B", priority="green")
    clock.shift(timedelta(minutes=1))
    later_a = issue(clerk, "A")
    order = []
    for _ in range(4):
        ticket = call_next(clerk, 2)
        order.append(ticket["code"])
        serve(clerk, 2, ticket["id"])
    # 绿色通道 first; then window 2's first service (A) by time; then B.
    assert order == [green_b["code"], normal_a["code"], later_a["code"], normal_b["code"]]
    assert call_next(clerk, 2) is None


def test_a_window_without_priority_first_keeps_strict_preference(clerk, staff):
    admin = staff("admin")
    response = admin.api("PUT", "/api/v1/queue/windows/2", json={"number": 2, "services": ["A", "B"],
                                                                 "priority_first": False})
    assert response.status_code == 200, response.get_json()
    green_b = issue(clerk, "B", priority="green")
    normal_a = issue(clerk, "A")
    assert call_next(clerk, 2)["code"] == normal_a["code"]
    serve(clerk, 2, normal_a["id"])
    assert call_next(clerk, 2)["code"] == green_b["code"]


def test_recall_stays_called_and_is_announced_as_a_recall(clerk, demo_app):
    ticket = issue(clerk, "A")
    called = call_next(clerk, 1)
    again = act(clerk, 1, called["id"], "recall")
    assert again["status"] == "called" and again["window"] == 1
    calls = demo_app.test_client().get("/hall/jinjia-hall/status.json").get_json()["calls"]
    assert [(c["code"], c["recall"], c["text"]) for c in calls[:2]] == [
        (ticket["code"], True, "请A001号再次到1号窗口办理"), (ticket["code"], False, "请A001号到1号窗口办理")]


def test_a_window_holds_one_ticket_at_a_time(clerk, demo_app):
    first = issue(clerk, "A")
    issue(clerk, "A")
    assert call_next(clerk, 1)["id"] == first["id"]
    busy = call_next(clerk, 1, expect=409)
    assert busy["error"] == "busy" and "A001" in busy["message"]
    act(clerk, 1, first["id"], "start")
    assert call_next(clerk, 1, expect=409)["error"] == "busy"
    act(clerk, 1, first["id"], "finish")
    assert call_next(clerk, 1)["code"] == "A002"


def test_the_database_itself_refuses_a_second_ticket_at_a_window(clerk, demo_app):
    issue(clerk, "A")
    second = issue(clerk, "A")
    call_next(clerk, 1)
    with demo_app.app_context():
        row = db.session.get(Ticket, second["id"])
        row.status, row.window_id = TicketStatus.called, 1
        with pytest.raises(IntegrityError):
            db.session.commit()


def test_actions_in_the_wrong_state_are_refused(clerk):
    ticket = issue(clerk, "A")
    assert act(clerk, 1, ticket["id"], "start", expect=409)["error"] == "not_at_window"
    call_next(clerk, 1)
    assert act(clerk, 1, ticket["id"], "finish", expect=409)["error"] == "wrong_state"
    assert act(clerk, 2, ticket["id"], "start", expect=409)["error"] == "not_at_window"
    act(clerk, 1, ticket["id"], "start")
    assert act(clerk, 1, ticket["id"], "recall", expect=409)["error"] == "wrong_state"
    assert act(clerk, 1, ticket["id"], "no-show", expect=409)["error"] == "wrong_state"


def test_no_show_frees_the_window(clerk):
    ticket = issue(clerk, "A")
    call_next(clerk, 1)
    assert act(clerk, 1, ticket["id"], "no-show")["status"] == "no_show"
    assert call_next(clerk, 1) is None


def test_transfer_keeps_the_place_by_original_time(clerk, demo_app):
    early_a = issue(clerk, "A")
    clock.shift(timedelta(minutes=5))
    b_tickets = [issue(clerk, "B") for _ in range(2)]
    call_next(clerk, 1)  # window 1 calls A001
    moved = act(clerk, 1, early_a["id"], "transfer", service="B")
    assert moved["status"] == "transferred" and moved["service"]["prefix"] == "B" and moved["code"] == "A001"
    assert moved["ahead"] == 0  # issued before both B tickets
    assert call_next(clerk, 1) is None  # window 1 is free again and has nothing of A or E
    # Window 3 serves B first: the transferred ticket comes before the B tickets issued after it.
    assert [call_next(clerk, 3)["code"]] == ["A001"]
    serve(clerk, 3, early_a["id"])
    assert call_next(clerk, 3)["code"] == b_tickets[0]["code"]
    with demo_app.app_context():
        row = db.session.get(Ticket, early_a["id"])
        assert row.status == TicketStatus.done and row.number_service_id != row.service_id


def test_transfer_to_the_same_or_unknown_service_is_refused(clerk):
    ticket = issue(clerk, "A")
    call_next(clerk, 1)
    assert act(clerk, 1, ticket["id"], "transfer", service="A", expect=400)["error"] == "invalid"
    assert act(clerk, 1, ticket["id"], "transfer", service="Q", expect=400)["error"] == "invalid"


def test_a_paused_window_does_not_call(clerk):
    issue(clerk, "A")
    response = clerk.api("POST", "/api/v1/queue/windows/1/pause", json={"paused": True})
    assert response.status_code == 200 and response.get_json()["paused"] is True
    assert call_next(clerk, 1, expect=409)["error"] == "paused"
    clerk.api("POST", "/api/v1/queue/windows/1/pause", json={"paused": False})
    assert call_next(clerk, 1)["code"] == "A001"


def test_cancel_only_waiting_tickets(clerk):
    ticket = issue(clerk, "A")
    response = clerk.api("POST", f"/api/v1/queue/tickets/{ticket['id']}/cancel")
    assert response.status_code == 200 and response.get_json()["status"] == "cancelled"
    assert clerk.api("POST", f"/api/v1/queue/tickets/{ticket['id']}/cancel").status_code == 409
    assert call_next(clerk, 1) is None


def test_window_roles(staff, monday_morning):
    editor = staff("editor")
    assert editor.api("POST", "/api/v1/queue/windows/1/call-next").status_code == 403
    assert editor.get("/queue/windows/1").status_code == 403
    assert staff("admin").api("POST", "/api/v1/queue/windows/1/call-next").status_code == 200


def test_the_clerk_page_and_window_state(clerk):
    page = clerk.get("/queue/windows/1")
    assert page.status_code == 200 and "呼叫下一位" in page.get_data(as_text=True)
    ticket = issue(clerk, "A")
    call_next(clerk, 1)
    state = clerk.api("GET", "/api/v1/queue/windows/1").get_json()
    assert state["current"]["code"] == ticket["code"] and state["services"] == ["A", "E", "T"]
    listing = clerk.api("GET", "/api/v1/queue/halls/jinjia-hall/windows").get_json()
    assert [w["number"] for w in listing] == [1, 2, 3, 4] and listing[0]["current"]["code"] == "A001"
