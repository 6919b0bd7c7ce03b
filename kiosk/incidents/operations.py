"""Alert channels (each unit's administrator configures them), what each staff member sees of the
incidents, and the one job that evaluates conditions, sends the digest and delivers messages."""
import re
from dataclasses import dataclass, replace
from datetime import timedelta
from urllib.parse import urlsplit

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from kiosk.accounts.models import Role, User
from kiosk.accounts.permissions import ensure_can_act_on, ensure_role
from kiosk.audit.operations import record_change, snapshot
from kiosk.core import clock
from kiosk.core.errors import InvalidInput, NotFound
from kiosk.extensions import db
from kiosk.incidents.delivery import FAILING_AFTER, deliver_due
from kiosk.incidents.engine import evaluate, send_digest_if_due
from kiosk.incidents.models import AlertChannel, AlertDelivery, ChannelKind, DeliveryEvent, DeliveryStatus, Incident
from kiosk.org.models import Unit

CHANNEL_ADMINS = (Role.administrator,)
ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,63}$")
EMAIL = re.compile(r"^[^@\s,;]+@[^@\s,;]+\.[^@\s,;]+$")


# --- the job --------------------------------------------------------------------------------------------

def run() -> str | None:
    """Evaluate, queue the digest when due, send what is due (the `incidents.run` job)."""
    now = clock.now()
    counts = evaluate(now)
    digests = send_digest_if_due(now)
    db.session.commit()
    return _said({**counts, "digests": digests}, *deliver_due(now))


def deliver() -> str | None:
    """Send what is due (the `incidents.deliver` job, every few seconds: a test message or a retry
    goes out promptly, whichever process queued it)."""
    return _said({}, *deliver_due())


def _said(counts: dict, sent: int, failed: int) -> str | None:
    said = [f"{n} {what}" for what, n in (*counts.items(), ("sent", sent), ("failed tries", failed)) if n]
    return ", ".join(said) or None


# --- channels -------------------------------------------------------------------------------------------

@dataclass
class ChannelInput:
    kind: str
    name: str
    url: str = ""
    markdown: bool = False
    secret: str = ""
    forget_secret: bool = False   # remove the stored secret (a webhook may do without its token)
    host: str = ""
    port: str = "587"
    user: str = ""
    password_env: str = ""
    sender: str = ""
    to: str = ""


def _invalid(message: str, field: str):
    return InvalidInput(message, details={"field": field})


def _check_url(url: str) -> str:
    url = url.strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise _invalid(_("The address must start with http:// or https:// (the robot's webhook address)."), "url")
    if len(url) > 1000:
        raise _invalid(_("The address is too long."), "url")
    return url


def checked_channel(data: ChannelInput, stored: AlertChannel | None = None) -> tuple[ChannelKind, str, dict, str]:
    """(kind, name, config, secret) from what staff typed, or InvalidInput naming the field. Editing
    (`stored`), a blank secret or robot address keeps the stored one (neither is ever shown back), unless
    `forget_secret` asks to remove the secret."""
    try:
        kind = ChannelKind(data.kind)
    except ValueError:
        raise _invalid(_("Choose the kind of channel."), "kind") from None
    name = data.name.strip()
    if not 1 <= len(name) <= 80:
        raise _invalid(_("A channel name is 1 to 80 characters."), "name")
    secret = data.secret.strip() or ("" if data.forget_secret or stored is None else stored.secret)
    if kind in (ChannelKind.wecom, ChannelKind.dingtalk, ChannelKind.webhook):
        url = data.url.strip() or (stored.config.get("url", "") if stored else "")
        config = {"url": _check_url(url), "markdown": bool(data.markdown)}
        if kind == ChannelKind.dingtalk and not secret:
            raise _invalid(_("钉钉 robots are used in their signed form: give the robot's secret (SEC…)."), "secret")
        if kind == ChannelKind.wecom:
            secret = ""
        return kind, name, config, secret
    host = data.host.strip()
    if not host or len(host) > 255 or any(c in host for c in "/ :@"):
        raise _invalid(_("Give the mail server's name, e.g. smtp.example.gov.cn."), "host")
    port = int(data.port.strip()) if data.port.strip().isdigit() else 0
    if not 1 <= port <= 65535:
        raise _invalid(_("The port is a number from 1 to 65535 (587 for STARTTLS)."), "port")
    user, password_env = data.user.strip(), data.password_env.strip()
    if user and not ENV_NAME.match(password_env):
        raise _invalid(_("Name the server's environment variable that holds the password, e.g. KIOSK_SMTP_PASSWORD; "
                         "the password itself is never stored."), "password_env")
    sender = data.sender.strip()
    if not EMAIL.match(sender):
        raise _invalid(_("The sender is one e-mail address."), "sender")
    to = [part for part in re.split(r"[\s,;，；]+", data.to) if part]
    if not to or len(to) > 50 or not all(EMAIL.match(address) for address in to):
        raise _invalid(_("Give the recipients' e-mail addresses, separated by commas."), "to")
    return kind, name, {"host": host, "port": port, "user": user, "password_env": password_env if user else "",
                        "sender": sender, "to": to}, ""


