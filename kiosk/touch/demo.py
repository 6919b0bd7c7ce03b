"""Demo step: the service guides (办事指南) of 金家镇便民服务中心, one per queue service, and a long
village notice with a scanned multi-page document, to read page by page at the kiosk."""
import io
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont
from sqlalchemy import select

from kiosk.accounts.models import User
from kiosk.disclosures.demo import _at, _notice
from kiosk.extensions import db
from kiosk.org.models import Unit
from kiosk.queue import operations as queue_ops
from kiosk.touch.operations import guides_of, save_guide

HOURS = "周一至周五 08:30-12:00，13:30-17:30（法定节假日除外）"
# prefix, title, office, steps, time limit, fee, window
GUIDES = (
    ("A", "城乡居民养老保险参保登记", "镇社会保障服务所",
     ("在取号机选择“社会保险”取号", "到窗口提交身份证和社会保障卡", "窗口核对信息、填写参保登记表", "当场办结，领取回执"),
     "即时办结", "不收费", "1号、2号窗口"),
    ("B", "最低生活保障申请", "镇民政办",
     ("村（居）委会或窗口领取申请表", "提交申请表和家庭收入、财产说明", "入户调查、民主评议", "镇政府审核，公示7天",
      "县民政局审批，发放保障金"),
     "30个工作日", "不收费", "2号、3号窗口"),
    ("C", "耕地地力保护补贴申报", "镇农业农村服务中心",
     ("带土地承包经营权证到窗口申报", "窗口核实面积并登记", "村内公示", "补贴打入惠农“一卡通”"),
     "15个工作日", "不收费", "3号、4号窗口"),
    ("D", "户口迁移与居住证办理", "金家派出所驻中心窗口",
     ("准备户口簿、身份证和照片", "窗口受理并采集信息", "审核通过后领取证件"),
     "居住证10个工作日，户口迁移即时办结", "居住证首次申领不收费", "4号窗口"),
    ("E", "退役军人优待证申领", "镇退役军人服务站",
     ("窗口提交退役证和照片", "信息核对、采集", "县退役军人事务局制证", "到站领取"),
     "20个工作日", "不收费", "1号窗口"),
)

PROJECT_BODY = "\n\n".join(
    [f"## {number}. {name}\n\n项目地点：{place}。建设内容：{what}。预算{money}元，资金来源为一事一议财政奖补和村集体经济收入。"
     f"实施方式：由村民代表会议推选的理财小组监督，按照“四议两公开”程序实施，完工后由镇农经站组织验收并在本栏公开结算情况。"
     for number, (name, place, what, money) in enumerate((
         ("村东组道路硬化", "村东组至310省道", "硬化道路1.2公里，宽4.5米", "360,000"),
         ("文化广场照明", "村委会文化广场", "安装太阳能路灯24盏", "86,400"),
         ("灌溉渠清淤", "南片农田", "清淤及护坡2.3公里", "128,000"),
         ("垃圾分类收集点", "各村民小组", "新建收集点8处", "64,000"),
         ("村卫生室改造", "村卫生室", "改造诊室、药房和无障碍通道", "95,000"),
         ("饮水安全提升", "西组、北组", "更换供水管网1.6公里", "142,000"),
     ), start=1)]) + "\n\n公示期7天。对以上项目如有意见，请扫码留言或向村务监督委员会反映。"


def _project_pdf() -> bytes:
    """Three pages standing in for the clerk's scanned budget tables."""
    fonts = sorted(Path("/usr/share/fonts").glob("**/NotoSansCJK-Regular.tt*"))
    font = ImageFont.truetype(str(fonts[0]), 44) if fonts else ImageFont.load_default()
    pages = []
    for number in range(1, 4):
        page = Image.new("RGB", (1240, 1754), "white")
        draw = ImageDraw.Draw(page)
        draw.text((90, 90), f"李庄村公益事业建设项目预算表（第{number}页，共3页）", fill="black", font=font)
        for row in range(14):
            draw.line((90, 220 + row * 100, 1150, 220 + row * 100), fill="#888888", width=2)
        pages.append(page)
    buffer = io.BytesIO()
    pages[0].save(buffer, "PDF", save_all=True, append_images=pages[1:], resolution=150)
    return buffer.getvalue()


def load(township: Unit) -> str:
    hall = db.session.scalar(select(Unit).where(Unit.code == "jinjia-hall"))
    admin = db.session.scalar(select(User).where(User.username == "admin"))
    services = {service.prefix: service.id for service in queue_ops.services_of(hall)}
    if not guides_of(hall):
        for prefix, title, office, steps, limit, fee, window in GUIDES:
            materials = next(s for s in queue_ops.services_of(hall) if s.prefix == prefix).materials
            save_guide(admin, hall, {"title": title, "office": office, "steps": "\n".join(steps), "time_limit": limit,
                                     "fee": fee, "window": window, "hours": HOURS, "materials": materials},
                       services[prefix])
    _notice("李庄村2026年村级公益事业建设项目公示", "lizhuang", _at(-1, 9), _at(-1, 15),
            attachment=_project_pdf(), attachment_name="project-budget.pdf",
            category="village_decisions", summary="6个项目，预算合计875,400元，公示期7天",
            body=PROJECT_BODY, formed_on=_at(-2, 9).date(), audience="villages", villages=["lizhuang"],
            period_length=7, period_unit="calendar_days")
    db.session.flush()
    return f"touch kiosk: {len(GUIDES)} service guides at {hall.name}, a long village notice with a 3-page document"
