"""A video through upload, check and approval to a player in Chromium that plays it (Debian's
chromium plays the H.264/AAC public copy), then plays it again after a reload while the server is
stopped (the service worker answers its Range requests from the cache); each play reported; and a
screen whose budget is too small saying what did not fit."""
import json

import pytest
from sqlalchemy import select

from kiosk.extensions import db
from kiosk.video.models import VideoCacheReport
from tests.screens.conftest import group_id, manager, new_screen, ready_for_an_outage  # noqa: F401  (fixtures)
from tests.video.conftest import check_waiting, upload

pytestmark = pytest.mark.browser
SHOWN = ".layer.shown .slide"
PLAYING = f"() => (document.querySelector('{SHOWN}.video video')?.currentTime || 0) > 0.5"


@pytest.fixture
def approved_video(demo_app, staff, videos):
    manager = staff("screens")
    video_id = upload(manager, videos["mp4"], unit="lizhuang", name="李庄村宣传片").get_json()["id"]
    assert check_waiting(demo_app) == 1
    approved = staff("reviewer").api("POST", f"/api/v1/videos/{video_id}/approve", json={})
    assert approved.status_code == 200, approved.get_json()
    return manager, video_id


def video_rotation(manager, video_id: int, plays: int = 1) -> None:
    response = manager.api("POST", "/api/v1/rotations", json={
        "name": "李庄村 宣传片", "unit": "lizhuang", "group": "board", "priority": 100, "slides": [
            {"kind": "video", "video_id": video_id, "plays": plays, "caption": "政策宣传"},
            {"kind": "clock", "duration": 3, "welcome": "村务公开 接受监督"}]})
    assert response.status_code == 201, response.get_json()


def fail_whole_downloads(app, times: int) -> list[str]:
    """The first `times` whole downloads of a video (no Range: the player keeping it) get a 503, as
    through a link that dropped; returns the paths refused."""
    serve, refused = app.wsgi_app, []

    def flaky(environ, start_response):
        path = environ["PATH_INFO"]
        if path.endswith(".mp4") and "HTTP_RANGE" not in environ and len(refused) < times:
            refused.append(path)
            start_response("503 Service Unavailable", [("Content-Type", "text/plain")])
            return [b"link down"]
        return serve(environ, start_response)
    app.wsgi_app = flaky
    return refused


def reports_queued(page) -> list[dict]:
    return json.loads(page.evaluate("() => localStorage.getItem('kiosk.reports') || '[]'"))


def test_a_video_plays_and_plays_again_offline_after_a_reload(demo_app, live_server, browser, new_screen,
                                                              approved_video):
    manager, video_id = approved_video
    video_rotation(manager, video_id, plays=2)
    server = live_server(demo_app)
    screen, path = new_screen(groups=(("lizhuang", "board"),))
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", viewport={"width": 1280, "height": 720})
    page = context.new_page()
    try:
        page.goto(server.url + path)
        page.wait_for_selector(f"{SHOWN}.video video", timeout=15000)
        page.wait_for_function(PLAYING, timeout=10000)
        assert page.eval_on_selector(f"{SHOWN}.video video", "v => v.muted") is True   # the group has no sound
        assert "政策宣传" in page.inner_text(f"{SHOWN}.video figcaption")
        ready_for_an_outage(page)
        page.wait_for_function(f"""async () => {{
            const cache = await caches.open('kiosk-media-v1');
            return (await cache.keys()).some((r) => r.url.includes('/display/videos/{video_id}.mp4'));
        }}""", timeout=15000)
        # two plays of 3 s, each reported on its own, then the next slide
        page.wait_for_selector(f"{SHOWN}.clockface", timeout=20000)
        plays = [r for r in reports_queued(page) if r["kind"] == "video"]
        assert len(plays) >= 2 and all(r["key"].endswith(f":v{video_id}") for r in plays), plays
        assert all(2500 <= r["end"] - r["start"] <= 6000 for r in plays[:2]), plays
        with demo_app.app_context():
            report = db.session.get(VideoCacheReport, screen["id"])
            assert report is not None and report.kept == [video_id] and report.missing == []

        server.stop()
        page.reload()      # the shell, the state and the video from the service worker's cache
        page.wait_for_selector("#offline:not([hidden])", timeout=10000)
        page.wait_for_selector(f"{SHOWN}.video video", timeout=20000)
        page.wait_for_function(PLAYING, timeout=10000)
    finally:
        context.close()


