"""The site's address follows `make run`'s port and is one the site answers to; settings
read the .env that `make run` writes, and the environment wins over it."""

import os
import shlex
import subprocess
import sys
from itertools import takewhile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from config.settings import read_env_file
from sikesal.core.links import absolute_url

BASE_DIR = Path(settings.BASE_DIR)
PRINT_SITE_URL = "from django.conf import settings; print(settings.SIKESAL_SITE_URL)"
STRONG_KEY = "k3Yq8vT1-ZpW0sLr9XbN4mC7dHf2JgAeUiOoRtYuQwEx5Vn6Bz"


def clean_environment(**variables: str) -> dict[str, str]:
    """This process's environment without what would leak into a settings check: the
    variables under test, and the parent make's flags when the suite runs under make."""
    environment = {
        name: value
        for name, value in os.environ.items()
        if name not in {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "SIKESAL_SITE_URL", "PORT"}
        and not name.startswith("MAKE")
    }
    return {**environment, **variables}


def site_url_under(**variables: str) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 - our own settings
        [sys.executable, "-c", PRINT_SITE_URL],
        cwd=BASE_DIR,
        env=clean_environment(DJANGO_SETTINGS_MODULE="config.settings", **variables),
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_make_run_on_another_port_links_to_that_port():
    # Given `PORT=8101 make run` (make -n prints the commands it would run)
    make = ["make", "--no-print-directory", "-n", "-o", ".venv/.installed", "-o", ".env", "run"]
    commands = subprocess.run(  # noqa: S603 - make from PATH, as a developer runs it
        make,
        cwd=BASE_DIR,
        env=clean_environment(PORT="8101"),
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout.splitlines()
    server = next(line for line in commands if "manage.py runserver" in line)
    worker = next(line for line in commands if "manage.py run_worker" in line)
    recaps = next(line for line in commands if "manage.py load_demo_recaps" in line)

    # When the server's settings load in the environment make gives it
    assignments = takewhile(lambda word: "=" in word, shlex.split(server))
    loaded = site_url_under(**dict(word.split("=", 1) for word in assignments))

    # Then the links, the worker's emails and the demo recaps' QR codes point to port 8101
    assert server.endswith("manage.py runserver 127.0.0.1:8101")
    assert "SIKESAL_SITE_URL=http://127.0.0.1:8101 " in worker
    assert "SIKESAL_SITE_URL=http://127.0.0.1:8101 " in recaps
    assert loaded.stdout == "http://127.0.0.1:8101\n", loaded.stderr


def test_the_site_url_defaults_to_the_development_server_and_the_first_allowed_host():
    development = site_url_under(DEBUG="true")
    production = site_url_under(
        DEBUG="false", SECRET_KEY=STRONG_KEY, ALLOWED_HOSTS=".jambikota.go.id,10.0.0.5"
    )

    assert development.stdout == "http://127.0.0.1:8000\n", development.stderr
    assert production.stdout == "https://jambikota.go.id\n", production.stderr


@pytest.mark.parametrize(
    "secret_key",
    [
        "x",
        "x" * 50,  # long, but five different characters at least
        "abcdefghij" * 4,  # ten different characters, but 40 long
        "django-insecure-" + STRONG_KEY,
        "django-insecure-sikesal-development-only-never-use-in-production",
    ],
)
def test_debug_off_refuses_a_weak_secret_key(secret_key):
    loaded = site_url_under(
        DEBUG="false", SECRET_KEY=secret_key, ALLOWED_HOSTS="sikesal.jambikota.go.id"
    )

    assert loaded.returncode != 0
    assert "SECRET_KEY is too weak for DEBUG off" in loaded.stderr
    assert loaded.stdout == ""


def test_debug_off_starts_with_a_strong_secret_key():
    loaded = site_url_under(
        DEBUG="false", SECRET_KEY=STRONG_KEY, ALLOWED_HOSTS="sikesal.jambikota.go.id"
    )

    assert loaded.stdout == "https://sikesal.jambikota.go.id\n", loaded.stderr


@pytest.mark.parametrize(
    "site_url",
    ["https://sikesal.example.org", "https://evil.jambikota.go.id.example", "ftp://127.0.0.1"],
)
def test_a_site_url_the_site_does_not_answer_to_refuses_to_start(site_url):
    loaded = site_url_under(
        DEBUG="false",
        SECRET_KEY=STRONG_KEY,
        ALLOWED_HOSTS="sikesal.jambikota.go.id",
        SIKESAL_SITE_URL=site_url,
    )

    assert loaded.returncode != 0
    assert f"SIKESAL_SITE_URL {site_url!r} must be an http(s) address on one of" in loaded.stderr


def test_absolute_url_uses_the_site_url(settings):
    settings.SIKESAL_SITE_URL = "http://127.0.0.1:8101"

    assert absolute_url("/rekap/ABCD2345/") == "http://127.0.0.1:8101/rekap/ABCD2345/"
    assert absolute_url("") == ""
    assert absolute_url("https://lapor.go.id/x") == "https://lapor.go.id/x"


def test_the_env_file_fills_what_the_environment_does_not_set(tmp_path, monkeypatch):
    # Given an environment with SECRET_KEY set, and a .env as make writes it (and by hand)
    monkeypatch.setenv("SECRET_KEY", "from-the-environment")
    names = (
        "SIKESAL_TEST_DEBUG",
        "SIKESAL_TEST_QUOTED",
        "SIKESAL_TEST_EXPORTED",
        "SIKESAL_TEST_EMPTY",
    )
    for name in names:
        monkeypatch.setenv(name, "")  # so that monkeypatch removes what the file adds
        monkeypatch.delenv(name)
    env_file = tmp_path / ".env"
    env_file.write_text(
        "# Written by make\n"
        "\n"
        "SIKESAL_TEST_DEBUG=true\n"
        "SECRET_KEY=from-the-file\n"
        "SIKESAL_TEST_QUOTED = 'SIKESAL Kota Jambi'\n"
        'export SIKESAL_TEST_EXPORTED="a=b"\n'
        "SIKESAL_TEST_EMPTY=\n"
    )

    # When settings read it
    read_env_file(env_file)

    # Then it adds what is missing and never overrides the environment; "NAME=" sets nothing
    assert os.environ["SIKESAL_TEST_DEBUG"] == "true"
    assert os.environ["SECRET_KEY"] == "from-the-environment"
    assert os.environ["SIKESAL_TEST_QUOTED"] == "SIKESAL Kota Jambi"
    assert os.environ["SIKESAL_TEST_EXPORTED"] == "a=b"
    assert "SIKESAL_TEST_EMPTY" not in os.environ


def test_a_missing_env_file_changes_nothing(tmp_path):
    before = dict(os.environ)

    read_env_file(tmp_path / ".env")

    assert dict(os.environ) == before


def test_a_malformed_env_file_says_where(tmp_path):
    env_file = tmp_path / ".env"
    env_file.write_text("DEBUG=true\nthis is not a setting\n")

    with pytest.raises(ImproperlyConfigured, match=r"\.env, line 2: expected NAME=value\."):
        read_env_file(env_file)