def _record(channel: AlertChannel, action: str, before: dict | None = None, reason: str = "") -> None:
    """Audited without the secret (the entry says only whether one is set, and whether it changed) and
    with the robot's address masked (its key is in it)."""
    def plain(values):
        config = dict(values.get("config") or {})
        if "url" in config:
            config["url"] = masked_url(config["url"])
        return {**{k: v for k, v in values.items() if k != "secret"}, "config": config,
                "has_secret": bool(values.get("secret"))}
    after = plain(snapshot(channel))
    if before and before.get("secret") != channel.secret:
        after["secret_changed"] = True
    record_change(action, channel, before=plain(before) if before else None, after=after, reason=reason)


def masked_url(url: str) -> str:
    """A robot's address as pages may show it: 企业微信's key and 钉钉's access token are in the query
    (and a webhook may carry a password), so only the scheme, host and path are left."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.port:
        host += f":{parts.port}"
    return f"{parts.scheme}://{host}{parts.path}" + ("?…" if parts.query else "")


def input_of(channel: AlertChannel) -> ChannelInput:
    """The channel as its form shows it, without its secret or its robot's address."""
    config = channel.config or {}
    return ChannelInput(kind=channel.kind.value, name=channel.name, markdown=bool(config.get("markdown")),
                        host=config.get("host", ""), port=str(config.get("port", "587")), user=config.get("user", ""),
                        password_env=config.get("password_env", ""), sender=config.get("sender", ""),
                        to=", ".join(config.get("to", [])))


def channels_visible_to(user: User) -> list[AlertChannel]:
    return list(db.session.scalars(select(AlertChannel).join(Unit).where(Unit.path.startswith(user.unit.path))
                                   .order_by(Unit.path, AlertChannel.name)))


def get_channel_for(user: User, channel_id: int) -> AlertChannel:
    ensure_role(user, *CHANNEL_ADMINS)
    channel = db.session.get(AlertChannel, channel_id)
    if channel is None or not user.unit.contains(channel.unit):
        raise NotFound(_("There is no such alert channel."))
    return channel


def create_channel(user: User, unit: Unit, data: ChannelInput) -> AlertChannel:
    ensure_role(user, *CHANNEL_ADMINS)
    ensure_can_act_on(user, unit)
    kind, name, config, secret = checked_channel(data)
    channel = AlertChannel(unit=unit, kind=kind, name=name, config=config, secret=secret, enabled=True)
    db.session.add(channel)
    db.session.flush()
    _record(channel, "alert_channel.create")
    return channel


def update_channel(user: User, channel: AlertChannel, data: ChannelInput) -> AlertChannel:
    """Change a channel in place (its unit and kind stay): its messages and health stay with it."""
    ensure_role(user, *CHANNEL_ADMINS)
    ensure_can_act_on(user, channel.unit)
    _kind, name, config, secret = checked_channel(replace(data, kind=channel.kind.value), channel)
    before = snapshot(channel)
    channel.name, channel.config, channel.secret = name, config, secret
    db.session.flush()
    _record(channel, "alert_channel.edit", before)
    return channel


def set_enabled(user: User, channel: AlertChannel, enabled: bool) -> None:
    ensure_can_act_on(user, channel.unit)
    before = snapshot(channel)
    channel.enabled = enabled
    if enabled:
        channel.failures = 0
    db.session.flush()
    _record(channel, "alert_channel.update", before)


