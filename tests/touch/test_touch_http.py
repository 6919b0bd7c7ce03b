"""The kiosk's server side through HTTP: which screens open the app, what the kiosk may read,
document pages as cached pictures, the visitors' messages (masked, rate-limited, staff only) and
the service guides staff edit."""
import re
from pathlib import Path

import pytest
from sqlalchemy import select

from kiosk.extensions import db
from kiosk.touch.models import KioskMessage
from tests.conftest import csrf_from, registered_screen
from tests.queue.conftest import HALL, monday_morning  # noqa: F401 (fixture)


@pytest.fixture
def kiosk(touch_app, register_screen):
    """A client that is the hall's registered touch kiosk (its device cookie, no login)."""
    client = touch_app.test_client()
    client.set_cookie("kiosk_screen", register_screen())
    return client


def test_a_touch_kiosk_opens_the_kiosk_app(kiosk, touch_app, register_screen):
    assert kiosk.get("/display/player").location == "/touch/"
    assert kiosk.get(f"/hall/{HALL}/ticket").location == "/touch/#take"
    shell = kiosk.get("/touch/")
    assert shell.status_code == 200 and shell.headers["Cache-Control"] == "no-store"
    assert "点击屏幕开始" in shell.get_data(as_text=True)
    noticeboard = touch_app.test_client()
    noticeboard.set_cookie("kiosk_screen", register_screen("noticeboard_portrait", "lizhuang"))
    assert noticeboard.get("/touch/").location == "/display/player"
    assert noticeboard.get("/touch/start.json").status_code == 403
    assert touch_app.test_client().get("/touch/").location == "/display/"
    assert touch_app.test_client().get("/touch/start.json").status_code == 401


def test_the_start_bundle_speaks_chinese_first_and_english_on_request(kiosk):
    start = kiosk.get("/touch/start.json").get_json()
    assert start["hall"]["code"] == HALL and start["printer"] == "none"
    assert [s["prefix"] for s in start["services"]] == list("ABCDET")   # T: the demo's round-the-clock service
    assert start["strings"]["touch_to_start"] == "点击屏幕开始" and start["strings"]["next"] == "下一页"
    assert {c["kind"] for c in start["channels"]} == {"hotline", "discipline", "supervision", "opinion_box"}
    assert all(kiosk.get(c["qr"]).status_code == 200 for c in start["channels"])
    assert [g["service"]["prefix"] for g in start["guides"]] == list("ABCDE")
    assert "低保公示" in start["quick_words"]
    english = kiosk.get("/touch/start.json?lang=en").get_json()
    assert english["strings"]["touch_to_start"] == "Touch the screen to start" and english["locale"] == "en"


def test_browsing_and_searching_hold_to_the_public_rules(kiosk, touch_app):
    village = kiosk.get("/touch/notices.json?village=lizhuang").get_json()["notices"]
    assert [n["title"] for n in village][:2] == ["李庄村2026年村级公益事业建设项目公示", "2026年第四季度农村低保对象公示"]
    assert [n["show_from"] for n in village] == sorted((n["show_from"] for n in village), reverse=True)
    # The days left are the phone page's: the same function on the same end.
    with touch_app.test_request_context():
        from kiosk.disclosures.models import Notice
        from kiosk.disclosures.feed import publicity
        notice = db.session.get(Notice, village[0]["id"])
        assert village[0]["days_left"] == publicity(notice).days_left
    township = kiosk.get("/touch/notices.json").get_json()["notices"]
    assert "李庄村10月财务收支公开" not in [n["title"] for n in township]   # 村务 is under 村务公开
    for words in ("dbgs", "dibao", "低保", "DBGS"):
        found = [n["title"] for n in kiosk.get(f"/touch/notices.json?q={words}").get_json()["notices"]]
        assert "2026年第四季度农村低保对象公示" in found, words
    draft = kiosk.get("/touch/notices.json?q=张村2026年度村务监督").get_json()["notices"]
    assert draft == []   # a draft is never public
    assert kiosk.get("/touch/notices/999999.json").status_code == 404



