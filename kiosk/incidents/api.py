"""Alert channels over the API (administrators of the channel's unit, as on the staff page): list, add,
change, queue a test message and read how it went. Secrets and robot addresses are written, never read:
`url` comes back masked and the secret only as `has_secret`."""
from datetime import datetime
from typing import ClassVar

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from pydantic import BaseModel, Field

from kiosk.api import operation
from kiosk.core.errors import NotFound
from kiosk.extensions import db
from kiosk.incidents import operations as alerts
from kiosk.incidents.models import AlertChannel, ChannelKind
from kiosk.org.operations import get_unit_by_code

LABELS = {"unit": _l("Unit"), "kind": _l("Kind"), "name": _l("Name"), "url": _l("Webhook address"),
          "markdown": _l("Send as Markdown"), "secret": _l("Signing secret (钉钉) or bearer token (webhook)"),
          "forget_secret": _l("Remove the stored bearer token"),
          "host": _l("Mail server"), "port": _l("Port"), "user": _l("User name"),
          "password_env": _l("Environment variable holding the password"), "sender": _l("Sender address"),
          "to": _l("Recipients")}


class ChannelFields(BaseModel):
    """What a channel is made of; on a change, a field left out keeps its value (a blank secret or url too)."""
    field_labels: ClassVar[dict] = LABELS

    name: str | None = Field(None, max_length=200)
    url: str | None = Field(None, max_length=2000, description="robot or webhook address (wecom, dingtalk, webhook)")
    markdown: bool | None = None
    secret: str | None = Field(None, max_length=500, description="钉钉 signing secret or the webhook's bearer token")
    forget_secret: bool | None = Field(None, description="true removes the stored secret: a webhook then sends no "
                                                         "Authorization header (a 钉钉 robot cannot do without one)")
    host: str | None = Field(None, max_length=300)
    port: int | None = Field(None, ge=1, le=65535)
    user: str | None = Field(None, max_length=200)
    password_env: str | None = Field(None, max_length=100,
                                     description="the server's environment variable holding the SMTP password")
    sender: str | None = Field(None, max_length=300)
    to: list[str] | None = Field(None, max_length=50)


class ChannelBody(ChannelFields):
    unit: str = Field(max_length=40)
    kind: ChannelKind
    name: str = Field(max_length=200)


class ChannelOut(BaseModel):
    id: int
    unit: str
    kind: ChannelKind
    name: str
    enabled: bool
    url: str | None = Field(None, description="masked: scheme, host and path only")
    markdown: bool
    has_secret: bool
    host: str | None = None
    port: int | None = None
    user: str | None = None
    password_env: str | None = None
    sender: str | None = None
    to: list[str] | None = None
    failures: int = Field(description="tries failed in a row")
    last_error: str | None
    last_sent_at: datetime | None


class ChannelList(BaseModel):
    channels: list[ChannelOut]


class TestOut(BaseModel):
    delivery: int
    state: str = Field(description="queued, sent or failed")
    text: str
    error: str | None


def _out(channel: AlertChannel) -> ChannelOut:
    config = channel.config or {}
    return ChannelOut(id=channel.id, unit=channel.unit.code, kind=channel.kind, name=channel.name,
                      enabled=channel.enabled, url=alerts.masked_url(config["url"]) if "url" in config else None,
                      markdown=bool(config.get("markdown")), has_secret=bool(channel.secret), host=config.get("host"),
                      port=config.get("port"), user=config.get("user"), password_env=config.get("password_env"),
                      sender=config.get("sender"), to=config.get("to"), failures=channel.failures,
                      last_error=channel.last_error, last_sent_at=channel.last_sent_at)


def _input(base: alerts.ChannelInput, body: ChannelFields) -> alerts.ChannelInput:
    given = body.model_dump(exclude_unset=True, exclude={"unit"})
    if "port" in given:
        given["port"] = str(given["port"])
    if "to" in given:
        given["to"] = ", ".join(given["to"] or [])
    return alerts.ChannelInput(**{**vars(base), **{k: ("" if v is None else v) for k, v in given.items()}})


@operation("/alert-channels", method="GET", operation_id="listAlertChannels", summary="Alert channels you manage",
           tag="incidents", response=ChannelList, roles=alerts.CHANNEL_ADMINS, errors=(403,))
def list_channels():
    return ChannelList(channels=[_out(channel) for channel in alerts.channels_visible_to(current_user)])


@operation("/alert-channels", method="POST", operation_id="createAlertChannel", summary="Add an alert channel",
           tag="incidents", body=ChannelBody, response=ChannelOut, status=201, roles=alerts.CHANNEL_ADMINS,
           errors=(400, 403, 404))
def create_channel(body: ChannelBody):
    channel = alerts.create_channel(current_user, get_unit_by_code(body.unit), _input(alerts.ChannelInput(kind="", name=""), body))
    db.session.commit()
    return _out(channel)


@operation("/alert-channels/<int:channel_id>", method="PATCH", operation_id="updateAlertChannel",
           summary="Change an alert channel (its unit and kind stay; a blank secret or address keeps the stored one)",
           tag="incidents", body=ChannelFields, response=ChannelOut, roles=alerts.CHANNEL_ADMINS,
           errors=(400, 403, 404))
def update_channel(channel_id: int, body: ChannelFields):
    channel = alerts.get_channel_for(current_user, channel_id)
    alerts.update_channel(current_user, channel, _input(alerts.input_of(channel), body))
    db.session.commit()
    return _out(channel)


@operation("/alert-channels/<int:channel_id>/test", method="POST", operation_id="testAlertChannel",
           summary="Queue a test message (sent within seconds; read the outcome with getAlertChannelTest)",
           tag="incidents", response=TestOut, status=202, roles=alerts.CHANNEL_ADMINS, errors=(403, 404))
def test_channel(channel_id: int):
    channel = alerts.get_channel_for(current_user, channel_id)
    alerts.queue_test(current_user, channel)
    db.session.commit()
    return TestOut(**alerts.test_report(channel))


@operation("/alert-channels/<int:channel_id>/test", method="GET", operation_id="getAlertChannelTest",
           summary="How the last test message went: queued, sent or failed with the reason", tag="incidents",
           response=TestOut, roles=alerts.CHANNEL_ADMINS, errors=(403, 404))
def channel_test(channel_id: int):
    report = alerts.test_report(alerts.get_channel_for(current_user, channel_id))
    if report is None:
        raise NotFound(_("No test message has been sent to this channel."))
    return TestOut(**report)
