"""The units and staff accounts of 金家镇."""
from pypinyin import lazy_pinyin
from sqlalchemy import select

from kiosk.accounts.models import Role, User
from kiosk.accounts.operations import create_user
from kiosk.extensions import db
from kiosk.org.models import Unit, UnitKind
from kiosk.org.operations import create_unit

VILLAGES = ("李庄村", "王家村", "张村", "金山村", "东湖村", "西山村", "南塘村", "北岭村", "柳树村", "桥头村", "石桥村")
DEMO_PASSWORD = "jinjia-demo"

# username, display name, roles, unit code ("" = the township)
ACCOUNTS = (
    ("admin", "系统管理员", {Role.administrator}, "county"),
    ("editor", "党政办 刘敏", {Role.editor}, ""),
    ("reviewer", "分管副镇长 陈建国", {Role.reviewer}, ""),
    ("screens", "信息员 赵磊", {Role.screen_manager}, ""),
    ("window1", "1号窗口 孙丽", {Role.window_clerk}, "jinjia-hall"),
    ("window2", "2号窗口 周强", {Role.window_clerk}, "jinjia-hall"),
    ("window3", "3号窗口 吴刚", {Role.window_clerk}, "jinjia-hall"),
    ("window4", "4号窗口 郑洁", {Role.window_clerk}, "jinjia-hall"),
    ("lizhuang", "李庄村文书 李红", {Role.editor}, "lizhuang"),
    ("wangjia", "王家村文书 王芳", {Role.editor}, "wangjia"),
)


def village_code(name: str) -> str:
    """李庄村 → lizhuang: the pinyin of the name without the trailing 村."""
    return "".join(lazy_pinyin(name.removesuffix("村")))


def _unit(code: str, kind: UnitKind, name: str, parent: Unit | None) -> Unit:
    return db.session.scalar(select(Unit).where(Unit.code == code)) or create_unit(kind, name, code, parent)


def load(_township=None) -> Unit:
    county = _unit("county", UnitKind.county, "示范县", None)
    township = _unit("jinjia", UnitKind.township, "金家镇", county)
    _unit("jinjia-hall", UnitKind.hall, "金家镇便民服务中心", township)
    for name in VILLAGES:
        _unit(village_code(name), UnitKind.village, name, township)
    for username, display, roles, code in ACCOUNTS:
        if db.session.scalar(select(User).where(User.username == username)) is None:
            unit = township if not code else db.session.scalar(select(Unit).where(Unit.code == code))
            create_user(username, DEMO_PASSWORD, roles, unit, display, demo=True)
    db.session.flush()
    return township


def accounts_summary() -> str:
    lines = [f"demo accounts (password for all: {DEMO_PASSWORD}; demo accounts are exempt from the "
             "password rules, accounts you create are not):"]
    lines += [f"  {username:<10} {display}" for username, display, _roles, _code in ACCOUNTS]
    return "\n".join(lines)
