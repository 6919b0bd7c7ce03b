"""Demo content for the public side of 金家镇: the disclosure guide, the supervision page and the
complaint channels (as the seed reports describe them: 政务公开意见箱, 镇长接待日, 党政办 as the office),
an answered objection on a notice under publicity when the disclosures demo has one, and a month of
visits to the public pages, many through the QR codes on the screens."""
from datetime import datetime, time, timedelta

from sqlalchemy import select

from kiosk.accounts.models import User
from kiosk.core import clock
from kiosk.disclosures.models import Notice, NoticeState
from kiosk.extensions import db
from kiosk.org.models import Unit
from kiosk.public import operations as ops
from kiosk.public.models import ChannelKind, Comment, CommentKind, PageKind, PageVisit, VisitedPage
from kiosk.public.visits import count_visit

CHANNELS = {
    ChannelKind.hotline: ("12345政务服务便民热线", "12345", "24小时受理咨询、投诉、求助和建议"),
    ChannelKind.discipline: ("12388纪检监察举报电话", "12388", "受理对党员干部违纪违法行为的举报"),
    ChannelKind.supervision: ("金家镇政务公开监督电话", "0551-6688 1234", "工作日 8:30—12:00，14:30—17:30，党政办接听"),
    ChannelKind.opinion_box: ("政务公开意见箱", "镇政府大院门口、便民服务中心大厅入口各一个",
                              "每周一由镇纪委开箱登记，10个工作日内答复"),
}

GUIDE = """为了更好地提供政府信息公开服务，根据《中华人民共和国政府信息公开条例》（2019年修订），编制本指南。
本指南每年更新一次，群众可在本网页、便民服务中心触摸屏和各村公开栏查阅。

## 一、主动公开

### （一）公开内容
镇政府主动公开机构职能与联系方式、规范性文件、规划计划、财政预决算与"三公"经费、
行政事业性收费、政府采购、重大建设项目、扶贫教育医疗社保就业、应急预案与预警信息、
监督检查情况等信息，以及农业农村政策、农田水利工程、土地承包经营权流转、宅基地审核、
土地征收、房屋征收、筹资筹劳、社会救助等涉及群众切身利益的事项。
各村的村务决策与执行、村级财务收支、救灾救济与补贴，在本村电子公开屏和公开栏公开。

### （二）公开方式
- 本网页"目录"：可按类别、发布单位和村查找，每条信息都有索引号；
- 便民服务中心触摸屏和大厅电子屏；
- 各村村委会电子公开屏和公开栏，每条公告附二维码，扫码即可在手机上查看全文；
- 广播、会议、简报等其他方式。

### （三）公开时限
属于主动公开范围的信息，自形成或者变更之日起20个工作日内公开。
低保名单、干部任前、征地等事项按规定设置公示期，公示期内可以提出意见或异议。

## 二、依申请公开

### （一）受理机构
金家镇人民政府党政办公室（镇政府办公楼二楼），办公时间：工作日 8:30—12:00，14:30—17:30。

### （二）申请方式
填写《政府信息公开申请表》，当面提交、邮寄或传真均可。申请时请写明姓名或名称、身份证件、
联系方式，以及所需信息的名称、文号或者便于查询的其他特征。

### （三）答复期限
能够当场答复的，当场答复；不能当场答复的，自收到申请之日起20个工作日内答复；
需要延长的，经负责人同意并告知申请人，延长不超过20个工作日。依申请提供政府信息，不收取费用。

## 三、监督和救济
认为镇政府在政府信息公开工作中侵犯其合法权益的，可以向县人民政府政务公开工作主管部门投诉、举报，
也可以依法申请行政复议或者提起行政诉讼。镇纪委负责政务公开工作的监督检查。
"""

