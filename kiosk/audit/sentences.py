"""The audit log as sentences a 纪检 reader can follow: who did what to which item, and for each
changed field its value before → after, in Chinese, with names instead of codes and local times.

Entries keep their raw JSON (the record); this only reads them. An action or field without a
label here still reads as a sentence ("修改了…", "其他项目"), never as a code.
"""
from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext as _lp

from kiosk.audit.models import AuditEntry
from kiosk.core import clock
from kiosk.privacy.gate import mask_text

ACTIONS = {  # verbs in context: the same English words are state names elsewhere
    "notice.create": _lp("audit action", "drafted"),
    "notice.update": _lp("audit action", "edited"),
    "notice.submit": _lp("audit action", "submitted for review"),
    "notice.approve": _lp("audit action", "approved"),
    "notice.return": _lp("audit action", "sent back"),
    "notice.withdraw": _lp("audit action", "withdrew"),
    "notice.archive": _lp("audit action", "archived"),
    "notice.superseded": _lp("audit action", "replaced by its final decision"),
    "notice.scheduled": _lp("audit action", "scheduled"),
    "notice.showing": _lp("audit action", "put on the screens"),
    "notice.expired": _lp("audit action", "took off the screens at the end of its period"),
    "notice.attachment.add": _lp("audit action", "attached a file to"),
    "notice.attachment.remove": _lp("audit action", "removed a file from"),
    "category.create": _lp("audit action", "added the category"),
    "category.update": _lp("audit action", "changed the category"),
    "comment.answer": _lp("audit action", "answered the comment"),
    "contact_channel.create": _lp("audit action", "added the contact line"),
    "contact_channel.update": _lp("audit action", "changed the contact line"),
    "holiday.set": _lp("audit action", "set the day"),
    "holiday.clear": _lp("audit action", "cleared the day"),
    "disclosure_cadence.set": _lp("audit action", "set the disclosure cadence of"),
    "public_page.create": _lp("audit action", "wrote the public page"),
    "public_page.update": _lp("audit action", "changed the public page"),
    "queue.follow_up.close": _lp("audit action", "closed the follow-up of"),
    "queue.service.create": _lp("audit action", "added the service"),
    "queue.service.update": _lp("audit action", "changed the service"),
    "queue.window.create": _lp("audit action", "added the window"),
    "queue.window.update": _lp("audit action", "changed the window"),
    "queue.window.pause": _lp("audit action", "paused or resumed the window"),
    "rotation.create": _lp("audit action", "created the rotation"),
    "rotation.update": _lp("audit action", "changed the rotation"),
    "rotation.delete": _lp("audit action", "deleted the rotation"),
    "screen.create": _lp("audit action", "registered the screen"),
    "screen.update": _lp("audit action", "changed the screen"),
    "screen.pair": _lp("audit action", "paired the screen"),
    "screen.reissue": _lp("audit action", "issued a new player link for"),
    "screen.revoke": _lp("audit action", "revoked the screen"),
    "screen_group.create": _lp("audit action", "created the screen group"),
    "slide_image.create": _lp("audit action", "uploaded the picture"),
    "urgent.create": _lp("audit action", "pushed the urgent notice"),
    "urgent.clear": _lp("audit action", "cleared the urgent notice"),
    "user.create": _lp("audit action", "created the account"),
    "user.update": _lp("audit action", "changed the account"),
    "unit.import": _lp("audit action", "imported from its own database"),
    "unit.division_code": _lp("audit action", "set the division code of"),
    "token.revoke": _lp("audit action", "revoked the token"),
    "notice.attachment.redact": _lp("audit action", "blacked out part of a file of"),
    "notice.attachment.rename": _lp("audit action", "renamed a file of"),
    "screen.command": _lp("audit action", "sent a command to a screen:"),
    "screen.on_hours": _lp("audit action", "set the on-hours of"),
    "screen_group.on_hours": _lp("audit action", "set the on-hours of"),
    "ticker.create": _lp("audit action", "added the ticker line"),
    "ticker.update": _lp("audit action", "changed the ticker line"),
    "video.upload": _lp("audit action", "uploaded the video"),
    "video.approve": _lp("audit action", "approved the video"),
    "video.delete": _lp("audit action", "deleted the video"),
    "video.group_setting": _lp("audit action", "set sound and storage for videos of"),
    "warning.receive": _lp("audit action", "received the official warning"),
    "warning.place": _lp("audit action", "placed the official warning"),
    "warning.approve": _lp("audit action", "approved the official warning"),
    "warning.reject": _lp("audit action", "rejected the official warning"),
    "warning.end": _lp("audit action", "ended the official warning"),
    "warning.policy": _lp("audit action", "set how official warnings show for"),
    "warning.source.create": _lp("audit action", "registered the warning source"),
    "warning.source.disable": _lp("audit action", "switched off the warning source"),
    "annual_report.save": _lp("audit action", "saved the annual report"),
    "annual_report.redraft": _lp("audit action", "redrafted a section of the annual report"),
    "annual_report.submit": _lp("audit action", "submitted the annual report"),
    "normative_document.create": _lp("audit action", "registered the normative document"),
    "normative_document.update": _lp("audit action", "changed the normative document"),
    "reports.due_date": _lp("audit action", "set the annual reports' due date of"),
    "reports.follow_up_days": _lp("audit action", "set the bad ratings' follow-up deadline of"),
    "comment_handling.save": _lp("audit action", "recorded how comments were handled in"),
    "survey.create": _lp("audit action", "created the survey"),
    "survey.update": _lp("audit action", "changed the survey"),
    "touch.guide.created": _lp("audit action", "wrote the service guide"),
    "touch.guide.updated": _lp("audit action", "changed the service guide"),
    "touch.guide.deleted": _lp("audit action", "deleted the service guide"),
    "touch.message.handled": _lp("audit action", "handled the visitor's message"),
}

