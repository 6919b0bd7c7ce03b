"""Nothing staff type is lost: uploads and submits carry the notice form and save it first, a
refusal keeps what was typed and names the unsaved fields; messages name the field in Chinese;
reviewers get a read-only review page with what a correction changed."""
import io
import re

from tests.disclosures.test_uploads import pdf_with_text, png_bytes


def form_of(notice: dict, **changes) -> dict:
    """The edit form as the page posts it, with `changes` typed in."""
    data = {"category": notice["category"], "title": notice["title"], "summary": notice["summary"],
            "body": notice["body"], "doc_number": notice["doc_number"] or "", "formed_on": notice["formed_on"],
            "audience": notice["audience"], "villages": notice["villages"], "show_from": "", "show_until": "",
            "period_length": str(notice["period_length"] or ""), "period_unit": notice["period_unit"] or "",
            "supersedes": ""}
    data.update(changes)
    return data


def shown_value(html: str, name: str) -> str:
    found = re.search(rf'<input name="{name}"[^>]*value="([^"]*)"', html) or \
        re.search(rf'<textarea name="{name}"[^>]*>([^<]*)</textarea>', html)
    return found.group(1) if found else None


def test_upload_saves_the_typed_title_first_even_when_the_file_is_refused(clients, draft):
    notice, clerk = draft(), clients("lizhuang")
    refused = clerk.post_form(f"/staff/notices/{notice['id']}/attachments", {
        **form_of(notice, title="李庄村10月财务收支公开（修订）"), "file": (io.BytesIO(b"MZ not a pdf"), "a.exe")},
        content_type="multipart/form-data")
    html = refused.get_data(as_text=True)
    assert refused.status_code in (400, 415) and 'data-error-for="file"' in html
    assert shown_value(html, "title") == "李庄村10月财务收支公开（修订）"
    assert clerk.api("get", f"/api/v1/notices/{notice['id']}").get_json()["title"] == "李庄村10月财务收支公开（修订）"
    accepted = clerk.post_form(f"/staff/notices/{notice['id']}/attachments", {
        **form_of(notice, summary="附：记账凭证扫描件"), "file": (io.BytesIO(png_bytes()), "ledger.png")},
        content_type="multipart/form-data")
    assert accepted.status_code == 302
    saved = clerk.api("get", f"/api/v1/notices/{notice['id']}").get_json()
    assert saved["summary"] == "附：记账凭证扫描件" and len(saved["attachments"]) == 1


def test_an_invalid_field_stops_the_upload_keeps_everything_and_names_the_change(clients, draft):
    notice, clerk = draft(), clients("lizhuang")
    response = clerk.post_form(f"/staff/notices/{notice['id']}/attachments", {
        **form_of(notice, title="", summary="新摘要"), "file": (io.BytesIO(pdf_with_text("ledger")), "ledger.pdf")},
        content_type="multipart/form-data")
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert re.search(r'data-error-for="title">不能为空。', html)
    assert "文件未上传：请先改正标出的项目。尚未保存的修改（已保留在下方）：标题、摘要。" in html
    assert shown_value(html, "summary") == "新摘要"
    saved = clerk.api("get", f"/api/v1/notices/{notice['id']}").get_json()
    assert saved["title"] == notice["title"] and saved["attachments"] == []


def test_submit_saves_the_changed_summary_first(clients, draft):
    notice, clerk = draft(), clients("lizhuang")
    response = clerk.post_form(f"/staff/notices/{notice['id']}/submit", form_of(notice, summary="10月收支明细（含附件）"))
    assert response.status_code == 302
    saved = clerk.api("get", f"/api/v1/notices/{notice['id']}").get_json()
    assert saved["state"] == "submitted" and saved["summary"] == "10月收支明细（含附件）"


def test_submit_with_a_mistake_is_refused_and_keeps_what_was_typed(clients, draft):
    notice, clerk = draft(), clients("lizhuang")
    body = "长" * 300_000
    response = clerk.post_form(f"/staff/notices/{notice['id']}/submit", form_of(notice, title="", body=body))
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "不能为空。" in html and "最多100,000个字，现在有300,000个字。" in html
    assert "未执行：请先改正标出的项目。尚未保存的修改（已保留在下方）：标题、正文。" in html
    assert body in html
    assert clerk.api("get", f"/api/v1/notices/{notice['id']}").get_json()["state"] == "draft"


def test_empty_new_notice_names_every_missing_field(clients):
    editor = clients("editor")
    html = editor.post_form("/staff/notices/new", {"title": "", "summary": "只写了摘要", "category": "",
                                                  "audience": "township", "formed_on": ""}).get_data(as_text=True)
    assert re.search(r'data-error-for="title">必须填写。', html)
    assert re.search(r'data-error-for="formed_on">', html) and re.search(r'data-error-for="category">', html)
    assert "只写了摘要" in html and "填写的内容无效" not in html


def test_reviewer_gets_a_read_only_page_with_what_the_correction_changed(clients, approved):
    notice = approved(body="| 项目 | 金额 |\n|---|---|\n| 道路维修 | 12,000.00 |")
    clerk, reviewer = clients("lizhuang"), clients("reviewer")
    assert clerk.post_form(f"/staff/notices/{notice['id']}/submit", form_of(
        clerk.api("get", f"/api/v1/notices/{notice['id']}").get_json(),
        body="| 项目 | 金额 |\n|---|---|\n| 道路维修 | 21,000.00 |")).status_code == 302
    opened = reviewer.get(f"/staff/notices/{notice['id']}")
    assert opened.status_code == 302 and opened.headers["Location"].endswith(f"/staff/notices/{notice['id']}/review")
    page = reviewer.get(opened.headers["Location"]).get_data(as_text=True)
    assert "修改了什么" in page and "对已批准的第1版的更正" in page
    changed = re.search(r"<tr data-field=\"body\">.*?</tr>", page, re.S).group(0)
    assert "1<del>2</del>,000.00" in changed and "<ins>" in changed   # 12,000.00 → 21,000.00, marked
    assert "保存" not in page and "上传" not in page and "删除" not in page and "批准" in page
    refused = reviewer.post_form(f"/staff/notices/{notice['id']}/return", {"reason": ""})
    assert refused.status_code == 400 and "修改了什么" in refused.get_data(as_text=True)
    approved_now = reviewer.post_form(f"/staff/notices/{notice['id']}/approve")
    assert approved_now.status_code == 302 and approved_now.headers["Location"].endswith("/review")
