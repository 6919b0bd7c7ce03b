from datetime import timedelta

from kiosk.core import clock


def test_create_token_and_use_it(demo_app):
    client = demo_app.test_client()
    response = client.post("/api/v1/tokens", json={"username": "reviewer", "password": "jinjia-demo"})
    assert response.status_code == 201
    body = response.get_json()
    assert body["token_type"] == "Bearer" and body["roles"] == ["reviewer"] and body["unit"] == "jinjia"
    audit = client.get("/api/v1/audit", headers={"Authorization": f"Bearer {body['token']}"})
    assert audit.status_code == 200


def test_wrong_password_gets_401_json(demo_app):
    response = demo_app.test_client().post("/api/v1/tokens", json={"username": "reviewer", "password": "x"})
    assert response.status_code == 401
    assert response.get_json()["error"] == "bad_credentials"


def test_bad_body_gets_400_without_echoing_the_password(demo_app):
    client = demo_app.test_client()
    response = client.post("/api/v1/tokens", json={"password": "s3cret-value"})
    assert response.status_code == 400
    assert response.get_json()["error"] == "invalid"
    # Validation messages are in Chinese and name the field by its label (kiosk.core.validation, staff).
    assert "用户名" in response.get_json()["message"]
    assert response.get_json()["errors"][0]["field"] == "username"
    assert "s3cret-value" not in response.get_data(as_text=True)
    assert client.post("/api/v1/tokens", data="not json").status_code == 400


def test_unknown_or_expired_token_is_refused(demo_app, token_for):
    headers = token_for("editor")
    client = demo_app.test_client()
    assert client.get("/api/v1/audit", headers={"Authorization": "Bearer made-up"}).status_code == 401
    assert client.get("/api/v1/audit", headers=headers).status_code == 200
    clock.shift(timedelta(days=31))
    assert client.get("/api/v1/audit", headers=headers).status_code == 401