# What a kind of item is called, for the filter and for items without a name.
OBJECTS = {
    "notice": _l("notice"), "notice_attachment": _l("attachment"), "notice_category": _l("category"),
    "notice_comment": _l("comment"), "contact_channel": _l("contact line"), "holiday": _l("day"),
    "disclosure_cadence": _l("cadence"), "public_page": _l("public page"), "queue_follow_up": _l("follow-up"),
    "queue_service": _l("service"), "queue_window": _l("window"), "rotation": _l("rotation"),
    "screen": _l("screen"), "screen_group": _l("screen group"), "slide_image": _l("picture"),
    "urgent_notice": _l("urgent notice"), "user_account": _l("account"), "unit": _l("unit"),
    "api_token": _l("token"), "screen_command": _l("command"), "screen_on_hours": _l("on-hours"),
    "ticker": _l("ticker line"), "video": _l("video"), "warning_alert": _l("official warning"),
    "warning_placement": _l("official warning"), "warning_policy": _l("warning setting"),
    "warning_source": _l("warning source"), "annual_report": _l("annual report"),
    "normative_document": _l("normative document"), "comment_handling": _l("handling of comments"),
    "survey": _l("survey"), "touch_guide": _l("service guide"), "touch_message": _l("visitor's message"),
}

FIELDS = {
    "title": _l("title"), "summary": _l("summary"), "body": _l("text"), "doc_number": _l("document number"),
    "formed_on": _l("date formed"), "audience": _l("where it shows"), "audience_unit_ids": _l("villages"),
    "show_from": _l("show from"), "show_until": _l("show until"), "period_length": _l("publicity period"),
    "period_unit": _l("counted in"), "category_id": _l("category"), "state": _l("state"),
    "revision_state": _l("correction"), "live_from": _l("on the screens from"),
    "live_until": _l("on the screens until"),
    "index_number": _l("index number"), "return_reason": _l("reason for sending back"),
    "withdraw_reason": _l("reason for withdrawing"), "privacy_note": _l("note on personal data"),
    "pre_disclosure": _l("pre-disclosure"), "corrected_at": _l("corrected on"), "name": _l("name"),
    "display_name": _l("name"), "active": _l("in use"), "enabled": _l("in use"), "priority": _l("priority"),
    "kind": _l("kind"), "code": _l("code"), "colour": _l("colour"), "freshness_days": _l("stale after (days)"),
    "min_period_length": _l("minimum publicity"), "min_period_unit": _l("counted in"), "day": _l("day"),
    "answer": _l("answer"), "published": _l("published"), "phone": _l("phone"), "every_months": _l("every (months)"),
    "starts_at": _l("from"), "ends_at": _l("until"), "cleared_at": _l("cleared at"), "revoked_at": _l("revoked at"),
    "paused": _l("paused"), "note": _l("note"), "number": _l("number"), "prefix": _l("prefix"),
    "daily_cap": _l("numbers a day"), "display_name_shown": _l("name"), "weekdays": _l("weekdays"),
    "time_from": _l("start time"), "time_until": _l("end time"), "date_from": _l("first day"),
    "date_until": _l("last day"), "caption": _l("caption"), "username": _l("account name"),
    "slides": _l("pages"), "roles": _l("roles"), "on_hours": _l("on-hours"),
    "offline_alert_minutes": _l("alert after (minutes)"), "division_code": _l("division code"),
}

# Coded values as words: field → function(value) → text. Features add theirs (name_values).
VALUE_NAMES: dict = {}


def name_values(**functions) -> None:
    """Let the audit log say a feature's coded values in words, e.g. name_values(state=state_label)."""
    VALUE_NAMES.update(functions)


