"""A revoked screen loses its sockets at once and hears nothing more, not even an urgent notice."""
from datetime import timedelta
from urllib.parse import urlsplit

from kiosk.core import clock
from kiosk.extensions import socketio
from tests.screens.conftest import group_id


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
