"""Inputs that used to end in a 500 get a 4xx with a reason: deep JSON, ids past 64 bits (anonymous
routes included), a non-ASCII rating token, the 429 page of an unknown notice, impossible display
reports; and a wrong method gets 405 with `Allow`."""
import pytest

from kiosk.core import clock
from kiosk.screens.devices import HEADER
from tests.accounts.test_authorization_matrix import next_working_morning
from tests.conftest import csrf_from

TOO_BIG = str(2**63)
DEEP = "[" * 1000 + "]" * 1000


def test_deeply_nested_json_is_refused(demo_app, token_for):
    client = demo_app.test_client()
    staff = token_for("admin")
    for url, headers in (("/api/v1/tokens", {}), ("/api/v1/queue/halls/jinjia-hall/tickets", {}),
                         ("/api/v1/notices", staff), ("/api/v1/users", staff)):
        response = client.post(url, data=DEEP, headers={"Content-Type": "application/json", **headers})
        assert response.status_code == 400, (url, response.status_code)
        assert response.get_json()["error"] == "invalid"
    assert client.post("/display/reports", data=DEEP, headers={"Content-Type": "application/json"}).status_code < 500
    shallow = '{"username": "editor", "password": "jinjia-demo", "x": ' + "[" * 20 + "]" * 20 + "}"
    assert client.post("/api/v1/tokens", data=shallow, headers={"Content-Type": "application/json"}).status_code == 201


@pytest.mark.parametrize("url", [
    f"/api/v1/notices/{TOO_BIG}", f"/api/v1/screens/{TOO_BIG}", f"/api/v1/queue/tickets/{TOO_BIG}",
    f"/api/v1/notices/{TOO_BIG}/display-certificate", f"/staff/notices/{TOO_BIG}", f"/api/v1/audit?before={TOO_BIG}",
    f"/staff/audit/?before={TOO_BIG}", f"/staff/public/comments?notice={TOO_BIG}"])
def test_ids_past_64_bits_are_not_a_server_error(staff, token_for, url):
    admin = staff("admin")
    response = admin.get(url, headers=token_for("admin") if url.startswith("/api/") else {})
    assert response.status_code in (302, 400, 404), (url, response.status_code)


@pytest.mark.parametrize("method, url", [
    ("POST", f"/api/v1/queue/tickets/{TOO_BIG}/rating"), ("POST", f"/api/v1/queue/tickets/{TOO_BIG}/print"),
    ("GET", f"/n/x/f/{TOO_BIG}"), ("GET", f"/display/images/{TOO_BIG}")])
def test_anonymous_routes_with_huge_ids(demo_app, method, url):
    response = demo_app.test_client().open(url, method=method, json={"level": 5, "token": "x"})
    assert response.status_code in (400, 401, 404), (url, response.status_code)


def test_a_huge_id_inside_a_body_is_a_400(demo_app, token_for):
    response = demo_app.test_client().post("/api/v1/screens", headers=token_for("admin"), json={
        "unit": "lizhuang", "kind": "noticeboard_portrait", "name": "屏", "groups": [2**63 + 5]})
    assert response.status_code in (400, 404)


def test_a_non_ascii_rating_token_is_refused(demo_app, token_for):
    with demo_app.app_context():
        clock.set_now(next_working_morning())
    client = demo_app.test_client()
    service = client.get("/api/v1/queue/halls/jinjia-hall/services").get_json()[0]
    ticket = client.post("/api/v1/queue/halls/jinjia-hall/tickets", headers=token_for("window1"),
                         json={"service": service["prefix"]})
    assert ticket.status_code == 201, ticket.get_json()
    response = client.post(f"/api/v1/queue/tickets/{ticket.get_json()['id']}/rating",
                           json={"level": 5, "token": "票号令牌ü"})
    assert response.status_code == 403 and response.get_json()["error"] == "forbidden"


def test_the_comment_limit_page_of_an_unknown_notice(make_app, demo_db):
    app = make_app(demo_db, KIOSK_COMMENT_LIMIT="1 per hour")
    client = app.test_client()
    slug = client.get("/api/v1/public/notices?unit=lizhuang").get_json()["notices"][0]["slug"]
    assert client.post(f"/api/v1/public/notices/{slug}/comments", json={"message": "你好"}).status_code == 201
    again = client.post(f"/api/v1/public/notices/{slug}/comments", json={"message": "你好"})
    assert again.status_code == 429 and again.get_json()["error"] == "rate_limited" and again.headers["Retry-After"]
    csrf = csrf_from(client.get("/staff/login").get_data(as_text=True))
    page = client.post("/n/no-such-notice/comments", data={"message": "你好", "csrf_token": csrf})
    assert page.status_code == 429
    assert "<html" in page.get_data(as_text=True)


def test_a_wrong_method_gets_405_with_allow(demo_app):
    response = demo_app.test_client().put("/api/v1/notices")
    assert response.status_code == 405
    assert set(response.headers["Allow"].split(", ")) >= {"GET", "POST"}
    assert response.get_json()["error"] == "method_not_allowed"


def test_impossible_display_reports_are_refused(demo_app, staff):
    from urllib.parse import urlsplit
    manager = staff("screens")
    screen = manager.api("POST", "/api/v1/screens", json={"unit": "lizhuang", "kind": "noticeboard_portrait",
                                                          "name": "屏", "groups": []}).get_json()
    token = urlsplit(screen["player_url"]).path.rsplit("/", 1)[1]
    client = demo_app.test_client()

    def report(**fields):
        entry = {"key": "k", "kind": "notice", "start": 1_780_000_000_000, "end": 1_780_000_010_000, **fields}
        return client.post("/display/reports", json={"reports": [entry]}, headers={HEADER: token})

    for bad in ({"start": 10**20, "end": 10**20 + 1}, {"start": -5, "end": 0}, {"notice_id": 2**62},
                {"notice_id": 2**70}, {"urgent_id": 987654}):
        response = report(**bad)
        assert response.status_code == 400, (bad, response.status_code)
