"""Fixtures for the public pages: notices made through the disclosures API as the demo accounts."""
import pytest

from tests.disclosures.conftest import approved, clients, draft, frozen, local, notice_body, run_checks  # noqa: F401


@pytest.fixture
def visitor(demo_app):
    """An anonymous phone."""
    return demo_app.test_client()


@pytest.fixture
def low_income_list(approved):
    """A 7-day 低保 list under publicity for 李庄村, published by the township."""
    def make(**changes):
        fields = dict(category="dibao", title="2026年第四季度低保对象名单公示", summary="新增低保对象3户",
                      body="经村民代表评议，拟新增以下低保对象：\n\n| 户主 | 人口 |\n|---|---|\n| 张** | 3 |",
                      audience="villages", villages=["lizhuang", "wangjia"])
        fields.update(changes)
        return approved("editor", **fields)
    return make


@pytest.fixture(autouse=True)
def _only_this_tests_notices(request):
    """These tests check exact lists of notices and comments; the other features' demo notices
    (and the public demo's answered objection) would crowd them, so they are archived first."""
    if "demo_app" not in request.fixturenames or request.node.get_closest_marker("keeps_demo"):
        return
    from sqlalchemy import delete, update

    from kiosk.disclosures.models import Notice, NoticeState
    from kiosk.extensions import db
    from kiosk.public.models import Comment
    app = request.getfixturevalue("demo_app")
    with app.app_context():
        db.session.execute(delete(Comment))
        db.session.execute(update(Notice).values(state=NoticeState.archived))
        db.session.commit()
