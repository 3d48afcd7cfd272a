"""Sending SMS: `send_sms(to, text)` through the backend named by settings.SMS_BACKEND.

Modelled on Django's email backends: `ConsoleBackend` prints (development),
`LocmemBackend` collects messages in `outbox` (tests), `HttpGatewayBackend` posts to the
city's SMS gateway (production). A send that fails raises `SmsError`, so that a caller
with an outbox can record the failure and retry.
"""

import json
import logging
import sys
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import TextIO

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class SmsMessage:
    """One text message: `to` in E.164 (`+62812...`), `sender` the name shown on the phone."""

    to: str
    text: str
    sender: str


# What LocmemBackend has "sent", oldest first (like django.core.mail.outbox).
outbox: list[SmsMessage] = []


class SmsError(Exception):
    """The message was not accepted for delivery. It may be retried later."""


class SmsNotConfigured(SmsError, ImproperlyConfigured):
    """The backend lacks its settings. Still an SmsError: messages queued meanwhile go out
    once an administrator fixes the configuration."""


class BaseBackend:
    def send(self, message: SmsMessage) -> None:
        raise NotImplementedError


class ConsoleBackend(BaseBackend):
    """Writes each message to standard output, as Django's console email backend does."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stdout

    def send(self, message: SmsMessage) -> None:
        self.stream.write(
            f"SMS from {message.sender} to {message.to}:\n{message.text}\n{'-' * 40}\n"
        )
        self.stream.flush()


class LocmemBackend(BaseBackend):
    """Appends each message to `outbox`; tests read and clear it."""

    def send(self, message: SmsMessage) -> None:
        outbox.append(message)


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    # urllib would follow a redirect with a GET and drop the message: treat 3xx as failure.
    def redirect_request(self, *args, **kwargs) -> None:
        return None


class HttpGatewayBackend(BaseBackend):
    """POSTs `{"to": ..., "from": ..., "text": ...}` as JSON to SMS_GATEWAY_URL, with
    `Authorization: Bearer SMS_GATEWAY_TOKEN` when a token is set.

    Any answer other than 2xx, a timeout (SMS_GATEWAY_TIMEOUT seconds) or a connection
    failure raises SmsError. A provider with another API gets a small adapter in front.
    """

    def __init__(self) -> None:
        self.url = settings.SMS_GATEWAY_URL
        if not self.url.lower().startswith(("https://", "http://")):
            raise SmsNotConfigured(
                "SMS_GATEWAY_URL must be the http(s) address of the SMS gateway "
                f"(SMS_BACKEND is {settings.SMS_BACKEND}); got {self.url!r}."
            )
        self.token = settings.SMS_GATEWAY_TOKEN
        self.timeout = settings.SMS_GATEWAY_TIMEOUT
        self.opener = urllib.request.build_opener(_NoRedirects)

    def send(self, message: SmsMessage) -> None:
        body = json.dumps({"to": message.to, "from": message.sender, "text": message.text})
        headers = {"Content-Type": "application/json", "Accept": "application/json"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        request = urllib.request.Request(  # noqa: S310 - the scheme is checked in __init__
            self.url, data=body.encode(), headers=headers, method="POST"
        )
        try:
            with self.opener.open(request, timeout=self.timeout) as response:
                status = response.status
        except urllib.error.HTTPError as error:
            detail = error.read(300).decode("utf-8", errors="replace").strip()
            raise SmsError(
                f"SMS gateway {self.url} answered {error.code} {error.reason}: {detail}"
            ) from error
        except OSError as error:  # URLError, timeouts, refused connections
            raise SmsError(f"SMS gateway {self.url} unreachable: {error}") from error
        if not 200 <= status < 300:
            raise SmsError(f"SMS gateway {self.url} answered {status}")
        logger.info("SMS accepted by the gateway (%s)", status)


def send_sms(to: str, text: str) -> None:
    """Send `text` to the mobile number `to` (E.164) from settings.SMS_SENDER.

    Raises SmsError when the backend could not hand the message over.
    """
    backend = import_string(settings.SMS_BACKEND)()
    backend.send(SmsMessage(to=to, text=text, sender=settings.SMS_SENDER))
