"""The screens API: screens, groups, rotations, urgent notices."""
from datetime import datetime

from flask import request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user
from pydantic import BaseModel, Field

from kiosk.api import operation
from kiosk.core.errors import InvalidInput
from kiosk.extensions import db
from kiosk.org.operations import get_unit_by_code
from kiosk.screens import operations as screens
from kiosk.screens import commands, images, power, rotations, urgent
from kiosk.screens.models import CommandKind, Rotation, Screen, ScreenCommand, ScreenGroup, ScreenKind, UrgentNotice
from kiosk.screens.operations import MANAGERS
from kiosk.screens.schemas import RotationIn, RotationUpdate
from kiosk.screens.state import choose_rotation, player_version


class ScreenIn(BaseModel):
    unit: str = Field(min_length=1, max_length=40, description="unit code of the place the screen is in")
    kind: ScreenKind
    name: str = Field(min_length=1, max_length=80)
    groups: list[int] = Field(default_factory=list, description="screen group ids")


class ScreenOut(BaseModel):
    id: int
    name: str
    kind: ScreenKind
    unit: str
    unit_name: str
    groups: list[int]
    registered: bool
    online: bool
    last_seen: datetime | None
    offline_seconds: int | None
    software_version: str
    player_outdated: bool = Field(description="it reported a player version other than the server's")
    screen_size: str | None
    pixel_ratio: float | None
    browser: str
    storage_free: int | None = Field(description="bytes left for offline media")
    last_error: str | None
    last_error_at: datetime | None
    now_showing: dict | None


class ScreenDetail(ScreenOut):
    playing: str | None = Field(description="the rotation the screen plays now")
    why: list[str]


class CreatedScreen(ScreenOut):
    player_url: str = Field(description="open this on the screen; it makes that browser this screen (an "
                                        "image-only board polls this URL of its picture instead)")


class ScreenList(BaseModel):
    screens: list[ScreenOut]


class GroupIn(BaseModel):
    unit: str = Field(min_length=1, max_length=40)
    code: str = Field(min_length=1, max_length=40, pattern=r"^[a-z0-9][a-z0-9-]*$")
    name: str = Field(min_length=1, max_length=80)


class GroupOut(BaseModel):
    id: int
    unit: str
    code: str
    name: str
    screens: list[int]


class GroupList(BaseModel):
    groups: list[GroupOut]


class PairIn(BaseModel):
    code: str = Field(pattern=r"^\d{6}$")
    screen: int


class RotationOut(RotationIn):
    id: int
    group_id: int


class RotationList(BaseModel):
    rotations: list[RotationOut]


class UrgentIn(BaseModel):
    unit: str = Field(min_length=1, max_length=40, description="unit code publishing it")
    title: str = Field(min_length=1, max_length=120)
    body: str = Field("", max_length=2000)
    groups: list[int] = Field(min_length=1, description="screen group ids")
    ends_at: datetime | None = Field(None, description="with a time zone; none = until cleared")


class UrgentOut(BaseModel):
    id: int
    title: str
    body: str
    unit: str
    starts_at: datetime
    ends_at: datetime | None
    cleared_at: datetime | None
    groups: list[int]
    arrivals: list[dict]


def screen_out(screen: Screen, model=ScreenOut, **extra):
    offline = screens.offline_for(screen)
    size = f"{screen.screen_width}×{screen.screen_height}" if screen.screen_width else None
    return model(id=screen.id, name=screen.name, kind=screen.kind, unit=screen.unit.code, unit_name=screen.unit.name,
                 groups=[m.group_id for m in screen.memberships], registered=screen.registered, online=screen.online,
                 last_seen=screen.last_seen, offline_seconds=int(offline.total_seconds()) if offline else None,
                 software_version=screen.software_version, player_outdated=player_outdated(screen),
                 screen_size=size, pixel_ratio=screen.pixel_ratio, browser=screen.browser or "",
                 storage_free=screen.storage_free, last_error=screen.last_error, last_error_at=screen.last_error_at,
                 now_showing=screen.now_showing, **extra)


