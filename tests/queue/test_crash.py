"""Kill -9 the server in the middle of issuing and calling: after a restart no ticket is lost, no
number is skipped or doubled, and no window holds two tickets."""
import shutil
import sqlite3
import threading
import time

import requests

from tests.queue.served import HALL, KioskServer

WINDOWS = [21, 22, 23]


def test_nothing_is_lost_when_the_server_is_killed_mid_call(tmp_path, demo_db):
    shutil.copy(demo_db, tmp_path / "kiosk.sqlite3")  # the demo township, already migrated
    server = KioskServer(tmp_path)
    server.start()
    try:
        server.always_open_service("Z", WINDOWS)
        clerk = server.token("window1")
        window_ids = {w["number"]: w["id"] for w in requests.get(
            f"{server.url}/api/v1/queue/halls/{HALL}/windows", headers=clerk).json()}
        issued, called, stop = [], [], threading.Event()

        def issue_forever():
            with requests.Session() as http:
                while not stop.is_set():
                    try:
                        response = http.post(f"{server.url}/api/v1/queue/halls/{HALL}/tickets",
                                             json={"service": "Z"}, headers=clerk, timeout=5)
                    except requests.RequestException:
                        return
                    assert response.status_code == 201, response.text
                    issued.append(response.json()["code"])

        def call_forever(window):
            with requests.Session() as http:
                base = f"{server.url}/api/v1/queue/windows/{window_ids[window]}"
                while not stop.is_set():
                    try:
                        ticket = http.post(f"{base}/call-next", headers=clerk, timeout=5).json()["ticket"]
                        if ticket is None:
                            time.sleep(0.05)
                            continue
                        called.append(ticket["code"])
                        for action in ("start", "finish"):
                            http.post(f"{base}/tickets/{ticket['id']}/{action}", headers=clerk, timeout=5)
                    except (requests.RequestException, ValueError):
                        return

        workers = [threading.Thread(target=issue_forever) for _ in range(4)]
        workers += [threading.Thread(target=call_forever, args=(number,)) for number in WINDOWS]
        for worker in workers:
            worker.start()
        while len(issued) < 40:
            time.sleep(0.02)
        server.kill()
        stop.set()
        for worker in workers:
            worker.join(timeout=10)
        assert called, "the windows never called before the kill"

        server.start()  # the same database, a new process
        with sqlite3.connect(tmp_path / "kiosk.sqlite3") as database:
            rows = database.execute("SELECT t.code, t.number, t.status, w.number FROM queue_ticket t "
                                    "JOIN queue_service s ON s.id = t.service_id LEFT JOIN queue_window w "
                                    "ON w.id = t.window_id WHERE s.prefix = 'Z' ORDER BY t.number").fetchall()
            counter = database.execute("SELECT c.last_number FROM queue_counter c JOIN queue_service s "
                                       "ON s.id = c.service_id WHERE s.prefix = 'Z'").fetchone()[0]
        codes = [code for code, _number, _status, _window in rows]
        # Every number the clients were given exists; numbers run 1..N without a gap or a double.
        assert set(issued) <= set(codes)
        assert [number for _code, number, _status, _window in rows] == list(range(1, len(rows) + 1))
        assert counter == len(rows)
        # Every ticket a window was told it called has left the waiting line.
        statuses = {code: status for code, _number, status, _window in rows}
        assert all(statuses[code] in ("called", "serving", "done") for code in called)
        holding = [window for _code, _number, status, window in rows if status in ("called", "serving")]
        assert len(holding) == len(set(holding)) <= len(WINDOWS)

        # The hall carries on: the windows finish what they held and serve everyone left.
        with requests.Session() as http:
            for number in WINDOWS:
                base = f"{server.url}/api/v1/queue/windows/{window_ids[number]}"
                current = http.get(base, headers=clerk).json()["current"]
                while True:
                    if current is None:
                        current = http.post(f"{base}/call-next", headers=clerk).json()["ticket"]
                        if current is None:
                            break
                    if current["status"] == "called":
                        assert http.post(f"{base}/tickets/{current['id']}/start", headers=clerk).status_code == 200
                    assert http.post(f"{base}/tickets/{current['id']}/finish", headers=clerk).status_code == 200
                    current = None
        with sqlite3.connect(tmp_path / "kiosk.sqlite3") as database:
            left = database.execute("SELECT count(*) FROM queue_ticket t JOIN queue_service s ON s.id = t.service_id "
                                    "WHERE s.prefix = 'Z' AND t.status != 'done'").fetchone()[0]
        assert left == 0
    finally:
        server.stop()
