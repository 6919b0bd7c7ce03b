"""The supervision committee (村务监督委员会): a village notice in a chosen category goes to the
committee before the township's reviewer; the sign-off is recorded with who and when and audited;
the public page and the screens say 经村务监督委员会审核; one person cannot sit on both committees."""
from sqlalchemy import select

from kiosk.accounts.models import Role, User
from kiosk.accounts.operations import create_user
from kiosk.demo.township import DEMO_PASSWORD
from kiosk.extensions import db
from kiosk.org.operations import get_unit_by_code
from kiosk.villages.models import SignOff

DECISION = {"category": "village_decisions", "title": "李庄村村民代表会议决议", "body": "一致同意村道绿化方案。"}


def test_the_committee_signs_before_the_township_reviews(demo_app, clients, notice):
    submitted = notice(submit=True, **DECISION)
    assert submitted["waiting_for"] and "李庄村" in submitted["waiting_for"]
    reviewer, supervisor = clients("reviewer"), clients("lizhuang-jd")
    # Not yet the reviewer's: not in the queue, and approving it is refused with the reason.
    queue = reviewer.api("get", "/api/v1/notices?review=true").get_json()["notices"]
    assert submitted["id"] not in [n["id"] for n in queue]
    assert submitted["title"] not in reviewer.get("/staff/notices/?review=1").get_data(as_text=True)
    early = reviewer.api("post", f"/api/v1/notices/{submitted['id']}/approve", json={})
    assert early.status_code == 409 and early.get_json()["error"] == "not_ready_for_review"
    assert "监督委员会" in early.get_json()["message"] or "supervision committee" in early.get_json()["message"]
    assert reviewer.api("post", f"/api/v1/notices/{submitted['id']}/return",
                        json={"reason": "请补充附件"}).status_code == 409
    # The committee's member finds it on the dashboard and in the queue, and signs it.
    assert DECISION["title"] in supervisor.get("/staff/").get_data(as_text=True)
    assert DECISION["title"] in supervisor.get("/staff/villages/sign-off").get_data(as_text=True)
    signed = supervisor.post_form(f"/staff/villages/sign-off/{submitted['id']}", {"action": "sign", "note": "已核对"})
    assert signed.status_code == 302
    with demo_app.app_context():
        row = db.session.scalar(select(SignOff))
        assert row.user.username == "lizhuang-jd" and row.signed_at is not None and row.note == "已核对"
    assert supervisor.post_form(f"/staff/villages/sign-off/{submitted['id']}", {"action": "sign"}).status_code == 409
    queue = reviewer.api("get", "/api/v1/notices?review=true").get_json()["notices"]
    assert submitted["id"] in [n["id"] for n in queue]
    approved = reviewer.api("post", f"/api/v1/notices/{submitted['id']}/approve", json={})
    assert approved.status_code == 200 and approved.get_json()["state"] == "showing"
    public = demo_app.test_client().get(f"/n/{submitted['slug']}").get_data(as_text=True)
    assert 'id="signed-off"' in public and "经村务监督委员会审核" in public
    # The screens' feed carries it to the slide (kiosk/screens/state.py notice_content).
    feed = demo_app.test_client().get("/api/v1/public/notices?unit=lizhuang").get_json()["notices"]
    assert next(n for n in feed if n["id"] == submitted["id"])["signed_off"] is True
    audit = clients("admin").api("get", "/api/v1/audit?action=village_sign_off.create").get_json()["entries"]
    assert [entry["actor"] for entry in audit] == ["lizhuang-jd"] and audit[0]["reason"] == "已核对"


def test_the_committee_sends_a_notice_back_with_its_reason(demo_app, clients, notice):
    submitted = notice(submit=True, **DECISION)
    supervisor = clients("lizhuang-jd")
    empty = supervisor.post_form(f"/staff/villages/sign-off/{submitted['id']}", {"action": "refuse", "reason": ""})
    assert empty.status_code == 400
    sent_back = supervisor.api("post", f"/api/v1/notices/{submitted['id']}/refuse-sign-off",
                               json={"reason": "表决人数与会议记录不符"})
    assert sent_back.status_code == 200 and sent_back.get_json()["state"] == "returned"
    assert sent_back.get_json()["return_reason"] == "表决人数与会议记录不符"