def player_outdated(screen: Screen) -> bool:
    """A screen that reported a version, not the one this server serves (an old page still running)."""
    return bool(screen.software_version) and screen.software_version != player_version()


def _groups(ids: list[int]) -> list[ScreenGroup]:
    return [screens.get_group_for(current_user, gid) for gid in dict.fromkeys(ids)]


@operation("/screens", method="POST", operation_id="createScreen", summary="Register a screen; returns its player URL",
           tag="screens", body=ScreenIn, response=CreatedScreen, status=201, roles=MANAGERS, errors=(400, 403, 404))
def create_screen(body: ScreenIn):
    screen, token = screens.create_screen(current_user, get_unit_by_code(body.unit), body.kind, body.name,
                                          _groups(body.groups))
    db.session.commit()
    return screen_out(screen, CreatedScreen, player_url=screens.player_url(token, screen.kind))


@operation("/screens", method="GET", operation_id="listScreens", summary="Screens of your units with their status",
           tag="screens", response=ScreenList, roles=MANAGERS)
def list_screens():
    return ScreenList(screens=[screen_out(s) for s in screens.screens_visible_to(current_user)])


@operation("/screens/<int:screen_id>", method="GET", operation_id="getScreen",
           summary="One screen: status, what it shows, which rotation plays and why", tag="screens",
           response=ScreenDetail, roles=MANAGERS, errors=(404,))
def get_screen(screen_id: int):
    screen = screens.get_screen_for(current_user, screen_id)
    choice = choose_rotation(screen)
    return screen_out(screen, ScreenDetail, playing=choice.rotation["name"] if choice.rotation else None,
                      why=choice.reasons)


@operation("/screens/<int:screen_id>/revoke", method="POST", operation_id="revokeScreen",
           summary="Revoke a screen's device token; it shows “not registered” at once", tag="screens",
           response=ScreenOut, roles=MANAGERS, errors=(403, 404, 409))
def revoke_screen(screen_id: int):
    screen = screens.revoke_screen(current_user, screens.get_screen_for(current_user, screen_id))
    db.session.commit()
    return screen_out(screen)


@operation("/screens/pair", method="POST", operation_id="pairScreen",
           summary="Pair the browser showing a six-digit code at /display with a screen", tag="screens",
           body=PairIn, response=ScreenOut, roles=MANAGERS, errors=(403, 404))
def pair_screen(body: PairIn):
    screen = screens.get_screen_for(current_user, body.screen)
    screens.pair_screen(current_user, body.code, screen)
    db.session.commit()
    return screen_out(screen)


def group_out(group: ScreenGroup) -> GroupOut:
    return GroupOut(id=group.id, unit=group.unit.code, code=group.code, name=group.name,
                    screens=[m.screen_id for m in group.members])


@operation("/screen-groups", method="GET", operation_id="listScreenGroups", summary="Screen groups of your units",
           tag="screens", response=GroupList, roles=MANAGERS)
def list_groups():
    return GroupList(groups=[group_out(g) for g in screens.groups_visible_to(current_user)])


@operation("/screen-groups", method="POST", operation_id="createScreenGroup", summary="Create a screen group",
           tag="screens", body=GroupIn, response=GroupOut, status=201, roles=MANAGERS, errors=(403, 404, 409))
def create_group(body: GroupIn):
    group = screens.create_group(current_user, get_unit_by_code(body.unit), body.code, body.name)
    db.session.commit()
    return group_out(group)


def rotation_out(rotation: Rotation) -> RotationOut:
    return RotationOut(id=rotation.id, group_id=rotation.group_id, **rotations.rotation_as_input(rotation))


@operation("/rotations", method="GET", operation_id="listRotations", summary="Rotations of your units",
           tag="screens", response=RotationList, roles=MANAGERS)
