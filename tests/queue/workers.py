"""Run in child processes by the PostgreSQL concurrency test: each builds its own app."""
import os
import threading
from datetime import datetime
from zoneinfo import ZoneInfo


def issue_many(database_url: str, instance: str, threads: int, per_thread: int) -> list[str]:
    os.environ["KIOSK_INSTANCE_PATH"] = instance
    from sqlalchemy import select

    from kiosk import create_app
    from kiosk.accounts.models import User
    from kiosk.core import clock
    from kiosk.extensions import db
    from kiosk.queue import operations as ops
    from kiosk.queue.models import QueueService

    clock.set_now(datetime(2026, 11, 23, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai")))
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url})
    codes, lock = [], threading.Lock()

    def work():
        with app.app_context():
            service = db.session.scalar(select(QueueService).where(QueueService.prefix == "A"))
            user = db.session.scalar(select(User).where(User.username == "window1"))
            for _ in range(per_thread):
                ticket = ops.issue_ticket(service, via="staff", user=user)
                code = ticket.code
                db.session.commit()
                with lock:
                    codes.append(code)

    workers = [threading.Thread(target=work) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    with app.app_context():
        db.engine.dispose()
    return codes
