"""The demo township's annual report for the demo year, begun: the figures only the office's ledgers
hold (table 二's decisions and fees, section 六's fee) typed, section 五 written; everything else is
drafted from the demo's data when the report is opened. The county wants reports by 2月20日, and
金家镇 follows up bad ratings within 7 working days."""
from sqlalchemy import select

from kiosk.core import clock
from kiosk.core.settings import set_setting
from kiosk.extensions import db
from kiosk.org.models import Unit
from kiosk.reports.models import AnnualReport
from kiosk.reports.tables import empty_table_four

PROBLEMS = ("一是部分村公开栏内容更新不够及时，个别村财务公开存在滞后；二是政策解读形式较为单一，"
            "图解、视频等群众易懂的形式运用不多。下一步，镇政府将把村务公开时效纳入月度督查，"
            "对逾期未公开的村及时提醒、限期整改，并结合电子公开栏增加图解类政策解读。")


def load(township: Unit) -> str:
    year = clock.local_today().year
    county = township.parent
    set_setting(f"reports.due.{county.id}", "02-20")
    set_setting(f"reports.follow_up_days.{township.id}", "7")
    if db.session.scalar(select(AnnualReport).where(AnnualReport.unit_id == township.id,
                                                    AnnualReport.year == year)) is not None:
        return "reports: already begun"
    db.session.add(AnnualReport(
        unit=township, year=year, sections={"problems": PROBLEMS}, table_three={}, table_four=empty_table_four(),
        typed={"licensing": "126", "penalty": "3", "enforcement": "0", "fees": "0.86", "processing_fee": "0"}))
    db.session.flush()
    return f"reports: {township.name}'s annual report for {year} begun (typed figures, section 五)"
