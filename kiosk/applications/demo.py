"""Demo step: applications for information at 金家镇 as of the demo's today: one received by mail
whose answer is due within 3 working days (the reminder and the overdue list show it), one answered
(部分公开, its reply letter ready), the road-repair contract asked for orally at window 3 today with a
correction requested, and one sent from a phone waiting for its receipt to be confirmed."""
from datetime import timedelta

from sqlalchemy import select

from kiosk.accounts.models import User
from kiosk.applications import operations as ops
from kiosk.applications.deadlines import after
from kiosk.applications.models import Application, Channel
from kiosk.core import clock
from kiosk.extensions import db
from kiosk.workdays.calendar import working_days_between


def _user(username: str) -> User:
    return db.session.scalar(select(User).where(User.username == username))


def _received_for_due_in(days: int):
    """The latest day of receipt whose answer falls due `days` working days from today (at most 3)."""
    today = clock.local_today()
    day = today
    while working_days_between(today, after(day, 20)) > days:
        day -= timedelta(days=1)
    return day


def load(township) -> str:
    if db.session.scalar(select(Application.id).where(Application.unit_id == township.id).limit(1)):
        return "applications: already there"
    window3, editor = _user("window3"), _user("editor")
    due_soon = ops.file_application(editor, township, {
        "applicant_kind": "commercial", "applicant_name": "金家镇顺达建材有限公司", "id_proof": "统一社会信用代码（已核验）",
        "phone": "0571-8800123", "address": "金家镇工业园区8号", "delivery": "mail",
        "description": "2026年度镇级财政预算执行情况中农村道路建设资金的使用明细"}, Channel.registered_mail,
        _received_for_due_in(2))
    answered = ops.file_application(editor, township, {
        "applicant_name": "赵德胜", "id_proof": "居民身份证（已核验）", "phone": "13912345678",
        "description": "王家村2026年低保评议会议记录", "delivery": "pickup"}, Channel.ordinary_mail,
        clock.local_today() - timedelta(days=10))
    ops.decide(editor, answered, ops.Decision(
        "partly", reason="会议记录中涉及申请家庭收入和健康状况的内容属于个人隐私，依据《条例》第十五条不予公开，其余部分予以公开。",
        provided="会议记录（隐去个人隐私部分）复印件一份，到镇便民服务中心3号窗口领取。"))
    oral = ops.file_application(window3, township, {
        "applicant_name": "李长根", "id_proof": "居民身份证（已核验）", "phone": "13587654321",
        "description": "2026年村道修缮工程施工合同", "delivery": "pickup"}, Channel.oral)
    ops.request_correction(window3, oral, "请说明所需合同对应的村道名称（或所在村）和施工年份。",
                           after(clock.local_today(), 10))
    ops.submit_online(township, {
        "applicant_name": "陈晓燕", "id_proof": "居民身份证", "phone": "13700001111",
        "description": "金山村2026年土地承包经营权流转合同备案情况", "form_wanted": "electronic",
        "delivery": "phone_page"})
    db.session.flush()
    return f"applications: 4 at {township.name} (one due on {due_soon.due_on})"
