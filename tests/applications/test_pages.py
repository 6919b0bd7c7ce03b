"""The register through its pages and API: filing at the window (orally too) with its acknowledgement,
refusals in Chinese that keep what was typed, the answer and its reply letters read back, the phone
form and the status page, who may see what, and every reading of personal data in the audit log."""
import io
import re
from datetime import date

from docx import Document
import pypdfium2
from sqlalchemy import func, select

from kiosk.applications.models import Application
from kiosk.audit.models import AuditEntry
from kiosk.extensions import db
from tests.applications.conftest import APPLICANT, at, fields
from tests.conftest import csrf_from


def viewings(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(AuditEntry).where(
            AuditEntry.action == "applications.personal_data_viewed"))


def file_at_window(client, **overrides) -> int:
    response = client.post_form("/staff/applications/new", {"township": "jinjia", "channel": "oral",
                                                             **fields(**overrides)})
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(re.search(r"/staff/applications/(\d+)$", response.headers["Location"]).group(1))


def test_a_clerk_records_an_oral_application_and_prints_its_acknowledgement(demo_app, staff):
    window3 = staff("window3")
    application_id = file_at_window(window3)
    seen = viewings(demo_app)
    page = window3.get(f"/staff/applications/{application_id}").get_data(as_text=True)
    assert APPLICANT in page and "依申请〔2026〕第" in page and "口头" in page
    assert viewings(demo_app) == seen + 1                       # the reading is in the audit log
    with demo_app.app_context():
        entry = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
        assert entry.actor_name == "window3" and APPLICANT not in str(entry.after)
        assert not any(APPLICANT in str(e.after) + str(e.before) for e in db.session.scalars(select(AuditEntry)))
    acknowledgement = window3.get(f"/staff/applications/{application_id}/acknowledgement").get_data(as_text=True)
    assert "依申请〔2026〕第" in acknowledgement and "/qr/a/" in acknowledgement and APPLICANT not in acknowledgement
    register = window3.get("/staff/applications/").get_data(as_text=True)
    assert "依申请〔2026〕第" in register and APPLICANT not in register
    log = staff("reviewer").get("/staff/audit/").get_data(as_text=True)
    assert "3号窗口 吴刚查看了申请人个人信息" in log and "吴刚登记了政府信息公开申请" in log and APPLICANT not in log


def test_a_missing_item_of_art_29_is_named_in_chinese_and_the_form_keeps_what_was_typed(staff, demo_app):
    window1 = staff("window1")
    response = window1.post_form("/staff/applications/new", {"township": "jinjia", "channel": "in_person",
                                                             **fields(id_proof="")})
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "身份证明" in page
    assert f'value="{APPLICANT}"' in page and "村道修缮工程施工合同" in page
    with demo_app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Application).where(
            Application.channel == "in_person")) == 0            # nothing half-saved


def test_an_outcome_without_its_reason_is_refused_and_a_late_reply_must_say_why(staff, demo_app):
    window3 = staff("window3")
    application_id = file_at_window(window3)
    url = f"/staff/applications/{application_id}/decide"
    refused = window3.post_form(url, {"outcome": "withheld.third_party", "reason": "", "provided": "无"})
    page = refused.get_data(as_text=True)
    assert refused.status_code == 400 and "保护第三方合法权益" in page and "理由" in page
    assert ">无</textarea>" in page and 'value="withheld.third_party" selected' in page
    at(date(2026, 12, 30))                                       # 20 working days after 23 Nov end on 21 Dec
    late = window3.post_form(url, {"outcome": "disclosed", "provided": "合同复印件一份"})
    assert late.status_code == 400 and "2026-12-21" in late.get_data(as_text=True)
    assert "逾期" in late.get_data(as_text=True)
    done = window3.post_form(url, {"outcome": "disclosed", "provided": "合同复印件一份",
                                   "late_reason": "工程档案在县档案馆调取，耗时较长"})
    assert done.status_code == 302
    with demo_app.app_context():
        application = db.session.get(Application, application_id)
        assert application.outcome == "disclosed" and application.decided_on == date(2026, 12, 30)
        assert application.late_reason.startswith("工程档案")


