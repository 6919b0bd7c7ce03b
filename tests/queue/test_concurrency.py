"""Under concurrent issuing no number is given twice or skipped; windows calling at once never
share a ticket. On SQLite (threads) and on PostgreSQL (threads and processes)."""
import multiprocessing
import threading
from collections import Counter
from datetime import date

import pytest

from kiosk.extensions import db
from kiosk.queue.models import Ticket, TicketEvent, TicketStatus
from tests.queue.conftest import HALL
from tests.queue.workers import issue_many

THREADS, PER_THREAD = 12, 8


def _run_threads(count, target):
    errors = []

    def guarded(index):
        try:
            target(index)
        except Exception as error:  # surfaced below: a thread's failure must fail the test
            errors.append(error)
    threads = [threading.Thread(target=guarded, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors


def _token(app, username="window1"):
    response = app.test_client().post("/api/v1/tokens", json={"username": username, "password": "jinjia-demo"})
    return {"Authorization": f"Bearer {response.get_json()['token']}"}


def issue_concurrently(app):
    headers = _token(app)
    codes = []

    def work(_index):
        client = app.test_client()
        for _ in range(PER_THREAD):
            response = client.post(f"/api/v1/queue/halls/{HALL}/tickets", json={"service": "A"}, headers=headers)
            assert response.status_code == 201, response.get_json()
            codes.append(response.get_json()["code"])
    _run_threads(THREADS, work)
    return codes


def assert_consecutive(codes, total):
    assert len(codes) == total
    assert sorted(codes) == [f"A{n:03d}" for n in range(1, total + 1)]


def calls_concurrently(app, windows=5, tickets=30):
    """Add windows all serving A, queue `tickets`, and let every window call, serve and call again."""
    admin, clerk = _token(app, "admin"), _token(app, "window1")
    client = app.test_client()
    numbers = list(range(11, 11 + windows))
    for number in numbers:
        assert client.post(f"/api/v1/queue/halls/{HALL}/windows", json={"number": number, "services": ["A"]},
                           headers=admin).status_code == 201
    for _ in range(tickets):
        assert client.post(f"/api/v1/queue/halls/{HALL}/tickets", json={"service": "A"}, headers=clerk).status_code == 201
    window_ids = [w["id"] for w in client.get(f"/api/v1/queue/halls/{HALL}/windows", headers=clerk).get_json()
                  if w["number"] in numbers]
    served = Counter()

    def work(index):
        own = app.test_client()
        window = window_ids[index]
        while True:
            response = own.post(f"/api/v1/queue/windows/{window}/call-next", headers=clerk)
            assert response.status_code == 200, response.get_json()
            ticket = response.get_json()["ticket"]
            if ticket is None:
                return
            for action in ("start", "finish"):
                done = own.post(f"/api/v1/queue/windows/{window}/tickets/{ticket['id']}/{action}", headers=clerk)
                assert done.status_code == 200, done.get_json()
            served[ticket["id"]] += 1
    _run_threads(windows, work)
    assert len(served) == tickets and set(served.values()) == {1}
    with app.app_context():
        today = db.select(Ticket.id).where(Ticket.day == date(2026, 11, 23))
        called = Counter(db.session.scalars(db.select(TicketEvent.ticket_id).where(
            TicketEvent.kind == "called", TicketEvent.ticket_id.in_(today))))
        assert len(called) == tickets and set(called.values()) == {1}
        statuses = set(db.session.scalars(db.select(Ticket.status).where(Ticket.id.in_(today))))
        assert statuses == {TicketStatus.done}


def test_threads_issue_consecutive_unique_numbers_on_sqlite(demo_app, monday_morning):
    assert_consecutive(issue_concurrently(demo_app), THREADS * PER_THREAD)


def test_windows_calling_at_once_never_share_a_ticket_on_sqlite(demo_app, monday_morning):
    calls_concurrently(demo_app)


@pytest.mark.postgres
def test_processes_issue_consecutive_unique_numbers_on_postgres(pg_demo_app, tmp_path, monday_morning):
    url = pg_demo_app.config["SQLALCHEMY_DATABASE_URI"]
    processes, threads, per_thread = 3, 3, 6
    context = multiprocessing.get_context("spawn")
    with context.Pool(processes) as pool:
        results = pool.starmap(issue_many, [(url, str(tmp_path / f"p{i}"), threads, per_thread)
                                            for i in range(processes)])
    codes = [code for result in results for code in result]
    assert_consecutive(codes, processes * threads * per_thread)
    with pg_demo_app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(Ticket).where(
            Ticket.day == date(2026, 11, 23))) == len(codes)


@pytest.mark.postgres
def test_windows_calling_at_once_never_share_a_ticket_on_postgres(pg_demo_app, monday_morning):
    calls_concurrently(pg_demo_app)
