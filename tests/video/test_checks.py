"""Videos through upload, ffprobe's judgement, conversion, poster and the privacy gate's reading of
their frames, to approval; and the public copy served with HTTP Range."""
import json
import subprocess

import pytest
from sqlalchemy import select

from kiosk.extensions import db
from kiosk.files import stored_path
from kiosk.video.models import Video
from tests.conftest import registered_screen
from tests.video.conftest import PHONE, check_waiting, upload


def probe(path) -> dict:
    return json.loads(subprocess.run(["ffprobe", "-v", "error", "-print_format", "json", "-show_streams",
                                      "-show_format", str(path)], capture_output=True, check=True).stdout)


def public_copy(app, video_id: int):
    with app.app_context():
        video = db.session.get(Video, video_id)
        return stored_path(video.public_name, "videos"), stored_path(video.poster_name, "videos")


@pytest.fixture
def manager(staff):
    return staff("screens")


@pytest.fixture
def reviewer(staff):
    return staff("reviewer")


def uploaded_and_checked(demo_app, manager, path, **form) -> dict:
    response = upload(manager, path, **form)
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["state"] == "pending"
    assert check_waiting(demo_app) == 1
    return manager.api("GET", f"/api/v1/videos/{response.get_json()['id']}").get_json()


def test_a_screen_safe_mp4_is_repacked_with_its_poster_and_every_second_frame_read(demo_app, manager, videos):
    video = uploaded_and_checked(demo_app, manager, videos["mp4"], name="政策宣传片")
    assert video["state"] == "checked" and video["progress"] == 100, video
    assert video["converted"] is False and video["frames_read"] == 2     # at 0 s and 2 s of 3 s
    assert (video["width"], video["height"]) == (320, 240) and 2.9 < video["duration"] < 3.2
    assert video["findings"] == []
    copy, poster = public_copy(demo_app, video["id"])
    streams = {s["codec_type"]: s for s in probe(copy)["streams"]}
    assert streams["video"]["codec_name"] == "h264" and streams["audio"]["codec_name"] == "aac"
    head = copy.read_bytes()[:4096]
    assert head.find(b"moov") != -1 and (head.find(b"mdat") == -1 or head.find(b"moov") < head.find(b"mdat")), \
        "faststart: the index comes before the media data"
    assert poster.read_bytes()[:3] == b"\xff\xd8\xff"
    with demo_app.app_context():   # the upload itself is gone once its public copy exists
        assert db.session.get(Video, video["id"]).source_name is None


def test_a_webm_is_converted_to_the_screen_safe_profile(demo_app, manager, videos):
    video = uploaded_and_checked(demo_app, manager, videos["webm"])
    assert video["state"] == "checked" and video["converted"] is True, video
    copy, _poster = public_copy(demo_app, video["id"])
    found = probe(copy)
    streams = {s["codec_type"]: s for s in found["streams"]}
    assert "mp4" in found["format"]["format_name"]
    assert streams["video"]["codec_name"] == "h264" and streams["video"]["profile"] == "High"
    assert streams["video"]["pix_fmt"] == "yuv420p"
    assert streams["audio"]["codec_name"] == "aac"
    assert (streams["video"]["width"], streams["video"]["height"]) == (160, 120)


@pytest.mark.parametrize("name, words", [
    ("mpeg4", ["mpeg4", "H.264"]),        # a codec screens may not play
    ("long", ["6", "5"]),                  # 6 s against a limit of 5 s
    ("fake", ["不是", "MP4"]),             # an MP4 header and garbage: not a video
])
def test_videos_we_do_not_take_are_refused_saying_why_in_chinese(demo_app, manager, videos, name, words):
    demo_app.config["KIOSK_VIDEO_MAX_SECONDS"] = 5
    video = uploaded_and_checked(demo_app, manager, videos[name])
    assert video["state"] == "refused", video
    assert all(word in video["error"] for word in words), video["error"]
    assert video["bytes"] is None


def test_an_upload_is_judged_by_its_bytes_and_its_size(demo_app, manager, videos, tmp_path):
    picture = tmp_path / "宣传片.mp4"
    picture.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 100)
    response = upload(manager, picture)
    assert response.status_code == 415 and "MP4" in response.get_json()["message"]
    demo_app.config["KIOSK_VIDEO_MAX_MB"] = 0
    response = upload(manager, videos["mp4"])
    assert response.status_code == 413, response.get_json()
    with demo_app.app_context():
        assert db.session.scalar(select(Video.id)) is None