def list_rotations():
    return RotationList(rotations=[rotation_out(r) for r in rotations.rotations_visible_to(current_user)])


@operation("/rotations", method="POST", operation_id="createRotation",
           summary="Create a rotation; its screens are told at once", tag="screens", body=RotationIn,
           response=RotationOut, status=201, roles=MANAGERS, errors=(400, 403, 404, 409))
def create_rotation(body: RotationIn):
    rotation = rotations.create_rotation(current_user, body)
    db.session.commit()
    return rotation_out(rotation)


@operation("/rotations/<int:rotation_id>", method="PUT", operation_id="updateRotation",
           summary="Replace a rotation; its screens are told at once", tag="screens", body=RotationUpdate,
           response=RotationOut, roles=MANAGERS, errors=(400, 403, 404, 409))
def update_rotation(rotation_id: int, body: RotationUpdate):
    rotation = rotations.update_rotation(current_user, rotations.get_rotation_for(current_user, rotation_id), body)
    db.session.commit()
    return rotation_out(rotation)


@operation("/rotations/<int:rotation_id>", method="DELETE", operation_id="deleteRotation",
           summary="Delete a rotation", tag="screens", status=204, roles=MANAGERS, errors=(403, 404))
def delete_rotation(rotation_id: int):
    rotations.delete_rotation(current_user, rotations.get_rotation_for(current_user, rotation_id))
    db.session.commit()
    return "", 204


def urgent_out(notice: UrgentNotice) -> UrgentOut:
    return UrgentOut(id=notice.id, title=notice.title, body=notice.body, unit=notice.unit.code,
                     starts_at=notice.starts_at, ends_at=notice.ends_at, cleared_at=notice.cleared_at,
                     groups=[t.group_id for t in notice.targets], arrivals=urgent.arrival_status(notice))


@operation("/urgent-notices", method="POST", operation_id="createUrgentNotice",
           summary="Push a full-screen urgent notice (紧急通知) to screen groups", tag="screens", body=UrgentIn,
           response=UrgentOut, status=201, roles=MANAGERS, errors=(400, 403, 404))
def create_urgent(body: UrgentIn):
    if body.ends_at is not None and body.ends_at.tzinfo is None:
        raise InvalidInput(_("Give the end time with its time zone, e.g. 2026-11-22T18:00:00+08:00."))
    notice = urgent.create_urgent(current_user, get_unit_by_code(body.unit), body.title, body.body,
                                  _groups(body.groups), body.ends_at)
    db.session.commit()
    return urgent_out(notice)


@operation("/urgent-notices/<int:urgent_id>", method="GET", operation_id="getUrgentNotice",
           summary="An urgent notice and which screens show it", tag="screens", response=UrgentOut,
           roles=MANAGERS, errors=(404,))
def get_urgent(urgent_id: int):
    return urgent_out(urgent.get_urgent_for(current_user, urgent_id))


@operation("/urgent-notices/<int:urgent_id>/clear", method="POST", operation_id="clearUrgentNotice",
           summary="Clear an urgent notice; its screens return to their rotation", tag="screens",
           response=UrgentOut, roles=MANAGERS, errors=(403, 404, 409))
def clear_urgent(urgent_id: int):
    notice = urgent.clear_urgent(current_user, urgent.get_urgent_for(current_user, urgent_id))
    db.session.commit()
    return urgent_out(notice)


class ImageOut(BaseModel):
    id: int
    name: str
    unit: str
    width: int
    height: int


class ImageUpload(BaseModel):
    picture: bytes = Field(description="PNG, JPEG, GIF or WebP, judged by its content")
    unit: str = Field(min_length=1, max_length=40, description="unit code")


@operation("/slide-images", method="POST", operation_id="uploadSlideImage",
           summary="Upload a picture for image slides (multipart field `picture`, form field `unit`)",
           tag="screens", response=ImageOut, status=201, roles=MANAGERS, errors=(400, 403, 404, 413, 415),
           form=ImageUpload)
