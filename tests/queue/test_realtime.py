"""Boards, clerk pages and status pages follow over Socket.IO: they join with queue.follow and
hear queue.changed / ticket.changed after each committed change."""
from kiosk.extensions import socketio
from tests.queue.conftest import HALL, act, call_next, issue


def events(client, name):
    return [message["args"][0] for message in client.get_received() if message["name"] == name]


def test_the_hall_and_the_ticket_hear_each_change(clerk, demo_app):
    ticket = issue(clerk, "A")
    board = socketio.test_client(demo_app)
    phone = socketio.test_client(demo_app)
    assert board.emit("queue.follow", {"hall": HALL}, callback=True)["ok"] is True
    joined = phone.emit("queue.follow", {"ticket": ticket["token"]}, callback=True)
    assert joined["ok"] is True and f"ticket:{ticket['id']}" in joined["rooms"]
    called = call_next(clerk, 1)
    changes = events(board, "queue.changed")
    assert {"hall": HALL, "kind": "called", "ticket": "A001", "window": 1} in changes
    assert events(phone, "ticket.changed") == [{"ticket": ticket["id"], "status": "called", "kind": "called"}]
    act(clerk, 1, called["id"], "recall")
    assert [c["kind"] for c in events(board, "queue.changed")] == ["recalled"]


def test_a_wrong_token_or_hall_joins_nothing(demo_app, clerk):
    ticket = issue(clerk, "A")
    stranger = socketio.test_client(demo_app)
    assert stranger.emit("queue.follow", {"ticket": "x" * 43}, callback=True) == {"ok": False, "rooms": []}
    assert stranger.emit("queue.follow", {"hall": "nowhere"}, callback=True)["ok"] is False
    assert stranger.emit("queue.follow", "junk", callback=True)["ok"] is False
    call_next(clerk, 1)
    assert stranger.get_received() == []
    assert ticket["id"]


def test_a_refused_action_publishes_nothing(demo_app, clerk):
    board = socketio.test_client(demo_app)
    board.emit("queue.follow", {"hall": HALL}, callback=True)
    clerk.api("POST", "/api/v1/queue/windows/1/pause", json={"paused": True})
    board.get_received()
    assert call_next(clerk, 1, expect=409)["error"] == "paused"
    assert board.get_received() == []