def delete_channel(user: User, channel: AlertChannel) -> None:
    ensure_can_act_on(user, channel.unit)
    _record(channel, "alert_channel.delete", snapshot(channel))
    db.session.delete(channel)


def queue_test(user: User, channel: AlertChannel) -> AlertDelivery:
    """Queue a test message; the `incidents.deliver` job tries it within seconds (the request never
    waits for the receiver), once, and `test_status` says how it went."""
    ensure_role(user, *CHANNEL_ADMINS)
    ensure_can_act_on(user, channel.unit)
    now = clock.now()
    with force_locale("zh"):
        delivery = AlertDelivery(channel=channel, event=DeliveryEvent.test, created_at=now, next_try_at=now,
                                 subject=_("Test message from the township noticeboards"),
                                 body=_("Sent by %(name)s to check the channel %(channel)s of %(unit)s.",
                                        name=user.display_name, channel=channel.name, unit=channel.unit.name))
    db.session.add(delivery)
    db.session.flush()
    record_change("alert_channel.test", channel, after={"name": channel.name})
    return delivery


def last_test(channel: AlertChannel) -> AlertDelivery | None:
    return db.session.scalar(select(AlertDelivery).where(AlertDelivery.channel_id == channel.id,
                                                        AlertDelivery.event == DeliveryEvent.test)
                             .order_by(AlertDelivery.id.desc()).limit(1))


def test_report(channel: AlertChannel) -> dict | None:
    """The last test message: {"state": queued|sent|failed, "text": in the reader's words, "error"}."""
    delivery = last_test(channel)
    if delivery is None:
        return None
    queued_at = clock.to_local(delivery.created_at).strftime("%H:%M:%S")
    if delivery.status == DeliveryStatus.sent:
        state, text = "sent", _("Test message queued at %(queued)s, sent at %(sent)s.", queued=queued_at,
                                sent=clock.to_local(delivery.sent_at).strftime("%H:%M:%S"))
    elif delivery.status == DeliveryStatus.failed:
        state, text = "failed", _("Test message queued at %(queued)s, failed: %(error)s", queued=queued_at,
                                  error=delivery.last_error or "")
    else:
        state, text = "queued", _("Test message queued at %(queued)s, sending…", queued=queued_at)
    return {"delivery": delivery.id, "state": state, "text": text, "error": delivery.last_error}


# --- what each staff member sees -------------------------------------------------------------------------

def addressed_to(user: User, incident: Incident) -> bool:
    """Staff named by the finding, or of its unit and above with one of its roles (all, if it names none)."""
    if user.id in (incident.user_ids or []):
        return True
    if not user.unit.contains(incident.unit):
        return False
    return not incident.roles or user.has_role(*(Role(role) for role in incident.roles if role in Role.__members__))


def open_incidents_for(user: User) -> list[Incident]:
    """Open incidents addressed to this staff member, newest first (open ones are few: read them all)."""
    incidents = db.session.scalars(select(Incident).where(Incident.closed_at.is_(None))
                                   .order_by(Incident.opened_at.desc()))
    return [incident for incident in incidents if addressed_to(user, incident)]


def closed_incidents_for(user: User, days: int = 30, limit: int = 200) -> list[Incident]:
    since = clock.now() - timedelta(days=days)
    incidents = db.session.scalars(select(Incident).join(Unit).where(
        Incident.closed_at >= since, Unit.path.startswith(user.unit.path)).order_by(Incident.closed_at.desc())
        .limit(limit))
    return [incident for incident in incidents if addressed_to(user, incident)]


def failing_channels(user: User) -> list[AlertChannel]:
    if not user.has_role(*CHANNEL_ADMINS):
        return []
    return [channel for channel in channels_visible_to(user) if channel.enabled and channel.failures >= FAILING_AFTER]


def deliveries_for(user: User, channel: AlertChannel | None = None, limit: int = 200) -> list[AlertDelivery]:
    """Messages of the channels this administrator sees (or of one of them), newest first."""
    ensure_role(user, *CHANNEL_ADMINS)
    query = select(AlertDelivery).join(AlertChannel).join(Unit).where(Unit.path.startswith(user.unit.path))
    if channel is not None:
        query = query.where(AlertDelivery.channel_id == channel.id)
    return list(db.session.scalars(query.order_by(AlertDelivery.id.desc()).limit(limit)))
