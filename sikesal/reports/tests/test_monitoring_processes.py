"""/staf/pantau/ says when the worker and the scheduler were last alive, and warns the
Secretariat when that is more than a few minutes ago (email, SMS, deadlines and recaps
wait until they run again)."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import dateformat, timezone, translation

from sikesal.core.models import ProcessHeartbeat

pytestmark = pytest.mark.django_db

WARNING = (
    "Lebih dari 5 menit tanpa kabar: email, SMS, pemeriksaan batas waktu dan rekap "
    "tertunda sampai proses ini berjalan lagi. Minta administrator memeriksa layanannya."
)


def beat(name: str, ago: timedelta) -> str:
    """A heartbeat `ago` before now; returns its time as the page writes it."""
    seen_at = timezone.now() - ago
    ProcessHeartbeat.objects.create(name=name, host="app-1", pid=4242, seen_at=seen_at)
    with translation.override("id"):
        return dateformat.format(timezone.localtime(seen_at), "j F Y, H:i")


def process_notices(client) -> list[tuple[str, str]]:
    """(class, text) of each notice of the page's background-process section."""
    response = client.get(reverse("monitoring:dashboard"))
    assert response.status_code == 200
    section = re.search(
        r'<section aria-labelledby="processes-heading">(.*?)</section>',
        response.content.decode(),
        re.DOTALL,
    ).group(1)
    return [
        (css, " ".join(text.split()))
        for css, text in re.findall(r'<li class="([^"]*)">(.*?)</li>', section, re.DOTALL)
    ]


def test_the_page_says_when_each_process_was_last_alive(client, people):
    # Given a worker that beat a minute ago and a scheduler silent for ten minutes
    worker_at = beat("worker", timedelta(minutes=1, seconds=5))
    scheduler_at = beat("scheduler", timedelta(minutes=10, seconds=5))
    client.force_login(people.secretariat)

    # When the Secretariat opens the monitoring page, then it says both, and warns of one
    assert process_notices(client) == [
        (
            "message message--success",
            f"Pekerja latar terakhir aktif {worker_at} (1 menit yang lalu).",
        ),
        (
            "message message--warning",
            f"Penjadwal tugas berkala terakhir aktif {scheduler_at} (10 menit yang lalu). "
            + WARNING,
        ),
    ]


def test_a_process_never_seen_is_a_warning(client, people):
    # Given a scheduler that beat two minutes ago and a worker that never ran
    scheduler_at = beat("scheduler", timedelta(minutes=2, seconds=5))
    client.force_login(people.secretariat)

    assert process_notices(client) == [
        ("message message--warning", "Pekerja latar belum pernah tercatat aktif. " + WARNING),
        (
            "message message--success",
            f"Penjadwal tugas berkala terakhir aktif {scheduler_at} (2 menit yang lalu).",
        ),
    ]
