from tests.conftest import StaffClient, csrf_from


def test_staff_pages_need_a_login(demo_app):
    response = demo_app.test_client().get("/staff/")
    assert response.status_code == 302
    assert "/staff/login" in response.headers["Location"]


def test_login_with_the_form_opens_the_dashboard(staff):
    editor = staff("editor")
    page = editor.get("/staff/").get_data(as_text=True)
    assert "党政办 刘敏" in page
    assert "金家镇" in page


def test_wrong_password_is_refused_with_a_message(demo_app):
    client = demo_app.test_client()
    token = csrf_from(client.get("/staff/login").get_data(as_text=True))
    response = client.post("/staff/login", data={"username": "editor", "password": "nope-nope", "csrf_token": token})
    assert response.status_code == 401
    assert "用户名或密码错误" in response.get_data(as_text=True)
    assert client.get("/staff/").status_code == 302


def test_login_form_without_csrf_token_is_refused(demo_app):
    client = demo_app.test_client()
    client.get("/staff/login")
    response = client.post("/staff/login", data={"username": "editor", "password": "jinjia-demo"})
    assert response.status_code == 400
    assert "表单已过期" in response.get_data(as_text=True)
    assert client.get("/staff/").status_code == 302


def test_logout_needs_csrf_and_ends_the_session(staff):
    editor = staff("editor")
    assert editor.http.post("/staff/logout").status_code == 400
    assert editor.get("/staff/").status_code == 200
    assert editor.post_form("/staff/logout").status_code == 302
    assert editor.get("/staff/").status_code == 302


def test_successful_logins_do_not_count_towards_the_throttle(demo_app):
    for _ in range(7):
        StaffClient(demo_app.test_client(), "editor")


def test_open_redirect_after_login_is_refused(demo_app):
    client = demo_app.test_client()
    token = csrf_from(client.get("/staff/login").get_data(as_text=True))
    response = client.post("/staff/login?next=https://evil.example/", data={
        "username": "editor", "password": "jinjia-demo", "csrf_token": token})
    assert response.headers["Location"].endswith("/staff/")


def test_english_locale_on_request(demo_app):
    client = demo_app.test_client()
    assert "工作人员登录" in client.get("/staff/login").get_data(as_text=True)
    assert "Staff login" in client.get("/staff/login?lang=en").get_data(as_text=True)
    assert "Staff login" in client.get("/staff/login").get_data(as_text=True)  # remembered in a cookie