def upload_image():
    upload = request.files.get("picture")
    if upload is None or not request.form.get("unit"):
        raise InvalidInput(_("Send the picture as multipart field `picture` and the unit code as `unit`."))
    picture = images.store_image(current_user, get_unit_by_code(request.form["unit"]), upload.stream,
                                 upload.filename)
    db.session.commit()
    return ImageOut(id=picture.id, name=picture.name, unit=picture.unit.code, width=picture.width,
                    height=picture.height)


# --- on-hours ------------------------------------------------------------------------------------------

Week = dict[str, list[list[str]]]
WEEK_DESCRIPTION = ('{"mon": [["07:00", "21:00"]], ..., "sun": [...], "holiday": [...], "makeup": [...]}: local '
                    'ranges per weekday, public holidays and 调休 make-up working days; [] is a day off')


class GroupHoursIn(BaseModel):
    week: Week | None = Field(description=WEEK_DESCRIPTION + "; null: always on")
    offline_alert_minutes: int = Field(10, ge=power.ALERT_MINUTES[0], le=power.ALERT_MINUTES[1],
                                       description="a screen of the group that should be on and is not heard "
                                                   "from for this long opens an incident")


class GroupHoursOut(GroupHoursIn):
    group: int


class ScreenHoursIn(BaseModel):
    week: Week = Field(description=WEEK_DESCRIPTION)


class ScreenHoursOut(BaseModel):
    screen: int
    source: str = Field(description="screen (its own week), groups (its groups' weeks) or always")
    week: Week | None = Field(description="its own week, if any")
    groups: dict[str, Week] = Field(description="its groups' weeks by group id, when it follows them")


def group_hours_out(group: ScreenGroup) -> GroupHoursOut:
    return GroupHoursOut(group=group.id, week=power.group_week(group),
                         offline_alert_minutes=group.offline_alert_minutes)


def screen_hours_out(screen: Screen) -> ScreenHoursOut:
    source, groups = power.effective_source(screen)
    return ScreenHoursOut(screen=screen.id, source=source, week=power.own_week(screen),
                          groups={str(g.id): power.group_week(g) for g in groups})


@operation("/screen-groups/<int:group_id>/on-hours", method="GET", operation_id="getGroupOnHours",
           summary="A screen group's on-hours and offline alert delay", tag="screens", response=GroupHoursOut,
           roles=MANAGERS, errors=(404,))
def get_group_hours(group_id: int):
    return group_hours_out(screens.get_group_for(current_user, group_id))


@operation("/screen-groups/<int:group_id>/on-hours", method="PUT", operation_id="setGroupOnHours",
           summary="Set a screen group's on-hours (its screens go dark outside them) and offline alert delay",
           tag="screens", body=GroupHoursIn, response=GroupHoursOut, roles=MANAGERS, errors=(400, 403, 404))
def set_group_hours(group_id: int, body: GroupHoursIn):
    group = screens.get_group_for(current_user, group_id)
    power.set_group_hours(current_user, group, body.week, body.offline_alert_minutes)
    db.session.commit()
    return group_hours_out(group)


@operation("/screens/<int:screen_id>/on-hours", method="GET", operation_id="getScreenOnHours",
           summary="Where a screen's on-hours come from: its own week, its groups', or always on", tag="screens",
           response=ScreenHoursOut, roles=MANAGERS, errors=(404,))
def get_screen_hours(screen_id: int):
    return screen_hours_out(screens.get_screen_for(current_user, screen_id))


@operation("/screens/<int:screen_id>/on-hours", method="PUT", operation_id="setScreenOnHours",
           summary="Give a screen on-hours of its own, overriding its groups'", tag="screens", body=ScreenHoursIn,
           response=ScreenHoursOut, roles=MANAGERS, errors=(400, 403, 404))
def set_screen_hours(screen_id: int, body: ScreenHoursIn):
    screen = screens.get_screen_for(current_user, screen_id)
    power.set_screen_hours(current_user, screen, body.week)
    db.session.commit()
    return screen_hours_out(screen)


