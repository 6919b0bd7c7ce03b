"""The CAP 1.2 parser on alerts written here: valid ones, updates and cancellations, and what it must
refuse unread (entity bombs, external entities) or with the missing element named."""
import pytest

from kiosk.broadcast import cap
from kiosk.broadcast.warnings import division_prefix
from tests.broadcast.conftest import cap_alert, reference

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
<!ENTITY lol9 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">]>
<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2"><identifier>&lol9;</identifier></alert>"""
EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE alert [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2"><identifier>&secret;</identifier></alert>"""


def test_a_valid_alert_is_read_whole(app):
    with app.test_request_context():
        alert = cap.parse(cap_alert())
    assert (alert.identifier, alert.status, alert.msg_type, alert.scope) == ("CN-20261123-0001", "Actual", "Alert",
                                                                             "Public")
    assert (alert.event, alert.severity, alert.urgency, alert.certainty) == ("暴雨红色预警", "Extreme", "Immediate",
                                                                             "Likely")
    assert alert.expires.isoformat() == "2026-11-23T12:00:00+08:00"
    assert alert.division_codes == ["330102001000"] and alert.area == "金家镇"
    assert alert.headline == "金家镇暴雨红色预警" and alert.sender_name == "县气象台"


def test_update_and_cancel_name_what_they_change(app):
    with app.test_request_context():
        update = cap.parse(cap_alert("CN-2", msg_type="Update", severity="Moderate", references=reference()))
        cancel = cap.parse(cap_alert("CN-3", msg_type="Cancel", references=reference(), leave_out=("info",)))
        with pytest.raises(cap.CapError, match="references"):
            cap.parse(cap_alert("CN-4", msg_type="Cancel", leave_out=("info",)))
    assert update.references == [("county-emergency@example.gov.cn", "CN-20261123-0001")]
    assert update.severity == "Moderate"
    assert cancel.msg_type == "Cancel" and cancel.references == update.references and cancel.severity == ""


@pytest.mark.parametrize("missing", ["identifier", "sender", "sent", "status", "msgType", "scope", "info", "event",
                                     "urgency", "severity", "certainty", "area", "areaDesc"])
def test_each_required_element_is_checked(app, missing):
    with app.test_request_context(), pytest.raises(cap.CapError, match=f"<{missing}>"):
        cap.parse(cap_alert(leave_out=(missing,)))


@pytest.mark.parametrize("data, words", [
    (cap_alert(severity="Catastrophic"), "severity"),
    (cap_alert(sent="yesterday"), "<sent>"),
    (cap_alert(sent="2026-11-23T08:58:00"), "<sent>"),       # a time without its zone is ambiguous
    (cap_alert().replace(b"</alert>", b""), "XML.*no element found"),
    (b"\xff\xfe not xml", "XML.*syntax error"),
    (b"<feed xmlns='http://www.w3.org/2005/Atom'/>", "CAP 1.2"),
    (cap_alert().replace(b"cap:1.2", b"cap:1.1"), "CAP 1.2"),
])
def test_malformed_alerts_are_refused_with_their_reason(app, data, words):
    with app.test_request_context(), pytest.raises(cap.CapError, match=words):
        cap.parse(data)


@pytest.mark.parametrize("bomb", [BILLION_LAUGHS, EXTERNAL_ENTITY])
def test_entity_bombs_and_external_entities_are_refused_unread(app, bomb):
    with app.test_request_context(), pytest.raises(cap.CapError, match="DTD"):
        cap.parse(bomb)


def test_division_codes_cover_the_codes_inside_them():
    assert division_prefix("330102") == "330102"
    assert division_prefix("330102000000") == "330102"
    assert division_prefix("330102001000") == "330102001"
    assert division_prefix("330102001001") == "330102001001"
    assert division_prefix("330100000000") == "3301"
    assert [division_prefix(bad) for bad in ("", "33010", "3301020010", "３３０１０２", "abcdef")] == [None] * 5
