"""Demo screens of 金家镇: a noticeboard in each village, a hall board and a touch kiosk in the hall,
their groups, and the rotations kept in schedules/."""
from sqlalchemy import select

from kiosk.extensions import db
from kiosk.org.models import Unit, UnitKind
from kiosk.screens.models import Screen, ScreenGroup, ScreenGroupMember, ScreenKind
from kiosk.screens.schedules import apply_dir
from kiosk.paths import SCHEDULES_DIR
from kiosk.screens.devices import new_token

# (unit code of the group's owner, group code, name)
TOWNSHIP_GROUPS = (("township", "全镇所有屏幕"), ("villages", "全部村务公开栏"), ("hall", "便民服务中心"))


def _group(unit: Unit, code: str, name: str) -> ScreenGroup:
    group = db.session.scalar(select(ScreenGroup).where(ScreenGroup.unit_id == unit.id, ScreenGroup.code == code))
    if group is None:
        group = ScreenGroup(unit=unit, code=code, name=name)
        db.session.add(group)
        db.session.flush()
    return group


def _screen(unit: Unit, kind: ScreenKind, name: str, groups: list[ScreenGroup]) -> Screen:
    screen = db.session.scalar(select(Screen).where(Screen.unit_id == unit.id, Screen.name == name))
    if screen is None:
        # The demo's screens are registered but not yet opened anywhere: the screen manager makes
        # a player link ("New player link") or pairs a browser by code.
        screen = Screen(unit=unit, kind=kind, name=name, token_hash=new_token()[1])
        db.session.add(screen)
        db.session.flush()
    have = {m.group_id for m in screen.memberships}
    screen.memberships += [ScreenGroupMember(group=g) for g in groups if g.id not in have]
    return screen


def load(township: Unit) -> str:
    everything, villages, hall_group = (_group(township, code, name) for code, name in TOWNSHIP_GROUPS)
    hall = db.session.scalar(select(Unit).where(Unit.parent_id == township.id, Unit.kind == UnitKind.hall))
    _screen(hall, ScreenKind.hall_board, "大厅叫号屏", [everything, hall_group])
    _screen(hall, ScreenKind.touch_kiosk, "大厅自助查询机", [everything, hall_group])
    village_units = list(db.session.scalars(select(Unit).where(Unit.parent_id == township.id,
                                                               Unit.kind == UnitKind.village).order_by(Unit.id)))
    for village in village_units:
        own = _group(village, "board", f"{village.name}公开栏")
        _screen(village, ScreenKind.noticeboard_portrait, f"{village.name}村务公开栏", [everything, villages, own])
    db.session.flush()
    created, updated = apply_dir(SCHEDULES_DIR)
    return (f"screens: {len(village_units) + 2} screens in {len(village_units) + 4} groups; "
            f"rotations from schedules/: {created} created, {updated} kept up to date")