@operation("/screens/<int:screen_id>/on-hours", method="DELETE", operation_id="clearScreenOnHours",
           summary="Clear a screen's own on-hours: it follows its groups' again", tag="screens",
           response=ScreenHoursOut, roles=MANAGERS, errors=(403, 404))
def clear_screen_hours(screen_id: int):
    screen = screens.get_screen_for(current_user, screen_id)
    power.set_screen_hours(current_user, screen, None)
    db.session.commit()
    return screen_hours_out(screen)


# --- remote commands -----------------------------------------------------------------------------------

class CommandIn(BaseModel):
    kind: CommandKind


class CommandOut(BaseModel):
    id: int
    screen: int
    group: int | None
    kind: CommandKind
    status: str = Field(description="waiting, delivered, answered, failed or expired")
    sent_at: datetime
    expires_at: datetime
    delivered_at: datetime | None
    answered_at: datetime | None
    result: dict | None
    error: str | None
    screenshot: str | None = Field(description="URL of the screenshot, once answered")
    screenshot_source: str | None = Field(description="browser (what it displays) or thumbnail (the server's "
                                                      "rendering: the screen has no launcher)")


class CommandList(BaseModel):
    commands: list[CommandOut]


def command_out(command: ScreenCommand) -> CommandOut:
    return CommandOut(id=command.id, screen=command.screen_id, group=command.group_id, kind=command.kind,
                      status=commands.status(command), sent_at=command.sent_at, expires_at=command.expires_at,
                      delivered_at=command.delivered_at, answered_at=command.answered_at, result=command.result,
                      error=command.error, screenshot_source=command.screenshot_source,
                      screenshot=url_for("api.getScreenCommandScreenshot", command_id=command.id)
                      if command.screenshot else None)


@operation("/screens/<int:screen_id>/commands", method="POST", operation_id="sendScreenCommand",
           summary="Send a screen a command: reload, restart_browser, reboot, identify or screenshot (delivered "
                   "when it is connected, or when it reconnects within 30 minutes)", tag="screens", body=CommandIn,
           response=CommandOut, status=201, roles=MANAGERS, errors=(400, 403, 404, 409))
def send_screen_command(screen_id: int, body: CommandIn):
    command = commands.send_command(current_user, body.kind, screens.get_screen_for(current_user, screen_id))
    db.session.commit()
    return command_out(command)


@operation("/screen-groups/<int:group_id>/commands", method="POST", operation_id="sendGroupCommand",
           summary="Send every screen of a group a command (one command per screen)", tag="screens", body=CommandIn,
           response=CommandList, status=201, roles=MANAGERS, errors=(400, 403, 404, 409))
def send_group_command(group_id: int, body: CommandIn):
    sent = commands.send_to_group(current_user, body.kind, screens.get_group_for(current_user, group_id))
    db.session.commit()
    return CommandList(commands=[command_out(c) for c in sent])


@operation("/screens/<int:screen_id>/commands", method="GET", operation_id="listScreenCommands",
           summary="A screen's latest commands: when each was sent, delivered and answered", tag="screens",
           response=CommandList, roles=MANAGERS, errors=(404,))
def list_screen_commands(screen_id: int):
    screen = screens.get_screen_for(current_user, screen_id)
    return CommandList(commands=[command_out(c) for c in commands.commands_of(screen)])


@operation("/screen-commands/<int:command_id>/screenshot", method="GET", operation_id="getScreenCommandScreenshot",
           summary="The picture a screenshot command brought back (PNG or JPEG)", tag="screens", roles=MANAGERS,
           errors=(404,))
def get_command_screenshot(command_id: int):
    path = commands.screenshot_path(commands.get_command_for(current_user, command_id))
    return send_file(path, mimetype="image/jpeg" if path.suffix == ".jpg" else "image/png", max_age=0)