def test_a_phone_number_burnt_into_a_frame_blocks_approval(demo_app, manager, reviewer, videos):
    response = upload(manager, videos["phone"], name="村务公开片")
    video_id = response.get_json()["id"]
    early = reviewer.api("POST", f"/api/v1/videos/{video_id}/approve", json={})
    assert early.status_code == 409 and early.get_json()["error"] == "privacy_check_pending"
    check_waiting(demo_app)
    video = reviewer.api("GET", f"/api/v1/videos/{video_id}").get_json()
    assert video["state"] == "checked"
    assert [f["kind"] for f in video["findings"]] == ["mobile"] * len(video["findings"]) and video["findings"]
    assert any(f["where"].startswith("frame 0:00") for f in video["findings"]), video["findings"]
    assert PHONE not in json.dumps(video)                   # only masked forms leave the server
    refused = reviewer.api("POST", f"/api/v1/videos/{video_id}/approve", json={})
    assert refused.status_code == 409 and refused.get_json()["error"] == "privacy"
    assert "个人信息" in refused.get_json()["message"] or "personal" in refused.get_json()["message"]
    approved = reviewer.api("POST", f"/api/v1/videos/{video_id}/approve",
                            json={"privacy_override": "村委会办公电话，已公开"})
    assert approved.status_code == 200 and approved.get_json()["state"] == "approved"


def test_only_a_reviewer_who_did_not_upload_it_approves(demo_app, manager, videos):
    video_id = upload(manager, videos["mp4"]).get_json()["id"]
    check_waiting(demo_app)
    assert manager.api("POST", f"/api/v1/videos/{video_id}/approve", json={}).status_code == 403


@pytest.fixture
def served(demo_app, manager, reviewer, videos):
    """An approved video and a screen's token."""
    video_id = upload(manager, videos["mp4"]).get_json()["id"]
    check_waiting(demo_app)
    assert reviewer.api("POST", f"/api/v1/videos/{video_id}/approve", json={}).status_code == 200
    token = registered_screen(demo_app, "noticeboard_landscape", "lizhuang")
    copy, _poster = public_copy(demo_app, video_id)
    return demo_app.test_client(), {"X-Screen-Token": token}, f"/display/videos/{video_id}.mp4", copy.read_bytes()


def test_the_public_copy_is_served_with_ranges_and_etags(served):
    client, screen, url, data = served
    whole = client.get(url, headers=screen)
    assert whole.status_code == 200 and whole.data == data and whole.headers["Accept-Ranges"] == "bytes"
    assert whole.cache_control.private and not whole.cache_control.public, whole.headers["Cache-Control"]
    etag = whole.headers["ETag"]
    part = client.get(url, headers={**screen, "Range": "bytes=100-1099"})
    assert part.status_code == 206 and part.data == data[100:1100]
    assert part.headers["Content-Range"] == f"bytes 100-1099/{len(data)}"
    tail = client.get(url, headers={**screen, "Range": "bytes=-10"})
    assert tail.status_code == 206 and tail.data == data[-10:]
    assert client.get(url, headers={**screen, "If-None-Match": etag}).status_code == 304
    same = client.get(url, headers={**screen, "Range": "bytes=0-9", "If-Range": etag})
    assert same.status_code == 206 and same.data == data[:10]
    changed = client.get(url, headers={**screen, "Range": "bytes=0-9", "If-Range": '"another"'})
    assert changed.status_code == 200 and changed.data == data
    beyond = client.get(url, headers={**screen, "Range": f"bytes={len(data) + 10}-"})
    assert beyond.status_code == 416


def test_only_screens_get_only_approved_videos(demo_app, served, manager, videos):
    client, screen, url, _data = served
    assert client.get(url).status_code == 401
    waiting = upload(manager, videos["webm"]).get_json()["id"]
    assert client.get(f"/display/videos/{waiting}.mp4", headers=screen).status_code == 404
    check_waiting(demo_app)     # checked, not approved
    assert client.get(f"/display/videos/{waiting}.mp4", headers=screen).status_code == 404


def test_the_staff_page_shows_the_checks_progress(demo_app, manager, videos):
    """While the contained process converts and reads, its progress reaches the row and the page."""
    import threading
    video_id = upload(manager, videos["webm"], name="进度测试").get_json()["id"]
    checking = threading.Thread(target=check_waiting, args=(demo_app,))
    checking.start()
    seen, pages = set(), []
    while checking.is_alive():
        video = manager.api("GET", f"/api/v1/videos/{video_id}").get_json()
        if video["state"] == "running" and 0 < video["progress"] < 100:
            seen.add((video["stage"], video["progress"]))
            if len(pages) < 1:
                pages.append(manager.get(f"/staff/videos/{video_id}").get_data(as_text=True))
        checking.join(0.1)
    checking.join()
    assert seen, "no progress was seen while the video was checked"
    assert {stage for stage, _percent in seen} <= {"convert", "read"}
    assert '<progress max="100"' in pages[0] and 'http-equiv="refresh"' in pages[0]
    done = manager.get(f"/staff/videos/{video_id}").get_data(as_text=True)
    assert "待批准" in done and "<progress" not in done and "<video" in done


def test_kiosk_videos_check_checks_what_waits(demo_app, manager, videos):
    """The command an operator runs instead of waiting for the scheduler's job."""
    from tests.kiosk_command import KIOSK, kiosk_env
    video_id = upload(manager, videos["mp4"]).get_json()["id"]
    result = subprocess.run(KIOSK + ["videos", "check"], env=kiosk_env(demo_app.instance_path), capture_output=True,
                            text=True, timeout=300)
    assert result.returncode == 0 and "checked 1 videos" in result.stdout, result.stderr[-2000:]
    assert manager.api("GET", f"/api/v1/videos/{video_id}").get_json()["state"] == "checked"
