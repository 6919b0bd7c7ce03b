"""Set-up: services and windows through the staff pages and the API, with clear errors."""
from tests.queue.conftest import HALL


def test_admin_adds_a_service_through_the_form(staff, demo_app):
    admin = staff("admin")
    response = admin.post_form(f"/queue/halls/{HALL}/services", {
        "prefix": "f", "name": "不动产登记", "daily_cap": "40", "hours_1": "09:00-12:00，14:00-17:00",
        "hours_2": "", "materials": "不动产权证书\n身份证", "active": "y"})
    assert response.status_code == 302
    services = demo_app.test_client().get(f"/api/v1/queue/halls/{HALL}/services").get_json()
    added = next(s for s in services if s["prefix"] == "F")
    assert added["hours"] == {"1": [["09:00", "12:00"], ["14:00", "17:00"]]}
    assert added["daily_cap"] == 40 and added["materials"] == ["不动产权证书", "身份证"]


def test_bad_hours_and_duplicate_prefix_show_in_the_form(staff):
    admin = staff("admin")
    bad = admin.post_form(f"/queue/halls/{HALL}/services", {"prefix": "F", "name": "x", "hours_1": "9点到12点"})
    assert bad.status_code == 400 and "08:30-12:00" in bad.get_data(as_text=True)
    backwards = admin.post_form(f"/queue/halls/{HALL}/services", {"prefix": "F", "name": "x", "hours_1": "12:00-09:00"})
    assert backwards.status_code == 400 and "12:00-09:00" in backwards.get_data(as_text=True)
    taken = admin.post_form(f"/queue/halls/{HALL}/services", {"prefix": "A", "name": "重复"})
    assert taken.status_code == 400 and "社会保险" in taken.get_data(as_text=True)


def test_service_and_window_through_the_api(staff):
    admin = staff("admin")
    created = admin.api("POST", f"/api/v1/queue/halls/{HALL}/services", json={
        "prefix": "G", "name": "医保报销", "hours": {"1": "08:30-12:00"}, "materials": ["医保卡"]})
    assert created.status_code == 201, created.get_json()
    window = admin.api("POST", f"/api/v1/queue/halls/{HALL}/windows", json={"number": 5, "services": ["G", "A"]})
    assert window.status_code == 201 and window.get_json()["services"] == ["G", "A"]
    clash = admin.api("POST", f"/api/v1/queue/halls/{HALL}/windows", json={"number": 5, "services": ["A"]})
    assert clash.status_code == 409
    unknown = admin.api("POST", f"/api/v1/queue/halls/{HALL}/windows", json={"number": 6, "services": ["Q"]})
    assert unknown.status_code == 400 and "Q" in unknown.get_json()["message"]
    twice = admin.api("POST", f"/api/v1/queue/halls/{HALL}/windows", json={"number": 6, "services": ["A", "A"]})
    assert twice.status_code == 400
    service_id = created.get_json()["id"]
    updated = admin.api("PUT", f"/api/v1/queue/services/{service_id}", json={
        "prefix": "G", "name": "医保报销", "daily_cap": 10, "active": False})
    assert updated.status_code == 200 and updated.get_json()["active"] is False


def test_window_form_orders_services_by_preference(staff):
    admin = staff("admin")
    response = admin.post_form("/queue/windows/4/edit", {"number": "4", "services": "c，d", "priority_first": "y"})
    assert response.status_code == 302
    assert "C 农业补贴 → D 户籍/证照" in admin.get(f"/queue/halls/{HALL}/windows").get_data(as_text=True)
    unknown = admin.post_form("/queue/windows/4/edit", {"number": "4", "services": "X"})
    assert unknown.status_code == 400 and "X" in unknown.get_data(as_text=True)


def test_only_administrators_set_up(staff, token_for, demo_app):
    clerk = staff("window1")
    assert clerk.get(f"/queue/halls/{HALL}/services").status_code == 403
    assert clerk.api("POST", f"/api/v1/queue/halls/{HALL}/services", json={"prefix": "H", "name": "x"}).status_code == 403
    assert demo_app.test_client().get(f"/queue/halls/{HALL}/services").status_code == 302
    assert demo_app.test_client().get(f"/api/v1/queue/halls/{HALL}/windows").status_code == 401


def test_operation_ids_are_published(demo_app):
    spec = demo_app.test_client().get("/api/v1/openapi.json").get_json()
    ids = {op["operationId"] for path in spec["paths"].values() for op in path.values() if isinstance(op, dict)}
    assert {"listServices", "listWindows", "issueTicket", "getTicket", "callNext", "recallTicket", "startTicket",
            "finishTicket", "markNoShow", "transferTicket", "rateTicket", "getQueueStats"} <= ids
