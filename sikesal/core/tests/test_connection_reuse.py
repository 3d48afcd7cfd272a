"""A server process keeps its database connection between requests on PostgreSQL, checked
before each request; SQLite (`make run`) opens one per request; the environment decides
over both. PostgreSQL's JIT compilation is off unless DATABASE_JIT says otherwise."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from sikesal.core.tests.test_settings import STRONG_KEY, clean_environment

PRINT_DATABASE = (
    "import json; from django.conf import settings; d = settings.DATABASES['default']; "
    "print(json.dumps([d['ENGINE'], d['CONN_MAX_AGE'], d['CONN_HEALTH_CHECKS'], "
    "d.get('OPTIONS', {}).get('options')]))"
)
POSTGRES = "postgres://sikesal:secret@127.0.0.1:5432/sikesal"
JIT_OFF = "-c jit=off"


def database_settings(**variables: str) -> list:
    environment = clean_environment(
        DJANGO_SETTINGS_MODULE="config.settings",
        DEBUG="false",
        SECRET_KEY=STRONG_KEY,
        ALLOWED_HOSTS="sikesal.example.go.id",
        **variables,
    )
    environment.pop("DATABASE_CONN_MAX_AGE", None)
    environment.pop("DATABASE_JIT", None)
    environment.update(variables)
    result = subprocess.run(  # noqa: S603 - our own settings
        [sys.executable, "-c", PRINT_DATABASE],
        cwd=Path(settings.BASE_DIR),
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(result.stdout)


@pytest.mark.parametrize(
    ("variables", "expected"),
    [
        ({"DATABASE_URL": POSTGRES}, ["django.db.backends.postgresql", 600, True, JIT_OFF]),
        (
            {"DATABASE_URL": POSTGRES, "DATABASE_CONN_MAX_AGE": "0", "DATABASE_JIT": "true"},
            ["django.db.backends.postgresql", 0, True, None],
        ),
        (
            {"DATABASE_URL": "sqlite:////tmp/sikesal-settings.sqlite3"},
            ["django.db.backends.sqlite3", 0, True, None],
        ),
        (
            {
                "DATABASE_URL": "sqlite:////tmp/sikesal-settings.sqlite3",
                "DATABASE_CONN_MAX_AGE": "60",
            },
            ["django.db.backends.sqlite3", 60, True, None],
        ),
    ],
)
def test_connections_are_kept_on_postgresql_and_checked(variables, expected):
    assert database_settings(**variables) == expected
