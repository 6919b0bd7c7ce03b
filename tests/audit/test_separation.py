"""#19: the audit administrator (审计管理员) reads and exports the audit log and nothing else; with
separation of duties (三员分立, KIOSK_SEPARATION_OF_DUTIES) administrators cannot read it and the
auditor's role is held alone."""
import pytest

from tests.conftest import csrf_from

AUDITOR = {"username": "shenji", "password": "audit-demo-1", "display_name": "审计 张", "unit": "county",
           "roles": ["auditor"]}
OWN_PASSWORD = "Audit-own-2026"   # the one the auditor chose at the first login


def make_auditor(demo_app, token_for):
    """A client logged in through the login form as a new audit administrator."""
    response = demo_app.test_client().post("/api/v1/users", json=AUDITOR, headers=token_for("admin"))
    assert response.status_code == 201, response.get_json()
    client = demo_app.test_client()
    login = client.post("/staff/login", data={"username": AUDITOR["username"], "password": AUDITOR["password"],
                                              "csrf_token": csrf_from(client.get("/staff/login").get_data(as_text=True))})
    assert login.status_code == 302
    # An account an administrator created changes its password first (accounts/passwords.py).
    page = client.get("/staff/password").get_data(as_text=True)
    changed = client.post("/staff/password", data={"current_password": AUDITOR["password"],
                                                   "new_password": OWN_PASSWORD, "repeat": OWN_PASSWORD,
                                                   "csrf_token": csrf_from(page)})
    assert changed.status_code == 302, changed.get_data(as_text=True)
    return client


@pytest.fixture(params=[False, True], ids=["shared", "separated"])
def separation(request, demo_app):
    demo_app.config["KIOSK_SEPARATION_OF_DUTIES"] = request.param
    return request.param


def test_the_auditor_reads_and_exports_the_log_and_nothing_else(demo_app, token_for, separation):
    auditor = make_auditor(demo_app, token_for)
    start = auditor.get("/staff/")
    assert start.status_code == 302 and start.headers["Location"].endswith("/staff/audit/")
    page = auditor.get("/staff/audit/").get_data(as_text=True)
    assert "系统创建了账号" in page
    nav = page.split("<nav>")[1].split("</nav>")[0]
    assert "操作日志" in nav and nav.count("<a ") == 1
    assert auditor.get("/staff/audit/export.csv").status_code == 200
    assert auditor.get("/staff/audit/head.txt").status_code == 200
    token = demo_app.test_client().post("/api/v1/tokens", json={"username": AUDITOR["username"],
                                                                "password": OWN_PASSWORD})
    headers = {"Authorization": f"Bearer {token.get_json()['token']}"}
    assert demo_app.test_client().get("/api/v1/audit", headers=headers).status_code == 200
    for refused in ("/api/v1/users", "/api/v1/notices", "/api/v1/screens"):
        assert demo_app.test_client().get(refused, headers=headers).status_code == 403, refused
    for refused in ("/staff/users", "/staff/notices/", "/staff/screens/"):
        assert auditor.get(refused).status_code in (403, 404), refused


def test_with_separation_administrators_cannot_read_the_log(demo_app, staff, token_for, separation):
    admin = staff("admin")
    expected = 403 if separation else 200
    assert admin.get("/staff/audit/").status_code == expected
    assert admin.get("/staff/audit/export.csv").status_code == expected
    assert demo_app.test_client().get("/api/v1/audit", headers=token_for("admin")).status_code == expected
    assert ("操作日志" in admin.get("/staff/users").get_data(as_text=True).split("</nav>")[0]) is not separation


def test_with_separation_the_auditor_role_is_held_alone(demo_app, token_for, separation):
    both = {**AUDITOR, "roles": ["auditor", "administrator"]}
    response = demo_app.test_client().post("/api/v1/users", json=both, headers=token_for("admin"))
    assert response.status_code == (400 if separation else 201), response.get_json()
