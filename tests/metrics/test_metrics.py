"""/metrics: the counters a push and a ticket move, and who may read them."""
from prometheus_client.parser import text_string_to_metric_families

from tests.queue.conftest import monday_morning  # noqa: F401
from tests.screens.conftest import manager, new_screen  # noqa: F401
from tests.screens.test_rules import token_of
from tests.screens.test_shared_state import screen_socket

HALL = "jinjia-hall"


def scrape(app, **kwargs) -> dict[tuple, float]:
    response = app.test_client().get("/metrics", **kwargs)
    assert response.status_code == 200, response.status_code
    return {(sample.name, tuple(sorted(sample.labels.items()))): sample.value
            for family in text_string_to_metric_families(response.get_data(as_text=True))
            for sample in family.samples}


def value(samples, name, **labels) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


def test_a_push_and_a_ticket_move_the_counters(demo_app, manager, token_for, new_screen, monday_morning):  # noqa: F811
    before = scrape(demo_app)
    screen, _path = new_screen(name="指标测试屏")
    opened = screen_socket(demo_app, token_of(screen["player_url"]))
    opened.emit("state", namespace="/screens", callback=True)
    rotation = next(r for r in manager.api("GET", "/api/v1/rotations").get_json()["rotations"]
                    if r["group"] == "villages")
    body = {k: v for k, v in rotation.items() if k not in ("id", "group_id")} | {"name": "村务轮播（指标）"}
    assert manager.api("PUT", f"/api/v1/rotations/{rotation['id']}", json=body).status_code == 200

    clerk = token_for("window1")
    client = demo_app.test_client()
    service = client.get(f"/api/v1/queue/halls/{HALL}/services", headers=clerk).get_json()[0]["prefix"]
    issued = client.post(f"/api/v1/queue/halls/{HALL}/tickets", json={"service": service}, headers=clerk)
    assert issued.status_code == 201, issued.get_json()
    called = client.post("/api/v1/queue/windows/1/call-next", headers=clerk)
    assert called.status_code == 200, called.get_json()

    after = scrape(demo_app)
    assert value(after, "kiosk_screens_connected", unit="李庄村", kind="noticeboard_portrait") == \
        value(before, "kiosk_screens_connected", unit="李庄村", kind="noticeboard_portrait") + 1
    assert value(after, "kiosk_state_pushes_total") > value(before, "kiosk_state_pushes_total")
    assert value(after, "kiosk_change_to_state_seconds_count") > value(before, "kiosk_change_to_state_seconds_count")
    for name in ("kiosk_tickets_issued_total", "kiosk_tickets_called_total", "kiosk_ticket_waiting_seconds_count"):
        assert value(after, name, hall=HALL) == value(before, name, hall=HALL) + 1, name
    route = {"route": "/api/v1/queue/halls/<hall_code>/tickets", "method": "POST"}
    assert any(n == "kiosk_request_seconds_count" and dict(labels).get("method") == "POST" and "tickets" in
               dict(labels).get("route", "") for n, labels in after), route
    assert value(after, "kiosk_privacy_checks", state="failed") >= 0
    assert value(after, "kiosk_alerts_open", kind="backup") == 1  # the demo has no backup yet
    opened.disconnect(namespace="/screens")


def test_metrics_are_refused_to_an_unlisted_address_without_the_token(demo_app):
    client = demo_app.test_client()
    elsewhere = {"environ_base": {"REMOTE_ADDR": "10.1.2.3"}}
    assert client.get("/metrics", **elsewhere).status_code == 403
    demo_app.config["KIOSK_METRICS_TOKEN"] = "s3cret-token"
    assert client.get("/metrics", headers={"Authorization": "Bearer wrong"}, **elsewhere).status_code == 403
    allowed = client.get("/metrics", headers={"Authorization": "Bearer s3cret-token"}, **elsewhere)
    assert allowed.status_code == 200 and "kiosk_tickets_issued" in allowed.get_data(as_text=True)
