"""Sessions that end: logout, a new password, new roles or a disabled account end every session of
that account at once; tokens are listed and revoked; CSRF is skipped only for a valid bearer token;
cookies are Secure over HTTPS."""
from datetime import timedelta

from kiosk.core import clock
from tests.conftest import StaffClient, csrf_from

HTTPS_BEHIND_PROXY = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.5"}


def session_cookie(client) -> str:
    return client.get_cookie("session").value


def replay(app, cookie: str):
    """A different browser presenting a copied session cookie."""
    thief = app.test_client()
    thief.set_cookie("session", cookie)
    return thief


def test_a_session_replayed_after_logout_is_refused(staff, demo_app):
    editor = staff("editor")
    copied = session_cookie(editor.http)
    other_tab = replay(demo_app, copied)
    assert other_tab.get("/staff/").status_code == 200
    assert editor.post_form("/staff/logout").status_code == 302
    assert replay(demo_app, copied).get("/staff/").status_code == 302
    api = replay(demo_app, copied).get("/api/v1/notices")
    assert api.status_code == 401 and api.get_json()["error"] == "unauthorized"
    assert StaffClient(demo_app.test_client(), "editor").get("/staff/").status_code == 200  # logs in again


def test_a_password_reset_ends_the_old_sessions_and_tokens(staff, token_for, demo_app):
    editor = staff("editor")
    editor_token = token_for("editor")
    admin = staff("admin")
    editor_id = next(u["id"] for u in admin.api("GET", "/api/v1/users").get_json()["users"]
                     if u["username"] == "editor")
    assert admin.api("PATCH", f"/api/v1/users/{editor_id}", json={"password": "A-new-secret-1"}).status_code == 200
    assert editor.get("/staff/").status_code == 302
    assert demo_app.test_client().get("/api/v1/notices", headers=editor_token).status_code == 401
    assert admin.get("/staff/").status_code == 200  # the administrator's own session goes on


def test_a_role_change_and_a_deactivation_end_sessions(staff, demo_app):
    admin = staff("admin")
    users = {u["username"]: u for u in admin.api("GET", "/api/v1/users").get_json()["users"]}
    reviewer, window = staff("reviewer"), staff("window1")
    changed = admin.api("PATCH", f"/api/v1/users/{users['reviewer']['id']}", json={"roles": ["reviewer", "editor"]})
    assert changed.status_code == 200 and changed.get_json()["roles"] == ["editor", "reviewer"]
    assert reviewer.get("/staff/").status_code == 302
    assert admin.api("PATCH", f"/api/v1/users/{users['window1']['id']}", json={"active": False}).status_code == 200
    assert window.get("/staff/").status_code == 302


def test_roles_are_updated_as_a_set(staff):
    admin = staff("admin")
    editor = next(u for u in admin.api("GET", "/api/v1/users").get_json()["users"] if u["username"] == "editor")
    for roles in (["editor"], ["editor", "reviewer"], ["reviewer"], ["reviewer", "reviewer", "editor"]):
        response = admin.api("PATCH", f"/api/v1/users/{editor['id']}", json={"roles": roles})
        assert response.status_code == 200, response.get_json()
        assert response.get_json()["roles"] == sorted(set(roles))


def test_an_administrator_changing_their_own_account_stays_logged_in(staff, token_for, demo_app):
    admin = staff("admin")
    me = next(u for u in admin.api("GET", "/api/v1/users").get_json()["users"] if u["username"] == "admin")
    assert admin.api("PATCH", f"/api/v1/users/{me['id']}", json={"password": "Another-secret-2"}).status_code == 200
    assert admin.get("/staff/").status_code == 200
    headers = token_for("admin", "Another-secret-2")
    client = demo_app.test_client()
    assert client.patch(f"/api/v1/users/{me['id']}", json={"roles": ["administrator", "editor"]},
                        headers=headers).status_code == 200
    assert client.get("/api/v1/users", headers=headers).status_code == 200


def test_tokens_are_listed_and_revoked_by_their_owner(token_for, demo_app):
    client = demo_app.test_client()
    first, second = token_for("editor"), token_for("editor")
    listed = client.get("/api/v1/tokens", headers=first).get_json()["tokens"]
    assert len(listed) == 2 and [t["current"] for t in listed] == [False, True]
    assert all(t["username"] == "editor" and t["revoked_at"] is None for t in listed)
    revoked = client.delete(f"/api/v1/tokens/{listed[0]['id']}", headers=first)
    assert revoked.status_code == 200 and revoked.get_json()["revoked_at"]
    assert client.get("/api/v1/tokens", headers=second).status_code == 401
    assert client.get("/api/v1/tokens", headers=first).status_code == 200


def test_administrators_revoke_tokens_in_their_units_only(token_for, demo_app):
    client = demo_app.test_client()
    village_clerk = token_for("lizhuang")
    clerk_token_id = client.get("/api/v1/tokens", headers=village_clerk).get_json()["tokens"][0]["id"]
    editor = token_for("editor")
    assert client.get("/api/v1/tokens?username=lizhuang", headers=editor).status_code == 403
    assert client.delete(f"/api/v1/tokens/{clerk_token_id}", headers=editor).status_code == 404
    admin = token_for("admin")
    assert [t["id"] for t in client.get("/api/v1/tokens?username=lizhuang", headers=admin).get_json()["tokens"]] \
        == [clerk_token_id]
    assert client.delete(f"/api/v1/tokens/{clerk_token_id}", headers=admin).status_code == 200
    assert client.get("/api/v1/notices", headers=village_clerk).status_code == 401