def test_a_screen_says_which_videos_did_not_fit_its_budget(demo_app, live_server, page, new_screen, approved_video):
    manager, video_id = approved_video
    video_rotation(manager, video_id)
    board = group_id(demo_app, "board", "lizhuang")
    settings = manager.api("PUT", f"/api/v1/screen-groups/{board}/video-settings", json={"sound": True, "cache_mb": 0})
    assert settings.status_code == 200, settings.get_json()
    server = live_server(demo_app)
    screen, path = new_screen(groups=(("lizhuang", "board"),), name="李庄村小屏")
    page.goto(server.url + path)
    page.wait_for_selector(f"{SHOWN}.video video", timeout=15000)
    page.wait_for_function(PLAYING, timeout=10000)     # from the network: not kept, still played
    assert page.evaluate("() => JSON.parse(localStorage.getItem('kiosk.state')).video_budget") == 0

    def reported():
        with demo_app.app_context():
            return db.session.scalar(select(VideoCacheReport).where(VideoCacheReport.screen_id == screen["id"]))
    page.wait_for_function("() => localStorage.getItem('kiosk.videoCache') !== null", timeout=10000)
    report = reported()
    assert report.kept == [] and report.missing == [video_id]
    listing = manager.get("/staff/videos/").get_data(as_text=True)
    assert "李庄村小屏" in listing and "李庄村宣传片" in listing


def test_a_video_whose_download_failed_is_kept_at_a_later_heartbeat(demo_app, live_server, page, new_screen,
                                                                   approved_video):
    """A village's 4G link drops while the screen downloads its video: it still plays from the
    network, says the video is missing, and keeps it once a heartbeat finds the link back."""
    manager, video_id = approved_video
    video_rotation(manager, video_id)
    failures = fail_whole_downloads(demo_app, times=1)
    server = live_server(demo_app)
    screen, path = new_screen(groups=(("lizhuang", "board"),))
    page.goto(server.url + path)
    page.wait_for_function(PLAYING, timeout=15000)

    def report() -> tuple[list, list] | None:
        with demo_app.app_context():
            db.session.expire_all()
            found = db.session.get(VideoCacheReport, screen["id"])
            return found and (found.kept, found.missing)
    page.wait_for_function("() => localStorage.getItem('kiosk.videoCache') !== null", timeout=10000)
    assert failures == [f"/display/videos/{video_id}.mp4"] and report() == ([], [video_id])
    page.clock.fast_forward("00:25")     # a heartbeat
    page.wait_for_function(f"""async () => {{
        const cache = await caches.open('kiosk-media-v1');
        return (await cache.keys()).some((r) => r.url.includes('/display/videos/{video_id}.mp4'));
    }}""", timeout=10000)
    page.wait_for_function(f"() => JSON.parse(localStorage.getItem('kiosk.videoCache')).kept.includes({video_id})",
                           timeout=10000)
    assert report() == ([video_id], [])


def test_the_hall_board_plays_a_video_its_plays_each_reported(demo_app, live_server, browser, staff, videos):
    """The hall board's notice area plays a video slide as a noticeboard does: its plays, each one a
    display report (proof of display), muted as the group has no sound, then the next slide."""
    from urllib.parse import urlsplit

    from kiosk.screens.models import DisplayReport
    from tests.screens.conftest import group_id as group_of
    manager = staff("screens")
    video_id = upload(manager, videos["mp4"], unit="jinjia", name="办事指南宣传片").get_json()["id"]
    assert check_waiting(demo_app) == 1
    assert staff("reviewer").api("POST", f"/api/v1/videos/{video_id}/approve", json={}).status_code == 200
    created = manager.api("POST", "/api/v1/rotations", json={
        "name": "大厅 宣传片", "unit": "jinjia", "group": "hall", "priority": 100, "slides": [
            {"kind": "video", "video_id": video_id, "plays": 2, "caption": "政策宣传"},
            {"kind": "clock", "duration": 3, "welcome": "欢迎"}]})
    assert created.status_code == 201, created.get_json()
    board = manager.api("POST", "/api/v1/screens", json={
        "unit": "jinjia-hall", "kind": "hall_board", "name": "大厅叫号屏三", "groups": [group_of(demo_app, "hall")]})
    assert board.status_code == 201, board.get_json()
    server = live_server(demo_app)
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", viewport={"width": 1920, "height": 1080})
    page = context.new_page()
    try:
        page.goto(server.url + urlsplit(board.get_json()["player_url"]).path)
        page.wait_for_function("() => (document.querySelector('#notices .slide.video video')?.currentTime || 0) > 0.5",
                               timeout=20000)
        assert page.eval_on_selector("#notices .slide.video video", "v => v.muted && !v.loop") is True
        page.wait_for_selector("#notices .slide.clockface", timeout=25000)     # after its two plays of 3 s

        def plays() -> list:
            queued = [r for r in reports_queued(page) if r["kind"] == "video"]
            with demo_app.app_context():
                stored = list(db.session.scalars(select(DisplayReport).where(
                    DisplayReport.screen_id == board.get_json()["id"], DisplayReport.slide_kind == "video")))
            return queued + stored
        assert 2 <= len(plays()) <= 3, plays()      # two plays (a third may have begun and ended since)
    finally:
        context.close()
