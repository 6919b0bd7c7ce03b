"""The demo township's open survey at the touch kiosk, in a real Chromium with touch: its own home
choice, a question a screen with large buttons (readable and large enough in every mode, at both
panel sizes), answered once per visit: the second answer in the same visit is refused, the next
visitor's (after the idle reset) is taken."""
import pytest
from sqlalchemy import func, select

from kiosk.extensions import db
from kiosk.surveys.models import Channel, Survey, SurveyResponse
from kiosk.surveys.demo import ANSWERS, TITLE
from tests.queue.conftest import monday_morning  # noqa: F401 (fixture)
from tests.touch.conftest import LANDSCAPE, PORTRAIT, too_small, touch_app  # noqa: F401 (fixture)
from tests.touch.test_kiosk_screens import LAYOUT_PROBLEMS, SWITCHES, kiosk_page, on, start  # noqa: F401

pytestmark = pytest.mark.browser


def problems_in_every_mode(page, where: str) -> list[str]:
    found = []
    for switches in SWITCHES:
        for tool in ("large", "contrast"):
            if (tool in switches) != (page.get_attribute(f"[data-tool={tool}]", "aria-pressed") == "true"):
                page.tap(f"[data-tool={tool}]")
        mode = "+".join(switches) or "normal"
        found += [f"{where} {mode}: {problem}" for problem in page.evaluate(LAYOUT_PROBLEMS)]
        found += [f"{where} {mode}: too small {target}" for target in too_small(page)]
    for tool in ("large", "contrast"):
        if page.get_attribute(f"[data-tool={tool}]", "aria-pressed") == "true":
            page.tap(f"[data-tool={tool}]")
    return found


def answer(page, check=None) -> None:
    """The demo survey from the home screen: 5 points, a channel, two wishes, 4 points, no words."""
    start(page, "survey")
    steps = [("#survey .level-5", "overall"), ("#survey .survey-option[data-index='1']", "channel"),
             ("#survey .survey-option[data-index='0']", "wishes"), ("#survey .level-4", "timely")]
    for number, (choice, name) in enumerate(steps):
        page.wait_for_selector(f"#survey .survey-progress:has-text('第 {number + 1} 题')")
        if name == "overall":
            page.tap("#survey .survey-next")                    # nothing chosen yet: asked to choose
            assert page.inner_text("#survey .error") == "请先选择一个答案。"
        page.tap(choice)
        if name == "wishes":
            page.tap("#survey .survey-option[data-index='2']")
            assert page.get_attribute("#survey .survey-option[data-index='2']", "aria-pressed") == "true"
        if check:
            check(name)
        page.tap("#survey .survey-next")
    page.wait_for_selector("#survey .survey-send")
    if check:
        check("words")
    page.tap("#survey .survey-send")


def kiosk_answers(app) -> int:
    with app.app_context():
        survey = db.session.scalar(select(Survey).where(Survey.title == TITLE))
        return db.session.scalar(select(func.count()).select_from(SurveyResponse).where(
            SurveyResponse.survey_id == survey.id, SurveyResponse.channel == Channel.kiosk))


def test_a_survey_is_answered_once_per_visit(kiosk_page, touch_app):  # noqa: F811
    page = kiosk_page(PORTRAIT)
    found = []

    def check(name):
        for size in (PORTRAIT, LANDSCAPE):
            page.set_viewport_size({"width": size[0], "height": size[1]})
            found.extend(problems_in_every_mode(page, f"{size[0]}×{size[1]} {name}"))
        page.set_viewport_size({"width": PORTRAIT[0], "height": PORTRAIT[1]})

    page.tap("#attract")
    on(page, "home")
    choice = page.locator("[data-choice=survey]")
    assert choice.inner_text().startswith("政务公开评议")
    check("home")
    answer(page, check)
    on(page, "done")
    assert page.inner_text("#done-text") == "谢谢！您的答卷已收到。"
    assert kiosk_answers(touch_app) == len(ANSWERS) + 1

    # The same visitor again: refused by the server, said on the screen.
    page.tap(".home-button")
    answer(page)
    page.wait_for_selector("#survey .error")
    assert "已经回答过" in page.inner_text("#survey .error")
    assert kiosk_answers(touch_app) == len(ANSWERS) + 1
    assert found == [], "\n".join(dict.fromkeys(found))

    # A minute without a touch ends the visit; the next visitor's answer counts.
    page.clock.fast_forward(61000)
    on(page, "attract")
    page.tap("#attract")
    answer(page)
    on(page, "done")
    assert kiosk_answers(touch_app) == len(ANSWERS) + 2
