"""Surveys made through the API as the demo accounts (the demo township's own open survey aside)."""
import pytest

from tests.disclosures.conftest import clients, frozen, local  # noqa: F401

QUESTIONS = [
    {"kind": "scale", "text": "总体满意度", "options": []},
    {"kind": "single", "text": "了解渠道", "options": ["公开栏", "查询机", "手机"]},
    {"kind": "multiple", "text": "希望公开", "options": ["财务", "补贴", "项目"]},
    {"kind": "text", "text": "意见建议", "options": []},
]


@pytest.fixture
def survey(clients):
    """survey(**changes) → a survey of 金家镇 made by its editor, open 23–30 November."""
    def make(**changes):
        body = {"title": "政务公开满意度调查", "intro": "请花一分钟回答。", "opens_at": "2026-11-20T08:00:00",
                "closes_at": "2026-11-30T18:00:00", "published": True, "questions": QUESTIONS, **changes}
        response = clients("editor").api("post", "/api/v1/surveys", json=body)
        assert response.status_code == 201, response.get_json()
        return response.get_json()
    return make


def answers_for(survey: dict, overall=5, channel=1, wanted=(0, 2), words="") -> dict:
    ids = [str(q["id"]) for q in survey["questions"]]
    return {ids[0]: overall, ids[1]: channel, ids[2]: list(wanted), ids[3]: words}
