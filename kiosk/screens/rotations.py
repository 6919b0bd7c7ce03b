"""Rotation rules: writing rotations, and which rotation a screen plays now, and why."""
from flask_babel import gettext as _
from sqlalchemy import select

from kiosk import privacy
from kiosk.accounts.models import User
from kiosk.audit.operations import record_change, snapshot
from kiosk.core.errors import Conflict, InvalidInput, NotFound
from kiosk.core.validation import summary
from kiosk.extensions import db
from kiosk.org.models import Unit, UnitKind
from kiosk.org.operations import get_unit_by_code
from kiosk.screens import dayparts, providers
from kiosk.screens.models import Rotation, Screen, ScreenGroupMember, Slide, SlideImage, SlideKind
from kiosk.screens.operations import ensure_manager, get_group, tell_groups
from kiosk.screens.schemas import SLIDE_CONFIG_FIELDS, DaypartIn, RotationIn, SlideIn


def rotations_visible_to(user: User) -> list[Rotation]:
    return list(db.session.scalars(select(Rotation).join(Unit).where(Unit.path.startswith(user.unit.path))
                                   .order_by(Unit.path, Rotation.priority.desc(), Rotation.name)))


def get_rotation_for(user: User, rotation_id: int) -> Rotation:
    rotation = db.session.get(Rotation, rotation_id)
    if rotation is None or not user.unit.contains(rotation.unit):
        raise NotFound(_("No such rotation."))
    return rotation


def _apply_daypart(target, part: DaypartIn) -> None:
    target.weekdays = dayparts.normalise_weekdays(part.weekdays)
    target.time_from, target.time_until = part.time_from, part.time_until
    target.date_from, target.date_until = part.date_from, part.date_until
    dayparts.check(target)


def _refuse(position: int, field: str, message: str) -> InvalidInput:
    return InvalidInput(message, details={"field": f"slides.{position}.{field}"})


def _check_notice_choice(unit: Unit, data: SlideIn, position: int, where: str) -> None:
    """Categories and notices are chosen from lists; a code or number that is not there is refused."""
    unknown = [code for code in data.categories if code not in providers.notice_categories()]
    if unknown:
        raise _refuse(position, "categories", _("%(where)s: there is no category %(codes)s; choose from the list.",
                                                where=where, codes=_(", ").join(unknown)))
    missing = [str(i) for i in data.notice_ids if i not in providers.notices_to_pick(unit)]
    if missing:
        raise _refuse(position, "notice_ids", _("%(where)s: notice no. %(ids)s is not one of this township's "
                                                "notices; choose from the list.", where=where,
                                                ids=_(", ").join(missing)))


def _slide_config(unit: Unit, data: SlideIn, position: int) -> dict:
    where = _("Slide %(n)d", n=position + 1)
    config = {field: getattr(data, field) for field in SLIDE_CONFIG_FIELDS[data.kind]}
    # Captions, welcome lines and QR links are shown on the screens: the privacy gate reads them first,
    # each named as the editor labels it (页面 3 说明文字), not by its field name.
    privacy.ensure_clean({f"{where} {RotationIn.field_labels[field]}": value for field, value in config.items()
                          if isinstance(value, str)})
    if data.kind == SlideKind.notice:
        _check_notice_choice(unit, data, position, where)
    if data.kind == SlideKind.image:
        image = db.session.get(SlideImage, data.image_id) if data.image_id else None
        if image is None or not image.unit.contains(unit) and not unit.contains(image.unit):
            raise _refuse(position, "image_id", _("%(where)s: choose an uploaded image.", where=where))
    if data.kind == SlideKind.video:
        from kiosk.video.operations import usable_by
        from kiosk.video.models import Video
        video = db.session.get(Video, data.video_id) if data.video_id else None
        if video is None or not usable_by(video, unit):
            raise _refuse(position, "video_id", _("%(where)s: choose an uploaded video.", where=where))
    if data.kind == SlideKind.qr and not data.link:
        raise _refuse(position, "link", _("%(where)s: a QR card needs a link.", where=where))
    if data.kind == SlideKind.queue and data.hall:
        hall = db.session.scalar(select(Unit).where(Unit.code == data.hall))
        if hall is None or hall.kind != UnitKind.hall:
            raise _refuse(position, "hall", _("%(where)s: choose a service hall from the list.", where=where))
    return config


