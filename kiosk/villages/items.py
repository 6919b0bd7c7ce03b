"""The township's village disclosure list (村务公开目录): its common items (seeded on first use),
its administrator's edits, and the item a notice is filed under."""
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from kiosk import privacy
from kiosk.accounts.models import Role, User
from kiosk.accounts.permissions import ensure_can_act_on, ensure_role
from kiosk.audit.operations import audited, record_change
from kiosk.core.errors import InvalidInput, NotFound
from kiosk.extensions import db
from kiosk.org.models import Unit, UnitKind
from kiosk.villages.models import Cadence, Channel, ListItem

CADENCE_LABELS = {Cadence.monthly: _l("Monthly"), Cadence.quarterly: _l("Quarterly"),
                  Cadence.public_day: _l("On the public days that list it"),
                  Cadence.after_approval: _l("Within days of the approval"), Cadence.at_once: _l("At once")}
CHANNEL_LABELS = {Channel.board: _l("Notice board"), Channel.screen: _l("Electronic screen"),
                  Channel.touch: _l("Touch kiosk"), Channel.meeting: _l("Villagers' meeting"),
                  Channel.broadcast: _l("Broadcast"), Channel.card: _l("Household card"),
                  Channel.phone: _l("WeChat group or SMS")}
LAW = "村民委员会组织法 第三十条"
LOCAL = "本镇村务公开目录"
_ALL = [Channel.board.value, Channel.screen.value, Channel.touch.value]
# The common items (../shared/DOMAIN-YEAR.md): name, basis, cadence, due day, responsible village role, channels.
COMMON_ITEMS = (
    ("财务收支", f"{LAW}：财务收支较多的，每月公布一次", Cadence.monthly, 10, "村报账员", _ALL),
    ("宅基地审批", f"{LOCAL}：每季度首月20日前公开", Cadence.quarterly, 20, "村委会主任", _ALL),
    ("低保名单", f"{LOCAL}：每季度首月20日前公开", Cadence.quarterly, 20, "村民政协理员", _ALL),
    ("残疾人补贴名单", f"{LOCAL}：每季度首月20日前公开", Cadence.quarterly, 20, "村民政协理员", _ALL),
    ("村民会议决定及实施情况", f"{LAW}：一般事项至少每季度公布一次", Cadence.quarterly, 20, "村委会主任",
     _ALL + [Channel.meeting.value]),
    ("需审批事项", f"{LOCAL}：审批后5日内公开", Cadence.after_approval, 5, "村委会主任", _ALL),
    ("5万元以上工程项目", f"{LAW}：涉及村民利益的重大事项随时公布", Cadence.at_once, 0, "村委会主任",
     _ALL + [Channel.broadcast.value]),
    ("上年度财务决算和本年度预算", "政务公开日（3月1日）公开", Cadence.public_day, 0, "村报账员",
     _ALL + [Channel.card.value]),
)
MAX_DUE_DAY = 28          # a day every month has
MAX_DAYS_AFTER = 30


def township_of(unit: Unit) -> Unit:
    township = unit.township
    if township is None:
        raise InvalidInput(_("Choose a township: the village disclosure list is kept per township."))
    return township


def seed_common_items(township: Unit) -> list[ListItem]:
    """The common items, written the first time a township's list is used (and never again, so an
    administrator's deletions stay deleted)."""
    items = []
    for position, (name, basis, cadence, due_day, responsible, channels) in enumerate(COMMON_ITEMS, start=1):
        item = ListItem(township=township, name=name, basis=basis, cadence=cadence, due_day=due_day,
                        responsible=responsible, channels=list(channels), position=position, active=True)
        db.session.add(item)
        items.append(item)
    db.session.flush()
    return items


