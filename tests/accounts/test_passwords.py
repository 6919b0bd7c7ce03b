"""Password rules (等保 2.0 level 2, identity authentication): length, three character classes, not
the username, not one of the last five, expiry, and the change forced after an administrator chose
the password. Demo accounts, whose password is printed, are exempt."""
from datetime import timedelta

import pytest

from kiosk.core import clock
from tests.conftest import StaffClient, csrf_from

CHANGE = "/api/v1/account/password"


def new_account(admin, username="clerk-li", password="Initial-pass1") -> int:
    response = admin.api("POST", "/api/v1/users", json={"username": username, "password": password,
                                                         "unit": "lizhuang", "roles": ["editor"]})
    assert response.status_code == 201, response.get_json()
    return response.get_json()["id"]


def bearer(app, username, password) -> dict:
    response = app.test_client().post("/api/v1/tokens", json={"username": username, "password": password})
    assert response.status_code == 201, response.get_json()
    return {"Authorization": f"Bearer {response.get_json()['token']}"}


@pytest.mark.parametrize("password, reason", [
    ("Sh0rt-pw", "至少需要10个字符"),
    ("alllowercase-only", "至少三类"),
    ("ALLCAPS123456", "至少三类"),
    ("Clerk-Li-2026", "用户名"),
])
def test_a_new_password_breaking_a_rule_is_refused_with_its_reason(staff, password, reason):
    admin = staff("admin")
    response = admin.api("POST", "/api/v1/users", json={"username": "clerk-li", "password": password,
                                                         "unit": "lizhuang", "roles": ["editor"]})
    assert response.status_code == 400
    assert response.get_json()["field"] == "password" and reason in response.get_json()["message"]


def test_the_minimum_length_is_configurable(make_app, demo_db):
    app = make_app(demo_db, KIOSK_PASSWORD_MIN_LENGTH=16)
    admin = StaffClient(app.test_client(), "admin")
    refused = admin.api("POST", "/api/v1/users", json={"username": "clerk-li", "password": "Fifteen-chars-1",
                                                        "unit": "lizhuang", "roles": ["editor"]})
    assert refused.status_code == 400 and "16" in refused.get_json()["message"]


def test_an_initial_password_must_be_changed_before_anything_else(staff, demo_app):
    new_account(staff("admin"))
    client = demo_app.test_client()
    headers = bearer(demo_app, "clerk-li", "Initial-pass1")
    refused = client.get("/api/v1/notices", headers=headers)
    assert refused.status_code == 403
    assert refused.get_json()["error"] == "password_change_required"
    assert "changeOwnPassword" in refused.get_json()["message"]
    # The browser is sent to the change page, whatever it asks for.
    browser = StaffClient.__new__(StaffClient)
    browser.http = demo_app.test_client()
    page = browser.http.get("/staff/login")
    login = browser.http.post("/staff/login", data={"username": "clerk-li", "password": "Initial-pass1",
                                                    "csrf_token": csrf_from(page.get_data(as_text=True))})
    assert login.status_code == 302
    assert browser.http.get("/staff/").headers["Location"] == "/staff/password"
    assert browser.http.get("/staff/notices/").headers["Location"] == "/staff/password"
    form = browser.http.get("/staff/password")
    assert form.status_code == 200
    token = csrf_from(form.get_data(as_text=True))
    same = browser.http.post("/staff/password", data={"current_password": "Initial-pass1", "new_password":
                                                      "Initial-pass1", "repeat": "Initial-pass1", "csrf_token": token})
    assert same.status_code == 400 and "最近5次" in same.get_data(as_text=True)
    done = browser.http.post("/staff/password", data={"current_password": "Initial-pass1", "new_password":
                                                      "Li-zhuang-2026", "repeat": "Li-zhuang-2026", "csrf_token": token})
    assert done.status_code == 302 and done.headers["Location"] == "/staff/"
    assert browser.http.get("/staff/").status_code == 200
    # Changing the password ended the token issued with the initial one.
    assert client.get("/api/v1/notices", headers=headers).status_code == 401


def test_a_reset_by_an_administrator_forces_a_change_and_none_of_the_last_five_comes_back(staff, demo_app):
    admin = staff("admin")
    user_id = new_account(admin)
    headers = bearer(demo_app, "clerk-li", "Initial-pass1")
    client = demo_app.test_client()
    used = ["Initial-pass1"]
    for n in range(1, 5):
        password = f"Second-pass{n}"
        response = client.post(CHANGE, headers=headers, json={"current_password": used[-1], "new_password": password})
        assert response.status_code == 200, response.get_json()
        used.append(password)
    assert client.get("/api/v1/notices", headers=headers).status_code == 200
    for old in used:  # the last five, the current one included
        again = client.post(CHANGE, headers=headers, json={"current_password": used[-1], "new_password": old})
        assert again.status_code == 400 and again.get_json()["field"] == "password"
    assert client.post(CHANGE, headers=headers, json={"current_password": used[-1],
                                                      "new_password": "Sixth-pass-6"}).status_code == 200
    # The oldest has dropped out of the five.
    assert client.post(CHANGE, headers=headers, json={"current_password": "Sixth-pass-6",
                                                      "new_password": "Initial-pass1"}).status_code == 200
    wrong = client.post(CHANGE, headers=headers, json={"current_password": "nope", "new_password": "Whatever-pass9"})
    assert wrong.status_code == 400 and wrong.get_json()["field"] == "current_password"

    assert admin.api("PATCH", f"/api/v1/users/{user_id}", json={"password": "Reset-by-admin1"}).status_code == 200
    reset = bearer(demo_app, "clerk-li", "Reset-by-admin1")
    assert client.get("/api/v1/notices", headers=reset).json["error"] == "password_change_required"


def test_passwords_expire_when_configured(make_app, demo_db):
    app = make_app(demo_db, KIOSK_PASSWORD_MAX_AGE_DAYS=90, KIOSK_TOKEN_LIFETIME_DAYS=1000)
    new_account(StaffClient(app.test_client(), "admin"))
    client = app.test_client()
    headers = bearer(app, "clerk-li", "Initial-pass1")
    assert client.post(CHANGE, headers=headers, json={"current_password": "Initial-pass1",
                                                      "new_password": "Li-zhuang-2026"}).status_code == 200
    clock.shift(timedelta(days=89))
    assert client.get("/api/v1/notices", headers=headers).status_code == 200
    clock.shift(timedelta(days=1))
    expired = client.get("/api/v1/notices", headers=headers)
    assert expired.status_code == 403 and expired.get_json()["error"] == "password_change_required"
    # Demo accounts never expire: their password is public anyway, and the demo must keep logging in.
    assert StaffClient(app.test_client(), "editor").get("/staff/").status_code == 200


def test_expiry_is_off_by_default(make_app, demo_db):
    demo_app = make_app(demo_db, KIOSK_TOKEN_LIFETIME_DAYS=1000)
    new_account(StaffClient(demo_app.test_client(), "admin"))
    headers = bearer(demo_app, "clerk-li", "Initial-pass1")
    client = demo_app.test_client()
    client.post(CHANGE, headers=headers, json={"current_password": "Initial-pass1", "new_password": "Li-zhuang-2026"})
    clock.shift(timedelta(days=400))
    assert client.get("/api/v1/notices", headers=headers).status_code == 200


def test_demo_accounts_are_exempt_from_the_rules_and_the_forced_change(staff, demo_app):
    """The demo's accounts share a printed password that follows no rule; they log in straight away."""
    editor = staff("editor")
    assert editor.get("/staff/").status_code == 200
    assert editor.get("/staff/password").status_code == 200  # their page is there when they want it