def _write(rotation: Rotation, data: RotationIn, unit: Unit) -> None:
    privacy.ensure_clean({_("Rotation name"): data.name})
    rotation.name, rotation.priority, rotation.enabled = data.name.strip(), data.priority, data.enabled
    rotation.group = get_group(unit, data.group)
    _apply_daypart(rotation, data)
    slides, problems = [], []
    for position, slide_data in enumerate(data.slides):
        try:
            slide = Slide(position=position, kind=slide_data.kind, duration=slide_data.duration,
                          config=_slide_config(unit, slide_data, position))
            _apply_daypart(slide, slide_data)
        except InvalidInput as problem:  # go on: the editor shows every slide's problem at once
            problems.append(_slide_problem(problem, position))
            continue
        slides.append(slide)
    if problems:
        raise InvalidInput(summary(problems), details={"field": problems[0]["field"], "errors": problems})
    rotation.slides = slides


def _slide_problem(problem: InvalidInput, position: int) -> dict:
    """As the editor lists errors: the slide's own rules name the slide in their message already
    (_refuse), its time window's rules do not."""
    if "field" in problem.details:
        return {"field": problem.details["field"], "label": "", "message": problem.message}
    return {"field": f"slides.{position}", "label": _("Slide %(n)d", n=position + 1), "message": problem.message}


def _name_taken(unit: Unit, name: str, rotation_id: int | None) -> bool:
    found = db.session.scalar(select(Rotation.id).where(Rotation.unit_id == unit.id, Rotation.name == name.strip()))
    return found is not None and found != rotation_id


def rotation_snapshot(rotation: Rotation) -> dict:
    return {**snapshot(rotation), "slides": [snapshot(slide) for slide in rotation.slides]}


def _ensure_may_write(user: User | None, unit: Unit) -> None:
    """`user` None is the operator at the command line (`kiosk schedules apply`), who runs the server."""
    if user is not None:
        ensure_manager(user, unit)


def create_rotation(user: User | None, data: RotationIn) -> Rotation:
    unit = get_unit_by_code(data.unit)
    _ensure_may_write(user, unit)
    if _name_taken(unit, data.name, None):
        raise Conflict(_("%(unit)s already has a rotation called %(name)s.", unit=unit.name, name=data.name))
    rotation = Rotation(unit=unit)
    _write(rotation, data, unit)
    db.session.add(rotation)
    db.session.flush()
    record_change("rotation.create", rotation, after=rotation_snapshot(rotation))
    tell_groups([rotation.group_id], "rotation")
    return rotation


def update_rotation(user: User | None, rotation: Rotation, data: RotationIn) -> Rotation:
    _ensure_may_write(user, rotation.unit)
    unit = get_unit_by_code(data.unit)
    _ensure_may_write(user, unit)
    if _name_taken(unit, data.name, rotation.id):
        raise Conflict(_("%(unit)s already has a rotation called %(name)s.", unit=unit.name, name=data.name))
    before, old_group = rotation_snapshot(rotation), rotation.group_id
    rotation.unit = unit
    _write(rotation, data, unit)
    db.session.flush()
    record_change("rotation.update", rotation, before=before, after=rotation_snapshot(rotation))
    tell_groups([old_group, rotation.group_id], "rotation")
    return rotation


def delete_rotation(user: User, rotation: Rotation) -> None:
    ensure_manager(user, rotation.unit)
    record_change("rotation.delete", rotation, before=rotation_snapshot(rotation), after={})
    tell_groups([rotation.group_id], "rotation")
    db.session.delete(rotation)


def rotation_as_input(rotation: Rotation) -> dict:
    """The rotation in the shape RotationIn reads (for export and the editor)."""
    def part(obj) -> dict:
        values = {"weekdays": obj.weekdays if obj.weekdays != dayparts.ALL_DAYS else None,
                  "time_from": obj.time_from and f"{obj.time_from:%H:%M}",
                  "time_until": obj.time_until and f"{obj.time_until:%H:%M}",
                  "date_from": obj.date_from, "date_until": obj.date_until}
        return {k: v for k, v in values.items() if v is not None}
    slides = [{"kind": s.kind.value, "duration": s.duration, **part(s),
               **{k: v for k, v in (s.config or {}).items() if v not in (None, "", [])}} for s in rotation.slides]
    return {"name": rotation.name, "unit": rotation.unit.code, "group": rotation.group.code,
            "priority": rotation.priority, "enabled": rotation.enabled, **part(rotation), "slides": slides}


# --- which rotation plays ------------------------------------------------------------------------------

def rotations_for(screen: Screen) -> list[Rotation]:
    """The enabled rotations of the screen's groups, highest priority first (ties: oldest first)."""
    return list(db.session.scalars(
        select(Rotation).join(ScreenGroupMember, ScreenGroupMember.group_id == Rotation.group_id)
        .where(ScreenGroupMember.screen_id == screen.id, Rotation.enabled.is_(True))
        .order_by(Rotation.priority.desc(), Rotation.id)))
