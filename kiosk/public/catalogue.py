"""The public catalogue (目录, Art. 12): every notice showing now, filtered and searched.

Search is a substring match on the approved version's title, summary, body and category name, which
suits Chinese (no word breaks) at a township's scale; a word of Latin letters also matches the pinyin
or the pinyin initials of a title or category, so "dibao", "db" or "dbgs" (低保公示) finds 低保 on a
phone or the kiosk without a Chinese keyboard.
"""
import math
from dataclasses import dataclass, field
from functools import lru_cache

from sqlalchemy import func, or_, select

from kiosk.disclosures.feed import checks_clear
from kiosk.disclosures.models import Audience, Category, Notice, NoticeState, NoticeVersion
from kiosk.extensions import db
from kiosk.org.models import Unit, UnitKind

PAGE_SIZE = 20
MAX_WORDS = 5


@dataclass
class Filters:
    category: str = ""
    unit: str = ""
    village: str = ""
    q: str = ""
    page: int = 1

    @property
    def words(self) -> list[str]:
        return self.q.split()[:MAX_WORDS]

    @property
    def active(self) -> bool:
        return bool(self.category or self.unit or self.village or self.q)


@dataclass
class CataloguePage:
    notices: list[Notice]
    total: int
    page: int
    pages: int
    categories: list[Category] = field(default_factory=list)
    units: list[Unit] = field(default_factory=list)
    villages: list[Unit] = field(default_factory=list)


def _showing():
    """Notices showing now with a public approved version whose files passed the privacy check,
    joined to that version."""
    return (select(Notice).join(NoticeVersion, Notice.published_version_id == NoticeVersion.id)
            .where(Notice.state == NoticeState.showing, NoticeVersion.audience != Audience.internal, checks_clear()))


def _escape_like(word: str) -> str:
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


@lru_cache(maxsize=4096)
def _pinyin_forms(title: str) -> tuple[str, str]:
    """(full pinyin, initials) of a title, lower case, without spaces."""
    from pypinyin import Style, lazy_pinyin   # seconds to load its dictionaries: only when someone searches so
    full = "".join(lazy_pinyin(title)).lower()
    initials = "".join(lazy_pinyin(title, style=Style.FIRST_LETTER)).lower()
    return full, initials


def in_pinyin(word: str, *texts: str) -> bool:
    """Whether a word of Latin letters is in the full pinyin or the initials of one of the texts
    (低保公示: "dibao", "dbgs")."""
    word = word.lower()
    return any(word in form for text in texts for form in _pinyin_forms(text))


def _pinyin_matches(word: str) -> list[int]:
    """Notices whose title or category name (低保公示: "dbgs") holds the word in pinyin."""
    rows = db.session.execute(_showing().join(Category, NoticeVersion.category_id == Category.id)
                              .with_only_columns(Notice.id, NoticeVersion.title, Category.name))
    return [notice_id for notice_id, title, category in rows if in_pinyin(word, title, category)]


def _word_condition(word: str):
    pattern = f"%{_escape_like(word)}%"
    condition = or_(*(column.ilike(pattern, escape="\\") for column in
                      (NoticeVersion.title, NoticeVersion.summary, NoticeVersion.body, Notice.index_number)),
                    NoticeVersion.category_id.in_(select(Category.id).where(Category.name.ilike(pattern, escape="\\"))))
    if word.isascii() and word.isalpha():
        condition = or_(condition, Notice.id.in_(_pinyin_matches(word)))
    return condition


def _village_audiences() -> list[tuple[int, int, list]]:
    """(notice id, publisher id, chosen village ids) of every showing notice."""
    return list(db.session.execute(_showing().with_only_columns(
        Notice.id, Notice.unit_id, NoticeVersion.audience_unit_ids)))


def _for_village(village: Unit):
    """Notices addressed to one village: published by it, or with it among the chosen villages."""
    ids = [notice_id for notice_id, publisher_id, chosen in _village_audiences()
           if publisher_id == village.id or village.id in (chosen or [])]
    return Notice.id.in_(ids)


def _unit(code: str, kinds=None) -> Unit | None:
    if not code:
        return None
    query = select(Unit).where(Unit.code == code)
    if kinds:
        query = query.where(Unit.kind.in_(kinds))
    return db.session.scalar(query)


def filtered_unit(filters: Filters) -> Unit | None:
    """The village or unit the catalogue is filtered on, the village first."""
    return _unit(filters.village, [UnitKind.village]) or _unit(filters.unit)


def search(filters: Filters) -> CataloguePage:
    query = _showing()
    if filters.category:
        query = query.join(Category, NoticeVersion.category_id == Category.id).where(Category.code == filters.category)
    unit = _unit(filters.unit)
    if filters.unit:
        query = query.join(Unit, Notice.unit_id == Unit.id).where(
            Unit.path.startswith(unit.path) if unit else Unit.id.is_(None))
    if filters.village:
        village = _unit(filters.village, [UnitKind.village])
        query = query.where(_for_village(village) if village else Notice.id.is_(None))
    for word in filters.words:
        query = query.where(_word_condition(word))
    total = db.session.scalar(query.with_only_columns(func.count(Notice.id)).order_by(None))
    pages = max(1, math.ceil(total / PAGE_SIZE))
    page = min(max(1, filters.page), pages)
    notices = list(db.session.scalars(query.order_by(Notice.live_from.desc(), Notice.id.desc())
                                      .offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE)))
    return CataloguePage(notices=notices, total=total, page=page, pages=pages, **choices())


def choices() -> dict:
    """The filter options: only categories, publishers and villages something is showing for."""
    audiences = _village_audiences()
    publisher_ids = {publisher_id for _id, publisher_id, _chosen in audiences}
    village_ids = publisher_ids | {village_id for _id, _publisher, chosen in audiences for village_id in chosen or []}
    category_ids = _showing().with_only_columns(NoticeVersion.category_id)
    categories = list(db.session.scalars(select(Category).where(Category.id.in_(category_ids))
                                         .order_by(Category.position, Category.id)))
    units = list(db.session.scalars(select(Unit).where(Unit.id.in_(publisher_ids), Unit.kind != UnitKind.village)
                                    .order_by(Unit.path)))
    villages = list(db.session.scalars(select(Unit).where(Unit.id.in_(village_ids), Unit.kind == UnitKind.village)
                                       .order_by(Unit.path)))
    return {"categories": categories, "units": units, "villages": villages}
