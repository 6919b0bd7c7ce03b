"""Ratings (好差评) with their follow-ups, and the statistics built from the timestamps."""
from datetime import timedelta

from kiosk.core import clock
from tests.conftest import StaffClient
from tests.queue.conftest import HALL, act, call_next, issue, serve


def finished_ticket(clerk, prefix="A", window=1):
    ticket = issue(clerk, prefix)
    call_next(clerk, window)
    serve(clerk, window, ticket["id"])
    return ticket


def rate(client, ticket, level, token=True, expect=201):
    body = {"level": level, **({"token": ticket["token"]} if token else {})}
    url = f"/api/v1/queue/tickets/{ticket['id']}/rating"
    response = client.api("POST", url, json=body) if isinstance(client, StaffClient) else client.post(url, json=body)
    assert response.status_code == expect, response.get_json()
    return response.get_json()


def test_a_visitor_rates_once_from_the_status_page(clerk, demo_app):
    ticket = finished_ticket(clerk)
    phone = demo_app.test_client()
    assert phone.get(f"/t/{ticket['token']}.json").get_json()["can_rate"] is True
    assert rate(phone, ticket, 5) == {"level": 5, "label": "非常满意", "follow_up": False}
    assert rate(phone, ticket, 1, expect=409)["error"] == "already_rated"
    state = phone.get(f"/t/{ticket['token']}.json").get_json()
    assert state["rating"] == {"level": 5, "label": "非常满意"} and state["can_rate"] is False


def test_rating_needs_a_finished_ticket_and_its_token(clerk, demo_app):
    waiting = issue(clerk, "A")
    phone = demo_app.test_client()
    assert rate(phone, waiting, 4, expect=409)["error"] == "not_finished"
    done = finished_ticket(clerk, "B", window=3)
    assert rate(phone, {**done, "token": waiting["token"]}, 4, expect=403)["error"] == "forbidden"
    assert rate(phone, done, 4, token=False, expect=401)["error"] == "unauthorized"
    assert rate(phone, done, 6, expect=400)["error"] == "invalid"


def test_the_window_tablet_rates_the_ticket_just_finished(clerk):
    ticket = finished_ticket(clerk)
    state = clerk.api("GET", "/api/v1/queue/windows/1").get_json()
    assert state["awaiting_rating"] == {"id": ticket["id"], "code": ticket["code"]}
    assert "非常满意" in clerk.get("/queue/windows/1/tablet").get_data(as_text=True)
    assert rate(clerk, ticket, 4, token=False)["label"] == "满意"
    assert clerk.api("GET", "/api/v1/queue/windows/1").get_json()["awaiting_rating"] is None


def test_a_bad_rating_opens_a_follow_up_that_a_supervisor_closes(clerk, staff, demo_app):
    ticket = finished_ticket(clerk)
    assert rate(demo_app.test_client(), ticket, 2)["follow_up"] is True
    page = clerk.get(f"/queue/halls/{HALL}/follow-ups").get_data(as_text=True)
    assert ticket["code"] in page and "不满意" in page
    reviewer = staff("reviewer")
    listing = reviewer.get(f"/queue/halls/{HALL}/follow-ups").get_data(as_text=True)
    follow_up_id = int(listing.split("/queue/follow-ups/")[1].split("/")[0])
    refused = clerk.api("POST", f"/api/v1/queue/follow-ups/{follow_up_id}/close", json={"action_taken": "已电话回访"})
    assert refused.status_code == 403
    empty = reviewer.post_form(f"/queue/follow-ups/{follow_up_id}/close", {"action_taken": ""})
    assert empty.status_code == 400
    closed = reviewer.post_form(f"/queue/follow-ups/{follow_up_id}/close",
                                {"action_taken": "已电话回访群众，窗口人员进行了业务培训"})
    assert closed.status_code == 302
    assert ticket["code"] not in reviewer.get(f"/queue/halls/{HALL}/follow-ups").get_data(as_text=True)
    history = reviewer.get(f"/queue/halls/{HALL}/follow-ups?all=1").get_data(as_text=True)
    assert "业务培训" in history
    again = reviewer.api("POST", f"/api/v1/queue/follow-ups/{follow_up_id}/close", json={"action_taken": "再次办结"})
    assert again.status_code == 409


def test_statistics_per_day_service_window_and_clerk(clerk, staff):
    waits, services = [], []
    for minutes_waited, minutes_served in ((2, 6), (4, 10), (10, 20)):
        ticket = issue(clerk, "A")
        clock.shift(timedelta(minutes=minutes_waited))
        call_next(clerk, 1)
        act(clerk, 1, ticket["id"], "start")
        clock.shift(timedelta(minutes=minutes_served))
        act(clerk, 1, ticket["id"], "finish")
        rate(clerk, ticket, 5 if minutes_served < 20 else 1, token=False)
        waits.append(minutes_waited)
        services.append(minutes_served)
    missed = issue(clerk, "D")
    call_next(clerk, 4)
    act(clerk, 4, missed["id"], "no-show")
    response = staff("reviewer").api("GET", f"/api/v1/queue/halls/{HALL}/stats?from=2026-11-23&to=2026-11-23")
    stats = response.get_json()
    total = stats["total"]
    assert (total["issued"], total["served"], total["no_shows"], total["ratings"], total["bad_ratings"]) == (4, 3, 1, 3, 1)
    by_service = {row["key"]: row for row in stats["service"]}
    assert by_service["A"]["wait_avg_min"] == round(sum(waits) / 3, 1) and by_service["A"]["wait_p90_min"] == 10
    assert by_service["A"]["service_avg_min"] == 12 and by_service["A"]["service_p90_min"] == 20
    assert by_service["A"]["rating_avg"] == round(11 / 3, 2)
    by_window = {row["key"]: row for row in stats["window"]}
    assert by_window[1]["served"] == 3 and by_window[4]["no_shows"] == 1
    assert [row["label"] for row in stats["clerk"]] == ["1号窗口 孙丽"]
    assert [row["key"] for row in stats["day"]] == ["2026-11-23"]