def test_searching_finds_service_guides_too(kiosk):
    guides = {g["title"]: g["id"] for g in kiosk.get("/touch/start.json").get_json()["guides"]}
    pension = guides["城乡居民养老保险参保登记"]
    for words in ("ylbx", "yanglao", "养老保险", "YLBX", "社会保障卡"):   # initials, pinyin, characters, materials
        assert kiosk.get(f"/touch/notices.json?q={words}").get_json()["guides"] == [pension], words
    found = kiosk.get("/touch/notices.json?q=dbgs").get_json()
    assert found["notices"] and found["guides"] == []
    assert kiosk.get("/touch/notices.json?q=zzzz").get_json() == {"notices": [], "guides": []}
    assert kiosk.get("/touch/notices.json").get_json()["guides"] == []   # browsing, not searching


def test_the_demo_services_materials_name_what_they_refer_to(kiosk):
    """Materials read on their own on the ticket screen: no "hours above" when none are above."""
    for service in kiosk.get("/touch/start.json").get_json()["services"]:
        for line in service["materials"]:
            assert "上面" not in line and "上述" not in line, (service["prefix"], line)

def test_document_pages_are_pictures_drawn_once(kiosk, touch_app):
    notice_id = kiosk.get("/touch/notices.json?village=lizhuang").get_json()["notices"][0]["id"]
    notice = kiosk.get(f"/touch/notices/{notice_id}.json").get_json()
    [document] = notice["pages"]
    assert document["count"] == 3
    page = kiosk.get(f"/touch/documents/{document['attachment']}/2.png")
    assert page.status_code == 200 and page.mimetype == "image/png" and page.data.startswith(b"\x89PNG")
    assert "max-age=604800" in page.headers["Cache-Control"]
    cached = list((Path(touch_app.instance_path) / "page-pictures").glob("*-2-1080.png"))
    assert len(cached) == 1 and cached[0].read_bytes() == page.data
    assert kiosk.get(f"/touch/documents/{document['attachment']}/3.png").status_code == 404
    assert touch_app.test_client().get(f"/touch/documents/{document['attachment']}/0.png").status_code == 401


def test_pinyin_letters_become_the_words_they_spell(kiosk, touch_app):
    def words(letters):
        response = kiosk.get(f"/touch/pinyin.json?letters={letters}")
        assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
        return [(choice["text"], choice["uses"]) for choice in response.get_json()["candidates"]]
    assert words("shenqing")[0] == ("申请", 8)                 # the word, most used first
    assert ("低", 2) in words("dibao")                         # else the first syllable's characters ...
    assert words("dibao")[-1] == ("dibao", 5)                  # ... and the letters as typed, last
    assert words("yinhang")[0] == ("银行", 7)                  # a word's own reading of 行
    assert ("现在", 7) in words("xianzai") and words("xianzai").index(("现在", 7)) < words("xianzai").index(("先", 4))
    assert words("") == [] and words("123") == []
    assert touch_app.test_client().get("/touch/pinyin.json?letters=wo").status_code == 401



def test_a_polyphonic_character_is_offered_under_every_reading(kiosk):
    """时间长, 很长 (等候时间长 is a complaint topic): 长 on the first page of candidates under chang as under
    zhang, and likewise 行 (xing, hang), 还 (hai, huan), 重 (zhong, chong); common characters first."""
    first_page = 6   # the form shows six candidates before 更多

    def offered(letters):
        return [choice["text"] for choice in kiosk.get(f"/touch/pinyin.json?letters={letters}").get_json()["candidates"]]
    for character, readings in {"长": ("chang", "zhang"), "行": ("hang", "xing"), "还": ("huan", "hai"),
                                "重": ("chong", "zhong")}.items():
        for letters in readings:
            assert character in offered(letters)[:first_page], (character, letters, offered(letters)[:first_page])
    assert offered("chang")[0] == "长" and offered("hen")[0] == "很"
    assert offered("di").index("低") < offered("di").index("嫡")   # a rare character stays behind

