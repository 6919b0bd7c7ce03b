"""One computed state per distinct input, pushed to the screens that share it; heartbeats in batches."""
from datetime import timedelta

import redis

from kiosk.core import clock
from kiosk.disclosures.jobs import advance_notices
from kiosk.events import bus
from kiosk.extensions import db, socketio
from kiosk.screens.models import Screen, ScreenConnection
from kiosk.screens.presence import presence
from kiosk.screens.statecache import shared_states
from tests.screens.conftest import group_id
from tests.screens.test_rules import token_of


def screen_socket(app, token: str):
    return socketio.test_client(app, namespace="/screens", auth={"token": token, "version": "1.0.0"})


def events(client, name: str) -> list[dict]:
    return [e["args"][0] for e in client.get_received("/screens") if e["name"] == name]


def village_screens(new_screen, count: int) -> list[dict]:
    return [new_screen(name=f"李庄测试屏{n}")[0] for n in range(count)]


def test_screens_sharing_their_inputs_share_one_computed_state(demo_app, new_screen):
    screens = village_screens(new_screen, 5)
    sockets = [screen_socket(demo_app, token_of(s["player_url"])) for s in screens]
    cache = shared_states(demo_app)
    before = cache.computed
    states = [s.emit("state", namespace="/screens", callback=True) for s in sockets]
    assert cache.computed == before + 1
    assert len({tuple(map(str, st["rotations"])) for st in states}) == 1
    assert [st["screen"]["name"] for st in states] == [s["name"] for s in screens]  # each its own name line
    assert len({st["digest"] for st in states}) == 5 and len({st["digest"][:16] for st in states}) == 1

    # A screen already holding the current state gets a few bytes, not the state again.
    held = states[0]["digest"]
    assert sockets[0].emit("state", {"digest": held}, namespace="/screens", callback=True) == {
        "unchanged": True, "digest": held}


def test_a_rotation_change_is_pushed_once_as_the_new_state(demo_app, manager, new_screen):
    screens = village_screens(new_screen, 3)
    sockets = [screen_socket(demo_app, token_of(s["player_url"])) for s in screens]
    old = sockets[0].emit("state", namespace="/screens", callback=True)
    for opened in sockets:
        opened.get_received("/screens")
    cache = shared_states(demo_app)
    before = cache.computed
    rotation = next(r for r in manager.api("GET", "/api/v1/rotations").get_json()["rotations"]
                    if r["group"] == "villages")
    body = {k: v for k, v in rotation.items() if k not in ("id", "group_id")} | {"name": "村务轮播（新）"}
    assert manager.api("PUT", f"/api/v1/rotations/{rotation['id']}", json=body).status_code == 200
    # One message per screen: the state it will draw (no announcement to answer with a request).
    received = [opened.get_received("/screens") for opened in sockets]
    assert [[e["name"] for e in got] for got in received] == [["state"]] * 3 and cache.computed == before + 1
    shared = received[0][0]["args"][0]
    assert "screen" not in shared and shared["shared"] != old["digest"][:16]
    assert "村务轮播（新）" in [r["name"] for r in shared["rotations"]]
    # What a screen asks for afterwards is that same state, from the cache.
    asked = sockets[1].emit("state", namespace="/screens", callback=True)
    assert asked["digest"][:16] == shared["shared"] and cache.computed == before + 1


def rotation_renamed(manager, name: str) -> None:
    rotation = next(r for r in manager.api("GET", "/api/v1/rotations").get_json()["rotations"]
                    if r["group"] == "villages")
    body = {k: v for k, v in rotation.items() if k not in ("id", "group_id")} | {"name": name}
    assert manager.api("PUT", f"/api/v1/rotations/{rotation['id']}", json=body).status_code == 200


