"""Login throttling: budgets per user name and per address, shared by the form and the API, and a
short delay (never a lockout) once a budget is spent."""
import pytest

from kiosk.accounts import throttle
from tests.conftest import csrf_from

RIGHT, WRONG = "jinjia-demo", "wrong-guess"


@pytest.fixture
def pauses(monkeypatch):
    """The delays slowed attempts waited, recorded instead of slept."""
    waited = []
    monkeypatch.setattr(throttle, "_pause", waited.append)
    return waited


def form_login(app, username, password, address="10.0.0.1"):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    token = csrf_from(client.get("/staff/login").get_data(as_text=True))
    return client.post("/staff/login", data={"username": username, "password": password, "csrf_token": token})


def api_login(app, username, password, address="10.0.0.1"):
    return app.test_client().post("/api/v1/tokens", json={"username": username, "password": password},
                                  environ_base={"REMOTE_ADDR": address})


def test_failures_on_one_name_from_many_addresses_slow_that_name(make_app, demo_db, pauses):
    # A delay far longer than the test runs, so no real time passing can open the next slot.
    app = make_app(demo_db, KIOSK_LOGIN_DELAY=600)
    statuses = [form_login(app, "editor", WRONG, f"10.0.1.{n}").status_code for n in range(5)]
    assert statuses == [401] * 5 and pauses == []
    # The budget of "editor" is spent: the next guess, from yet another address, waits first.
    assert form_login(app, "editor", WRONG, "10.0.1.99").status_code == 401
    assert pauses == [600]
    # A second guess from that address within the delay is refused without being tried.
    refused = api_login(app, "editor", RIGHT, "10.0.1.99")
    assert refused.status_code == 429 and refused.headers["Retry-After"] == "600"
    assert refused.get_json()["error"] == "rate_limited"


def test_the_real_user_from_a_fresh_browser_gets_in_after_a_short_delay(demo_app, pauses):
    for n in range(8):
        form_login(demo_app, "editor", WRONG, f"10.0.2.{n}")
    response = form_login(demo_app, "editor", RIGHT, "192.168.7.20")
    assert response.status_code == 302, "the right password is delayed, never locked out"
    assert pauses[-1] == 3


def test_one_password_over_many_names_is_throttled_per_address(make_app, demo_db, pauses):
    app = make_app(demo_db, KIOSK_LOGIN_DELAY=600)
    names = [f"guess{n}" for n in range(20)]
    assert {api_login(app, name, "123456", "10.0.3.1").status_code for name in names} == {401}
    assert pauses == []
    assert api_login(app, "guess-next", "123456", "10.0.3.1").status_code == 401
    assert pauses == [600]
    # One slowed attempt per delay for the whole address, whichever name it tries next.
    assert form_login(app, "guess-other", "123456", "10.0.3.1").status_code == 429


def test_a_colleague_behind_the_same_address_is_not_locked_out(demo_app, pauses):
    for _ in range(6):
        form_login(demo_app, "editor", WRONG, "10.0.4.1")
    assert form_login(demo_app, "reviewer", RIGHT, "10.0.4.1").status_code == 302
    assert api_login(demo_app, "screens", RIGHT, "10.0.4.1").status_code == 201


def test_form_and_api_share_one_budget(demo_app, pauses):
    for _ in range(3):
        assert form_login(demo_app, "editor", WRONG, "10.0.5.1").status_code == 401
    for _ in range(2):
        assert api_login(demo_app, "editor", WRONG, "10.0.5.1").status_code == 401
    assert pauses == []
    assert api_login(demo_app, "editor", WRONG, "10.0.5.1").status_code == 401
    assert pauses == [3]


def test_successful_logins_do_not_spend_the_budget(demo_app, pauses):
    for _ in range(8):
        assert api_login(demo_app, "editor", RIGHT).status_code == 201
    assert pauses == []


def test_the_429_page_is_a_page(make_app, demo_db, pauses):
    app = make_app(demo_db, KIOSK_LOGIN_DELAY=600)
    for n in range(6):
        form_login(app, "editor", WRONG, "10.0.6.1")
    page = form_login(app, "editor", WRONG, "10.0.6.1")
    assert page.status_code == 429 and page.headers["Retry-After"] == "600"
    assert "登录失败次数过多" in page.get_data(as_text=True)