# Bookkeeping columns that say nothing to a reader.
_QUIET = {"id", "slug", "updated_at", "created_at", "created_by_id", "stored_name", "token_hash",
          "published_version_id", "first_shown_at", "position", "unit_id", "notice_id", "claim_hash", "last_seen_at", "last_heartbeat",
          "editor_ids"}
_TEXT_CUT = 60


@dataclass
class Change:
    field: str
    before: str
    after: str


@dataclass
class Sentence:
    entry: AuditEntry
    who: str
    unit: str
    action: str
    item_kind: str
    item: str
    changes: list[Change]

    @property
    def text(self) -> str:
        """The whole entry as one sentence (the page and the CSV)."""
        line = _("%(who)s %(action)s %(kind)s “%(item)s”", who=self.who, action=self.action, kind=self.item_kind,
                 item=self.item) if self.item else _("%(who)s %(action)s %(kind)s", who=self.who,
                                                    action=self.action, kind=self.item_kind)
        if self.changes:
            line += _(": ") + _("; ").join(_("%(field)s %(before)s → %(after)s", field=c.field, before=c.before,
                                               after=c.after) for c in self.changes)
        if self.entry.reason:
            line += _("; reason: %(reason)s", reason=mask_text(self.entry.reason))
        return line.rstrip("。.") + _(".")  # a reason ending in 。 is not ended twice


def action_label(action: str) -> str:
    return str(ACTIONS.get(action, _l("changed")))


def object_label(object_type: str) -> str:
    return str(OBJECTS.get(object_type, _l("item")))


def _value(field: str, value, other=None) -> str:
    """A value as a reader says it; `other` is the value on the other side of the change, so a long
    text is shown from where the two differ and a list says which of its items changed."""
    if value is None or value == "" or value == []:
        return _("(empty)")
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if field in VALUE_NAMES:
        try:
            return VALUE_NAMES[field](value)
        except (KeyError, ValueError, TypeError):
            pass   # an old value the feature no longer knows: shown as recorded
    if isinstance(value, str) and len(value) >= 16 and value[4:5] == "-" and value[10:11] == "T":
        try:
            return clock.to_local(datetime.fromisoformat(value)).strftime("%Y-%m-%d %H:%M")
        except ValueError:
            pass
    if isinstance(value, list):
        return _list(field, value, other if isinstance(other, list) else [])
    if isinstance(value, dict):
        return _("%(n)d settings", n=len(value))
    return _excerpt(mask_text(str(value)), mask_text(str(other)) if isinstance(other, str) else "")


def _excerpt(text: str, other: str) -> str:
    """A long text cut around the first place where it differs from `other`, not at its beginning."""
    if len(text) <= _TEXT_CUT:
        return f"“{text}”"
    same = next((i for i, (a, b) in enumerate(zip(text, other)) if a != b), min(len(text), len(other)))
    start = max(0, min(same - 10, len(text) - _TEXT_CUT))
    return f"“{'…' if start else ''}{text[start:start + _TEXT_CUT]}{'…' if start + _TEXT_CUT < len(text) else ''}”"


def _list(field: str, items: list, other: list) -> str:
    """Plain values joined; records (a rotation's pages) counted, naming the ones that differ."""
    if not any(isinstance(item, dict) for item in items):
        return "、".join(_value(field, item) for item in items)
    changed = [str(n) for n, item in enumerate(items, 1) if n > len(other) or other[n - 1] != item]
    if other and changed:
        return _("%(n)d items, changed: no. %(which)s", n=len(items), which="、".join(changed))
    return _("%(n)d items", n=len(items))


def _changes(entry: AuditEntry) -> list[Change]:
    before, after = entry.before or {}, entry.after or {}
    if not entry.before:   # a creation: nothing to compare, the sentence names the item
        return []
    found = []
    for field in after:
        if field in _QUIET or before.get(field) == after.get(field):
            continue
        label = FIELDS.get(field)
        found.append(Change(str(label) if label else _("another field"),
                            _value(field, before.get(field), after.get(field)),
                            _value(field, after.get(field), before.get(field))))
    return found


def describe(entry: AuditEntry, people: dict[str, str]) -> Sentence:
    """`people`: account name → the person's name."""
    snapshot = entry.after or entry.before or {}
    item = (snapshot.get("title") or snapshot.get("name") or snapshot.get("display_name") or snapshot.get("username")
            or snapshot.get("day") or "")
    who = people.get(entry.actor_name) or (_("the system") if entry.actor_name == "system" else entry.actor_name)
    return Sentence(entry=entry, who=who, unit=entry.unit.name if entry.unit else "", action=action_label(entry.action),
                    item_kind=object_label(entry.object_type), item=mask_text(str(item)), changes=_changes(entry))