def test_token_lifetime_is_configurable(make_app, demo_db):
    app = make_app(demo_db, KIOSK_TOKEN_LIFETIME_DAYS=2)
    client = app.test_client()
    body = client.post("/api/v1/tokens", json={"username": "editor", "password": "jinjia-demo"}).get_json()
    headers = {"Authorization": f"Bearer {body['token']}"}
    clock.shift(timedelta(days=1))
    assert client.get("/api/v1/notices", headers=headers).status_code == 200
    clock.shift(timedelta(days=1, minutes=1))
    assert client.get("/api/v1/notices", headers=headers).status_code == 401


def test_csrf_is_skipped_only_for_a_valid_bearer_token(staff, token_for):
    editor = staff("editor")
    body = {"title": "测试", "category": "finance", "unit": "jinjia", "body": "正文"}
    for header in ("Bearer ", "Bearer made-up", "Bearer"):
        response = editor.http.post("/api/v1/notices", json=body, headers={"Authorization": header})
        assert response.status_code == 401, header  # a bad token never falls back to the cookie
    without_csrf = editor.http.post("/api/v1/notices", json=body)
    assert without_csrf.status_code == 400 and without_csrf.get_json()["error"] == "csrf"
    with_token = editor.http.post("/api/v1/notices", json=body, headers=token_for("editor"))
    assert with_token.status_code != 400 or with_token.get_json()["error"] != "csrf"


def test_an_invalid_session_cookie_is_a_401(demo_app):
    client = demo_app.test_client()
    client.set_cookie("session", "not-a-signed-session")
    response = client.post("/api/v1/notices", json={})
    assert response.status_code == 401 and response.get_json()["error"] == "unauthorized"


def test_every_cookie_is_secure_behind_an_https_proxy(make_app, demo_db):
    app = make_app(demo_db, KIOSK_TRUSTED_PROXIES=1)
    client = app.test_client()
    page = client.get("/staff/login?lang=en", headers=HTTPS_BEHIND_PROXY)
    login = client.post("/staff/login", headers=HTTPS_BEHIND_PROXY, data={
        "username": "screens", "password": "jinjia-demo", "csrf_token": csrf_from(page.get_data(as_text=True))})
    pairing = client.get("/display/", headers=HTTPS_BEHIND_PROXY)
    token = client.post("/api/v1/tokens", json={"username": "screens", "password": "jinjia-demo"}).get_json()
    created = client.post("/api/v1/screens", headers={"Authorization": f"Bearer {token['token']}"},
                          json={"unit": "lizhuang", "kind": "noticeboard_portrait", "name": "测试屏", "groups": []})
    assert created.status_code == 201, created.get_json()
    player = app.test_client().get(created.get_json()["player_url"].replace("http://kiosk.test", ""),
                                   headers=HTTPS_BEHIND_PROXY)
    responses = (page, login, pairing, player)
    cookies = [header for response in responses for header in response.headers.getlist("Set-Cookie")]
    names = {header.split("=", 1)[0] for header in cookies}
    assert {"session", "kiosk_lang", "kiosk_pairing", "kiosk_screen"} <= names, names
    assert all("Secure" in header for header in cookies), cookies
    plain = app.test_client().get("/display/")
    assert all("Secure" not in header for header in plain.headers.getlist("Set-Cookie"))
    direct = app.test_client().get("/display/", base_url="https://kiosk.test")  # HTTPS without a proxy
    assert all("Secure" in header for header in direct.headers.getlist("Set-Cookie"))


def test_a_staff_session_ends_after_the_idle_timeout(staff, token_for, demo_app):
    demo_app.config.update(KIOSK_SESSION_IDLE_MINUTES=30, KIOSK_SESSION_MAX_HOURS=12)   # the defaults
    clock.set_now(clock.now())
    editor = staff("editor")
    headers = token_for("editor")
    clock.shift(timedelta(minutes=29))
    assert editor.get("/staff/").status_code == 200  # activity restarts the idle clock
    clock.shift(timedelta(minutes=30))
    assert editor.get("/staff/").status_code == 200
    clock.shift(timedelta(minutes=30, seconds=1))
    ended = editor.get("/staff/")
    assert ended.status_code == 302 and ended.headers["Location"].startswith("/staff/login")
    assert "30分钟无操作" in editor.get("/staff/login").get_data(as_text=True)
    assert editor.api("GET", "/api/v1/notices").status_code == 401
    # Bearer tokens keep their own lifetime.
    assert demo_app.test_client().get("/api/v1/notices", headers=headers).status_code == 200


def test_a_staff_session_ends_after_its_absolute_lifetime_however_busy(make_app, demo_db):
    app = make_app(demo_db, KIOSK_SESSION_IDLE_MINUTES=5, KIOSK_SESSION_MAX_HOURS=2)
    clock.set_now(clock.now())
    editor = StaffClient(app.test_client(), "editor")
    for _ in range(29):
        clock.shift(timedelta(minutes=4))
        assert editor.get("/staff/").status_code == 200
    clock.shift(timedelta(minutes=4, seconds=1))  # 2 h 0 min 1 s after the login
    assert editor.get("/staff/").status_code == 302
    assert StaffClient(app.test_client(), "editor").get("/staff/").status_code == 200  # a new login starts again
