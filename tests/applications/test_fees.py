"""信息处理费 (国办函〔2020〕109号) at the edges of every band, both methods; and where it applies: only
where the township's setting charges, by count per applicant and month, or by the pages provided."""
from datetime import date

import pytest

from kiosk.applications import operations as ops
from kiosk.applications.fees import fee_by_count, fee_by_pages
from kiosk.core.errors import Forbidden
from kiosk.extensions import db
from tests.applications.conftest import at, file_on, township, user


@pytest.mark.parametrize("n, fee", [(1, 0), (10, 0), (11, 100), (30, 100), (31, 200), (40, 200), (41, 300),
                                    (50, 300), (51, 400)])
def test_by_count_the_nth_application_of_the_month(n, fee):
    assert fee_by_count(n) == fee


@pytest.mark.parametrize("pages, fee", [(0, 0), (30, 0), (31, 10), (100, 700), (101, 720), (200, 2700),
                                        (201, 2740), (250, 4700)])
def test_by_pages_each_band_at_its_rate(pages, fee):
    assert fee_by_pages(pages) == fee


def test_wrong_counts_are_refused():
    with pytest.raises(ValueError):
        fee_by_count(0)
    with pytest.raises(ValueError):
        fee_by_pages(-1)


def answer(application, pages=0):
    ops.decide(user("window1"), application, ops.Decision("disclosed", provided="复印件", pages=pages))
    db.session.commit()
    return application.fee_yuan


def test_the_township_setting_decides_whether_and_how(ctx):
    assert answer(file_on(date(2026, 11, 2)), pages=150) == 0                 # free unless the township charges
    with pytest.raises(Forbidden):
        ops.set_fee_method(user("window1"), township(), "by_pages")          # not the clerk's to decide
    db.session.rollback()
    ops.set_fee_method(user("reviewer"), township(), "by_pages")
    db.session.commit()
    assert answer(file_on(date(2026, 11, 3)), pages=150) == 700 + 50 * 20
    ops.set_fee_method(user("reviewer"), township(), "by_count")
    db.session.commit()
    fees = []
    for day in range(11):                                                   # the same applicant, one month
        application = file_on(date(2026, 12, 1 + day))
        at(date(2026, 12, 1 + day), 16)
        fees.append(answer(application))
    assert fees == [0] * 10 + [100]
    other = file_on(date(2026, 12, 11), applicant_name="另一位申请人")
    at(date(2026, 12, 11), 17)
    assert answer(other) == 0
