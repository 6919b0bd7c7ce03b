"""The supervision committee (村务监督委员会) of each village and its sign-off.

A member is an account holding the `supervisor` role whose unit is the village. An account marked
as a member of the village committee (村民委员会) of a village cannot also be a supervisor there
(村民委员会组织法 第三十二条): the marker and the role refuse each other. In the categories a
township chose, a village's submitted notice goes to its supervision committee first; the township's
reviewer sees it (and may approve it) only once a member has signed the version, recorded with who
and when and audited; the public page and the screens then show 经村务监督委员会审核."""
from flask_babel import gettext as _
from sqlalchemy import select

from kiosk.accounts.models import Role, User, UserRole
from kiosk.accounts.permissions import ensure_can_act_on, ensure_role
from kiosk.audit.operations import record_change
from kiosk.core import clock
from kiosk.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from kiosk.disclosures import operations as notices
from kiosk.disclosures.models import Category, Notice, NoticeVersion
from kiosk.extensions import db
from kiosk.org.models import Unit, UnitKind
from kiosk.villages.models import CommitteeMember, SignOff, SignOffCategory

MAX_NOTE = 500


# -- who sits where -----------------------------------------------------------------------------

def supervisors_of(village: Unit) -> list[User]:
    return list(db.session.scalars(select(User).join(UserRole).where(
        User.unit_id == village.id, UserRole.role == Role.supervisor, User.active.is_(True)).order_by(User.id)))


def committee_members(scope: Unit) -> list[CommitteeMember]:
    return list(db.session.scalars(select(CommitteeMember).join(CommitteeMember.village)
                                   .where(Unit.path.startswith(scope.path)).order_by(Unit.path, CommitteeMember.id)))


def _conflict(user: User, village: Unit) -> Conflict:
    return Conflict(_("%(name)s is a member of the village committee of %(village)s and cannot sit on its "
                      "supervision committee (村民委员会组织法 第三十二条).", name=user.display_name,
                      village=village.name), code="role_conflict")


def refuse_supervisor_on_village_committee(user: User, roles: set[Role]) -> None:
    """accounts.ROLE_RULES: the supervisor role is refused to a village committee member of the
    account's village."""
    if Role.supervisor not in roles:
        return
    marked = db.session.scalar(select(CommitteeMember).where(CommitteeMember.user_id == user.id,
                                                             CommitteeMember.village_id == user.unit_id))
    if marked is not None:
        raise _conflict(user, marked.village)


def mark_committee_member(actor: User, village: Unit, user: User) -> CommitteeMember:
    """Mark an account as a member of a village's committee (the township's administrator)."""
    ensure_role(actor, Role.administrator)
    ensure_can_act_on(actor, village)
    if village.kind != UnitKind.village:
        raise InvalidInput(_("Choose a village."), details={"field": "village"})
    ensure_can_act_on(actor, user.unit)
    if user.has_role(Role.supervisor) and user.unit_id == village.id:
        raise _conflict(user, village)
    existing = db.session.scalar(select(CommitteeMember).where(CommitteeMember.village_id == village.id,
                                                               CommitteeMember.user_id == user.id))
    if existing is not None:
        return existing
    member = CommitteeMember(village=village, user=user)
    db.session.add(member)
    db.session.flush()
    record_change("village_committee_member.create", member)
    return member


def unmark_committee_member(actor: User, member: CommitteeMember) -> None:
    ensure_role(actor, Role.administrator)
    ensure_can_act_on(actor, member.village)
    record_change("village_committee_member.delete", member, after={})
    db.session.delete(member)
    db.session.flush()


# -- which categories need the sign-off ----------------------------------------------------------

def sign_off_categories(township: Unit) -> set[int]:
    return set(db.session.scalars(select(SignOffCategory.category_id).where(SignOffCategory.township_id == township.id)))


