"""send_sms and its backends; the HTTP gateway backend against a real local HTTP server."""

import json
import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.exceptions import ImproperlyConfigured

from sikesal.core import sms
from sikesal.core.sms import SmsError, SmsMessage, SmsNotConfigured, send_sms

TO = "+6281234567890"


class GatewayHandler(BaseHTTPRequestHandler):
    """Records every request; answers with the server's `status` after its `delay`."""

    server: "FakeGateway"

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.server.requests.append(
            {"method": "POST", "path": self.path, "headers": dict(self.headers), "body": body}
        )
        time.sleep(self.server.delay)
        self.send_response(self.server.status)
        if 300 <= self.server.status < 400:
            self.send_header("Location", "/elsewhere")
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(self.server.answer)

    def do_GET(self) -> None:
        self.server.requests.append({"method": "GET", "path": self.path})
        self.send_response(200)
        self.end_headers()

    def log_message(self, format: str, *args) -> None:
        pass  # keep the test output clean


class FakeGateway(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), GatewayHandler)
        self.requests: list[dict] = []
        self.status = 200
        self.delay = 0.0
        self.answer = b'{"status": "queued"}'

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_port}/api/sms"


@pytest.fixture
def gateway(settings) -> Iterator[FakeGateway]:
    """A local SMS gateway, with SIKESAL configured to send through it."""
    server = FakeGateway()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.SMS_BACKEND = "sikesal.core.sms.HttpGatewayBackend"
    settings.SMS_GATEWAY_URL = server.url
    settings.SMS_GATEWAY_TOKEN = "rahasia-gateway"
    settings.SMS_GATEWAY_TIMEOUT = 5
    settings.SMS_SENDER = "SIKESAL"
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def outbox(settings) -> Iterator[list[SmsMessage]]:
    settings.SMS_BACKEND = "sikesal.core.sms.LocmemBackend"
    sms.outbox.clear()
    yield sms.outbox
    sms.outbox.clear()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# --- Console and locmem --------------------------------------------------------------------


def test_console_backend_prints_the_message(settings, capsys):
    settings.SMS_BACKEND = "sikesal.core.sms.ConsoleBackend"
    settings.SMS_SENDER = "SIKESAL"

    send_sms(TO, "Kode verifikasi: 123456")

    assert capsys.readouterr().out == (
        f"SMS from SIKESAL to {TO}:\nKode verifikasi: 123456\n{'-' * 40}\n"
    )


def test_locmem_backend_collects_messages_in_the_outbox(outbox, settings):
    settings.SMS_SENDER = "JAMBIKOTA"

    send_sms(TO, "satu")
    send_sms("+6285298765432", "dua")

    assert outbox == [
        SmsMessage(to=TO, text="satu", sender="JAMBIKOTA"),
        SmsMessage(to="+6285298765432", text="dua", sender="JAMBIKOTA"),
    ]


def test_development_default_is_the_console(settings):
    # DEBUG=true is how tests and `make run` start (config/settings.py reads it once).
    assert settings.SMS_BACKEND == "sikesal.core.sms.ConsoleBackend"


# --- HTTP gateway --------------------------------------------------------------------------


def test_gateway_receives_a_json_post_with_the_bearer_token(gateway):
    send_sms(TO, "Kode verifikasi SIKESAL: 123456")

    assert len(gateway.requests) == 1
    request = gateway.requests[0]
    assert request["method"] == "POST"
    assert request["path"] == "/api/sms"
    assert request["headers"]["Authorization"] == "Bearer rahasia-gateway"
    assert request["headers"]["Content-Type"] == "application/json"
    assert json.loads(request["body"]) == {
        "to": TO,
        "from": "SIKESAL",
        "text": "Kode verifikasi SIKESAL: 123456",
    }


def test_gateway_accepts_any_2xx(gateway):
    gateway.status = 202

    send_sms(TO, "diterima")

    assert len(gateway.requests) == 1


def test_gateway_without_a_token_gets_no_authorization_header(gateway, settings):
    settings.SMS_GATEWAY_TOKEN = ""

    send_sms(TO, "tanpa token")

    assert "Authorization" not in gateway.requests[0]["headers"]


@pytest.mark.parametrize("status", [400, 401, 429, 500, 503])
def test_gateway_error_status_raises_sms_error(gateway, status):
    gateway.status = status
    gateway.answer = b'{"error": "quota exceeded"}'

    with pytest.raises(SmsError) as raised:
        send_sms(TO, "gagal")

    message = str(raised.value)
    assert message.startswith(f"SMS gateway {gateway.url} answered {status} ")
    assert message.endswith(': {"error": "quota exceeded"}')
    # The token is a secret: it never goes into an error that may be logged.
    assert "rahasia-gateway" not in message


def test_gateway_redirect_is_a_failure_not_followed(gateway):
    gateway.status = 302

    with pytest.raises(SmsError, match="answered 302"):
        send_sms(TO, "dialihkan")

    assert [request["method"] for request in gateway.requests] == ["POST"]


def test_gateway_timeout_raises_sms_error(gateway, settings):
    settings.SMS_GATEWAY_TIMEOUT = 0.2
    gateway.delay = 1.0

    with pytest.raises(SmsError, match="unreachable"):
        send_sms(TO, "lambat")


def test_unreachable_gateway_raises_sms_error(settings):
    settings.SMS_BACKEND = "sikesal.core.sms.HttpGatewayBackend"
    settings.SMS_GATEWAY_URL = f"http://127.0.0.1:{free_port()}/api/sms"

    with pytest.raises(SmsError, match="unreachable"):
        send_sms(TO, "tidak ada server")


@pytest.mark.parametrize("url", ["", "ftp://gateway.example/sms", "file:///etc/passwd"])
def test_gateway_without_an_http_url_is_not_configured(settings, url):
    settings.SMS_BACKEND = "sikesal.core.sms.HttpGatewayBackend"
    settings.SMS_GATEWAY_URL = url

    with pytest.raises(SmsNotConfigured, match="SMS_GATEWAY_URL must be the http"):
        send_sms(TO, "tanpa alamat")


def test_not_configured_is_both_an_sms_error_and_a_configuration_error():
    # An outbox retrying SmsError delivers once the administrator fixes the settings.
    assert issubclass(SmsNotConfigured, SmsError)
    assert issubclass(SmsNotConfigured, ImproperlyConfigured)
