"""Demo step: 金家镇's survey on its openness work (政务公开群众评议), open at the kiosk and on
phones, with a handful of answers so the results page has bars."""
from sqlalchemy import select

from kiosk.disclosures.demo import _at, _user
from kiosk.extensions import db
from kiosk.org.models import Unit
from kiosk.surveys.models import Channel, Survey
from kiosk.surveys.operations import answer_survey, create_survey, kiosk_respondent

TITLE = "2026年度政务公开群众评议问卷"
QUESTIONS = [
    {"kind": "scale", "text": "您对本镇政务公开工作的总体评价", "options": []},
    {"kind": "single", "text": "您最常通过哪种渠道了解政务公开信息？",
     "options": ["村务公开栏", "便民服务中心查询机", "手机扫码", "村民会议", "广播"]},
    {"kind": "multiple", "text": "您希望多公开哪些内容？（可多选）",
     "options": ["财务收支", "惠民补贴", "项目建设", "低保救助", "征地拆迁"]},
    {"kind": "scale", "text": "公开内容是否及时、看得懂？", "options": []},
    {"kind": "text", "text": "您对政务公开还有什么意见建议？", "options": []},
]
# (overall, channel, wanted, timely, words) of the demo's answers
ANSWERS = ((5, 0, [0, 1], 4, "希望公开栏的字再大一些"), (4, 1, [2], 4, ""), (4, 2, [0, 3], 3, "补贴名单请早点公示"),
           (3, 0, [1, 4], 3, ""), (5, 2, [0], 5, ""), (2, 3, [4], 2, "征地补偿标准没有看到"))


def load(township: Unit) -> str:
    if db.session.scalar(select(Survey).where(Survey.unit_id == township.id, Survey.title == TITLE)):
        return "survey already there"
    survey = create_survey(_user("admin"), {
        "township": township.code, "title": TITLE, "intro": "为了解群众对本镇政务公开工作的满意度，请您花一分钟回答以下问题。问卷匿名填写。",
        "opens_at": _at(-10, 8), "closes_at": _at(20, 18), "published": True, "questions": QUESTIONS})
    ids = [str(question.id) for question in survey.questions]
    for number, (overall, channel, wanted, timely, words) in enumerate(ANSWERS):
        answer_survey(survey, kiosk_respondent(0, f"demo-visit-{number}"), Channel.kiosk,
                      {ids[0]: overall, ids[1]: channel, ids[2]: wanted, ids[3]: timely, ids[4]: words})
    return f"1 open survey with {len(ANSWERS)} answers"
