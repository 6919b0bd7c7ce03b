"""Sending one message to one alert channel: 企业微信 and 钉钉 group robots, a generic JSON webhook,
email over SMTP with STARTTLS. Each sender raises `SendError` with a Chinese reason staff can act on.

Only the incidents job (and a channel's test button) calls `send`; timeouts are short, and under
gevent the sockets are cooperative, so a slow receiver never holds the event loop.
"""
import base64
import hashlib
import hmac
import os
import smtplib
import socket
import ssl
import time
from dataclasses import dataclass
from email.message import EmailMessage
from urllib.parse import quote_plus

import requests
from flask_babel import gettext as _

from kiosk.incidents.models import ChannelKind

HTTP_TIMEOUT = (3.05, 5)     # connect, read (seconds)
SMTP_TIMEOUT = 10


class SendError(Exception):
    """The channel did not take the message; `message` says why in the reader's language."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Target:
    """What a sender needs of a channel, read out of the session before the network is touched."""
    kind: ChannelKind
    config: dict
    secret: str


@dataclass(frozen=True)
class Message:
    event: str
    subject: str
    body: str
    link: str | None = None


def send(target: Target, message: Message) -> None:
    SENDERS[target.kind](target, message)


def _text(message: Message) -> str:
    return "\n".join(part for part in (message.subject, message.body, message.link or "") if part)


def _markdown(message: Message) -> str:
    lines = [f"**{message.subject}**", message.body.replace("\n", "\n\n")] if message.body else [f"**{message.subject}**"]
    if message.link:
        lines.append(f"[{_('Open')}]({message.link})")
    return "\n\n".join(lines)


def _post(url: str, payload: dict, headers: dict | None = None) -> requests.Response:
    try:
        response = requests.post(url, json=payload, headers=headers or {}, timeout=HTTP_TIMEOUT)
    except requests.Timeout:
        raise SendError(_("The receiver did not answer in time.")) from None
    except requests.ConnectionError:
        raise SendError(_("Could not connect to the receiver (%(host)s).", host=_host(url))) from None
    except requests.RequestException as error:
        raise SendError(_("The message could not be sent: %(error)s", error=type(error).__name__)) from None
    if not 200 <= response.status_code < 300:
        raise SendError(_("The receiver answered HTTP %(status)d.", status=response.status_code))
    return response


def _host(url: str) -> str:
    return url.split("//", 1)[-1].split("/", 1)[0].split("?", 1)[0]


def _robot_answer(response: requests.Response) -> None:
    """企业微信 and 钉钉 answer HTTP 200 with {"errcode": 0} on success and another code on refusal."""
    try:
        answer = response.json()
    except ValueError:
        raise SendError(_("The robot's answer was not JSON.")) from None
    if not isinstance(answer, dict) or answer.get("errcode") != 0:
        errcode = answer.get("errcode") if isinstance(answer, dict) else None
        errmsg = answer.get("errmsg", "") if isinstance(answer, dict) else ""
        raise SendError(_("The robot refused the message: %(code)s %(reason)s", code=errcode, reason=errmsg))


def send_wecom(target: Target, message: Message) -> None:
    if target.config.get("markdown"):
        payload = {"msgtype": "markdown", "markdown": {"content": _markdown(message)}}
    else:
        payload = {"msgtype": "text", "text": {"content": _text(message)}}
    _robot_answer(_post(target.config["url"], payload))


def dingtalk_signature(timestamp: str, secret: str) -> str:
    """钉钉's signed robots: HMAC-SHA256 of "timestamp\\nsecret" keyed by the secret, base64, URL-encoded."""
    digest = hmac.new(secret.encode(), f"{timestamp}\n{secret}".encode(), hashlib.sha256).digest()
    return quote_plus(base64.b64encode(digest))


def send_dingtalk(target: Target, message: Message) -> None:
    # 钉钉 refuses a timestamp more than an hour from its own clock: this is the machine's real time
    # (like the scheduler's lease), never the application's clock that tests move.
    timestamp = str(round(time.time() * 1000))
    url = target.config["url"]
    url += ("&" if "?" in url else "?") + f"timestamp={timestamp}&sign={dingtalk_signature(timestamp, target.secret)}"
    if target.config.get("markdown"):
        payload = {"msgtype": "markdown", "markdown": {"title": message.subject, "text": _markdown(message)}}
    else:
        payload = {"msgtype": "text", "text": {"content": _text(message)}}
    _robot_answer(_post(url, payload))


def send_webhook(target: Target, message: Message) -> None:
    headers = {"Authorization": f"Bearer {target.secret}"} if target.secret else {}
    _post(target.config["url"], {"event": message.event, "subject": message.subject, "text": message.body,
                                 "link": message.link}, headers)


def send_email(target: Target, message: Message) -> None:
    config = target.config
    mail = EmailMessage()
    mail["Subject"] = message.subject
    mail["From"] = config["sender"]
    mail["To"] = ", ".join(config["to"])
    mail.set_content(_text(message))
    password = None
    if config.get("user"):
        password = os.environ.get(config.get("password_env") or "")
        if password is None:
            raise SendError(_("The environment variable %(name)s holding the mail password is not set on the server.",
                              name=config.get("password_env")))
    try:
        with smtplib.SMTP(config["host"], int(config["port"]), timeout=SMTP_TIMEOUT) as smtp:
            smtp.starttls(context=ssl.create_default_context())
            if config.get("user"):
                smtp.login(config["user"], password)
            smtp.send_message(mail)
    except smtplib.SMTPAuthenticationError:
        raise SendError(_("The mail server refused the user name or password.")) from None
    except smtplib.SMTPNotSupportedError:
        raise SendError(_("The mail server does not offer STARTTLS; messages are only sent encrypted.")) from None
    except smtplib.SMTPRecipientsRefused:
        raise SendError(_("The mail server refused the recipients.")) from None
    except smtplib.SMTPResponseException as error:
        reason = error.smtp_error.decode(errors="replace") if isinstance(error.smtp_error, bytes) else str(error.smtp_error)
        raise SendError(_("The mail server refused: %(code)d %(reason)s", code=error.smtp_code, reason=reason)) from None
    except ssl.SSLError as error:
        raise SendError(_("The mail server's encryption failed: %(reason)s", reason=error.reason or error)) from None
    except (socket.timeout, TimeoutError):
        raise SendError(_("The mail server did not answer in time.")) from None
    except (OSError, smtplib.SMTPException):
        raise SendError(_("Could not connect to the mail server %(host)s:%(port)s.", host=config["host"],
                          port=config["port"])) from None


SENDERS = {ChannelKind.wecom: send_wecom, ChannelKind.dingtalk: send_dingtalk, ChannelKind.webhook: send_webhook,
           ChannelKind.email: send_email}
