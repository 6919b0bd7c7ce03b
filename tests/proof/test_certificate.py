"""The display certificate of journey 2 through the API, the staff page and the CSV."""
import csv
import io
from datetime import timedelta

import pytest

from kiosk.core import clock
from tests.proof.conftest import START, publish_dibao, run_days, village_boards

SIX_HOURS = 6 * 3600


def certificate(client, notice_id):
    response = client.api("get", f"/api/v1/notices/{notice_id}/display-certificate")
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def by_village(body) -> dict:
    return {screen["unit"]: screen for screen in body["screens"]}


def test_journey_two_wangjia_offline_six_hours_on_day_three(journey):
    body = certificate(journey.as_user("reviewer"), journey.notice_id)
    assert body["window_start"] == "2026-12-07T08:00:00+08:00"
    assert body["window_end"] == "2026-12-14T00:00:00+08:00"     # 7 calendar days
    assert body["timezone"] == "Asia/Shanghai" and not body["open_ended"]
    screens = by_village(body)
    assert set(screens) == {"wangjia", "lizhuang", "zhang"}
    assert body["screens_total"] == 3 and body["screens_honoured"] == 2

    wangjia = screens["wangjia"]
    assert wangjia["status"] == "gaps"
    day3 = wangjia["days"][2]
    assert (day3["number"], day3["date"]) == (3, "2026-12-09")
    assert day3["offline_seconds"] == SIX_HOURS
    # without the list: from its last showing before the power cut until the screen came back
    assert SIX_HOURS <= day3["missing_seconds"] < SIX_HOURS + 600
    assert [d["offline_seconds"] for d in wangjia["days"] if d["number"] != 3] == [0] * 6
    [gap] = wangjia["gaps"]
    assert gap["reason"] == "offline" and gap["end"] == "2026-12-09T14:00:00+08:00"
    assert wangjia["offline_periods"] == [{"start": "2026-12-09T08:00:00+08:00", "end": "2026-12-09T14:00:00+08:00",
                                           "seconds": SIX_HOURS}]
    window_seconds = (6 * 24 + 16) * 3600
    on_hours_seconds = (13 + 6 * 14) * 3600       # the demo's villages are on 07:00–21:00
    assert wangjia["coverage"] == pytest.approx(1 - gap["seconds"] / on_hours_seconds, abs=1e-4)
    assert wangjia["first_shown"] == "2026-12-07T08:00:00+08:00"
    assert wangjia["last_shown"] == "2026-12-13T23:54:30+08:00"     # its last 30 s turn of the period

    zhang = screens["zhang"]
    assert zhang["status"] == "honoured" and zhang["coverage"] == 1 and zhang["gaps"] == []
    assert zhang["offline_seconds"] == 0
    # a 30 s turn every 6 minutes for 6 days 16 hours
    assert zhang["showings"] == window_seconds // 360
    assert zhang["shown_seconds"] == zhang["showings"] * 30


def test_showings_reported_after_an_outage_count(journey):
    lizhuang = by_village(certificate(journey.as_user("screens"), journey.notice_id))["lizhuang"]
    assert lizhuang["status"] == "honoured" and lizhuang["gaps"] == []
    assert lizhuang["days"][1]["offline_seconds"] == SIX_HOURS
    assert lizhuang["offline_showings"] == 60          # a turn every 6 minutes for 6 hours
    assert lizhuang["shown_while_offline_seconds"] == 60 * 30


def test_a_late_batch_fills_the_gap_once_it_arrives(demo_app, staff):
    """Before the player's batch from the outage arrives, the hours look lost; afterwards they are proven."""
    clock.set_now(START)
    notice_id = publish_dibao(staff)
    boards = village_boards(demo_app)
    during_outage = START + timedelta(days=1, hours=12)    # 李庄村's link is back now, batch not yet sent
    run_days(demo_app, boards, notice_id, during_outage)
    reviewer = staff("reviewer")
    before = by_village(certificate(reviewer, notice_id))["lizhuang"]
    assert before["status"] == "gaps" and [g["reason"] for g in before["gaps"]] == ["offline"]
    boards["lizhuang"].connect()
    boards["lizhuang"].send(demo_app.test_client())
    after = by_village(certificate(reviewer, notice_id))["lizhuang"]
    assert after["status"] == "honoured" and after["gaps"] == []
    body = certificate(reviewer, notice_id)
    assert body["window_end"] == "2026-12-14T00:00:00+08:00"
    # the period is still running: counted up to now
    assert by_village(body)["zhang"]["days"][-1]["date"] == "2026-12-08"
    for board in boards.values():
        if board.socket is not None:
            board.disconnect()


