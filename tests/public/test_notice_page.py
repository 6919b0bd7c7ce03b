"""The notice page behind every QR code: the approved version only, corrections, the publicity
counter in Asia/Shanghai, pre-disclosure links, the documents and their headers."""
import re
from datetime import timedelta
from urllib.parse import quote

from kiosk.core import clock
from kiosk.disclosures.operations import advance_due_notices
from kiosk.extensions import db
from tests.disclosures.test_uploads import pdf_with_text, png_bytes, upload


def text_of(response) -> str:
    assert response.status_code == 200, response.get_data(as_text=True)[:400]
    return response.get_data(as_text=True)


def test_shows_the_approved_version_while_a_correction_is_under_review(visitor, clients, approved):
    notice = approved(title="李庄村10月财务收支公开", body="道路维修 12,000 元")
    lizhuang, url = clients("lizhuang"), f"/n/{notice['slug']}"
    lizhuang.api("patch", f"/api/v1/notices/{notice['id']}", json={"title": "李庄村10月财务收支公开（更正）",
                                                                     "body": "道路维修 12,500 元"})
    lizhuang.api("post", f"/api/v1/notices/{notice['id']}/submit", json={})
    page = text_of(visitor.get(url))
    assert "12,000" in page and "12,500" not in page and "（更正）" not in page
    assert 'id="history"' not in page                       # nothing corrected yet
    clients("reviewer").api("post", f"/api/v1/notices/{notice['id']}/approve", json={})
    page = text_of(visitor.get(url))
    assert "12,500" in page and "12,000" not in page
    assert re.search(r'class="tag fix">\d{4}-\d{2}-\d{2} 更正<', page)
    history = page.split('id="history"', 1)[1].split("</ul>", 1)[0]
    assert "首次发布" in history and "更正" in history and f'href="{url}/v/1"' in history
    first = text_of(visitor.get(f"{url}/v/1"))
    assert "12,000" in first and "这不是现行版本" in first
    assert "12,500" in text_of(visitor.get(f"{url}/v/2"))
    assert visitor.get(f"{url}/v/3").status_code == 404


def test_a_correction_waiting_for_review_is_not_a_public_version(visitor, clients, approved):
    notice = approved()
    lizhuang = clients("lizhuang")
    lizhuang.api("patch", f"/api/v1/notices/{notice['id']}", json={"body": "尚未审核的更正"})
    lizhuang.api("post", f"/api/v1/notices/{notice['id']}/submit", json={})
    response = visitor.get(f"/n/{notice['slug']}/v/2")
    assert response.status_code == 404 and "尚未审核" not in response.get_data(as_text=True)


def test_drafts_internal_and_withdrawn_notices_are_not_public(visitor, clients, draft, approved):
    unapproved = draft(title="草稿")
    internal = approved("editor", category="other_government", title="内部", audience="internal", villages=None)
    withdrawn = approved(title="将撤回")
    clients("lizhuang").api("post", f"/api/v1/notices/{withdrawn['id']}/withdraw", json={"reason": "金额有误"})
    for notice in (unapproved, internal, withdrawn):
        response = visitor.get(f"/n/{notice['slug']}")
        assert response.status_code == 404
        assert "没有这条公告，或者它已不再公开" in response.get_data(as_text=True)
    assert visitor.get("/n/nosuchxx").status_code == 404


def test_days_left_in_local_time(demo_app, visitor, frozen, low_income_list):
    frozen("2026-11-03 09:00")
    notice = low_income_list()
    url = f"/n/{notice['slug']}"
    page = text_of(visitor.get(url))
    assert "公示期：2026‑11‑03 至 2026‑11‑09（7天）" in page
    assert "公示期剩余 7 天" in page and 'id="comment-form"' in page
    frozen("2026-11-09 23:30")               # the last evening, local time (15:30 UTC)
    assert "今天是公示期最后一天" in text_of(visitor.get(url))
    frozen("2026-11-10 00:05")               # past local midnight, before the scheduler ran
    page = text_of(visitor.get(url))
    assert "公示期已结束" in page and 'id="comment-form"' not in page and 'id="closed"' in page
    with demo_app.app_context():
        assert advance_due_notices() >= 1
        db.session.commit()
    page = text_of(visitor.get(url))          # expired notices stay readable from their QR code
    assert "公示期已结束" in page and "低保对象名单" in page


def test_working_day_period_skips_the_weekend(visitor, frozen, approved):
    frozen("2026-11-06 10:00")               # a Friday
    notice = approved("editor", category="cadre_preappointment", title="干部任前公示", audience="township",
                      villages=None)
    page = text_of(visitor.get(f"/n/{notice['slug']}"))
    assert "公示期：2026‑11‑06 至 2026‑11‑12（5个工作日）" in page and "公示期剩余 5 个工作日" in page


