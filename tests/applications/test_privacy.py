"""An applicant's name and phone reach no public surface: the catalogue and its search, a notice's page,
the guide and supervision pages, the phone form and status page, the kiosk's start bundle and search,
every public API operation's answer and a screen's state (the noticeboard player's and the hall
board's) — with applications filed at the window, orally and from the phone, and one answered."""

from sqlalchemy import select

from kiosk.applications.models import Application
from kiosk.disclosures.models import Notice, NoticeState
from kiosk.extensions import db
from tests.applications.conftest import APPLICANT, fields
from tests.conftest import csrf_from, registered_screen

PHONE = "13800138000"


def test_the_applicant_is_on_no_public_surface(demo_app, staff):
    window3 = staff("window3")
    assert window3.post_form("/staff/applications/new", {"township": "jinjia", "channel": "oral",
                                                         **fields()}).status_code == 302
    client = demo_app.test_client()
    token = csrf_from(client.get("/apply/jinjia").get_data(as_text=True))
    assert client.post("/apply/jinjia", data={**fields(), "csrf_token": token}).status_code == 201
    api = client.post("/api/v1/public/townships/jinjia/applications", json=fields())
    with demo_app.app_context():
        ours = list(db.session.scalars(select(Application).where(Application.document_number == "")))
        assert sum(1 for a in ours if a.applicant_name == APPLICANT) == 3
        tokens = [a.token for a in ours]
        slug = db.session.scalar(select(Notice.slug).where(Notice.state == NoticeState.showing).limit(1))
    kiosk = {"X-Screen-Token": registered_screen(demo_app, "touch_kiosk")}
    board = {"X-Screen-Token": registered_screen(demo_app, "noticeboard_portrait", "lizhuang")}
    answers = {
        "catalogue": client.get("/"), "catalogue search": client.get(f"/?q={APPLICANT}"),
        "notice": client.get(f"/n/{slug}"), "guide": client.get("/guide"), "supervision": client.get("/supervision"),
        "phone form": client.get("/apply/jinjia"), "submitApplication": api,
        "kiosk start": client.get("/touch/start.json", headers=kiosk),
        "kiosk search": client.get(f"/touch/notices.json?q={APPLICANT}", headers=kiosk),
        "kiosk search pinyin": client.get("/touch/notices.json?q=oyangmy", headers=kiosk),
        "screen state": client.get("/display/state", headers=board),
        "hall status": client.get("/hall/jinjia-hall/status.json"),
        "listPublicNotices": client.get("/api/v1/public/notices?unit=jinjia"),
        "listServices": client.get("/api/v1/queue/halls/jinjia-hall/services"),
        "getHallStatus": client.get("/api/v1/queue/halls/jinjia-hall/status"),
    }
    for token in tokens:
        answers[f"status page {token[:4]}"] = client.get(f"/a/{token}")
        answers[f"getApplicationStatus {token[:4]}"] = client.get(f"/api/v1/public/applications/{token}")
    for where, response in answers.items():
        assert response.status_code in (200, 201), (where, response.status_code)
        text = response.get_data(as_text=True)
        if "search" in where:   # the words searched for are shown back in the search box
            text = text.replace(f'value="{APPLICANT}"', "").replace(f"“{APPLICANT}”", "")
        assert APPLICANT not in text and PHONE not in text and "村道修缮" not in text, where
    assert "依申请" in answers["submitApplication"].get_data(as_text=True)
    assert answers["kiosk start"].get_json()["applications"]["qr"] == "/qr/apply/jinjia.svg"
    assert client.get("/qr/apply/jinjia.svg").status_code == 200