def test_a_staff_request_returns_once_its_changes_states_are_on_their_way(demo_app, manager, new_screen,
                                                                          monkeypatch):
    """In a serving process the states are pushed in the background; the request that made the
    change waits for that push (a moment at most), so its answer never overtakes the screens."""
    # The moment is 0.25 s; a loaded test machine may need longer, and what is tested is the wait.
    monkeypatch.setattr(bus, "HANDOVER_WAIT_SECONDS", 30)
    screens = village_screens(new_screen, 2)
    sockets = [screen_socket(demo_app, token_of(s["player_url"])) for s in screens]
    shared_states(demo_app).push_in_background = True
    for opened in sockets:
        opened.get_received("/screens")
    rotation_renamed(manager, "村务轮播（后台推送）")
    for opened in sockets:
        received = opened.get_received("/screens")
        assert [e["name"] for e in received] == ["state"]
        assert "村务轮播（后台推送）" in [r["name"] for r in received[0]["args"][0]["rotations"]]


def test_the_screens_of_a_share_whose_state_cannot_be_pushed_are_told_to_ask(demo_app, manager, new_screen):
    stand_in, other = village_screens(new_screen, 2)
    sockets = [screen_socket(demo_app, token_of(s["player_url"])) for s in (stand_in, other)]
    sockets[1].emit("state", namespace="/screens", callback=True)
    # The screen the share was registered with is revoked (as by another process: no event here).
    with demo_app.app_context():
        db.session.get(Screen, stand_in["id"]).revoked_at = clock.now()
        db.session.commit()
    sockets[1].get_received("/screens")
    rotation_renamed(manager, "村务轮播（改）")
    assert [e["name"] for e in sockets[1].get_received("/screens")] == ["changed"]
    asked = sockets[1].emit("state", namespace="/screens", callback=True)
    assert "村务轮播（改）" in [r["name"] for r in asked["rotations"]]
    rotation_renamed(manager, "村务轮播（再改）")  # the asking screen registered the share again
    assert [e["name"] for e in sockets[1].get_received("/screens")] == ["state"]


def test_when_the_share_registry_cannot_be_read_the_screens_are_told_to_ask(demo_app, manager, new_screen,
                                                                           monkeypatch):
    screen, _ = new_screen()
    opened = screen_socket(demo_app, token_of(screen["player_url"]))
    opened.get_received("/screens")

    def unreachable():
        raise redis.ConnectionError("Redis is restarting")
    monkeypatch.setattr(shared_states(demo_app).shares, "all", unreachable)
    rotation_renamed(manager, "村务轮播（注册表不可读）")
    assert [e["name"] for e in opened.get_received("/screens")] == ["changed"]
    asked = opened.emit("state", namespace="/screens", callback=True)
    assert "村务轮播（注册表不可读）" in [r["name"] for r in asked["rotations"]]


def test_a_share_lost_from_the_registry_is_registered_again_and_its_screens_ask(demo_app, manager, new_screen):
    screens = village_screens(new_screen, 2)
    sockets = [screen_socket(demo_app, token_of(s["player_url"])) for s in screens]
    shares = shared_states(demo_app).shares
    shares.specs.clear()   # as a Redis restart loses it
    for opened in sockets:
        opened.get_received("/screens")
    rotation_renamed(manager, "村务轮播（丢失期间）")
    assert [opened.get_received("/screens") for opened in sockets] == [[], []]   # nobody to push to
    with demo_app.app_context():
        presence(demo_app).register_shares()   # the heartbeat writer, one batch interval later
    assert [[e["name"] for e in opened.get_received("/screens")] for opened in sockets] == [["changed"]] * 2
    assert len(shares.specs) == 1
    with demo_app.app_context():
        presence(demo_app).register_shares()   # found registered: nothing to tell
    assert [opened.get_received("/screens") for opened in sockets] == [[], []]
    rotation_renamed(manager, "村务轮播（恢复后）")
    assert [[e["name"] for e in opened.get_received("/screens")] for opened in sockets] == [["state"]] * 2