def test_pre_disclosure_draft_and_final_decision_link_to_each_other(visitor, approved):
    draft = approved("editor", category="plans", title="金家镇垃圾分类实施方案（征求意见稿）", pre_disclosure=True,
                     audience="township", villages=None, comment_until="2026-12-07T17:00:00")
    draft_page = text_of(visitor.get(f"/n/{draft['slug']}"))
    assert "征求意见稿" in draft_page and 'id="comment-form"' in draft_page   # open for comment while showing
    final = approved("editor", category="plans", title="金家镇垃圾分类实施方案", supersedes=draft["slug"],
                     audience="township", villages=None)
    final_page = text_of(visitor.get(f"/n/{final['slug']}"))
    assert "本决定此前已发布征求意见稿" in final_page and f'href="/n/{draft["slug"]}"' in final_page
    draft_page = text_of(visitor.get(f"/n/{draft['slug']}"))
    assert "正式决定已经发布" in draft_page and f'href="/n/{final["slug"]}"' in draft_page
    assert 'id="comment-form"' not in draft_page                         # the draft ended when superseded


def test_documents_are_served_with_safe_headers(visitor, clients, draft, run_checks):
    notice = draft()
    lizhuang = clients("lizhuang")
    assert upload(lizhuang, notice["id"], pdf_with_text("ledger"), "李庄村10月明细账.pdf").status_code == 201
    assert upload(lizhuang, notice["id"], png_bytes(), "收据照片.exe").status_code == 201
    assert run_checks() == 2     # the picture, and the PDF page with too little text to trust, by OCR
    lizhuang.api("post", f"/api/v1/notices/{notice['id']}/submit", json={})
    clients("reviewer").api("post", f"/api/v1/notices/{notice['id']}/approve", json={})
    page = text_of(visitor.get(f"/n/{notice['slug']}"))
    links = re.findall(r'<a href="(/n/[^"]+/f/\d+)">([^<]+)</a>', page)
    assert [name for _url, name in links] == ["李庄村10月明细账.pdf", "收据照片.exe"]
    pdf = visitor.get(links[0][0])
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF-")
    assert pdf.headers["Content-Type"] == "application/pdf"
    assert pdf.headers["X-Content-Type-Options"] == "nosniff"
    # shown in the browser, with a download button beside it that saves it under its own name
    assert pdf.headers["Content-Disposition"].startswith("inline;")
    assert "default-src 'none'" in pdf.headers["Content-Security-Policy"]
    assert f'href="{links[0][0]}?download=1" download>下载</a>' in page
    saved = visitor.get(links[0][0] + "?download=1")
    assert saved.headers["Content-Disposition"].startswith("attachment;")
    assert f"filename*=UTF-8''{quote('李庄村10月明细账.pdf')}" in saved.headers["Content-Disposition"]
    # where a browser cannot show a PDF (WeChat), its pages come as pictures, open at once there
    assert "逐页查看（共1页）" in page and "<details class=\"pages\" open>" not in page
    first_page = visitor.get(f"{links[0][0]}/p1.png")
    assert first_page.status_code == 200 and first_page.data.startswith(b"\x89PNG")
    assert visitor.get(f"{links[0][0]}/p2.png").status_code == 404
    wechat = visitor.get(f"/n/{notice['slug']}", headers={"User-Agent": "Mozilla/5.0 MicroMessenger/8.0.50"})
    assert '<details class="pages" open>' in wechat.get_data(as_text=True)
    image = visitor.get(links[1][0])
    assert image.headers["Content-Type"] == "image/png"              # by content: the .exe name is not used
    assert image.headers["Content-Disposition"].startswith("inline;")
    assert f"filename*=UTF-8''{quote('收据照片.png')}" in image.headers["Content-Disposition"]
    assert visitor.get(f"/n/{notice['slug']}/f/999999").status_code == 404


def test_a_document_added_to_a_correction_waits_for_its_approval(visitor, clients, approved, run_checks):
    notice = approved()
    lizhuang = clients("lizhuang")
    clock.shift(timedelta(minutes=5))
    added = upload(lizhuang, notice["id"], png_bytes(), "新增附件.png").get_json()
    page = text_of(visitor.get(f"/n/{notice['slug']}"))
    assert "新增附件.png" not in page
    assert visitor.get(f"/n/{notice['slug']}/f/{added['id']}").status_code == 404
    lizhuang.api("patch", f"/api/v1/notices/{notice['id']}", json={"summary": "补充附件"})
    lizhuang.api("post", f"/api/v1/notices/{notice['id']}/submit", json={})
    run_checks()
    clients("reviewer").api("post", f"/api/v1/notices/{notice['id']}/approve", json={})
    assert "新增附件.png" in text_of(visitor.get(f"/n/{notice['slug']}"))


def test_page_carries_its_qr_code_and_the_channels(visitor, approved):
    notice = approved()
    page = text_of(visitor.get(f"/n/{notice['slug']}"))
    assert f'src="/qr/n/{notice["slug"]}.png"' in page and f"http://kiosk.test/n/{notice['slug']}" in page
    assert visitor.get(f"/qr/n/{notice['slug']}.png").mimetype == "image/png"
    channels = page.split("投诉监督</h2>", 1)[1]
    assert 'href="tel:12345"' in channels and 'href="tel:12388"' in channels
    assert "政务公开意见箱" in channels and "便民服务中心大厅入口" in channels