def test_only_the_villages_own_committee_signs_and_only_what_waits(demo_app, clients, notice):
    submitted = notice(submit=True, **DECISION)
    for username in ("reviewer", "editor", "lizhuang", "admin"):
        assert clients(username).api("post", f"/api/v1/notices/{submitted['id']}/sign-off",
                                     json={}).status_code == 403, username
    with demo_app.app_context():
        create_user("wangjia-jd", DEMO_PASSWORD, {Role.supervisor}, get_unit_by_code("wangjia"), "王家村监委会", demo=True)
        db.session.commit()
    assert clients("wangjia-jd").api("post", f"/api/v1/notices/{submitted['id']}/sign-off", json={}).status_code == 404
    # A finance notice is not in a category the township chose: nothing to sign.
    finances = notice(submit=True)
    assert finances["waiting_for"] is None
    refused = clients("lizhuang-jd").api("post", f"/api/v1/notices/{finances['id']}/sign-off", json={})
    assert refused.status_code == 409
    too_long = clients("lizhuang-jd").api("post", f"/api/v1/notices/{submitted['id']}/sign-off",
                                          json={"note": "长" * 501})
    assert too_long.status_code == 400


def test_the_categories_that_need_the_sign_off_are_the_townships_choice(demo_app, clients, notice):
    admin = clients("admin")
    with demo_app.app_context():
        from kiosk.disclosures.models import Category
        finances = db.session.scalar(select(Category.id).where(Category.code == "village_finances"))
    assert clients("editor").post_form("/staff/villages/committee", {
        "action": "categories", "categories": [str(finances)]}).status_code == 403
    assert admin.post_form("/staff/villages/committee?township=jinjia", {
        "action": "categories", "categories": [str(finances)]}).status_code == 302
    assert notice(submit=True)["waiting_for"]                  # finances now wait for the committee
    assert notice(submit=True, **DECISION)["waiting_for"] is None   # decisions no longer do
    bad = admin.post_form("/staff/villages/committee?township=jinjia", {"action": "categories",
                                                                         "categories": ["999999"]})
    assert bad.status_code == 409 or bad.status_code == 400
    # A notice of the township itself never waits for a village's committee.
    assert notice("editor", submit=True, audience="township", villages=None)["waiting_for"] is None


def test_one_person_cannot_sit_on_both_committees_of_a_village(demo_app, clients):
    admin = clients("admin")
    refused = admin.post_form("/staff/villages/committee?township=jinjia", {
        "action": "mark", "village": "lizhuang", "username": "lizhuang-jd"})
    html = refused.get_data(as_text=True)
    assert refused.status_code == 409 and 'id="refused"' in html and "李建国" in html
    # The clerk is a village committee member of 李庄村 (the demo marks her): no supervisor role for her.
    with demo_app.app_context():
        clerk = db.session.scalar(select(User).where(User.username == "lizhuang"))
    granted = admin.api("patch", f"/api/v1/users/{clerk.id}", json={"roles": ["editor", "supervisor"]})
    assert granted.status_code == 409 and "村民委员会组织法" in granted.get_json()["message"]
    # Marking a village committee member elsewhere, or unmarking, is the administrator's, and audited.
    assert admin.post_form("/staff/villages/committee?township=jinjia", {
        "action": "mark", "village": "wangjia", "username": "wangjia"}).status_code == 302
    assert clients("editor").post_form("/staff/villages/committee", {
        "action": "mark", "village": "wangjia", "username": "editor"}).status_code == 403
    page = admin.get("/staff/villages/committee?township=jinjia").get_data(as_text=True)
    assert "王家村文书 王芳" in page and "李庄村监委会主任 李建国" in page
    assert admin.post_form("/staff/villages/committee?township=jinjia", {
        "action": "mark", "village": "nowhere", "username": "wangjia"}).status_code == 409