def test_a_notice_started_by_the_scheduler_reaches_the_screens_as_state(demo_app, staff, new_screen):
    screen, _ = new_screen()
    opened = screen_socket(demo_app, token_of(screen["player_url"]))
    opened.emit("state", namespace="/screens", callback=True)
    editor, reviewer = staff("editor"), staff("reviewer")
    starts = clock.now() + timedelta(hours=1)
    created = editor.api("post", "/api/v1/notices", json={
        "category": "dibao", "title": "推送测试公示", "body": "一小时后开始。", "formed_on": "2026-11-01",
        "audience": "villages", "villages": ["lizhuang"], "show_from": starts.isoformat()}).get_json()
    editor.api("post", f"/api/v1/notices/{created['id']}/submit", json={})
    assert reviewer.api("post", f"/api/v1/notices/{created['id']}/approve", json={}).get_json()["state"] == "scheduled"
    opened.get_received("/screens")
    clock.shift(timedelta(hours=1, minutes=1))
    with demo_app.app_context():
        advance_notices()
    titles = [slide.get("title") for state in events(opened, "state") for r in state["rotations"] for slide in r["slides"]]
    assert "推送测试公示" in titles


def test_an_urgent_notice_travels_in_its_event_and_no_state_is_pushed(demo_app, manager, new_screen):
    screen, _ = new_screen()
    opened = screen_socket(demo_app, token_of(screen["player_url"]))
    opened.get_received("/screens")
    response = manager.api("POST", "/api/v1/urgent-notices", json={
        "unit": "jinjia", "title": "暴雨预警", "groups": [group_id(demo_app, "villages")]})
    assert response.status_code == 201
    received = opened.get_received("/screens")
    assert [e["name"] for e in received] == ["changed"] and received[0]["args"][0]["urgent"]["title"] == "暴雨预警"
    # ... and a screen asking later (a reconnect) gets it in its state: the cached one was made old.
    assert [u["title"] for u in opened.emit("state", namespace="/screens", callback=True)["urgent"]] == ["暴雨预警"]


def test_heartbeats_wait_in_memory_and_are_written_in_one_batch(demo_app, new_screen):
    clock.set_now(clock.now())  # a still clock: the written times are compared exactly
    screens = village_screens(new_screen, 3)
    sockets = [screen_socket(demo_app, token_of(s["player_url"])) for s in screens]
    keeper = presence(demo_app)
    keeper.batching = True
    connected_at = clock.now()
    clock.shift(timedelta(seconds=20))
    for opened in sockets:
        assert opened.emit("heartbeat", {"showing": {"key": "clock", "kind": "clock", "title": "时钟"}},
                           namespace="/screens", callback=True) == {"registered": True}
    with demo_app.app_context():
        rows = [db.session.get(Screen, s["id"]) for s in screens]
        assert all(row.now_showing is None or row.now_showing.get("title") != "时钟" for row in rows)
        beat_at = clock.now()
        clock.shift(timedelta(seconds=10))  # written later, with the time each arrived
        keeper.write()
        db.session.expire_all()
        for s in screens:
            row = db.session.get(Screen, s["id"])
            assert row.now_showing["title"] == "时钟" and row.last_seen == beat_at > connected_at
            connection = db.session.query(ScreenConnection).filter_by(screen_id=s["id"]).one()
            assert connection.last_heartbeat == beat_at


def test_a_screen_revoked_meanwhile_is_told_at_the_next_batch(demo_app, manager, new_screen):
    screen, _ = new_screen()
    opened = screen_socket(demo_app, token_of(screen["player_url"]))
    keeper = presence(demo_app)
    keeper.batching = True
    with demo_app.app_context():
        db.session.get(Screen, screen["id"]).revoked_at = clock.now()  # as revokeScreen does, without its event
        db.session.commit()
    opened.get_received("/screens")
    assert opened.emit("heartbeat", {}, namespace="/screens", callback=True) == {"registered": True}
    with demo_app.app_context():
        keeper.write()
    assert [e["name"] for e in opened.get_received("/screens")] == ["revoked"]
    assert opened.emit("heartbeat", {}, namespace="/screens", callback=True) == {"registered": False}
