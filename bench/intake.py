"""Benchmark: assisted intake against the citizen's own /lapor/, in one process, interleaved.

Each figure is a median divided by the median of the baseline measured in the same run,
/lapor/'s POST by a verified citizen (1.0: as fast). Prints the load average before and
after.

- intake at the Secretariat: /staf/catat/'s POST (the reporter found or recorded, the
  complaint filed, the SMS receipt queued);
- intake at a kecamatan's counter: the same plus the system's review and route;
- the claim: verifying a mobile number that 20 complaints entered at the counter carry
  (they move to the account), against verifying one that none carry.

    DEBUG=true .venv/bin/python bench/intake.py                      # SQLite, throwaway
    DEBUG=true DATABASE_URL=postgres://postgres@127.0.0.1:5432/sikesal_intake_bench \\
        .venv/bin/python bench/intake.py --fill 10000

Give DATABASE_URL an empty database (it is filled). Times go through Django's test client
(no HTTP server: the figures are the view, its queries and the database).
"""

import argparse
import itertools
import os
import statistics
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

from data import fill, setup_django  # noqa: E402

CLAIMED = 20


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=25)
    parser.add_argument("--fill", type=int, default=0, help="complaints written beforehand")
    args = parser.parse_args()
    print(f"load average before: {os.getloadavg()}")
    label = setup_django()
    from django.conf import settings

    settings.SMS_BACKEND = "sikesal.core.sms.LocmemBackend"
    settings.ALLOWED_HOSTS = ["*"]
    if args.fill:
        fill(args.fill, years=1)
    world = World()
    doors = {
        "/lapor/ (baseline)": world.lapor,
        "/staf/catat/ at the Secretariat": world.at_secretariat,
        "/staf/catat/ at a kecamatan's counter": world.at_kecamatan,
    }
    times = {name: [] for name in doors}
    claim_times = {"verify, nothing to claim (baseline)": [], f"verify, {CLAIMED} to claim": []}
    for round_number in range(args.rounds):
        for name, door in doors.items():
            times[name].append(door(round_number))
        claim_times["verify, nothing to claim (baseline)"].append(world.verify(0))
        claim_times[f"verify, {CLAIMED} to claim"].append(world.verify(CLAIMED))
    print(f"\n{label}, {args.rounds} rounds, {args.fill:,} complaints beforehand")
    report(times)
    report(claim_times)
    print(f"\nload average after: {os.getloadavg()}")
    return 0


def report(times: dict[str, list[float]]) -> None:
    medians = {name: statistics.median(values) * 1000 for name, values in times.items()}
    baseline = next(iter(medians.values()))
    print(f"\n{'':<44} {'median':>9}  ratio")
    for name, median in medians.items():
        print(f"{name:<44} {median:7.1f}ms  {median / baseline:5.2f}")


class World:
    """The people, and one form per door."""

    def __init__(self) -> None:
        from django.test import Client
        from django.utils import timezone

        from sikesal.accounts.models import Membership, Role
        from sikesal.accounts.services import user_create
        from sikesal.agencies.models import Agency, Category, Region

        def person(username: str, **extra):
            user = user_create(
                username=username,
                password=None,
                full_name=username.title(),
                email=f"{username}@contoh.id",
                **extra,
            )
            user.email_verified_at = timezone.now()
            user.save(update_fields=["email_verified_at"])
            return user

        self.citizen = person("intakebench.warga")
        secretariat = person("intakebench.sekretariat")
        Membership.objects.create(
            user=secretariat, agency=Agency.objects.get(code="diskominfo"), role=Role.SECRETARIAT
        )
        officer = person("intakebench.camat")
        Membership.objects.create(
            user=officer,
            agency=Agency.objects.get(code="kec-telanaipura"),
            role=Role.AGENCY_OFFICER,
        )
        self.clients = {}
        for name, user in (("citizen", self.citizen), ("sec", secretariat), ("camat", officer)):
            client = Client()
            client.force_login(user)
            self.clients[name] = client
        self.officer = officer
        kelurahan = Region.objects.get(level=Region.Level.KELURAHAN, name="Telanaipura")
        self.fields = {
            "report_type": "pengaduan",
            "category": Category.objects.get(code="jalan").pk,
            "description": "Lubang sedalam 20 cm sejak sebulan, sudah dua motor jatuh.",
            "kelurahan": kelurahan.pk,
            "address": "Jl. Kapten Pattimura",
            "intent": "submit",
        }
        self.numbers = itertools.count(1)

    def _post(self, client: str, url: str, data: dict) -> float:
        started = time.perf_counter()
        response = self.clients[client].post(url, data)
        elapsed = time.perf_counter() - started
        assert response.status_code == 302, response.status_code
        return elapsed

    def _form(self, **extra) -> dict:
        n = next(self.numbers)
        return {
            **self.fields,
            "title": f"Jalan berlubang {n}",
            "submission_token": f"b{n}",
            **extra,
        }

    def lapor(self, _round: int) -> float:
        return self._post("citizen", "/lapor/", self._form())

    def _intake(self, client: str, n: int) -> float:
        data = self._form(
            channel="walk_in",
            received_on=_today(),
            name=f"Warga {n}",
            phone=f"0812{n:08d}",
        )
        return self._post(client, "/staf/catat/", data)

    def at_secretariat(self, n: int) -> float:
        return self._intake("sec", 10_000_000 + n)

    def at_kecamatan(self, n: int) -> float:
        return self._intake("camat", 20_000_000 + n)

    def verify(self, waiting: int) -> float:
        """Verify, with the code texted, the mobile number of a new account that `waiting`
        complaints entered at the counter carry: `mobile_verification_confirm`, which
        claims them in its transaction."""
        import re

        from sikesal.accounts.models import User
        from sikesal.accounts.verification import (
            mobile_verification_confirm,
            mobile_verification_send,
        )
        from sikesal.core import sms

        n = next(self.numbers)
        mobile = f"0813{n:08d}"
        for _ in range(waiting):
            form = self._form(channel="phone", received_on=_today(), name="Warga", phone=mobile)
            self._post("camat", "/staf/catat/", form)
        account = User.objects.create_user(
            username=f"intakebench.klaim{n}", email=f"klaim{n}@contoh.id", full_name="Klaim"
        )
        account.mobile = "+62" + mobile[1:]
        account.save(update_fields=["mobile"])
        mobile_verification_send(user=account)
        code = re.search(r"\b(\d{6})\b", sms.outbox[-1].text).group(1)
        started = time.perf_counter()
        mobile_verification_confirm(user=account, code=code)
        elapsed = time.perf_counter() - started
        assert account.complaints.count() == waiting
        return elapsed


def _today() -> str:
    from django.utils import timezone

    return timezone.localdate().isoformat()


if __name__ == "__main__":
    sys.exit(main())
