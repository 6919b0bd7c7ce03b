"""Every other kind of slide, drawn from the state an image-only board plays: a picture with its
caption, the queue, the clock and welcome page, and an urgent notice that covers everything."""
from datetime import timedelta

from kiosk.core import clock
from tests.render.conftest import picture
from tests.screens.conftest import group_id, png_bytes
from tests.screens.test_images import upload


def only_rotation(manager, slides, name="渲染测试"):
    response = manager.api("POST", "/api/v1/rotations", json={
        "name": name, "unit": "jinjia", "group": "villages", "priority": 999, "slides": slides})
    assert response.status_code == 201, response.get_json()


def now_picture(demo_app, token, size="landscape", mode="colour"):
    response = demo_app.test_client().get(f"/api/v1/render/screen-now?token={token}&size={size}&mode={mode}")
    assert response.status_code == 200, response.get_json()
    return picture(response.data), response.headers


def test_image_slide_shows_the_uploaded_picture(demo_app, manager, board):
    image_id = upload(manager, png_bytes("#1565c0", (800, 450)), unit="jinjia").get_json()["id"]
    only_rotation(manager, [{"kind": "image", "image_id": image_id, "caption": "村容村貌"}])
    _screen, token = board()
    image, headers = now_picture(demo_app, token)
    assert headers["X-Slide-Key"].startswith("s")
    assert image.getpixel((960, 400)) == (0x15, 0x65, 0xc0)       # the picture, scaled to the screen
    mono, _headers = now_picture(demo_app, token, "epaper-800x480", "mono")
    assert mono.mode == "1" and len({mono.getpixel((x, 200)) for x in range(300, 500)}) == 2   # dithered


def test_queue_and_clock_slides(demo_app, manager, board):
    only_rotation(manager, [{"kind": "queue", "duration": 30}, {"kind": "clock", "duration": 30, "welcome": "欢迎"}])
    _screen, token = board()
    first, first_headers = now_picture(demo_app, token)
    clock.set_now(clock.now() + timedelta(seconds=30))
    second, second_headers = now_picture(demo_app, token)
    assert {first_headers["X-Slide-Key"][:1], second_headers["X-Slide-Key"][:1]} == {"s"}
    assert first_headers["X-Slide-Key"] != second_headers["X-Slide-Key"]       # the clock moves the rotation on
    assert first.tobytes() != second.tobytes()


def test_urgent_notice_covers_the_board_until_cleared(demo_app, manager, board):
    _screen, token = board()
    before, _headers = now_picture(demo_app, token)
    urgent = manager.api("POST", "/api/v1/urgent-notices", json={
        "unit": "jinjia", "title": "暴雨红色预警", "body": "请村民不要外出，远离河道。", "groups": [group_id(demo_app, "villages")]})
    assert urgent.status_code == 201, urgent.get_json()
    covered, headers = now_picture(demo_app, token)
    assert headers["X-Slide-Key"] == f"urgent:{urgent.get_json()['id']}"
    assert covered.getpixel((5, 5)) == (0xb3, 0x00, 0x1b)
    assert manager.api("POST", f"/api/v1/urgent-notices/{urgent.get_json()['id']}/clear").status_code == 200
    after, headers = now_picture(demo_app, token)
    assert not headers["X-Slide-Key"].startswith("urgent") and after.getpixel((5, 5)) != (0xb3, 0x00, 0x1b)


def test_days_left_count_working_days_for_a_working_day_period(demo_app):
    """The picture's days left follow the notice's period unit, as the player's countdown does."""
    from datetime import date, datetime

    from kiosk.render.formats import FORMATS
    from kiosk.render.slides import Context, _facts
    from kiosk.screens.state import ms

    words = {"days_left": "{n} days left", "working_days_left": "{n} working days left", "last_day": "last day",
             "index_no": "No."}
    monday = date(2026, 12, 7)
    end = ms(clock.local_midnight_utc(monday + timedelta(days=1)))    # the period's last day is a Monday
    saturday = Context(today=date(2026, 12, 5), now=datetime(2026, 12, 5, 9), words=words)
    board = FORMATS["portrait"]
    with demo_app.app_context():
        working = _facts({"period_until": end, "period_unit": "working_days"}, board, saturday)[0][0]
        calendar = _facts({"period_until": end, "period_unit": "calendar_days"}, board, saturday)[0][0]
        last = _facts({"period_until": end, "period_unit": "working_days"}, board,
                      Context(today=monday, now=datetime(2026, 12, 7, 9), words=words))[0][0]
    assert (working, calendar, last) == ("1 working days left", "3 days left", "last day")


def test_paper_shows_the_period_s_dates_never_a_countdown(demo_app, approved):
    """A printed 公示期剩余 7 天 is false the next day: the A4 sheet gives the period's first and last day."""
    from kiosk.disclosures.models import Notice
    from kiosk.extensions import db
    from kiosk.render.api import notice_entry
    from kiosk.render.formats import FORMATS
    from kiosk.render.slides import Context, _facts

    notice = approved(title="李庄村10月财务收支公开", body="见附表。", period_length=9, period_unit="calendar_days")
    words = {"days_left": "公示期剩余 {n} 天", "working_days_left": "", "last_day": "", "index_no": ""}
    with demo_app.app_context():
        entry = notice_entry(db.session.get(Notice, notice["id"]))
        today = Context(today=clock.local_today(), now=clock.now(), words=words)
        printed = [text for text, *_rest in _facts(entry, FORMATS["a4"], today)]
        shown = [text for text, *_rest in _facts(entry, FORMATS["portrait"], today)]
    assert "公示期：11月23日至12月1日" in printed and not any("剩余" in text for text in printed)
    assert "公示期剩余 9 天" in shown
