"""Every response limits the browser features pages may use, and none names the server."""

import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from django.conf import settings
from django.test import Client

BASE_DIR = Path(settings.BASE_DIR)


def test_every_page_sends_the_permissions_policy(client: Client):
    home = client.get("/")
    missing = client.get("/tidak-ada/")

    for response in (home, missing):
        policy = response.headers["Permissions-Policy"].split(", ")
        assert "geolocation=(self)" in policy
        assert "camera=()" in policy
        assert "microphone=()" in policy
        assert "payment=()" in policy
        assert [item for item in policy if not item.endswith("=()")] == ["geolocation=(self)"]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_gunicorn_does_not_name_itself(tmp_path):
    # Given gunicorn started as the README says, from the project's directory
    port = _free_port()
    server = subprocess.Popen(  # noqa: S603 - our own venv's gunicorn
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "config.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
        ],
        cwd=BASE_DIR,
        env={
            "PATH": "/usr/bin:/bin",
            "DEBUG": "true",
            "SIKESAL_VAR_DIR": str(tmp_path),
            "DJANGO_SETTINGS_MODULE": "config.settings",
        },
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        # When a browser asks it for a page
        headers = None
        deadline = time.monotonic() + 30
        while headers is None and time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/tidak-ada/") as response:
                    headers = response.headers
            except urllib.error.HTTPError as error:
                headers = error.headers
            except OSError:
                time.sleep(0.2)
    finally:
        server.terminate()
        server.wait(timeout=30)

    # Then the answer does not say which server sent it
    assert headers is not None, "gunicorn did not answer"
    assert headers.get("Server", "") == ""
    assert "Permissions-Policy" in headers
