"""群众评议 surveys through HTTP: the editor's rules, one answer per phone (its cookie) and per kiosk
visit, the flood ceilings, results as bars and CSV with the free text masked, and the year's figures."""
import pytest

from kiosk.extensions import db
from kiosk.org.operations import get_unit_by_code
from kiosk.surveys.figures import YearFigures, year_figures
from kiosk.surveys.models import Survey
from tests.conftest import csrf_from, registered_screen
from tests.surveys.conftest import QUESTIONS, answers_for


@pytest.fixture
def phone(demo_app):
    return demo_app.test_client


def form_token(client, survey) -> str:
    """The phone page opened: its cookie set, its form's CSRF token."""
    return csrf_from(client.get(f"/s/{survey['slug']}").get_data(as_text=True))


def post_phone(client, survey, answers: dict, token: str | None = None):
    """The phone form as a browser sends it: the page first (its cookie and CSRF token), then the answers."""
    data = {"csrf_token": token or form_token(client, survey)}
    for question_id, value in answers.items():
        data[f"q{question_id}"] = [str(v) for v in value] if isinstance(value, list) else str(value)
    return client.post(f"/s/{survey['slug']}", data=data)


def test_the_editor_keeps_a_survey_short_and_clean(clients, survey):
    editor = clients("editor")
    base = {"title": "调查", "opens_at": "2026-11-20T08:00:00", "closes_at": "2026-11-30T18:00:00",
            "questions": QUESTIONS}
    two_texts = editor.api("post", "/api/v1/surveys", json={**base, "questions": QUESTIONS + [QUESTIONS[-1]]})
    assert two_texts.status_code == 400 and two_texts.json["field"] == "questions"
    one_choice = editor.api("post", "/api/v1/surveys", json={
        **base, "questions": [{"kind": "single", "text": "渠道", "options": ["公开栏"]}]})
    assert one_choice.status_code == 400 and one_choice.json["field"] == "questions.1.options"
    backwards = editor.api("post", "/api/v1/surveys", json={**base, "closes_at": "2026-11-19T08:00:00"})
    assert backwards.status_code == 400 and backwards.json["field"] == "closes_at"
    personal = editor.api("post", "/api/v1/surveys", json={**base, "intro": "咨询请拨13812345678"})
    assert personal.status_code == 409                                             # the privacy gate
    assert clients("lizhuang").api("post", "/api/v1/surveys", json=base).status_code == 403   # a village clerk
    created = survey()
    assert created["state"] == "open" and created["township"] == "jinjia" and created["answers"] == 0


def test_one_answer_per_phone(demo_app, phone, survey):
    made = survey()
    first = phone()
    missing = post_phone(first, made, {**answers_for(made), str(made["questions"][0]["id"]): ""})
    assert missing.status_code == 400 and "请回答" in missing.get_data(as_text=True)
    assert 'value="1" checked' in missing.get_data(as_text=True)                 # what was chosen stays chosen
    token = form_token(first, made)
    assert post_phone(first, made, answers_for(made), token).status_code == 303
    again = post_phone(first, made, answers_for(made, overall=1), token)   # the form sent again
    assert again.status_code == 409 and 'id="answered"' in again.get_data(as_text=True)
    assert 'id="survey-form"' not in first.get(f"/s/{made['slug']}").get_data(as_text=True)
    assert post_phone(phone(), made, answers_for(made, overall=2)).status_code == 303   # another phone
    with demo_app.app_context():
        assert len(db.session.get(Survey, made["id"]).questions) == 4
    assert phone().get("/s/nosuchsurvey").status_code == 404


def test_the_phone_form_is_limited_per_address(demo_app, phone, survey):
    demo_app.config["KIOSK_SURVEY_LIMIT"] = "2 per hour"
    made = survey()
    assert post_phone(phone(), made, answers_for(made)).status_code == 303
    assert post_phone(phone(), made, {}).status_code == 400                       # a refused answer does not count
    assert post_phone(phone(), made, answers_for(made)).status_code == 303
    assert post_phone(phone(), made, answers_for(made)).status_code == 429


def test_a_closed_or_unpublished_survey_takes_no_answers(phone, survey, frozen):
    made = survey()
    draft = survey(published=False)
    assert phone().get(f"/s/{draft['slug']}").status_code == 404
    client = phone()
    token = form_token(client, made)          # the form opened just before it closed, and sent after
    frozen("2026-11-30 18:00")
    page = client.get(f"/s/{made['slug']}").get_data(as_text=True)
    assert 'id="not-open"' in page and 'id="survey-form"' not in page
    refused = post_phone(client, made, answers_for(made), token)
    assert refused.status_code == 409 and "2026-11-30 18:00" in refused.get_data(as_text=True)


def kiosk_post(client, survey_id, answers, visit):
    headers = {"Accept": "application/json", **({"X-Kiosk-Visit": visit} if visit else {})}
    return client.post(f"/touch/surveys/{survey_id}/answers", json={"answers": answers}, headers=headers)