SUPERVISION = """我镇按照"党委统一领导、政府主抓、纪检监督协调、党政办组织实施"的原则开展政务公开，
自觉接受群众监督、社会监督和舆论监督。

## 怎样反映问题
- **对某条公示有意见或异议**：请在公示期内打开该公告页面（扫描公告上的二维码），在页面下方留言；
  工作人员答复后，问题和答复可在页面上公开（电话号码不会公开）。
- **公开内容长期不更新、更换不及时**：请拨打监督电话，或投入政务公开意见箱。
- **反映干部作风和违纪问题**：请拨打12388，或到镇纪委当面反映。

## 镇长接待日
每月第一个星期三上午，镇长在便民服务中心接待来访群众。

## 处理时限
监督电话和意见箱收到的问题，镇纪委登记后转有关部门办理，一般在10个工作日内答复；
情况复杂的，告知延期理由。
"""

OBJECTION = ("名单中王家村的一户去年已经盖了新房，还买了小轿车，是否符合低保条件？请核实。",
             "经镇民政办会同王家村村委会入户核查，该户新房系危房改造补助建设，车辆已于今年转让，"
             "家庭人均收入低于当地低保标准，符合条件。感谢您的监督。")


def _answered_objection(township: Unit) -> str:
    """An answered, published objection on the first notice under publicity, if there is one."""
    notices = db.session.scalars(select(Notice).join(Notice.unit).where(
        Notice.state == NoticeState.showing, Unit.path.startswith(township.path)).order_by(Notice.id))
    notice = next((n for n in notices if ops.comments_open(n)), None)
    if notice is None or db.session.scalar(select(Comment.id).where(Comment.notice_id == notice.id)):
        return ""
    comment = ops.create_comment(notice, CommentKind.objection, OBJECTION[0], name="王建军", phone="13912345678")
    reviewer = db.session.scalar(select(User).where(User.username == "reviewer"))
    if reviewer is not None:
        ops.answer_comment(reviewer, comment, OBJECTION[1], public=True)
    return f", an answered objection on {notice.published_version.title}"


VISIT_DAYS = 30


def _visits(township: Unit) -> str:
    """Visits on each of the last 30 days of this year (none today, none in the future): the catalogue a
    few times a day, each live notice now and then, more often scanned from a screen than typed."""
    if db.session.scalar(select(PageVisit.day).where(PageVisit.unit_id == township.id).limit(1)):
        return ""
    notices = list(db.session.scalars(select(Notice).join(Notice.unit).where(
        Notice.published_version_id.is_not(None), Notice.live_from.is_not(None),
        Unit.path.startswith(township.path)).order_by(Notice.id)))
    today = clock.local_today()
    total = 0
    for back in range(VISIT_DAYS, 0, -1):
        day = today - timedelta(days=back)
        if day.year != today.year:
            continue
        morning = datetime.combine(day, time(9), clock.local_zone())
        visits = [(township.id, VisitedPage.catalogue, back % 3 == 0)] * 3
        visits += [(township.id, VisitedPage.guide, False)] * (back % 4 == 0)
        for notice in notices:
            if notice.live_from <= morning:
                turn = (notice.id + back) % 4
                visits += [(notice.unit_id, VisitedPage.notice, scanned) for scanned in (True, False)[:turn]]
                visits += [(notice.unit_id, VisitedPage.document, False)] * (turn == 3 and bool(notice.attachments))
        for minute, (unit_id, page, scanned) in enumerate(visits):
            count_visit(unit_id, page, scanned, at=morning + timedelta(minutes=7 * minute))
        total += len(visits)
    return f", {total} visits to the public pages"


def _joined(markdown: str) -> str:
    """Join the lines of each paragraph: a line break inside Chinese text would show as a space."""
    lines: list[str] = []
    for line in markdown.split("\n"):
        if lines and lines[-1] and not lines[-1].startswith("#") and line and not line.startswith(("#", "-", "|")):
            lines[-1] += line.strip()
        else:
            lines.append(line)
    return "\n".join(lines)


def load(township: Unit) -> str:
    admin = db.session.scalar(select(User).where(User.username == "admin"))
    for kind, (label, value, note) in CHANNELS.items():
        ops.save_channel(admin, township, kind, label, value, note)
    ops.save_page(admin, township, PageKind.guide, _joined(GUIDE))
    ops.save_page(admin, township, PageKind.supervision, _joined(SUPERVISION))
    return f"public pages: the disclosure guide, the supervision page and {len(CHANNELS)} channels{_answered_objection(township)}{_visits(township)}"
