"""The acknowledgement's number: 依申请〔year〕第N号 per township per year, claimed in the filing's own
transaction, so a refused filing gives its number back and concurrent filings never share one
(PostgreSQL, several threads at once)."""
import threading
from datetime import date

from sqlalchemy import select

from kiosk.applications import operations as ops
from kiosk.applications.models import Application, Channel
from kiosk.core.errors import InvalidInput
from kiosk.extensions import db
from tests.applications.conftest import at, fields, file_on, township, user
from tests.conftest import demo_on_postgres


def test_numbers_follow_each_other_restart_each_year_and_a_refusal_gives_its_number_back(ctx):
    first = file_on(date(2026, 11, 24))
    try:
        ops.file_application(user("window1"), township(), fields(id_proof=""), Channel.in_person)
    except InvalidInput:
        db.session.rollback()
    second = file_on(date(2026, 11, 24))
    assert second.number == first.number + 1 and second.reference == f"依申请〔2026〕第{second.number}号"
    assert file_on(date(2027, 1, 4)).reference == "依申请〔2027〕第1号"


def test_concurrent_filings_on_postgresql_get_distinct_numbers(make_app, postgres_url, demo_db):
    app = demo_on_postgres(make_app, postgres_url, demo_db)
    numbers, errors = [], []

    def file_some():
        with app.app_context():
            try:
                for _ in range(5):
                    at(date(2026, 11, 24))
                    numbers.append(ops.file_application(user("window1"), township(), fields(),
                                                        Channel.in_person).number)
                    db.session.commit()
            except Exception as error:   # noqa: BLE001  (reported below)
                errors.append(error)
    threads = [threading.Thread(target=file_some) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with app.app_context():
        stored = list(db.session.scalars(select(Application.number).where(Application.year == 2026)))
    assert len(numbers) == 20 and len(set(numbers)) == 20 and sorted(stored) == list(range(1, len(stored) + 1))