def test_the_reply_letter_as_docx_and_pdf(staff, demo_app):
    reviewer = staff("reviewer")
    application_id = file_at_window(reviewer)
    reviewer.post_form(f"/staff/applications/{application_id}/decide", {
        "outcome": "partly", "reason": "合同中涉及施工单位银行账户的部分属于商业秘密", "provided": "合同复印件（部分隐去）"})
    seen = viewings(demo_app)
    docx = reviewer.get(f"/staff/applications/{application_id}/letter.docx")
    assert docx.status_code == 200 and docx.headers["Cache-Control"] == "no-store"
    text = "\n".join(p.text for p in Document(io.BytesIO(docx.data)).paragraphs)
    for words in ("政府信息公开申请答复书", APPLICANT, "部分公开", "商业秘密", "第三十七条", "60日内", "行政复议",
                  "6个月内", "行政诉讼", "金家镇", "2026年11月23日"):
        assert words in text, words
    pdf = reviewer.get(f"/staff/applications/{application_id}/letter.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    pdf_text = re.sub(r"\s", "", "".join(page.get_textpage().get_text_range() for page in pypdfium2.PdfDocument(pdf.data)))
    assert "行政复议" in pdf_text and "部分公开" in pdf_text and "第三十七条" in pdf_text
    assert viewings(demo_app) == seen + 2


def test_only_the_handler_the_reviewer_and_administrators_open_an_application(staff):
    application_id = file_at_window(staff("window3"))
    assert staff("reviewer").get(f"/staff/applications/{application_id}").status_code == 200
    assert staff("admin").get(f"/staff/applications/{application_id}").status_code == 200
    assert staff("editor").get(f"/staff/applications/{application_id}").status_code == 403   # not the handler
    assert staff("window1").get(f"/staff/applications/{application_id}").status_code == 403
    assert staff("lizhuang").get(f"/staff/applications/{application_id}").status_code in (403, 404)
    assert staff("screens").get(f"/staff/applications/{application_id}").status_code == 403
    assert staff("editor").get(f"/staff/applications/{application_id}/letter.pdf").status_code == 403
    assert staff("window3").get("/staff/applications/overdue").status_code == 403
    assert staff("reviewer").get("/staff/applications/overdue").status_code == 200


def test_the_overdue_list_and_the_dashboard_show_the_demo_application_due_soon(staff):
    page = staff("reviewer").get("/staff/applications/overdue").get_data(as_text=True)
    assert "依申请〔2026〕第1号" in page and "顺达建材" not in page
    county = staff("admin").get("/staff/applications/overdue").get_data(as_text=True)
    assert "金家镇" in county and "依申请〔2026〕第1号" in county
    assert "依申请〔2026〕第1号" in staff("editor").get("/staff/").get_data(as_text=True)   # its handler


def test_the_phone_form_registers_and_the_status_page_shows_no_personal_data(demo_app):
    client = demo_app.test_client()
    form = client.get("/apply/jinjia")
    assert form.status_code == 200 and "20个工作日" in form.get_data(as_text=True)
    token = csrf_from(form.get_data(as_text=True))
    bad = client.post("/apply/jinjia", data={**fields(phone="12"), "csrf_token": token})
    assert bad.status_code == 400 and "电话" in bad.get_data(as_text=True)
    assert f'value="{APPLICANT}"' in bad.get_data(as_text=True)
    sent = client.post("/apply/jinjia", data={**fields(), "csrf_token": token})
    page = sent.get_data(as_text=True)
    assert sent.status_code == 201 and "依申请〔2026〕第" in page and APPLICANT not in page
    assert "13800138000" not in page and "村道修缮" not in page
    link = re.search(r'href="http://kiosk.test(/a/[^"]+)"', page).group(1)
    status = client.get(link)
    assert status.status_code == 200 and "等待确认收到" in status.get_data(as_text=True)
    assert APPLICANT not in status.get_data(as_text=True)
    assert client.get("/a/not-a-token").status_code == 404
    assert client.get("/apply/lizhuang").status_code == 404     # a village does not answer applications


def test_the_api_files_decides_and_tells_the_public_only_status_and_dates(demo_app, token_for):
    client = demo_app.test_client()
    headers = token_for("window1")
    filed = client.post("/api/v1/applications", json={"township": "jinjia", "channel": "in_person", **fields()},
                        headers=headers)
    assert filed.status_code == 201, filed.get_json()
    body = filed.get_json()
    assert body["applicant_name"] == APPLICANT and body["due_on"] == "2026-12-21"
    listed = client.get("/api/v1/applications", headers=headers).get_json()
    assert any(a["id"] == body["id"] for a in listed["applications"]) and APPLICANT not in str(listed)
    refused = client.post(f"/api/v1/applications/{body['id']}/decision", json={"outcome": "withheld.state_secret"},
                          headers=headers)
    assert refused.status_code == 400 and refused.get_json()["field"] == "reason"
    extended = client.post(f"/api/v1/applications/{body['id']}/steps",
                           json={"step": "extend", "days": 10, "text": "已告知"}, headers=headers)
    assert extended.status_code == 403                                   # the reviewer approves extensions
    done = client.post(f"/api/v1/applications/{body['id']}/decision",
                       json={"outcome": "disclosed", "provided": "复印件"}, headers=headers)
    assert done.status_code == 200 and done.get_json()["status"] == "closed"
    public = client.post("/api/v1/public/townships/jinjia/applications", json=fields())
    assert public.status_code == 201 and APPLICANT not in public.get_data(as_text=True)
    token = public.get_json()["status_url"].rsplit("/", 1)[1]
    status = client.get(f"/api/v1/public/applications/{token}")
    assert status.status_code == 200 and status.get_json()["status"] == "submitted"
    assert APPLICANT not in status.get_data(as_text=True)


def test_an_online_application_is_taken_by_confirming_its_receipt(demo_app, staff):
    client = demo_app.test_client()
    token = csrf_from(client.get("/apply/jinjia").get_data(as_text=True))
    assert client.post("/apply/jinjia", data={**fields(), "csrf_token": token}).status_code == 201
    with demo_app.app_context():
        application_id = db.session.scalar(select(func.max(Application.id)))
    window1 = staff("window1")
    seen = viewings(demo_app)
    page = window1.get(f"/staff/applications/{application_id}").get_data(as_text=True)
    assert APPLICANT not in page and "确认收到" in page and viewings(demo_app) == seen   # not theirs yet
    assert window1.get(f"/staff/applications/{application_id}/letter.pdf").status_code in (403, 409)
    future = window1.post_form(f"/staff/applications/{application_id}/receive", {"on": "2026-12-01"})
    assert future.status_code == 400 and "不能晚于今天" in future.get_data(as_text=True)
    assert window1.post_form(f"/staff/applications/{application_id}/receive", {"on": ""}).status_code == 302
    page = window1.get(f"/staff/applications/{application_id}").get_data(as_text=True)
    assert APPLICANT in page and viewings(demo_app) == seen + 1
    assert staff("window2").get(f"/staff/applications/{application_id}").status_code == 403