def list_items(township: Unit, include_inactive: bool = False) -> list[ListItem]:
    """The township's list, seeded with the common items on first use."""
    if db.session.scalar(select(func.count()).select_from(ListItem).where(ListItem.township_id == township.id)) == 0:
        seed_common_items(township)
    query = select(ListItem).where(ListItem.township_id == township.id)
    if not include_inactive:
        query = query.where(ListItem.active.is_(True))
    return list(db.session.scalars(query.order_by(ListItem.position, ListItem.id)))


def get_item(item_id: int) -> ListItem:
    item = db.session.get(ListItem, item_id)
    if item is None:
        raise NotFound(_("There is no such item on the list."))
    return item


def _field(field: str, message: str) -> InvalidInput:
    return InvalidInput(message, details={"field": field})


def save_item(user: User, township: Unit, fields: dict, item: ListItem | None = None) -> ListItem:
    """Add an item to the township's list, or change one (its administrator only)."""
    ensure_role(user, Role.administrator)
    ensure_can_act_on(user, township)
    if township.kind != UnitKind.township:
        raise _field("township", _("The village disclosure list is kept per township."))
    if item is not None and item.township_id != township.id:
        raise NotFound(_("There is no such item on the list."))
    name = (fields.get("name") or "").strip()
    basis = (fields.get("basis") or "").strip()
    responsible = (fields.get("responsible") or "").strip()
    if not name or len(name) > 80:
        raise _field("name", _("Give the item a name of at most 80 characters."))
    if len(basis) > 200 or len(responsible) > 40:
        raise _field("basis", _("The basis is at most 200 characters and the responsible role at most 40."))
    try:
        cadence = Cadence(fields.get("cadence") or "")
    except ValueError:
        raise _field("cadence", _("Choose how often the item is due.")) from None
    due_day = fields.get("due_day")
    if cadence in (Cadence.monthly, Cadence.quarterly):
        if not isinstance(due_day, int) or not 1 <= due_day <= MAX_DUE_DAY:
            raise _field("due_day", _("Give the day of the month it is due by, 1 to %(max)s.", max=MAX_DUE_DAY))
    elif cadence in (Cadence.after_approval, Cadence.at_once):
        if not isinstance(due_day, int) or not 0 <= due_day <= MAX_DAYS_AFTER:
            raise _field("due_day", _("Give the days allowed, 0 to %(max)s.", max=MAX_DAYS_AFTER))
    else:
        due_day = 0
    channels = fields.get("channels") or []
    known = {channel.value for channel in Channel}
    if any(channel not in known for channel in channels):
        raise _field("channels", _("Choose the channels from the list."))
    privacy.ensure_clean({_("Item"): name, _("Basis"): basis, _("Responsible"): responsible})
    clash = db.session.scalar(select(ListItem.id).where(ListItem.township_id == township.id, ListItem.name == name))
    if clash is not None and (item is None or clash != item.id):
        raise _field("name", _("The list already has an item called %(name)s.", name=name))
    values = {"name": name, "basis": basis, "cadence": cadence, "due_day": due_day, "responsible": responsible,
              "channels": [c.value for c in Channel if c.value in channels], "active": bool(fields.get("active", True))}
    if item is None:
        list_items(township, include_inactive=True)   # the common items come first
        position = (db.session.scalar(select(func.max(ListItem.position)).where(
            ListItem.township_id == township.id)) or 0) + 1
        item = ListItem(township=township, position=position, **values)
        db.session.add(item)
        db.session.flush()
        record_change("village_list_item.create", item)
        return item
    with audited("village_list_item.update", item):
        for name_, value in values.items():
            setattr(item, name_, value)
    return item


def filing_item(unit: Unit, item_id: int | None) -> ListItem | None:
    """The item a notice of `unit` is filed under (0 or None: none), from its township's list."""
    if not item_id:
        return None
    item = db.session.get(ListItem, item_id)
    township = unit.township
    if item is None or township is None or item.township_id != township.id or not item.active:
        raise _field("list_item", _("Choose an item of your township's village disclosure list."))
    return item