def set_sign_off_categories(actor: User, township: Unit, category_ids: set[int]) -> None:
    """Choose the categories whose village notices the supervision committee signs (the township's administrator)."""
    ensure_role(actor, Role.administrator)
    ensure_can_act_on(actor, township)
    if township.kind != UnitKind.township:
        raise InvalidInput(_("Choose a township."), details={"field": "township"})
    known = set(db.session.scalars(select(Category.id).where(Category.id.in_(category_ids or [0]))))
    if known != set(category_ids):
        raise InvalidInput(_("Choose the categories from the list."), details={"field": "categories"})
    rows = {row.category_id: row for row in db.session.scalars(
        select(SignOffCategory).where(SignOffCategory.township_id == township.id))}
    for category_id in set(rows) - category_ids:
        record_change("village_sign_off_category.delete", rows[category_id], after={})
        db.session.delete(rows[category_id])
    for category_id in category_ids - set(rows):
        row = SignOffCategory(township_id=township.id, category_id=category_id)
        db.session.add(row)
        db.session.flush()
        record_change("village_sign_off_category.create", row)
    db.session.flush()


def needs_sign_off(notice: Notice, version: NoticeVersion | None = None) -> bool:
    """A village's notice in a category its township chose."""
    unit = notice.unit
    if unit.kind != UnitKind.village or unit.township is None:
        return False
    category_id = (version or notice).category_id
    return category_id in sign_off_categories(unit.township)


def awaiting_sign_off(notice: Notice) -> bool:
    version = notices.pending_version(notice)
    return version is not None and version.sign_off is None and needs_sign_off(notice, version)


def review_gate(notice: Notice) -> str | None:
    """disclosures.REVIEW_GATES: why the township's reviewer cannot take the notice yet."""
    if awaiting_sign_off(notice):
        return _("This notice waits for the sign-off of the supervision committee of %(village)s before the "
                 "township reviews it.", village=notice.unit.name)
    return None


# -- signing -------------------------------------------------------------------------------------

def _ensure_supervisor(user: User, notice: Notice) -> NoticeVersion:
    ensure_role(user, Role.supervisor)
    if user.unit_id != notice.unit_id:
        raise Forbidden(_("Only the supervision committee of %(village)s signs its notices.", village=notice.unit.name))
    marked = db.session.scalar(select(CommitteeMember).where(CommitteeMember.user_id == user.id,
                                                             CommitteeMember.village_id == notice.unit_id))
    if marked is not None:
        raise _conflict(user, notice.unit)
    if not awaiting_sign_off(notice):
        raise Conflict(_("This notice is not waiting for the supervision committee's sign-off."), code="not_waiting")
    version = notices.pending_version(notice)
    if user.id in {notice.created_by_id, version.submitted_by_id, *(version.editor_ids or [])}:
        raise Forbidden(_("You cannot sign off a notice you wrote, edited or submitted yourself."))
    return version


def sign_off(user: User, notice: Notice, note: str = "") -> SignOff:
    """A supervision committee member signs the version under review: it goes on to the township."""
    version = _ensure_supervisor(user, notice)
    note = (note or "").strip()
    if len(note) > MAX_NOTE:
        raise InvalidInput(_("Keep the note under %(count)s characters.", count=MAX_NOTE), details={"field": "note"})
    signed = SignOff(version=version, user=user, signed_at=clock.now(), note=note)
    db.session.add(signed)
    db.session.flush()
    record_change("village_sign_off.create", signed, reason=note)
    return signed


def refuse_sign_off(user: User, notice: Notice, reason: str) -> Notice:
    """The committee sends the notice back to the village with its reason."""
    _ensure_supervisor(user, notice)
    return notices.send_back(notice, reason, "notice.sign_off_refuse")


def waiting_for(user: User) -> list[Notice]:
    """The notices of the supervisor's village waiting for the committee's sign-off."""
    if not user.has_role(Role.supervisor) or user.unit.kind != UnitKind.village:
        return []
    rows = db.session.scalars(select(Notice).where(Notice.unit_id == user.unit_id).order_by(Notice.updated_at.desc()))
    return [notice for notice in rows if awaiting_sign_off(notice)]


def get_village_notice(user: User, notice_id: int) -> Notice:
    notice = db.session.get(Notice, notice_id)
    if notice is None or not user.unit.contains(notice.unit):
        raise NotFound(_("There is no such notice."))
    return notice
