"""A revoked screen loses its sockets at once and hears nothing more, not even an urgent notice;
a player that reloads (its old socket closing as the new one connects) stays online."""
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select

from kiosk.core import clock
from kiosk.extensions import db, socketio
from kiosk.screens import live
from kiosk.screens.devices import new_token
from kiosk.screens.models import Screen
from tests.conftest import demo_on_postgres
from tests.screens.conftest import group_id, in_between


def token_of(player_url: str) -> str:
    return urlsplit(player_url).path.rsplit("/", 1)[1]


def connect_like_a_player(app, token):
    """The player's two sockets: /screens with its token, and the default namespace following its units."""
    screens = socketio.test_client(app, namespace="/screens", auth={"token": token})
    follower = socketio.test_client(app, namespace="/")
    assert follower.emit("screens.follow", {"token": token}, callback=True)["ok"]
    return screens, follower


def push_urgent(demo_app, manager):
    response = manager.api("POST", "/api/v1/urgent-notices", json={
        "unit": "jinjia", "title": "寒潮预警", "body": "全体村民注意防寒", "groups": [group_id(demo_app, "villages")],
        "ends_at": (clock.now() + timedelta(hours=2)).isoformat()})
    assert response.status_code == 201, response.get_json()


def test_revoking_disconnects_both_sockets_and_empties_the_rooms(demo_app, manager, new_screen):
    screen, _path = new_screen()
    token = token_of(screen["player_url"])
    screens, follower = connect_like_a_player(demo_app, token)
    bystander, _ = connect_like_a_player(demo_app, token_of(new_screen(name="另一块屏")[0]["player_url"]))
    assert screens.is_connected("/screens") and follower.is_connected("/")

    assert manager.api("POST", f"/api/v1/screens/{screen['id']}/revoke").status_code == 200

    assert not screens.is_connected("/screens")
    assert not follower.is_connected("/")
    rooms = socketio.server.manager.rooms
    assert f"screen:{screen['id']}" not in rooms.get("/screens", {})
    assert f"screen:{screen['id']}" not in rooms.get("/", {})
    # The urgent notice reaches the screen that is still registered, and nothing of it the revoked one.
    bystander.get_received("/screens")
    push_urgent(demo_app, manager)
    assert [e["name"] for e in bystander.get_received("/screens")] == ["changed"]
    assert bystander.is_connected("/screens")


def test_a_reissued_token_drops_the_old_browser(demo_app, manager, new_screen):
    screen, _path = new_screen()
    screens, follower = connect_like_a_player(demo_app, token_of(screen["player_url"]))
    page = manager.get(f"/staff/screens/{screen['id']}")
    assert page.status_code == 200
    response = manager.post_form(f"/staff/screens/{screen['id']}", data={"action": "reissue"})
    assert response.status_code in (200, 302)
    assert not screens.is_connected("/screens") and not follower.is_connected("/")


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def demo_on_either(request, make_app, demo_db):
    if request.param == "sqlite":
        return make_app(demo_db)
    return demo_on_postgres(make_app, request.getfixturevalue("postgres_url"), demo_db)


def test_a_player_that_reloads_stays_online_when_its_old_socket_closes_as_the_new_one_connects(
        demo_on_either, monkeypatch):
    """The old socket's close has looked for the screen's other connections and found none when the
    new socket connects; it must not then mark the screen offline over the new connection."""
    app = demo_on_either
    token, digest = new_token()
    with app.app_context():
        screen = db.session.scalar(select(Screen).where(Screen.name == "李庄村村务公开栏"))
        screen.token_hash, screen_id = digest, screen.id
        db.session.commit()
    old = socketio.test_client(app, namespace="/screens", auth={"token": token})
    # The old socket's close is held once it has looked for the screen's other connections (and,
    # on the old code, found none); the new socket connects meanwhile.
    new = in_between(monkeypatch, lambda: old.disconnect(namespace="/screens"),
                     lambda: socketio.test_client(app, namespace="/screens", auth={"token": token}),
                     live, "mark_disconnected", hold_after=True)
    assert new.is_connected("/screens")
    with app.app_context():
        assert db.session.get(Screen, screen_id).online is True