def test_a_message_is_masked_held_for_staff_and_rate_limited(kiosk, touch_app, touch_staff):
    sent = kiosk.post("/touch/messages", json={"topic": "waiting", "phone": "13812345678",
                                               "message": "dengle 2 xiaoshi, shenfenzheng 110101199003077774"})
    assert sent.status_code == 201
    with touch_app.app_context():
        message = db.session.scalar(select(KioskMessage))
        assert "110101199003077774" not in message.message and message.phone == "13812345678"
    as_the_app = {"Accept": "application/json"}   # as the kiosk's script asks: errors as {error, message}
    assert kiosk.post("/touch/messages", json={"topic": "nonsense"}, headers=as_the_app).status_code == 400
    refused = kiosk.post("/touch/messages", json={"topic": "other", "phone": "12ab"}, headers=as_the_app)
    assert refused.status_code == 400 and "7至12位数字" in refused.get_json()["message"]
    for _ in range(2):
        assert kiosk.post("/touch/messages", json={"topic": "other"}).status_code == 201
    assert kiosk.post("/touch/messages", json={"topic": "other"}).status_code == 429

    reviewer = touch_staff("reviewer")
    page = reviewer.get("/staff/touch/messages").get_data(as_text=True)
    assert "等候时间长" in page and "13812345678" in page and "110101199003077774" not in page
    assert touch_staff("lizhuang").get("/staff/touch/messages").status_code == 403
    refused = reviewer.post_form(f"/staff/touch/messages/{message.id}", {"reply": ""})
    assert refused.status_code == 400
    assert reviewer.post_form(f"/staff/touch/messages/{message.id}", {"reply": "已电话回访，增开窗口"}).status_code == 302
    with touch_app.app_context():
        assert db.session.get(KioskMessage, message.id).status.value == "answered"


def test_staff_edit_the_guides_the_kiosk_shows(kiosk, touch_staff):
    admin = touch_staff("admin")
    assert "城乡居民养老保险参保登记" in admin.get("/staff/touch/guides").get_data(as_text=True)
    form = admin.get(f"/staff/touch/halls/{HALL}/guides/new").get_data(as_text=True)
    service_b = re.search(r'<option value="(\d+)"[^>]*>B 民政救助', form).group(1)
    fields = {"title": "", "materials": "身份证\n户口簿", "steps": "取号\n办理", "time_limit": "3个工作日",
              "fee": "不收费", "window": "3号窗口", "hours": "工作日", "office": "民政办", "service": service_b,
              "csrf_token": csrf_from(form)}
    missing = admin.post_form(f"/staff/touch/halls/{HALL}/guides/new", fields)
    assert missing.status_code == 400 and "请填写办事指南的名称" in missing.get_data(as_text=True)
    assert "3个工作日" in missing.get_data(as_text=True)   # what was typed stays
    private = admin.post_form(f"/staff/touch/halls/{HALL}/guides/new",
                              {**fields, "title": "临时救助申请", "office": "民政办 13812345678"})
    assert private.status_code == 400 and "个人信息" in private.get_data(as_text=True)
    saved = admin.post_form(f"/staff/touch/halls/{HALL}/guides/new", {**fields, "title": "临时救助申请"})
    assert saved.status_code == 302
    guide = next(g for g in kiosk.get("/touch/start.json").get_json()["guides"] if g["title"] == "临时救助申请")
    assert guide["materials"] == ["身份证", "户口簿"] and guide["service"]["prefix"] == "B"
    public = kiosk.get(f"/service-guides/{guide['id']}").get_data(as_text=True)
    assert "临时救助申请" in public and "3个工作日" in public
    assert touch_staff("window1").get("/staff/touch/guides").status_code == 403
    assert touch_staff("editor").get(f"/staff/touch/halls/{HALL}/guides/new").status_code == 403


def test_the_screen_offers_the_qr_unless_a_printer_prints(make_app, demo_db, monday_morning):  # noqa: F811
    """No printer: the ticket's answer says so (the kiosk then shows the QR); a system printer: the
    kiosk's browser prints the ticket page."""
    for setting, mode in ((None, "none"), ("browser", "browser")):
        app = make_app(demo_db, KIOSK_QUEUE_PRINTER=setting)
        client = app.test_client()
        client.set_cookie("kiosk_screen", registered_screen(app))
        assert client.get("/touch/start.json").get_json()["printer"] == mode
        ticket = client.post(f"/api/v1/queue/halls/{HALL}/tickets", json={"service": "A", "print": False})
        assert ticket.status_code == 201 and ticket.get_json()["print_mode"] == mode
        assert ticket.get_json()["printed"] is False and len(ticket.get_json()["rating_code"]) == 4