def test_statistics_page_and_csv(clerk, staff):
    finished_ticket(clerk)
    reviewer = staff("reviewer")
    page = reviewer.get(f"/queue/halls/{HALL}/stats?from=2026-11-17&to=2026-11-23")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "<svg" in html and "社会保险" in html
    csv = reviewer.get(f"/queue/halls/{HALL}/stats?from=2026-11-23&to=2026-11-23&format=csv")
    lines = csv.get_data(as_text=True).lstrip("\ufeff").splitlines()
    assert csv.mimetype == "text/csv" and lines[0].startswith("breakdown,key,label,issued,served")
    assert any(line.startswith("service,A,A 社会保险,1,1,0") for line in lines)
    assert reviewer.get(f"/queue/halls/{HALL}/stats?from=2026-13-01").status_code == 400
    assert reviewer.get(f"/queue/halls/{HALL}/stats?from=2026-11-24&to=2026-11-01").status_code == 400
    assert staff("lizhuang").get(f"/queue/halls/{HALL}/stats").status_code == 403


def test_the_estimate_uses_todays_service_times(clerk, demo_app):
    ticket = issue(clerk, "A")
    call_next(clerk, 1)
    act(clerk, 1, ticket["id"], "start")
    clock.shift(timedelta(minutes=8))
    act(clerk, 1, ticket["id"], "finish")
    waiting = [issue(clerk, "A") for _ in range(3)]
    state = demo_app.test_client().get(f"/t/{waiting[-1]['token']}.json").get_json()
    # Two ahead, plus one being served, at 8 minutes each, over the two windows serving A.
    assert state["ahead"] == 2 and state["estimated_wait_minutes"] == 12


def test_rating_at_the_kiosk_by_the_ticket_number(clerk, demo_app, screen_token):
    ticket = finished_ticket(clerk)
    waiting = issue(clerk, "B")
    kiosk = demo_app.test_client()
    headers = {"X-Screen-Token": screen_token()}

    def rate_here(code, check, level):
        return kiosk.post(f"/api/v1/queue/halls/{HALL}/ratings", json={"ticket": code, "code": check, "level": level},
                          headers=headers)
    assert rate_here("Z009", "1234", 5).get_json()["error"] == "wrong_code"
    assert rate_here(waiting["code"], waiting["rating_code"], 5).get_json()["error"] == "not_finished"
    # Numbers run in sequence: a bare number, or a number with someone else's code, rates nothing.
    bare = kiosk.post(f"/api/v1/queue/halls/{HALL}/ratings", json={"ticket": ticket["code"], "level": 1}, headers=headers)
    assert bare.status_code == 400
    wrong = rate_here(ticket["code"], waiting["rating_code"], 1)
    assert wrong.status_code == 403 and wrong.get_json()["error"] == "wrong_code"
    response = rate_here(ticket["code"].lower(), ticket["rating_code"], 1)
    assert response.status_code == 201 and response.get_json() == {"level": 1, "label": "非常不满意", "follow_up": True}
    assert rate_here(ticket["code"], ticket["rating_code"], 5).get_json()["error"] == "already_rated"
    anonymous = demo_app.test_client().post(f"/api/v1/queue/halls/{HALL}/ratings",
                                            json={"ticket": "A001", "code": "0000", "level": 5})
    assert anonymous.status_code == 401


def test_the_demo_mornings_statistics_agree_per_window_and_per_clerk(staff):
    """The demo's morning (Friday before the pinned Monday) is served by each window's own clerk."""
    stats = staff("reviewer").api("GET", f"/api/v1/queue/halls/{HALL}/stats?from=2026-11-20&to=2026-11-20").get_json()
    by_window = {row["label"]: row["issued"] for row in stats["window"]}
    by_clerk = {row["label"]: row["issued"] for row in stats["clerk"]}
    assert by_window == {"1号窗口": 3, "2号窗口": 2, "3号窗口": 2, "4号窗口": 1}
    assert by_clerk == {"1号窗口 孙丽": 3, "2号窗口 周强": 2, "3号窗口 吴刚": 2, "4号窗口 郑洁": 1}
    assert sum(by_clerk.values()) == sum(by_window.values()) == stats["total"]["issued"]


def test_guessing_a_rating_code_stops_after_a_few_tries(clerk, demo_app, screen_token):
    """A few wrong codes, then the number's rating waits (the right code too); and a kiosk trying
    code after code on many numbers is stopped by its own ceiling."""
    ticket = finished_ticket(clerk)
    kiosk = demo_app.test_client()
    headers = {"X-Screen-Token": screen_token()}

    def rate_here(code, check):
        return kiosk.post(f"/api/v1/queue/halls/{HALL}/ratings", json={"ticket": code, "code": check, "level": 1},
                          headers=headers)
    wrong = [f"{(int(ticket['rating_code']) + n) % 10000:04d}" for n in range(1, 7)]
    assert [rate_here(ticket["code"], check).status_code for check in wrong] == [403] * 5 + [429]
    refused = rate_here(ticket["code"], ticket["rating_code"])
    assert refused.status_code == 429 and "窗口" in refused.get_json()["message"]
    assert int(refused.headers["Retry-After"]) > 0
    guesses = [rate_here(f"Z{n:03d}", "0000").status_code for n in range(1, 40)]
    assert 429 in guesses and guesses.index(429) < 30 and set(guesses[guesses.index(429):]) == {429}
