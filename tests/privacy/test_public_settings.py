"""Text staff write once and the public reads everywhere (a queue service's name and materials on
the kiosk, board and tickets; the township's guide and supervision pages and channel notes) goes
through the privacy gate like a notice."""
from tests.public.test_guide import channel_form
from tests.queue.conftest import HALL

MOBILE = "13812345678"
ID_NUMBER = "11010519491231002X"
GUIDE_LABEL, SUPERVISION_LABEL = "政府信息公开指南", "乡镇监督电话"


def test_a_service_showing_a_mobile_number_is_refused_and_the_form_keeps_it(staff, demo_app):
    admin = staff("admin")
    response = admin.post_form(f"/queue/halls/{HALL}/services", {
        "prefix": "F", "name": "不动产登记", "materials": f"不动产权证书\n联系王会计 {MOBILE}", "active": "y"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "所需材料 含有个人信息" in page and MOBILE in page   # named, kept
    api = admin.api("POST", f"/api/v1/queue/halls/{HALL}/services", json={"prefix": "G", "name": f"咨询 {MOBILE}"})
    assert api.status_code == 409 and api.get_json()["error"] == "privacy"
    services = demo_app.test_client().get(f"/api/v1/queue/halls/{HALL}/services").get_json()
    assert not {"F", "G"} & {service["prefix"] for service in services}


def test_a_public_page_or_channel_note_with_personal_data_is_refused_in_place(demo_app, staff):
    visitor = demo_app.test_client()
    admin = staff("admin")
    for field, text, named in (("guide", f"# 指南\n\n联系人身份证 {ID_NUMBER}", GUIDE_LABEL),
                               ("supervision.note", f"或打 {MOBILE}", SUPERVISION_LABEL)):
        response = admin.post_form("/staff/public/pages/jinjia", channel_form(**{field: text}))
        page = response.get_data(as_text=True)
        assert response.status_code == 400 and text.split()[-1] in page          # kept, to be masked
        assert f"{named} 含有个人信息" in page                                  # the message names it
    assert ID_NUMBER not in visitor.get("/guide").get_data(as_text=True)
    assert MOBILE not in visitor.get("/supervision/jinjia").get_data(as_text=True)
