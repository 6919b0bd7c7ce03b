"""Account management: only administrators, only inside their own units."""
import pytest

NEW = {"username": "clerk-zhang", "password": "Long-enough1", "display_name": "张村文书", "unit": "zhang",
       "roles": ["editor"]}


@pytest.mark.parametrize("username", ["editor", "reviewer", "screens", "window1", "lizhuang"])
def test_non_administrators_cannot_manage_accounts(demo_app, token_for, username):
    client = demo_app.test_client()
    headers = token_for(username)
    assert client.get("/api/v1/users", headers=headers).status_code == 403
    assert client.post("/api/v1/users", json=NEW, headers=headers).status_code == 403
    assert client.patch("/api/v1/users/1", json={"active": False}, headers=headers).status_code == 403


def test_administrator_creates_and_disables_an_account(demo_app, token_for):
    client = demo_app.test_client()
    admin = token_for("admin")
    created = client.post("/api/v1/users", json=NEW, headers=admin)
    assert created.status_code == 201, created.get_json()
    assert created.get_json()["unit"] == "zhang"
    new_token = token_for("clerk-zhang", "Long-enough1")
    assert client.post("/api/v1/account/password", json={"current_password": "Long-enough1",
                                                         "new_password": "Zhang-cun-2026"}, headers=new_token).status_code == 200
    assert client.get("/api/v1/audit", headers=new_token).status_code == 200

    user_id = created.get_json()["id"]
    assert client.patch(f"/api/v1/users/{user_id}", json={"active": False}, headers=admin).status_code == 200
    # A disabled account's tokens stop working and it cannot log in.
    assert client.get("/api/v1/audit", headers=new_token).status_code == 401
    assert client.post("/api/v1/tokens", json={"username": "clerk-zhang", "password": "Long-enough1"}).status_code == 401


def test_duplicate_username_and_bad_unit_are_clear_errors(demo_app, token_for):
    client = demo_app.test_client()
    admin = token_for("admin")
    taken = client.post("/api/v1/users", json=NEW | {"username": "editor"}, headers=admin)
    assert taken.status_code == 409 and "editor" in taken.get_json()["message"]
    nowhere = client.post("/api/v1/users", json=NEW | {"unit": "atlantis"}, headers=admin)
    assert nowhere.status_code == 404
    weak = client.post("/api/v1/users", json=NEW | {"password": "short"}, headers=admin)
    assert weak.status_code == 400


def test_township_administrator_cannot_reach_another_township(demo_app, token_for):
    client = demo_app.test_client()
    admin = token_for("admin")
    # A second township beside 金家镇, with its own administrator.
    with demo_app.app_context():
        from kiosk.accounts.models import Role
        from kiosk.accounts.operations import create_user
        from kiosk.extensions import db
        from kiosk.org.models import UnitKind
        from kiosk.org.operations import create_unit, get_unit_by_code
        other = create_unit(UnitKind.township, "银河镇", "yinhe", get_unit_by_code("county"))
        create_user("yinhe-admin", "Long-enough1", {Role.administrator}, other)
        db.session.commit()
    yinhe = token_for("yinhe-admin", "Long-enough1")
    assert client.post("/api/v1/users", json=NEW, headers=yinhe).status_code == 403
    listed = {u["username"] for u in client.get("/api/v1/users", headers=yinhe).get_json()["users"]}
    assert listed == {"yinhe-admin"}
    editor_id = next(u["id"] for u in client.get("/api/v1/users", headers=admin).get_json()["users"]
                     if u["username"] == "editor")
    assert client.patch(f"/api/v1/users/{editor_id}", json={"active": False}, headers=yinhe).status_code == 403


def test_administrator_cannot_lock_themselves_out(demo_app, token_for):
    client = demo_app.test_client()
    admin = token_for("admin")
    me = next(u for u in client.get("/api/v1/users", headers=admin).get_json()["users"] if u["username"] == "admin")
    response = client.patch(f"/api/v1/users/{me['id']}", json={"active": False}, headers=admin)
    assert response.status_code == 409


def test_users_page_creates_an_account_with_form_errors_in_place(staff):
    admin = staff("admin")
    page = admin.get("/staff/users")
    assert page.status_code == 200 and "李庄村文书 李红" in page.get_data(as_text=True)
    bad = admin.post_form("/staff/users", {"username": "bad name!", "password": "x", "unit": "zhang", "roles": "editor"})
    assert bad.status_code == 400
    assert "form-error" in bad.get_data(as_text=True)
    good = admin.post_form("/staff/users", {"username": "zhang-clerk", "password": "Long-enough1", "unit": "zhang",
                                            "roles": "editor", "display_name": "张村文书"})
    assert good.status_code == 302
    assert "张村文书" in admin.get("/staff/users").get_data(as_text=True)


def test_users_page_is_for_administrators_only(staff):
    assert staff("editor").get("/staff/users").status_code == 403
