"""The systemd units of docs/deploy/ restart what stops and start commands that exist."""

import configparser
import shlex
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import get_commands

DEPLOY = Path(settings.BASE_DIR) / "docs" / "deploy"
UNITS = ["sikesal-web.service", "sikesal-worker.service", "sikesal-scheduler.service"]


def service(name: str) -> configparser.SectionProxy:
    unit = configparser.ConfigParser(interpolation=None, strict=False)
    unit.optionxform = str  # systemd's keys are case-sensitive
    unit.read_string((DEPLOY / name).read_text(encoding="utf-8"))
    return unit["Service"]


@pytest.mark.parametrize("name", UNITS)
def test_each_unit_restarts_its_process_and_reads_the_environment_file(name):
    unit = service(name)

    assert unit["Restart"] == "always"
    assert unit["RestartSec"] == "5"
    assert unit["EnvironmentFile"] == "/etc/sikesal/sikesal.env"
    assert unit["User"] == "sikesal"


@pytest.mark.parametrize(
    ("name", "command"),
    [("sikesal-worker.service", "run_worker"), ("sikesal-scheduler.service", "run_scheduler")],
)
def test_the_background_units_start_our_commands(name, command):
    words = shlex.split(service(name)["ExecStart"])

    assert words[1:3] == ["manage.py", command]
    assert get_commands()[command] == "sikesal.core"


def test_the_web_unit_serves_the_wsgi_application():
    words = shlex.split(service("sikesal-web.service")["ExecStart"])

    assert words[0].endswith("/.venv/bin/gunicorn")
    assert words[1] == settings.WSGI_APPLICATION.removesuffix(".application")
