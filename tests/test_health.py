def test_healthz_reports_database_bus_and_scheduler(app):
    body = app.test_client().get("/healthz").get_json()
    assert body["ok"] is True
    assert body["database"] == {"ok": True, "dialect": "sqlite"}
    assert body["event_bus"]["kind"] == "in-process"
    assert body["scheduler"] == {"mode": "embedded", "running_here": False}


def test_healthz_is_503_when_the_database_is_unreachable(make_app, tmp_path):
    app = make_app(SQLALCHEMY_DATABASE_URI="postgresql+psycopg://nobody@127.0.0.1:1/none")
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["database"]["ok"] is False


def test_unknown_api_path_is_json_404(app):
    response = app.test_client().get("/api/v1/nothing-here")
    assert response.status_code == 404
    assert response.get_json() == {"error": "not_found", "message": "页面不存在。"}


def test_behind_a_proxy_the_visitors_address_is_used(make_app, migrated_db):
    from flask import request
    app = make_app(migrated_db, KIOSK_TRUSTED_PROXIES=1)
    seen = {}

    @app.get("/_probe")
    def probe():
        seen["addr"] = request.remote_addr
        return "ok"
    app.test_client().get("/_probe", headers={"X-Forwarded-For": "203.0.113.9"})
    assert seen["addr"] == "203.0.113.9"
    direct = make_app(migrated_db)
    direct.add_url_rule("/_probe", view_func=probe)
    direct.test_client().get("/_probe", headers={"X-Forwarded-For": "203.0.113.9"})
    assert seen["addr"] == "127.0.0.1"  # without the setting a forged header changes nothing
