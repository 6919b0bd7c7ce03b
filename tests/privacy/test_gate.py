"""The privacy gate: detection with checksums, masking in one action, blocking and the override."""
import pytest
from sqlalchemy import select

from kiosk.audit.models import AuditEntry
from kiosk.privacy import find_in_text, id_number_valid, luhn_valid, mask_text
from kiosk.extensions import db

VALID_ID = "11010519491231002X"      # the GB 11643 standard's own example
INVALID_ID = "110105194912310021"    # same digits, wrong check digit
VALID_CARD = "6222021234567890128"   # 19 digits, Luhn-valid
INVALID_CARD = "6222021234567890127"


@pytest.mark.parametrize("number, valid", [(VALID_ID, True), ("11010519491231002x", True), (INVALID_ID, False),
                                           ("320102198001011234", False), ("32010219800101123", False)])
def test_id_checksum(number, valid):
    assert id_number_valid(number) is valid


@pytest.mark.parametrize("digits, valid", [(VALID_CARD, True), (INVALID_CARD, False), ("4111111111111111", True),
                                           ("4111111111111112", False)])
def test_luhn(digits, valid):
    assert luhn_valid(digits) is valid


def test_findings_and_masks():
    text = (f"户主张某，身份证{VALID_ID}，错号{INVALID_ID}，卡号6222 0212 3456 7890 128，"
            f"电话13812345678，住李庄村3组15号；依据金政发〔2018〕12号。")
    found = {(f.kind, f.masked) for f in find_in_text(text, "body")}
    # The masking rule: an ID shows at most its first 6 and last 4, a card its last 4, a mobile 3 + 4.
    assert found == {("id_number", "110105********002X"), ("id_number", "110105********0021"),
                     ("bank_card", "***************0128"), ("mobile", "138****5678"), ("address", "村*组**号")}
    masked = mask_text(text)
    assert VALID_ID not in masked and "13812345678" not in masked and "15号" not in masked
    assert INVALID_ID not in masked and "〔2018〕12号" in masked
    assert find_in_text(masked, "body") == []


def test_luhn_invalid_16_digits_and_landlines_are_not_flagged():
    assert find_in_text("合同编号4111111111111112，办公电话0551-12345678", "body") == []


def test_submit_blocked_then_masked_in_one_action_then_approved(clients, draft):
    notice = draft(body=f"收款人李四 卡号{VALID_CARD} 金额3,000元", summary="联系电话13912345678")
    lizhuang = clients("lizhuang")
    blocked = lizhuang.api("post", f"/api/v1/notices/{notice['id']}/submit", json={})
    assert blocked.status_code == 409 and blocked.get_json()["error"] == "privacy"
    assert {f["kind"] for f in blocked.get_json()["findings"]} == {"bank_card", "mobile"}
    masked = lizhuang.api("post", f"/api/v1/notices/{notice['id']}/mask").get_json()
    assert masked["privacy_findings"] == [] and "\\*" * 15 + "0128" in masked["body"]
    assert "***************0128" in masked["body_html"]
    assert masked["summary"] == "联系电话139****5678"
    assert lizhuang.api("post", f"/api/v1/notices/{notice['id']}/submit", json={}).status_code == 200
    assert clients("reviewer").api("post", f"/api/v1/notices/{notice['id']}/approve",
                                   json={}).get_json()["state"] == "showing"


def test_findings_block_approval_unless_a_written_override_lands_in_the_audit(demo_app, clients, draft):
    notice = draft(body="村委会办公室地址：李庄村中心路8号")
    lizhuang, reviewer = clients("lizhuang"), clients("reviewer")
    submitted = lizhuang.api("post", f"/api/v1/notices/{notice['id']}/submit",
                             json={"privacy_note": "这是村委会办公地址，不是个人住址"})
    assert submitted.status_code == 200
    blocked = reviewer.api("post", f"/api/v1/notices/{notice['id']}/approve", json={})
    assert blocked.status_code == 409 and blocked.get_json()["findings"][0]["kind"] == "address"
    approved = reviewer.api("post", f"/api/v1/notices/{notice['id']}/approve",
                            json={"privacy_override": "村委会办公地址属公开信息"}).get_json()
    assert approved["state"] == "showing"
    assert approved["versions"][-1]["privacy_override"] == "村委会办公地址属公开信息"
    with demo_app.app_context():
        entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "notice.approve",
                                                            AuditEntry.object_id == str(notice["id"])))
        assert entry.reason == "村委会办公地址属公开信息" and entry.actor_name == "reviewer"


def test_edit_page_shows_findings_in_place(clients, draft):
    notice = draft(body=f"身份证号{VALID_ID}")
    page = clients("lizhuang").get(f"/staff/notices/{notice['id']}").get_data(as_text=True)
    assert "110105********002X" in page and f"<mark>{VALID_ID}</mark>" in page
    masked = clients("lizhuang").post_form(f"/staff/notices/{notice['id']}/mask", follow_redirects=True)
    assert masked.status_code == 200 and f"<mark>{VALID_ID}</mark>" not in masked.get_data(as_text=True)


def test_masked_numbers_in_markdown_never_turn_into_emphasis():
    from kiosk.disclosures.render import markdown_to_html
    html = markdown_to_html(mask_text("联系人 13812345678 或 13987654321", markdown=True))
    assert "<em>" not in html and "138****5678" in html and "139****4321" in html


@pytest.mark.parametrize("text", [
    "| 13800 | 138001 |",                              # amounts in neighbouring table cells
    "收入1380.00元，支出1234.56元，结余145.44元",
    "2026-10-03 13:00 第138001号",
    "金政发〔2026〕13800138号",
    "合同编号4111111111111112，办公电话0551-12345678",
])
def test_ledgers_dates_and_invalid_numbers_are_not_flagged(text):
    assert find_in_text(text, "body") == []


@pytest.mark.parametrize("text, kind", [
    ("旧身份证130503670401001", "id_number"), ("电话+86 139 1234 5678", "mobile"), ("电话0086-13912345678", "mobile"),
    ("卡号６２２２ ０２１２ ３４５６ ７８９０ １２８", "bank_card"), ("身份证11010519491231002x", "id_number"),
    ("住幸福路12号3栋2单元501室", "address"),
])
def test_other_forms_are_found(text, kind):
    assert [finding.kind for finding in find_in_text(text, "body")] == [kind]
