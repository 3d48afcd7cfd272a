"""Lighthouse (mobile) on the citizen's pages and a staff queue, as production serves them.

    (cd bench/lighthouse && npm ci)          # once: the pinned Lighthouse, from npm
    .venv/bin/python bench/lighthouse.py
    .venv/bin/python bench/lighthouse.py --runs 3 --keep reports/

The site is bench/cold_load.py's (gunicorn, DEBUG off, WhiteNoise's compressed static
files, a throwaway SQLite database with the demo data). Lighthouse runs with its default
mobile settings (a Moto G Power screen, simulated Slow 4G, CPU slowed 4 times) in Debian's
chromium, headless, on `/`, `/pengaduan/`, then signed in as the demo citizen `warga` on
`/lapor/` and `/saya/`, and as `sekretariat` on the staff queue `/staf/` (the session
cookie goes in `--extra-headers`). Prints the accessibility and performance scores (the
median of --runs for performance, which varies run to run), the failed accessibility
audits, and the load average. Targets: accessibility >= 95, performance >= 90.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from cold_load import CHROMIUM, CHROMIUM_ARGS, CITIZEN, ProductionSite, sign_in

LIGHTHOUSE = Path(__file__).resolve().parent / "lighthouse" / "node_modules" / ".bin" / "lighthouse"
STAFF = ("sekretariat", "sikesal-demo")
PAGES = [
    ("/", None),
    ("/pengaduan/", None),
    ("/lapor/", CITIZEN),
    ("/saya/", CITIZEN),
    ("/staf/", STAFF),
]
TARGETS = {"accessibility": 95, "performance": 90}


def lighthouse(url: str, cookie: str | None, output: Path, attempts: int = 3) -> dict:
    """One Lighthouse run; tried again when Lighthouse itself fails (headless chromium now
    and then loses the trace: NO_NAVSTART)."""
    command = [
        str(LIGHTHOUSE), url, "--quiet", "--output=json", f"--output-path={output}",
        "--only-categories=accessibility,performance",
        "--chrome-flags=--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage",
    ]  # fmt: skip
    if cookie:
        command.append("--extra-headers=" + json.dumps({"Cookie": cookie}))
    for attempt in range(1, attempts + 1):
        finished = subprocess.run(  # noqa: S603 - our pinned Lighthouse, our arguments
            command, timeout=300, env={**os.environ, "CHROME_PATH": CHROMIUM}
        )
        if finished.returncode == 0:
            report = json.loads(output.read_text())
            if not report.get("runtimeError"):
                return report
        print(f"{'':14}(Lighthouse failed on {url}, attempt {attempt} of {attempts})")
    raise RuntimeError(f"Lighthouse failed {attempts} times on {url}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=1, help="Lighthouse runs per page")
    parser.add_argument("--keep", type=Path, help="a folder to keep the JSON reports in")
    args = parser.parse_args()
    if not LIGHTHOUSE.exists():
        sys.exit("Lighthouse is not installed: (cd bench/lighthouse && npm ci)")

    from playwright.sync_api import sync_playwright

    folder = Path(tempfile.mkdtemp(prefix="sikesal-lighthouse-"))
    reports = args.keep or folder / "reports"
    reports.mkdir(parents=True, exist_ok=True)
    site = ProductionSite(folder)
    print("Preparing the site (migrate, demo data, collectstatic) ...", flush=True)
    site.prepare()
    failed = False
    try:
        site.serve()
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            cookies = {}
            for account in {account for _, account in PAGES if account}:
                session = sign_in(browser, site, *account)
                cookies[account] = "; ".join(f"{c['name']}={c['value']}" for c in session)
            browser.close()
        version = None
        print(f"\n{'page':<14}{'accessibility':>14}{'performance':>13}   FCP / LCP / TBT / CLS")
        for path, account in PAGES:
            results = []
            for run in range(args.runs):
                name = path.strip("/").replace("/", "-") or "home"
                report = lighthouse(
                    site.url + path, cookies.get(account), reports / f"{name}-{run + 1}.json"
                )
                results.append(report)
            version = results[0]["lighthouseVersion"]
            scores = {
                category: statistics.median(
                    round(r["categories"][category]["score"] * 100) for r in results
                )
                for category in TARGETS
            }
            audits = results[len(results) // 2]["audits"]
            metrics = " / ".join(
                audits[key]["displayValue"]
                for key in (
                    "first-contentful-paint",
                    "largest-contentful-paint",
                    "total-blocking-time",
                    "cumulative-layout-shift",
                )
            )
            marks = {c: "" if scores[c] >= TARGETS[c] else " !" for c in TARGETS}
            failed |= any(marks.values())
            print(
                f"{path:<14}{scores['accessibility']:>12g}{marks['accessibility']:<2}"
                f"{scores['performance']:>11g}{marks['performance']:<2}   {metrics}"
            )
            for ref in results[0]["categories"]["accessibility"]["auditRefs"]:
                audit = results[0]["audits"][ref["id"]]
                if ref["weight"] and audit["score"] is not None and audit["score"] < 1:
                    items = audit.get("details", {}).get("items", [])
                    where = "; ".join(
                        item.get("node", {}).get("snippet", "")[:80] for item in items[:3]
                    )
                    print(f"{'':14}- {ref['id']}: {audit['title']} ({where})")
        print(
            f"\nLighthouse {version}, mobile defaults, {args.runs} run(s) per page (median); "
            f"reports in {reports}"
        )
        print(
            f"load average: {' '.join(f'{load:.2f}' for load in os.getloadavg())}"
            f" ({os.cpu_count()} cores)"
        )
    finally:
        site.stop_all()
    if failed:
        print("Below target (!): accessibility >= 95, performance >= 90.")
        sys.exit(1)


if __name__ == "__main__":
    main()
