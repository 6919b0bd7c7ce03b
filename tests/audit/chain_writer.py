"""Writes audit entries from several threads of one process, as server processes and the scheduler
do at once: `python -m tests.audit.chain_writer THREADS ENTRIES` (the database from KIOSK_DATABASE_URL)."""
import sys
import threading

from sqlalchemy import select

from kiosk.app import create_app
from kiosk.audit.operations import record_change
from kiosk.extensions import db
from kiosk.org.models import Unit


def write_entries(app, threads: int, entries: int, start: threading.Barrier | None = None) -> None:
    """`threads` threads each commit `entries` audit entries, one per transaction."""
    failures = []

    def write(number: int):
        try:
            with app.app_context():
                unit = db.session.scalar(select(Unit).order_by(Unit.id).limit(1))
                if start:
                    start.wait()
                for count in range(entries):
                    record_change("test.concurrent", unit, after={"thread": number, "count": count})
                    db.session.commit()
                db.session.remove()
        except Exception as error:  # reported to the caller, which fails
            failures.append(error)

    workers = [threading.Thread(target=write, args=(number,)) for number in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    if failures:
        raise failures[0]


if __name__ == "__main__":
    app = create_app({"TESTING": True})
    print("ready", flush=True)  # the test starts its own writers now, so both processes overlap
    write_entries(app, int(sys.argv[1]), int(sys.argv[2]))
