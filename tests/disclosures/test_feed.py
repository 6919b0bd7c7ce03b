"""The feed the screens read: only what is approved and showing, only to its audience."""
from kiosk.disclosures.feed import showing_notices
from kiosk.org.operations import get_unit_by_code


def _titles(app, code):
    with app.app_context(), app.test_request_context():
        return {n["title"]: n for n in showing_notices(get_unit_by_code(code))}


def test_each_unit_gets_its_audience_only(demo_app, approved, draft):
    approved(title="李庄村专属公告")
    approved("wangjia", title="王家村专属公告", villages=["wangjia"])
    approved("editor", title="大厅办事须知", category="licensing_services", audience="hall", villages=None)
    approved("editor", title="内部通知", category="other_government", audience="internal", villages=None)
    draft("editor", title="未审核的草稿", category="budgets", audience="township", villages=None)
    lizhuang, hall = _titles(demo_app, "lizhuang"), _titles(demo_app, "jinjia-hall")
    assert "李庄村专属公告" in lizhuang and "王家村专属公告" not in lizhuang and "大厅办事须知" not in lizhuang
    assert "金家镇2025年政府信息公开工作年度报告" in lizhuang and "金家镇2025年政府信息公开工作年度报告" in hall
    assert "大厅办事须知" in hall and "李庄村专属公告" not in hall
    for titles in (lizhuang, hall):
        assert "内部通知" not in titles and "未审核的草稿" not in titles


def test_feed_entry_carries_what_a_screen_draws(demo_app):
    entry = _titles(demo_app, "wangjia")["2026年第四季度农村低保对象公示"]
    assert entry["category"]["name"] == "低保公示" and entry["category"]["colour"].startswith("#")
    assert entry["unit"]["name"] == "金家镇" and entry["index_number"].startswith("jinjia-")
    assert entry["publicity_end"] and entry["days_left"] >= 1
    assert entry["qr"] == f"/qr/n/{entry['slug']}.png" and entry["url"].endswith(f"/n/{entry['slug']}")
    assert "<table>" in entry["body_html"]
    ledger = _titles(demo_app, "lizhuang")["李庄村10月财务收支公开"]
    assert ledger["images"] and ledger["images"][0]["url"].startswith(f"/n/{ledger['slug']}/a/")


def test_an_attachment_added_to_a_live_notice_waits_for_the_next_approval(demo_app, approved, clients, run_checks):
    from tests.disclosures.test_uploads import png_bytes, upload
    notice = approved(title="李庄村村务公开附件")
    assert _titles(demo_app, "lizhuang")["李庄村村务公开附件"]["images"] == []
    assert upload(clients("lizhuang"), notice["id"], png_bytes(), "scan.png").status_code == 201
    assert _titles(demo_app, "lizhuang")["李庄村村务公开附件"]["images"] == []
    edited = clients("lizhuang").api("patch", f"/api/v1/notices/{notice['id']}", json={"summary": "附账页扫描件"})
    assert edited.status_code == 200, edited.get_json()
    assert clients("lizhuang").api("post", f"/api/v1/notices/{notice['id']}/submit", json={}).status_code == 200
    assert run_checks() == 1
    assert clients("reviewer").api("post", f"/api/v1/notices/{notice['id']}/approve", json={}).status_code == 200
    assert len(_titles(demo_app, "lizhuang")["李庄村村务公开附件"]["images"]) == 1
