"""Real local servers that speak like the providers, for the adapter tests: an SMTP server
(aiosmtpd) and an HTTP server (http.server), each on 127.0.0.1 on a free port, in a thread."""

import json
import socket
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from aiosmtpd.controller import Controller

DROP = "drop"  # an HTTP answer that closes the connection without a word
SLOW = "slow"  # an HTTP answer that comes 1.2 s late


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class MailRecorder:
    """Accepts mail, or answers `rcpt_reply` / `data_reply` (e.g. "550 …") when set;
    `refused` maps single addresses to their RCPT answer. `peers` are the client ends of
    the connections that delivered mail, one per connection."""

    def __init__(self, *, rcpt_reply: str = "", data_reply: str = "", refused=None):
        self.rcpt_reply, self.data_reply = rcpt_reply, data_reply
        self.refused = refused or {}
        self.envelopes = []
        self.peers = set()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        reply = self.refused.get(address) or self.rcpt_reply
        if reply:
            return reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.data_reply:
            return self.data_reply
        self.envelopes.append(envelope)
        self.peers.add(session.peer)
        return "250 Message accepted for delivery"

    def messages(self):
        return [message_from_bytes(e.content, policy=policy.default) for e in self.envelopes]


@contextmanager
def smtp_server(settings, recorder: MailRecorder):
    """An SMTP server for the duration, with Django's SMTP backend pointed at it."""
    server = Controller(recorder, hostname="127.0.0.1", port=free_port())
    server.start()
    try:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = server.hostname, server.port
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
        yield recorder
    finally:
        server.stop()


@dataclass
class Seen:
    method: str
    path: str
    query: dict
    headers: dict
    body: bytes

    def json(self):
        return json.loads(self.body)


@dataclass
class HttpProvider:
    """Answers each request with the next scripted answer: (status, JSON-able) or DROP."""

    answers: list = field(default_factory=list)
    seen: list[Seen] = field(default_factory=list)
    url: str = ""


@contextmanager
def http_provider(*answers):
    provider = HttpProvider(answers=list(answers))

    class Handler(BaseHTTPRequestHandler):
        def _answer(self):
            length = int(self.headers.get("Content-Length") or 0)
            parts = urlsplit(self.path)
            provider.seen.append(
                Seen(
                    method=self.command,
                    path=parts.path,
                    query={k: v[0] for k, v in parse_qs(parts.query).items()},
                    headers={k.lower(): v for k, v in self.headers.items()},
                    body=self.rfile.read(length),
                )
            )
            answer = provider.answers.pop(0)
            if answer == DROP:
                self.close_connection = True
                self.connection.shutdown(socket.SHUT_RDWR)
                return
            if answer == SLOW:
                time.sleep(1.2)
                answer = (200, {})
            status, content = answer
            data = content if isinstance(content, bytes) else json.dumps(content).encode()
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up waiting (the timeout test)

        do_GET = do_POST = _answer

        def log_message(self, *args):  # keep the test output clean
            pass

    server = ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
    provider.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield provider
    finally:
        server.shutdown()
        server.server_close()
