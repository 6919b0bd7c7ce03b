"""Local fake receivers for the alert channels: one threaded HTTP server answering as a 企业微信 robot
(/wecom), a signed 钉钉 robot (/dingtalk, the signature checked) and a generic JSON webhook (/hook),
and an SMTP server with STARTTLS and a login (aiosmtpd) with a certificate made for 127.0.0.1."""
import base64
import datetime
import hashlib
import hmac
import ipaddress
import json
import threading
import time
from dataclasses import dataclass, field
from email import message_from_bytes
from email.header import decode_header, make_header
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from tests.conftest import free_port

DINGTALK_SECRET = "SECtest0123456789abcdef"


@dataclass
class Received:
    path: str
    query: dict
    body: dict
    headers: dict


@dataclass
class Robots:
    """What arrived, and how to answer: `fail[path]` answers that many requests with HTTP 500 first;
    `slow[path]` waits that many seconds before answering (and before recording what arrived)."""
    url: str
    received: list[Received] = field(default_factory=list)
    fail: dict[str, int] = field(default_factory=dict)
    slow: dict[str, float] = field(default_factory=dict)

    def at(self, path: str) -> list[Received]:
        return [r for r in self.received if r.path == path]

    def texts(self, path: str) -> list[str]:
        def text(body):
            if "msgtype" in body:
                inner = body[body["msgtype"]]
                return inner.get("content") or inner.get("text") or ""
            return f"{body.get('subject')}\n{body.get('text')}"
        return [text(r.body) for r in self.at(path)]


def _handler(robots: Robots):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_POST(self):
            parts = urlsplit(self.path)
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])) or b"{}")
            query = {k: v[0] for k, v in parse_qs(parts.query).items()}
            time.sleep(robots.slow.get(parts.path, 0))
            if robots.fail.get(parts.path, 0) > 0:
                robots.fail[parts.path] -= 1
                return self._answer(500, {"error": "down"})
            if parts.path == "/dingtalk":
                expected = base64.b64encode(hmac.new(DINGTALK_SECRET.encode(),
                                                     f"{query.get('timestamp')}\n{DINGTALK_SECRET}".encode(),
                                                     hashlib.sha256).digest()).decode()
                if query.get("sign") != expected:     # parse_qs has undone the URL encoding
                    return self._answer(200, {"errcode": 310000, "errmsg": "sign not match"})
            robots.received.append(Received(parts.path, query, body, dict(self.headers)))
            if parts.path in ("/wecom", "/dingtalk"):
                return self._answer(200, {"errcode": 0, "errmsg": "ok"})
            return self._answer(204, None)

        def _answer(self, status, payload):
            data = json.dumps(payload).encode() if payload is not None else b""
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
    return Handler


def start_robots():
    port = free_port()
    robots = Robots(url=f"http://127.0.0.1:{port}")
    server = ThreadingHTTPServer(("127.0.0.1", port), _handler(robots))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return robots, server


# --- SMTP --------------------------------------------------------------------------------------------

def self_signed(folder: Path) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    start = datetime.datetime(2020, 1, 1, tzinfo=datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(start)
            .not_valid_after(start + datetime.timedelta(days=365 * 30))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), True)
            .sign(key, hashes.SHA256()))
    cert_file, key_file = folder / "smtp-cert.pem", folder / "smtp-key.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_file, key_file


class Mailbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        mail = message_from_bytes(envelope.content)
        self.messages.append({"to": envelope.rcpt_tos, "subject": str(make_header(decode_header(mail["Subject"]))),
                              "body": mail.get_payload(decode=True).decode()})
        return "250 OK"

    def subjects(self) -> list[str]:
        return [m["subject"] for m in self.messages]


def start_smtp(folder: Path, user: str, password: str):
    import ssl
    cert_file, key_file = self_signed(folder)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert_file, key_file)

    def authenticator(server, session, envelope, mechanism, auth_data):
        return AuthResult(success=auth_data.login.decode() == user and auth_data.password.decode() == password,
                          handled=False)

    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=free_port(), tls_context=context,
                            require_starttls=True, authenticator=authenticator, auth_require_tls=True)
    controller.start()
    return mailbox, controller, cert_file
