"""What a clerk reads on the notice pages: a returned notice flagged on the editor's dashboard and
its banner gone once resubmitted; no 从所有屏幕撤回 for a notice on no screen; attachments named by
a kind a clerk reads (PDF 文件, 图片), not their media type."""
import io

from tests.disclosures.test_staff_forms import form_of
from tests.disclosures.test_uploads import pdf_with_text, png_bytes


def test_a_returned_notice_is_flagged_until_it_is_resubmitted(clients, draft):
    notice, clerk, reviewer = draft(), clients("lizhuang"), clients("reviewer")
    assert clerk.api("post", f"/api/v1/notices/{notice['id']}/submit", json={}).status_code == 200
    waiting = clerk.get(f"/staff/notices/{notice['id']}").get_data(as_text=True)
    assert "从所有屏幕撤回" not in waiting      # it is on no screen
    assert reviewer.api("post", f"/api/v1/notices/{notice['id']}/return", json={"reason": "金额合计有误"}).status_code == 200
    dashboard = clerk.get("/staff/").get_data(as_text=True)
    assert 'id="returned-notices"' in dashboard and notice["title"] in dashboard and "金额合计有误" in dashboard
    assert 'id="returned-banner"' in clerk.get(f"/staff/notices/{notice['id']}").get_data(as_text=True)
    assert clerk.api("post", f"/api/v1/notices/{notice['id']}/submit", json={}).status_code == 200
    assert 'id="returned-banner"' not in clerk.get(f"/staff/notices/{notice['id']}").get_data(as_text=True)
    assert 'id="returned-notices"' not in clerk.get("/staff/").get_data(as_text=True)


def test_attachments_are_listed_by_a_kind_a_clerk_reads(clients, draft):
    notice, clerk = draft(), clients("lizhuang")
    for name, data in (("ledger.png", png_bytes()), ("ledger.pdf", pdf_with_text("Lizhuang ledger"))):
        response = clerk.post_form(f"/staff/notices/{notice['id']}/attachments", {
            **form_of(notice), "file": (io.BytesIO(data), name)}, content_type="multipart/form-data")
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
    html = clerk.get(f"/staff/notices/{notice['id']}").get_data(as_text=True)
    assert "PDF 文件" in html and "图片" in html
    assert "· application/pdf ·" not in html and "· image/png ·" not in html
