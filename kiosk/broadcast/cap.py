"""Reading a CAP 1.2 alert (Common Alerting Protocol, OASIS; the format of the national early-warning
release system and the weather services) safely: defusedxml with DTDs forbidden outright, so no
entity is ever expanded (no "billion laughs") and nothing external is fetched; then every element
the standard requires is checked and the values of its code lists. Pure: bytes in, `Alert` out, or
`CapError` with the reason in words."""
from dataclasses import dataclass, field
from datetime import datetime

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError, fromstring
from flask_babel import gettext as _

NAMESPACE = "urn:oasis:names:tc:emergency:cap:1.2"
STATUSES = ("Actual", "Exercise", "System", "Test", "Draft")
MSG_TYPES = ("Alert", "Update", "Cancel", "Ack", "Error")
SCOPES = ("Public", "Restricted", "Private")
URGENCIES = ("Immediate", "Expected", "Future", "Past", "Unknown")
SEVERITIES = ("Extreme", "Severe", "Moderate", "Minor", "Unknown")
CERTAINTIES = ("Observed", "Likely", "Possible", "Unlikely", "Unknown")
# The geocode names that carry an administrative division code (行政区划代码, GB/T 2260 and the
# statistics bureau's 12-digit township and village extension), compared without case and spaces.
DIVISION_CODE_NAMES = {"行政区划代码", "行政区划编码", "行政区代码", "区划代码", "adcode", "admincode",
                       "administrativedivisioncode", "gb/t2260", "gb2260", "gbt2260", "divisioncode"}


class CapError(Exception):
    """Not a CAP 1.2 alert we can use; the message says why."""


@dataclass
class Alert:
    identifier: str
    sender: str
    sent: datetime
    status: str
    msg_type: str
    scope: str
    references: list[tuple[str, str]] = field(default_factory=list)   # (sender, identifier)
    event: str = ""
    urgency: str = ""
    severity: str = ""
    certainty: str = ""
    headline: str = ""
    description: str = ""
    instruction: str = ""
    sender_name: str = ""
    expires: datetime | None = None
    area: str = ""
    geocodes: list[tuple[str, str]] = field(default_factory=list)     # (valueName, value)

    @property
    def division_codes(self) -> list[str]:
        return [value for name, value in self.geocodes if is_division_code_name(name)]


def is_division_code_name(name: str) -> bool:
    return "".join(name.split()).lower() in DIVISION_CODE_NAMES


def _local(tag: str) -> tuple[str, str]:
    if tag.startswith("{"):
        namespace, _sep, name = tag[1:].partition("}")
        return namespace, name
    return "", tag


def _children(node, name: str) -> list:
    return [child for child in node if isinstance(child.tag, str) and _local(child.tag)[1] == name]


def _text(node, name: str, required: bool = False, where: str = "alert") -> str:
    found = _children(node, name)
    value = (found[0].text or "").strip() if found else ""
    if required and not value:
        raise CapError(_("The required element <%(name)s> of <%(where)s> is missing or empty.", name=name,
                         where=where))
    return value


def _one_of(node, name: str, allowed: tuple[str, ...], where: str = "alert") -> str:
    value = _text(node, name, True, where)
    if value not in allowed:
        raise CapError(_("<%(name)s> is \"%(value)s\"; CAP 1.2 allows %(allowed)s.", name=name, value=value[:40],
                         allowed=", ".join(allowed)))
    return value


def _moment(value: str, name: str) -> datetime:
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        raise CapError(_("<%(name)s> is not a date and time with its offset (e.g. 2026-11-23T02:40:00+08:00).",
                         name=name))
    return moment


def _references(value: str) -> list[tuple[str, str]]:
    """`references`: space-separated "sender,identifier,sent" triples."""
    found = []
    for triple in value.split():
        parts = triple.split(",")
        if len(parts) != 3 or not parts[0] or not parts[1]:
            raise CapError(_("<references> holds \"%(value)s\"; each is sender,identifier,sent.", value=triple[:80]))
        found.append((parts[0], parts[1]))
    return found


def _info(alert_node):
    """The block to show: the first in Chinese, else the first."""
    infos = _children(alert_node, "info")
    for info in infos:
        if _text(info, "language").lower().startswith("zh"):
            return info
    return infos[0] if infos else None


def parse(data: bytes) -> Alert:
    try:
        root = fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException:
        raise CapError(_("The XML declares a DTD or entities; CAP alerts have none, so it is refused unread."))
    except (ParseError, ValueError) as error:
        raise CapError(_("This is not well-formed XML (%(error)s).", error=str(error)[:120]))
    namespace, name = _local(root.tag)
    if name != "alert" or namespace not in (NAMESPACE, ""):
        raise CapError(_("The document is not a CAP 1.2 <alert> (%(namespace)s).", namespace=NAMESPACE))
    alert = Alert(identifier=_text(root, "identifier", True), sender=_text(root, "sender", True),
                  sent=_moment(_text(root, "sent", True), "sent"), status=_one_of(root, "status", STATUSES),
                  msg_type=_one_of(root, "msgType", MSG_TYPES), scope=_one_of(root, "scope", SCOPES))
    alert.references = _references(_text(root, "references"))
    if alert.msg_type in ("Update", "Cancel") and not alert.references:
        raise CapError(_("An %(type)s message must name the alert it changes in <references>.", type=alert.msg_type))
    info = _info(root)
    if info is None:
        if alert.msg_type == "Cancel":
            return alert   # a cancellation needs nothing but what it cancels
        raise CapError(_("The required element <%(name)s> of <%(where)s> is missing or empty.", name="info",
                         where="alert"))
    alert.event = _text(info, "event", True, "info")
    alert.urgency = _one_of(info, "urgency", URGENCIES, "info")
    alert.severity = _one_of(info, "severity", SEVERITIES, "info")
    alert.certainty = _one_of(info, "certainty", CERTAINTIES, "info")
    alert.headline, alert.description = _text(info, "headline"), _text(info, "description")
    alert.instruction, alert.sender_name = _text(info, "instruction"), _text(info, "senderName")
    expires = _text(info, "expires")
    alert.expires = _moment(expires, "expires") if expires else None
    areas = _children(info, "area")
    if not areas and alert.msg_type != "Cancel":
        raise CapError(_("The required element <%(name)s> of <%(where)s> is missing or empty.", name="area",
                         where="info"))
    alert.area = "、".join(_text(area, "areaDesc", True, "area") for area in areas)
    alert.geocodes = [(_text(code, "valueName"), _text(code, "value")) for area in areas
                      for code in _children(area, "geocode")]
    return alert