def test_one_answer_per_kiosk_visit_under_a_ceiling(demo_app, survey):
    demo_app.config["KIOSK_TOUCH_SURVEY_LIMIT"] = "3 per 10 minutes"    # answers accepted, refused ones aside
    made = survey()
    kiosk = demo_app.test_client()
    kiosk.set_cookie("kiosk_screen", registered_screen(demo_app))
    start = kiosk.get("/touch/start.json").get_json()
    assert start["survey"]["id"] == made["id"]              # of the two open, the one closing first
    assert [q["kind"] for q in start["survey"]["questions"]] == ["scale", "single", "multiple", "text"]
    assert start["strings"]["survey"] == "政务公开评议"
    answers = answers_for(made)
    assert kiosk_post(kiosk, made["id"], answers, "").status_code == 400           # no visit id: no answer
    assert kiosk_post(kiosk, made["id"], answers, "visit-aaaa-0001").status_code == 201
    second = kiosk_post(kiosk, made["id"], answers, "visit-aaaa-0001")
    assert second.status_code == 409 and second.get_json()["error"] == "already_answered"
    assert kiosk_post(kiosk, made["id"], answers, "visit-aaaa-0002").status_code == 201
    bad = kiosk_post(kiosk, made["id"], {**answers, str(made["questions"][1]["id"]): 7}, "visit-aaaa-0003")
    assert bad.status_code == 400
    assert kiosk_post(kiosk, made["id"], answers, "visit-aaaa-0004").status_code == 201
    flood = kiosk_post(kiosk, made["id"], answers, "visit-aaaa-0005")
    assert flood.status_code == 429 and "Retry-After" in flood.headers
    noticeboard = demo_app.test_client()
    noticeboard.set_cookie("kiosk_screen", registered_screen(demo_app, "noticeboard_portrait", "lizhuang"))
    assert kiosk_post(noticeboard, made["id"], answers, "visit-bbbb-0001").status_code == 403


def test_results_as_bars_and_csv_with_the_words_masked(demo_app, phone, survey, clients):
    made = survey()
    post_phone(phone(), made, answers_for(made, overall=5, words="请联系我13812345678"))
    post_phone(phone(), made, answers_for(made, overall=4, channel=0, wanted=(1,)))
    post_phone(phone(), made, answers_for(made, overall=2, channel=0))
    results = clients("reviewer").api("get", f"/api/v1/surveys/{made['id']}/results").json
    assert results["answers"] == 3 and results["by_channel"] == {"kiosk": 0, "phone": 3}
    overall, channel, wanted, words = results["questions"]
    assert [c["count"] for c in overall["choices"]] == [0, 1, 0, 1, 1] and overall["mean"] == 3.67
    assert [c["count"] for c in channel["choices"]] == [2, 1, 0]
    assert [c["count"] for c in wanted["choices"]] == [2, 1, 2]
    assert words["texts"] == ["请联系我138****5678"]
    page = clients("editor").get(f"/staff/surveys/{made['id']}/results").get_data(as_text=True)
    assert 'style="width: 66.7%' in page and "138****5678" in page and "13812345678" not in page
    csv = clients("editor").get(f"/staff/surveys/{made['id']}/results.csv")
    text = csv.get_data(as_text=True)
    assert text.startswith("\ufeff") and "13812345678" not in text and "138****5678" in text
    assert "5 非常满意" in text and "财务；项目" in text
    changed = clients("editor").api("put", f"/api/v1/surveys/{made['id']}", json={
        "title": made["title"], "opens_at": made["opens_at"], "closes_at": made["closes_at"], "published": True,
        "questions": QUESTIONS[:2]})
    assert changed.status_code == 409                                # answered questions stay as they were
    renamed = clients("editor").api("put", f"/api/v1/surveys/{made['id']}", json={
        "title": "改名的调查", "opens_at": made["opens_at"], "closes_at": made["closes_at"], "published": True,
        "questions": QUESTIONS})
    assert renamed.status_code == 200 and renamed.json["title"] == "改名的调查"
    assert clients("window1").get(f"/staff/surveys/{made['id']}/results").status_code == 403


def test_the_year_figures(demo_app, phone, survey, frozen):
    made = survey()
    for overall in (5, 4, 2):
        post_phone(phone(), made, answers_for(made, overall=overall))
    survey(title="明年的调查", opens_at="2027-01-05T08:00:00", closes_at="2027-01-20T18:00:00")
    survey(title="草稿", published=False)
    with demo_app.app_context():
        jinjia, hall = get_unit_by_code("jinjia").id, get_unit_by_code("jinjia-hall").id
        # The demo's survey: 6 answers, two scales, 7 of 12 points at 4 or 5 (kiosk/surveys/demo.py); this
        # one: 3 answers, 2 of 3 at 4 or 5. Next year's survey counts in 2027, the draft never.
        assert year_figures([jinjia], 2026) == YearFigures(surveys=2, answers=9, scale_answers=15, satisfied=9,
                                                           satisfaction_share=0.6)
        assert year_figures([jinjia], 2027) == YearFigures(1, 0, 0, 0, None)
        assert year_figures([hall], 2026).surveys == 0


def test_the_staff_form_makes_a_survey_and_keeps_what_was_typed(clients):
    editor = clients("editor")
    form = {"title": "窗口服务评议", "intro": "", "opens_at": "2026-11-23T09:00", "closes_at": "2026-11-30T18:00",
            "published": "on", "q1_kind": "scale", "q1_text": "总体满意度", "q1_options": "",
            "q2_kind": "single", "q2_text": "您来办什么事？", "q2_options": "社保"}
    refused = editor.post_form("/staff/surveys/new", data=form)
    assert refused.status_code == 400
    page = refused.get_data(as_text=True)
    assert "第 2 题：请填写 2 至 8 个选项" in page and 'value="您来办什么事？"' in page and 'value="窗口服务评议"' in page
    made = editor.post_form("/staff/surveys/new", data={**form, "q2_options": "社保\n低保\n户籍"})
    assert made.status_code == 302
    listing = editor.get("/staff/surveys/").get_data(as_text=True)
    assert "窗口服务评议" in listing and "进行中" in listing
    assert clients("lizhuang").get("/staff/surveys/new").status_code == 403