def test_the_csv_opens_in_excel_with_the_offline_day(journey):
    response = journey.as_user("reviewer").get(f"/staff/proof/notices/{journey.notice_id}.csv")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response.headers["Content-Disposition"]
    raw = response.get_data()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0][1] == "2026年12月新增城乡低保对象公示"
    assert ["2026-12-07 08:00", "2026-12-14 00:00"] == rows[3][1:3]
    days = [row for row in rows if len(row) == 7 and row[3] == "2026-12-09"]
    wangjia_day3 = next(row for row in days if row[0] == "王家村")
    assert wangjia_day3[2] == "3" and wangjia_day3[5] == "6.00"
    gaps = [row for row in rows if len(row) == 6 and row[0] == "王家村"]
    assert len(gaps) == 1 and gaps[0][3] == "2026-12-09 14:00"
    summary = next(row for row in rows if len(row) == 11 and row[0] == "张村")
    assert summary[7] == "100.0%" and summary[9] == "0.00"


def test_the_staff_page_flags_wangjia(journey):
    reviewer = journey.as_user("reviewer")
    page = reviewer.get(f"/staff/proof/notices/{journey.notice_id}").get_data(as_text=True)
    shortfall = page[page.index('class="card shortfall"'):page.index('class="legend"')]
    assert "王家村" in shortfall and "李庄村" not in shortfall and "张村" not in shortfall
    assert "6 小时 00 分" in shortfall
    assert page.count('class="timeline"') == 3
    assert 'class="seg offline"' in page
    index = reviewer.get("/staff/proof/").get_data(as_text=True)
    assert f"/staff/proof/notices/{journey.notice_id}" in index


@pytest.mark.parametrize("username", ["reviewer", "editor", "admin", "screens"])
def test_roles_that_may_read_the_certificate(journey, username):
    response = journey.app.test_client().get(f"/api/v1/notices/{journey.notice_id}/display-certificate",
                                             headers=journey.token(username))
    assert response.status_code == 200


def test_who_may_not(journey):
    http, token_for = journey.app.test_client(), journey.token
    url = f"/api/v1/notices/{journey.notice_id}/display-certificate"
    assert http.get(url).status_code == 401
    clerk = http.get(url, headers=token_for("window1"))
    assert clerk.status_code == 403 and clerk.get_json()["error"]
    # a village clerk acts on her village only: the township's notice is not hers to certify
    village = http.get(url, headers=token_for("wangjia"))
    assert village.status_code == 404
    assert http.get(f"/staff/proof/notices/{journey.notice_id}").status_code == 302   # to the login page
    assert http.get("/api/v1/notices/999999/display-certificate", headers=token_for("reviewer")).status_code == 404


def test_a_notice_never_approved_has_nothing_to_prove(demo_app, staff):
    editor = staff("editor")
    created = editor.api("post", "/api/v1/notices", json={
        "category": "dibao", "title": "草稿", "formed_on": "2026-12-06", "audience": "villages",
        "villages": ["wangjia"]})
    response = editor.api("get", f"/api/v1/notices/{created.get_json()['id']}/display-certificate")
    assert response.status_code == 409
    assert response.get_json()["message"]


def test_openapi_names_the_operation(demo_app):
    spec = demo_app.test_client().get("/api/v1/openapi.json").get_json()
    operation = spec["paths"]["/notices/{notice_id}/display-certificate"]["get"]
    assert operation["operationId"] == "getDisplayCertificate"


def test_the_demo_township_shows_wangjia_offline_for_six_hours(demo_app, staff):
    reviewer = staff("reviewer")
    notices = reviewer.api("get", "/api/v1/notices?category=dibao").get_json()["notices"]
    dibao = next(n for n in notices if n["state"] == "showing")
    screens = by_village(certificate(reviewer, dibao["id"]))
    assert set(screens) == {"wangjia", "lizhuang", "zhang"}
    wangjia = screens["wangjia"]
    assert wangjia["status"] == "gaps"
    # the power cut (the demo's screens are not really connected, so "offline" also runs from the demo's load on)
    assert SIX_HOURS in [period["seconds"] for period in wangjia["offline_periods"]]
    assert [gap["reason"] for gap in wangjia["gaps"]][0] == "offline"
    assert screens["lizhuang"]["offline_showings"] > 0
