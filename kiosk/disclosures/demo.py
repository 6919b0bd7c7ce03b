"""Demo notices of 金家镇 and its villages, at realistic times around now, drawn from the seed reports."""
import io
from datetime import datetime, time, timedelta

from sqlalchemy import select

from kiosk.accounts.models import User
from kiosk.core import clock
from kiosk.disclosures import operations as ops
from kiosk.disclosures.checks import check_now
from kiosk.disclosures.models import Notice
from kiosk.extensions import db
from kiosk.files import IMAGE_OR_PDF, check_upload
from kiosk.org.models import Unit
from kiosk.privacy.samples import ledger_image

REPORT_BODY = """按照县委、县政府的要求和部署，金家镇政务公开工作坚持以公平、公正、公开为指导，本着“实事求是、政务公开”的原则，把政务公开与政府各项工作联系起来，自觉接受广大群众监督。

## 一、主要成效及做法

- **强化领导**。成立政务公开工作领导小组和督查领导小组，镇、村齐抓共管。
- **规范程序**。每条信息经分管领导审核后方可公开；与群众利益密切相关的事项全部列入公开内容。
- **围绕村务抓公开**。重点公开财务收支、社会救助、扶贫领域、农村危房改造等花名册和土地征用补偿。
- **畅通监督渠道**。设立举报电话和群众意见箱，实施群众直接评议和意见反馈。

## 二、存在问题及下一步打算

个别村对村务公开的重要性认识不足，公开内容更换不及时，公开载体较少。下一步将加大督促检查力度，完善政务公开长效机制，全面推进村务公开工作上新台阶。

监督电话：12345（政务服务便民热线）、12388（纪检监察举报）。"""

LEDGER_BODY = """李庄村2026年10月财务收支情况如下，接受全体村民监督。

| 日期 | 摘要 | 收入（元） | 支出（元） |
|---|---|---:|---:|
| 10月8日 | 上级转移支付 | 50,000.00 | |
| 10月12日 | 村道修补（收款人 王**，卡号 ***************0128） | | 12,000.00 |
| 10月20日 | 村委会办公用品 | | 860.50 |
| 10月28日 | 保洁员工资（3人） | | 5,400.00 |
| **合计** | | **50,000.00** | **18,260.50** |

对本公开内容如有疑问，请扫描二维码留言，或向村务监督委员会反映。"""

DIBAO_BODY = """经个人申请、村民代表评议、镇政府审核，拟确定下列家庭为2026年第四季度农村最低生活保障对象，现予公示。

| 村 | 户主 | 身份证号 | 保障人口 | 月保障金（元） |
|---|---|---|---:|---:|
| 李庄村 | 李** | 3201**********1234 | 2 | 980 |
| 王家村 | 王** | 3201**********5678 | 1 | 560 |
| 张村 | 张** | 3201**********2468 | 3 | 1,320 |

公示期7天。如有异议，请扫码留言或拨打镇民政办监督电话。"""

PLAN_BODY = """为改善农村人居环境，镇政府拟定《金家镇农村人居环境整治实施方案》，现公开征求意见。

1. 2027年底前完成11个村的生活垃圾分类收集点建设；
2. 推进农村户厕改造，每户补助1,200元；
3. 村道两侧绿化由各村组织实施，镇财政按长度给予奖补。

意见请在公示期内通过二维码页面提交。"""


def _user(username: str) -> User:
    return db.session.scalar(select(User).where(User.username == username))


def _unit(code: str) -> Unit:
    return db.session.scalar(select(Unit).where(Unit.code == code))


def _at(days: int, hour: int, minute: int = 0) -> datetime:
    """A local time `days` from today, as aware UTC."""
    day = clock.local_today() + timedelta(days=days)
    return datetime.combine(day, time(hour, minute), tzinfo=clock.local_zone()).astimezone(clock.now().tzinfo)


