"""The words of the annual report: a draft of each section in plain Chinese, filled from the numbers
(`activity.py`, `tables.py`). The draft is a starting text: staff edit every sentence and the saved
text is theirs. The report is a Chinese government document in a prescribed format, so its words
are Chinese, not translated."""
from datetime import date
from decimal import Decimal

from kiosk.core import clock
from kiosk.disclosures.timeliness import LIMIT_WORKING_DAYS
from kiosk.org.models import Unit
from kiosk.reports import activity
from kiosk.reports.models import NormativeKind
from kiosk.reports.settings import follow_up_days
from kiosk.surveys.figures import year_figures as survey_figures
from kiosk.villages import due as village_items

SECTIONS = {
    "overview": "一、总体情况",
    "proactive": "二、主动公开政府信息情况",
    "applications": "三、收到和处理政府信息公开申请情况",
    "remedies": "四、政府信息公开行政复议、行政诉讼情况",
    "problems": "五、存在的主要问题及改进情况",
    "other": "六、其他需要报告的事项",
}


def _share(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "—"


def _listing(pairs: list[tuple[str, int]], most: int = 6) -> str:
    shown = "、".join(f"{name}{count}条" for name, count in pairs[:most])
    rest = sum(count for _name, count in pairs[most:])
    return shown + (f"、其余类别{rest}条" if rest else "")


def overview(unit: Unit, year: int) -> str:
    """Section 一 from the year's data."""
    unit_ids = [u.id for u in activity.units_below(unit)]
    first, last = date(year, 1, 1), date(year, 12, 31)
    span = activity.local_span(first, last)
    notices = activity.notice_figures(unit_ids, span)
    screens = activity.screen_figures(unit_ids, span)
    comments = activity.comment_figures(unit_ids, span)
    township = unit.township or unit
    hall = activity.hall_figures(unit_ids, first, last, follow_up_days(township))
    visits = activity.visit_figures(unit_ids, first, last)
    villages = activity.village_figures(unit_ids, span)
    paragraphs = []

    text = f"{year}年，{unit.name}通过电子公开栏、触摸查询机和网上公开目录主动公开政府信息{notices.published}条"
    text += f"，其中{_listing(notices.by_category)}。" if notices.by_category else "。"
    text += (f"按公开范围分，面向全镇各公开栏{notices.township_wide}条，便民服务中心{notices.hall}条，"
             f"指定村{notices.villages}条；{notices.with_documents}条附有全文，群众扫描二维码即可在手机上查阅。")
    extras = []
    if notices.pre_disclosures:
        extras.append(f"开展决策预公开{notices.pre_disclosures}次")
    if notices.corrections:
        extras.append(f"发布更正{notices.corrections}次")
    if extras:
        text += "，".join(extras) + "。"
    paragraphs.append(text)

    if visits.pages or visits.documents:
        paragraphs.append(f"本年度网上公开目录和信息公开页面被访问{visits.pages}次，其中扫描二维码查看{visits.scanned}次；"
                          f"全文文件被查阅或下载{visits.documents}次。")

    measured = notices.on_time + notices.late
    text = (f"按照《政府信息公开条例》第二十六条，政府信息应当自形成或者变更之日起{LIMIT_WORKING_DAYS}个工作日内公开。"
            f"本年度已上屏的{measured}条信息中，{notices.on_time}条在时限内公开，{notices.late}条超过时限")
    text += "，已督促相关单位按时报送。" if notices.late else "。"
    paragraphs.append(text)

    on = sum(row.on_hours for row in screens)
    heard = sum(row.heard_hours for row in screens)
    shown = sum(row.shown_hours for row in screens)
    text = (f"全镇共有电子公开栏{len(screens)}块，本年度应开屏{on:.0f}小时，其中在线{heard:.0f}小时"
            f"（在线率{100 * heard / on:.1f}%）、播放公开内容{shown:.0f}小时。" if on else
            f"全镇共有电子公开栏{len(screens)}块，本年度没有应开屏的时段。")
    if notices.with_period:
        text += (f"有公示期的信息{notices.with_period}条，其中{notices.period_honoured}条经公示证明"
                 f"在所有应展示的公开栏完整展示了公示期。")
    paragraphs.append(text)

    received = comments.comments + comments.objections
    if received:
        text = (f"群众通过公开信息页提交意见建议{comments.comments}条、异议{comments.objections}条，"
                f"已答复{comments.answered}条，其中{comments.answered_public}条连同答复公开")
        if comments.longest_working_days == 0:
            text += "，均在收到当日答复"
        elif comments.average_working_days is not None:
            text += f"；平均答复用时{comments.average_working_days:g}个工作日，最长{comments.longest_working_days}个工作日"
        paragraphs.append(text + "。")
    else:
        paragraphs.append("本年度未收到群众对公开信息的意见建议和异议。")

    if hall.issued or hall.ratings:
        text = f"便民服务中心全年取号{hall.issued}人次，办结{hall.served}件"
        if hall.average_wait_minutes is not None:
            text += f"，平均等候{hall.average_wait_minutes:g}分钟"
        text += (f"。“好差评”共评价{hall.ratings}次，满意（含基本满意）{hall.satisfied}次，"
                 f"满意率{_share(hall.satisfied, hall.ratings)}；差评{hall.bad}件，已回访整改{hall.followed_up}件，"
                 f"其中{hall.followed_up_in_time}件在{hall.follow_up_days}个工作日内完成。")
        paragraphs.append(text)

    if villages.villages:
        text = (f"全镇{villages.villages}个村中，{villages.disclosed}个村本年度更新了村务公开内容，"
                f"共公开村务事项{villages.items}条，其中财务收支{villages.finances}条。")
        if year == clock.local_today().year:
            late = {status.village.id for status in village_items.overdue(township)}
            text += (f"截至{clock.local_today():%Y年%-m月%-d日}，仍有{len(late)}个村的村务或财务公开逾期，已列入督办。"
                     if late else "目前没有村的村务或财务公开逾期。")
        paragraphs.append(text)

    surveys = survey_figures([township.id], year)
    if surveys.surveys:
        text = f"开展群众评议问卷调查{surveys.surveys}次，群众通过触摸查询机和手机扫码答卷{surveys.answers}份"
        if surveys.scale_answers:
            text += f"，满意度评分中“满意”及以上占{_share(surveys.satisfied, surveys.scale_answers)}"
        paragraphs.append(text + "。")
    return "\n\n".join(paragraphs)


def proactive(documents: dict, typed: dict) -> str:
    normative = documents[NormativeKind.normative]
    return (f"本年度制发行政规范性文件{normative.issued}件，废止{normative.repealed}件，"
            f"现行有效{normative.in_force}件。各项数据见下表。")


def applications(figures: dict) -> str:
    total = lambda row: figures[row]["total"]  # noqa: E731
    return (f"本年度新收政府信息公开申请{total('received')}件，上年结转{total('carried_in')}件，"
            f"办理完毕{total('results_total')}件，结转下年度继续办理{total('carried_out')}件。各项数据见下表。")


def remedies(table_four: dict) -> str:
    review = table_four["review.total"]
    litigation = table_four["litigation_direct.total"] + table_four["litigation_after_review.total"]
    if not review and not litigation:
        return "本年度未发生因政府信息公开引起的行政复议、行政诉讼。"
    return f"本年度因政府信息公开被申请行政复议{review}件，被提起行政诉讼{litigation}件。各项数据见下表。"


def other(typed: dict) -> str:
    fee = Decimal(typed.get("processing_fee") or 0)
    if not fee:
        return "本年度未收取信息处理费。无其他需要报告的事项。"
    return f"本年度按照《政府信息公开信息处理费管理办法》收取信息处理费{format(fee.normalize(), 'f')}元。"
