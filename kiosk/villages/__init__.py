"""The village's year (村务公开): the township's village disclosure list and what each village owes
when (`due.py`, the one rule for due dates), the supervision committee's sign-off before the
township's review (`committee.py`), villagers' questions and their 10-day answer clock
(`questions.py`), and the public days (`public_days.py`) that screens put first."""


def register(app):
    from kiosk.accounts.operations import ROLE_RULES
    from kiosk.disclosures.operations import REVIEW_GATES
    from kiosk.villages import api, conditions, jobs  # noqa: F401  (operations; conditions; the public-day push)
    from kiosk.villages.committee import refuse_supervisor_on_village_committee, review_gate
    from kiosk.villages.views import villages_bp

    app.register_blueprint(villages_bp)
    if review_gate not in REVIEW_GATES:
        REVIEW_GATES.append(review_gate)
    if refuse_supervisor_on_village_committee not in ROLE_RULES:
        ROLE_RULES.append(refuse_supervisor_on_village_committee)
    _audit_words()


def _audit_words():
    from flask_babel import lazy_gettext as _l
    from flask_babel import lazy_pgettext as _lp

    from kiosk.audit.sentences import ACTIONS, FIELDS, OBJECTS
    ACTIONS.update({
        "village_list_item.create": _lp("audit action", "added to the village disclosure list"),
        "village_list_item.update": _lp("audit action", "changed on the village disclosure list"),
        "village_committee_member.create": _lp("audit action", "marked as village committee member"),
        "village_committee_member.delete": _lp("audit action", "removed as village committee member"),
        "village_sign_off_category.create": _lp("audit action", "made subject to the committee's sign-off"),
        "village_sign_off_category.delete": _lp("audit action", "released from the committee's sign-off"),
        "village_sign_off.create": _lp("audit action", "signed off for the supervision committee"),
        "notice.sign_off_refuse": _lp("audit action", "sent back for the supervision committee"),
        "village_public_day.create": _lp("audit action", "added the public day"),
        "village_public_day.update": _lp("audit action", "changed the public day"),
        "village_public_day.delete": _lp("audit action", "deleted the public day"),
    })
    OBJECTS.update({"village_list_item": _l("list item"), "village_committee_member": _l("committee member"),
                    "village_sign_off_category": _l("sign-off category"), "village_sign_off": _l("sign-off"),
                    "village_public_day": _l("public day")})
    FIELDS.update({"basis": _l("basis"), "cadence": _l("cadence"), "due_day": _l("due day"),
                   "responsible": _l("responsible"), "channels": _l("channels"), "list_item_id": _l("list item"),
                   "month": _l("month"), "items": _l("items")})
