"""The video slide in rotations and the state (kiosk/screens/state.py decides): only an approved
video plays, the slide lasts the video × its plays, sound and storage come from the group; an
image-only board shows the poster; a play reported by a player counts, a board's poll does not."""
import io
import math

import pytest
from PIL import Image

from kiosk.core import clock
from kiosk.extensions import db
from tests.conftest import registered_screen
from tests.screens.conftest import group_id
from tests.video.conftest import check_waiting, upload


@pytest.fixture
def manager(staff):
    return staff("screens")


def rotation(manager, slides, group="board"):
    return manager.api("POST", "/api/v1/rotations", json={
        "name": "李庄村 宣传片", "unit": "lizhuang", "group": group, "priority": 100, "slides": slides})


def video_slides(client, token: str) -> list[dict]:
    state = client.get("/display/state", headers={"X-Screen-Token": token}).get_json()
    return state, [s for r in state["rotations"] for s in r["slides"] if s["kind"] == "video"]


def test_a_video_slide_plays_once_approved_for_its_plays_with_the_groups_settings(demo_app, manager, staff, videos):
    video_id = upload(manager, videos["mp4"], unit="lizhuang").get_json()["id"]
    assert rotation(manager, [{"kind": "video", "video_id": 999}]).status_code == 400     # no such video
    created = rotation(manager, [{"kind": "video", "video_id": video_id, "plays": 3, "caption": "宣传片"}])
    assert created.status_code == 201, created.get_json()
    token = registered_screen(demo_app, "noticeboard_landscape", "lizhuang")
    with demo_app.app_context():
        from kiosk.screens.models import ScreenGroupMember
        from kiosk.screens.devices import screen_for_token
        screen = screen_for_token(token)
        db.session.add(ScreenGroupMember(screen_id=screen.id, group_id=group_id(demo_app, "board", "lizhuang")))
        db.session.commit()
    client = demo_app.test_client()
    assert video_slides(client, token)[1] == []              # uploaded, not yet checked nor approved
    check_waiting(demo_app)
    assert video_slides(client, token)[1] == []              # checked, not approved
    assert staff("reviewer").api("POST", f"/api/v1/videos/{video_id}/approve", json={}).status_code == 200
    state, [slide] = video_slides(client, token)
    assert slide["plays"] == 3 and slide["duration"] == math.ceil(3 * slide["length"]) and 2.9 < slide["length"] < 3.2
    assert slide["sound"] is False and slide["key"].endswith(f":v{video_id}") and slide["bytes"] > 0
    assert state["video_budget"] == demo_app.config["KIOSK_VIDEO_CACHE_MB"] * 1024 * 1024
    board = group_id(demo_app, "board", "lizhuang")
    assert manager.api("PUT", f"/api/v1/screen-groups/{board}/video-settings",
                       json={"sound": True, "cache_mb": 50}).status_code == 200
    state, [slide] = video_slides(client, token)
    assert slide["sound"] is True and state["video_budget"] == 50 * 1024 * 1024
    # a rotation playing it keeps it
    deleted = manager.api("DELETE", f"/api/v1/videos/{video_id}")
    assert deleted.status_code == 409 and "李庄村 宣传片" in deleted.get_json()["message"]

    # one report per play from the player counts; the poster on an image-only board does not
    start = int(clock.now().timestamp() * 1000) - 60_000
    plays = [{"key": slide["key"], "kind": "video", "start": start + i * 3100, "end": start + i * 3100 + 3000}
             for i in range(3)]
    assert client.post("/display/reports", json={"reports": plays},
                       headers={"X-Screen-Token": token}).get_json() == {"added": 3}
    page = manager.get(f"/staff/videos/{video_id}").get_data(as_text=True)
    assert "屏幕报告的播放次数：3" in page


def test_an_image_only_board_shows_the_poster(demo_app, manager, staff, videos):
    video_id = upload(manager, videos["mp4"], unit="lizhuang").get_json()["id"]
    check_waiting(demo_app)
    assert staff("reviewer").api("POST", f"/api/v1/videos/{video_id}/approve", json={}).status_code == 200
    assert rotation(manager, [{"kind": "video", "video_id": video_id}], group="board") \
        .status_code == 201
    token = registered_screen(demo_app, "image_board", "lizhuang")
    with demo_app.app_context():
        from kiosk.screens.devices import screen_for_token
        from kiosk.screens.models import ScreenGroupMember
        db.session.add(ScreenGroupMember(screen_id=screen_for_token(token).id,
                                         group_id=group_id(demo_app, "board", "lizhuang")))
        db.session.commit()
    response = demo_app.test_client().get(f"/api/v1/render/screen-now?token={token}&width=640")
    assert response.status_code == 200, response.data[:200]
    picture = Image.open(io.BytesIO(response.data)).convert("RGB")
    # testsrc's colour bars, not a black picture with a caption
    assert len(picture.resize((64, 36)).getcolors(64 * 36)) > 20