def visit(client, visit_id: str):
    """The kiosk's requests during one visit: its id changes with every idle reset."""
    def post(url, json):
        return client.post(url, json=json, headers={"X-Kiosk-Visit": visit_id, "Accept": "application/json"})
    return post


def test_one_visitor_cannot_close_the_message_form_for_the_next(kiosk, touch_app):
    touch_app.config["KIOSK_TOUCH_MESSAGE_LIMIT"] = "5 per hour"
    first, second, third = (visit(kiosk, name * 12) for name in "abc")
    for _ in range(3):
        assert first("/touch/messages", {"topic": "other", "message": "太慢"}).status_code == 201
    flooded = first("/touch/messages", {"topic": "other", "message": "太慢"})
    assert flooded.status_code == 429 and "分钟" in flooded.get_json()["message"]
    assert int(flooded.headers["Retry-After"]) > 0
    # The next visitor writes; the kiosk's own ceiling still holds over all visits.
    assert [second("/touch/messages", {"topic": "waiting"}).status_code for _ in range(3)] == [201, 201, 429]
    assert third("/touch/messages", {"topic": "waiting"}).status_code == 429


def test_numbers_taken_at_the_kiosk_are_limited_per_visit_and_per_kiosk(kiosk, touch_app, monday_morning):  # noqa: F811
    touch_app.config["KIOSK_TOUCH_TICKET_LIMIT"] = "5 per minute"
    tickets = f"/api/v1/queue/halls/{HALL}/tickets"
    burst = [visit(kiosk, "burst" * 3)(tickets, {"service": "A"}) for _ in range(6)]
    assert [r.status_code for r in burst] == [201, 201, 201, 429, 429, 429]
    assert "分钟" in burst[-1].get_json()["message"] and burst[-1].get_json()["error"] == "rate_limited"
    next_visitor = visit(kiosk, "nextvisitor1")
    assert [next_visitor(tickets, {"service": "A"}).status_code for _ in range(3)] == [201, 201, 429]


def test_the_kiosks_counters_are_kept_in_redis_for_every_process(make_app, demo_db, redis_url):
    """With KIOSK_REDIS_URL the counts live in Redis, so a second server process sees the first's."""
    import redis
    store = redis.Redis.from_url(redis_url)
    store.flushdb()   # this test's own Redis database: no counts left from an earlier run
    clients = []
    for _process in range(2):   # two apps as two processes, each on its copy of the demo: the same kiosk id
        app = make_app(demo_db, KIOSK_REDIS_URL=redis_url)
        client = app.test_client()
        client.set_cookie("kiosk_screen", registered_screen(app))
        clients.append(visit(client, "sharedvisit1"))
    assert [clients[n % 2]("/touch/messages", {"topic": "other"}).status_code for n in range(4)] == [201, 201, 201, 429]
    assert any(b"message-visit" in key for key in store.keys("*"))
def test_a_visitors_message_and_phone_are_unreadable_in_the_database_file(kiosk, touch_app, touch_staff):
    """Personal data encrypted at rest: the SQLite file's bytes hold neither the message nor the phone;
    the staff page shows both (read through the app, with the key)."""
    sent = kiosk.post("/touch/messages", json={"topic": "waiting", "phone": "13998765432",
                                               "message": "排队太久希望增开窗口"})
    assert sent.status_code == 201
    with touch_app.app_context():
        with db.engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    database = Path(touch_app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///"))
    raw = b"".join(path.read_bytes() for path in database.parent.glob(database.name + "*"))
    for secret in ("13998765432", "排队太久希望增开窗口"):
        for encoding in ("utf-8", "utf-16-le", "utf-16-be"):
            assert secret.encode(encoding) not in raw
    page = touch_staff("reviewer").get("/staff/touch/messages").get_data(as_text=True)
    assert "13998765432" in page and "排队太久希望增开窗口" in page