def _ledger_image() -> bytes:
    """The clerk's scan of the ledger, with the payee's card number already masked to its last four digits."""
    image = ledger_image(rows=(("10月12日", "村道修补", "12,000.00", "王**", "***************0128"),
                               ("10月20日", "村委会办公用品", "860.50", "—", "—"),
                               ("10月28日", "保洁员工资", "5,400.00", "—", "—")),
                         title="李庄村2026年10月收支明细账")
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def _notice(title: str, author: str, at: datetime, approve_at: datetime | None = None, submit: bool = True,
            attachment: bytes | None = None, attachment_name: str = "ledger-scan.png", **fields) -> Notice:
    """Draft (and submit, approve) a notice as it would have happened at those times."""
    existing = db.session.scalar(select(Notice).where(Notice.title == title))
    if existing is not None:
        return existing
    loaded_at = clock.now()
    clock.set_now(at)
    try:
        notice = ops.create_notice(_user(author), {"title": title, **fields})
        if attachment is not None:
            checked = check_upload(io.BytesIO(attachment), attachment_name, kinds=IMAGE_OR_PDF, max_bytes=20 << 20)
            # The check that runs in the background after an upload, done here so the story can go on.
            check_now(ops.add_attachment(_user(author), notice, checked))
        if submit:
            ops.submit_notice(_user(author), notice)
        if approve_at is not None:
            clock.set_now(approve_at)
            ops.approve_notice(_user("reviewer"), notice)
            # Let the scheduler's moves happen at their own times, as they would have.
            for moment in (notice.live_from, notice.live_until):
                if moment is not None and approve_at < moment <= loaded_at:
                    clock.set_now(moment)
                    ops.advance(notice, moment)
        return notice
    finally:
        clock.set_now(None)


def load(township) -> str:
    notices = [
        _notice("金家镇2025年政府信息公开工作年度报告", "editor", _at(-25, 9), _at(-25, 15),
                category="other_government", summary="2025年全镇政务公开工作的做法、成效、问题和下一步打算",
                body=REPORT_BODY, doc_number="金政发〔2026〕3号", formed_on=_at(-27, 9).date(), audience="township"),
        _notice("李庄村10月财务收支公开", "lizhuang", _at(-19, 9), _at(-19, 15), attachment=_ledger_image(),
                category="village_finances", summary="10月收入50,000.00元，支出18,260.50元",
                body=LEDGER_BODY, formed_on=_at(-20, 9).date(), audience="villages", villages=["lizhuang"],
                show_from=_at(-18, 8), show_until=_at(12, 18)),
        _notice("2026年第四季度农村低保对象公示", "editor", _at(-3, 10), _at(-2, 8, 30),
                category="dibao", summary="李庄村、王家村、张村拟保障对象3户6人，公示期7天",
                body=DIBAO_BODY, formed_on=_at(-4, 9).date(), audience="villages",
                villages=["lizhuang", "wangjia", "zhang"], show_from=_at(-2, 9)),
        _notice("金家镇农村人居环境整治实施方案（征求意见稿）", "editor", _at(-6, 10), _at(-5, 9),
                category="agri_policy", summary="预公开：方案草案公开征求意见15天", body=PLAN_BODY,
                formed_on=_at(-7, 9).date(), audience="township", pre_disclosure=True,
                period_length=15, period_unit="calendar_days", comment_until=_at(9, 17)),
        _notice("冬季森林防火预警", "editor", _at(-40, 8), _at(-40, 9), category="emergency",
                summary="进入森林防火期，严禁野外用火", body="进入冬季森林防火期，严禁在林区野外用火、焚烧秸秆。\n\n发现火情请拨打 119。",
                formed_on=_at(-40, 8).date(), audience="township"),
        _notice("王家村9月财务收支公开", "wangjia", _at(-50, 9), _at(-50, 16), category="village_finances",
                summary="9月收入32,000.00元，支出9,870.00元", body="9月收支明细见附表。",
                formed_on=_at(-51, 9).date(), audience="villages", villages=["wangjia"],
                show_from=_at(-49, 8), show_until=_at(-19, 18)),
        _notice("镇村道路养护工程中标候选人公示", "editor", _at(-1, 10), _at(-1, 16), category="tender_candidates",
                summary="第一中标候选人：示范县路桥工程有限公司", body="| 排名 | 候选人 | 报价（元） |\n|---|---|---:|\n"
                "| 1 | 示范县路桥工程有限公司 | 1,286,000 |\n| 2 | 金山建设有限公司 | 1,312,500 |",
                formed_on=_at(-2, 9).date(), audience="township", show_from=_at(1, 9)),
        _notice("王家村2027年一事一议筹资筹劳方案", "wangjia", _at(-1, 11), category="fundraising",
                summary="拟修建村内排水沟800米，每人筹资20元", body="经村民代表会议讨论，拟修建村内排水沟800米。",
                formed_on=_at(-2, 9).date(), audience="villages", villages=["wangjia"]),
        _notice("张村2026年度村务监督委员会工作报告", "editor", _at(0, 9), submit=False, category="village_decisions",
                summary="草稿", body="（起草中）", formed_on=_at(-1, 9).date(), audience="villages", villages=["zhang"]),
    ]
    db.session.flush()
    return f"{len(notices)} demo notices (showing, scheduled, expired, submitted for review, draft)"
