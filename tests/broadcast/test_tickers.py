"""Ticker lines through the API and the staff page: the privacy gate, checks of what is typed, dates
and daily hours handed to the player as instants, ending, and the static strip of rendered pictures."""
import io
from datetime import datetime
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import pytest
from PIL import Image

from kiosk.screens.devices import HEADER
from kiosk.screens.state import tickers_at
from tests.broadcast.conftest import group_id

SHANGHAI = ZoneInfo("Asia/Shanghai")


def ms(*args) -> int:
    return int(datetime(*args, tzinfo=SHANGHAI).timestamp() * 1000)


@pytest.fixture
def line(demo_app, manager):
    def create(**fields):
        body = {"unit": "jinjia", "text": "冬季防火，人人有责", "groups": [group_id(demo_app, "villages")], **fields}
        return manager.api("POST", "/api/v1/tickers", json=body)
    return create


def state_of(demo_app, new_screen) -> dict:
    _screen, path = new_screen()
    return demo_app.test_client().get("/display/state", headers={HEADER: path.rsplit("/", 1)[1]}).get_json()


def test_ticker_text_passes_the_privacy_gate(line, manager):
    refused = line(text="有事请联系村会计 13812345678")
    assert refused.status_code == 409 and refused.get_json()["error"] == "privacy"
    assert [f["kind"] for f in refused.get_json()["findings"]] == ["mobile"]
    assert [t["text"] for t in manager.api("GET", "/api/v1/tickers").get_json()["tickers"]] == [
        "本周六上午9点在村委会召开村民代表会议，审议2026年村级公益事业建设项目，欢迎村民列席。"]    # the demo's only


@pytest.mark.parametrize("fields, field", [
    ({"groups": []}, "groups"), ({"speed": 40}, "speed"), ({"text": "   "}, "text"),
    ({"ends_at": "2026-11-23T08:00:00+08:00"}, "ends_at"), ({"time_from": "18:00:00"}, None),
])
def test_what_cannot_show_is_refused_with_its_reason(line, fields, field):
    response = line(**fields)
    assert response.status_code == 400, response.get_json()
    assert response.get_json()["message"]
    if field:
        assert response.get_json()["field"].split(".")[0] == field


def test_dates_and_daily_hours_reach_the_player_as_instants(line, demo_app, new_screen):
    created = line(text="晚间广场舞请控制音量", time_from="18:00:00", time_until="20:00:00", date_from="2026-11-23",
                   date_until="2026-11-24", priority=5, speed=3.5, pause=6)
    assert created.status_code == 201, created.get_json()
    tickers = state_of(demo_app, new_screen)["tickers"]
    evening = next(t for t in tickers if t["id"] == created.get_json()["id"])
    assert evening["windows"] == [[ms(2026, 11, 23, 18), ms(2026, 11, 23, 20)],
                                  [ms(2026, 11, 24, 18), ms(2026, 11, 24, 20)]]
    assert (evening["speed"], evening["pause"], evening["priority"]) == (3.5, 6, 5)
    # the player's rule: at nine only the demo's line, at half past six the evening one first
    assert [t["text"] for t in tickers_at(tickers, ms(2026, 11, 23, 9))] == [tickers[1]["text"]]
    assert [t["id"] for t in tickers_at(tickers, ms(2026, 11, 23, 18, 30))][0] == evening["id"]
    assert tickers_at(tickers, ms(2026, 11, 25, 18, 30))[0]["id"] != evening["id"]


def test_the_staff_page_keeps_what_was_typed_and_ends_a_line(manager, demo_app):
    page = manager.get("/staff/broadcast/tickers")
    assert page.status_code == 200 and "村民代表会议" in page.get_data(as_text=True)
    refused = manager.post_form("/staff/broadcast/tickers", {
        "unit": "jinjia", "text": "联系电话 13812345678", "groups": group_id(demo_app, "villages"), "priority": 0,
        "speed": 4, "pause": 3})
    assert refused.status_code == 400 and "联系电话 13812345678" in refused.get_data(as_text=True)
    saved = manager.post_form("/staff/broadcast/tickers", {
        "unit": "jinjia", "text": "请按时缴纳医保", "groups": group_id(demo_app, "villages"), "priority": 1,
        "speed": 4, "pause": 3})
    assert saved.status_code == 302
    ticker = next(t for t in manager.api("GET", "/api/v1/tickers").get_json()["tickers"] if t["text"] == "请按时缴纳医保")
    ended = manager.post_form(f"/staff/broadcast/tickers/{ticker['id']}", {"action": "end"})
    assert ended.status_code == 302
    assert manager.api("POST", f"/api/v1/tickers/{ticker['id']}/end").status_code == 409
    edited = manager.api("PUT", f"/api/v1/tickers/{ticker['id']}", json={
        "unit": "jinjia", "text": "改", "groups": [group_id(demo_app, "villages")]})
    assert edited.status_code == 409


def test_an_image_only_board_shows_the_ticker_as_a_static_strip(line, manager, demo_app):
    response = manager.api("POST", "/api/v1/screens", json={"unit": "lizhuang", "kind": "image_board",
                                                            "name": "李庄村墨水屏", "groups": [group_id(demo_app, "villages")]})
    token = parse_qs(urlsplit(response.get_json()["player_url"]).query)["token"][0]
    client = demo_app.test_client()

    def picture(size):
        answer = client.get(f"/api/v1/render/screen-now?token={token}&size={size}")
        assert answer.status_code == 200
        return Image.open(io.BytesIO(answer.data)).convert("RGB"), answer.headers["ETag"]

    colour, with_strip = picture("landscape")
    assert colour.getpixel((5, colour.height - 5)) == (0x13, 0x29, 0x4b)      # the ticker's band
    paper, _etag = picture("epaper-800x480")
    band = [paper.getpixel((2, paper.height - y)) for y in range(1, 40)]   # one line: 40 px of black band
    assert all(pixel == (0, 0, 0) for pixel in band) and paper.getpixel((2, paper.height - 45)) != (0, 0, 0)
    demo_line = manager.api("GET", "/api/v1/tickers").get_json()["tickers"][0]
    assert manager.api("POST", f"/api/v1/tickers/{demo_line['id']}/end").status_code == 200
    plain, without = picture("landscape")
    assert without != with_strip and plain.getpixel((5, plain.height - 5)) != (0x13, 0x29, 0x4b)
