"""Cold load of the citizen's pages on a phone: bytes, requests, first contentful paint.

    .venv/bin/python bench/cold_load.py              # 5 throttled runs per page
    .venv/bin/python bench/cold_load.py --runs 9

The site is served as production serves it: `DEBUG=false`, gunicorn (2 workers), static
files collected and compressed by WhiteNoise (`CompressedManifestStaticFilesStorage`),
on a throwaway SQLite database with the reference data and the demo accounts and
complaints (`make demo-data`'s commands, with `--allow-production`). Debian's chromium,
driven by Playwright, on a 360x640 phone screen (device pixel ratio 2, touch).

For `/`, `/lapor/` (signed in as the demo citizen `warga`) and `/pengaduan/`, every run is
a cold load (a new browser context: empty cache, no service worker) and reports:

- bytes transferred: the sum of CDP `Network.loadingFinished` `encodedDataLength` (as
  served: compressed, headers included) over the page's requests, and their number;
- first contentful paint under DevTools' "Slow 3G" (`Network.emulateNetworkConditions`:
  2,000 ms latency, 50,000 bytes/s down and up) with the CPU slowed 4 times
  (`Emulation.setCPUThrottlingRate`).

The baseline is one static file (vendored htmx, unchanged by page work) loaded the same
way through the same server: the FCP is also given as a multiple of it, which makes runs on
a busy machine comparable. Prints medians (and min-max) and the load average.

`ProductionSite` and `sign_in` are shared with bench/lighthouse.py. Not part of the tests.
"""

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from load_filing import VENV_BIN, Site, wait_for_port

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
]
PHONE = {
    "viewport": {"width": 360, "height": 640},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
}
SLOW_3G = {
    "offline": False,
    "latency": 2000,
    "downloadThroughput": 50_000,
    "uploadThroughput": 50_000,
}
CPU_SLOWDOWN = 4
CITIZEN = ("warga", "sikesal-demo")
PAGES = [("/", None), ("/lapor/", CITIZEN), ("/pengaduan/", None)]
BASELINE_STATIC = "vendor/htmx/htmx.min.js"


class ProductionSite(Site):
    """gunicorn with DEBUG off on a throwaway SQLite database holding the demo data."""

    def __init__(self, folder: Path, workers: int = 2) -> None:
        super().__init__(folder=folder, sqlite=True, workers=workers)

    def prepare(self) -> None:
        self.configure(None)
        self.manage("migrate", "--noinput")
        self.manage("load_reference_data")
        self.manage("load_demo_data", "--allow-production")
        self.manage("load_demo_complaints", "--allow-production")
        self.manage("collectstatic", "--noinput")

    def serve(self) -> None:
        server = [
            str(VENV_BIN / "gunicorn"),
            "config.wsgi",
            "--bind",
            f"127.0.0.1:{self.port}",
            "--workers",
            str(self.workers),
            "--timeout",
            "60",
        ]
        wait_for_port(self.port, timeout=60, process=self.start("web", *server))

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def static_url(self, name: str) -> str:
        manifest = json.loads((Path(self.env["STATIC_ROOT"]) / "staticfiles.json").read_text())
        return f"{self.url}/static/{manifest['paths'][name]}"


def sign_in(browser, site: ProductionSite, login: str, password: str) -> list[dict]:
    """Signs in through the login form; returns the session's cookies."""
    context = browser.new_context(**PHONE)
    page = context.new_page()
    page.goto(f"{site.url}/masuk/")
    page.fill("input[name=username]", login)
    page.fill("input[name=password]", password)
    page.click("form.form button[type=submit]")
    page.wait_for_load_state("load")
    cookies = context.cookies()
    context.close()
    if not any(cookie["name"] == "sessionid" for cookie in cookies):
        raise RuntimeError(f"{login} could not sign in")
    return cookies


def cold_load(browser, url: str, cookies: list[dict] | None, *, throttled: bool) -> dict:
    """One load in a fresh context (empty cache): bytes, requests, FCP and load time."""
    context = browser.new_context(**PHONE)
    if cookies:
        context.add_cookies(cookies)
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    if throttled:
        cdp.send("Network.emulateNetworkConditions", SLOW_3G)
        cdp.send("Emulation.setCPUThrottlingRate", {"rate": CPU_SLOWDOWN})
    sizes: dict[str, int] = {}
    failed: list[str] = []
    cdp.on(
        "Network.loadingFinished",
        lambda event: sizes.__setitem__(event["requestId"], event["encodedDataLength"]),
    )
    cdp.on("Network.loadingFailed", lambda event: failed.append(event["requestId"]))
    started = time.perf_counter()
    response = page.goto(url, wait_until="load", timeout=180_000)
    loaded = time.perf_counter() - started
    if response is None or response.status != 200:
        raise RuntimeError(f"{url}: HTTP {response and response.status}")
    page.wait_for_timeout(300)  # late requests (images, htmx) after the load event
    fcp = page.evaluate(
        "() => { const e = performance.getEntriesByName('first-contentful-paint')[0];"
        " return e ? e.startTime : null; }"
    )
    context.close()
    return {
        "bytes": sum(sizes.values()),
        "requests": len(sizes) + len(failed),
        "fcp": fcp and fcp / 1000,
        "load": loaded,
    }


def median_range(values: list[float]) -> str:
    return f"{statistics.median(values):6.2f} s ({min(values):.2f}-{max(values):.2f})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="throttled runs per page")
    args = parser.parse_args()

    from playwright.sync_api import sync_playwright

    folder = Path(tempfile.mkdtemp(prefix="sikesal-cold-"))
    site = ProductionSite(folder)
    print("Preparing the site (migrate, demo data, collectstatic) ...", flush=True)
    site.prepare()
    try:
        site.serve()
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            citizen = sign_in(browser, site, *CITIZEN)
            baseline_url = site.static_url(BASELINE_STATIC)
            cold_load(browser, baseline_url, None, throttled=False)  # warm the server
            baseline = [
                cold_load(browser, baseline_url, None, throttled=True)["load"]
                for _ in range(args.runs)
            ]
            base = statistics.median(baseline)
            print(
                f"\nchromium {browser.version}, 360x640 @2x, Slow 3G (2,000 ms, 50 kB/s), "
                f"CPU x{CPU_SLOWDOWN}, {args.runs} cold runs per page, medians (min-max)"
            )
            print(
                f"baseline: {BASELINE_STATIC} through gunicorn, Slow 3G: {median_range(baseline)}"
            )
            print(
                f"\n{'page':<14}{'requests':>9}{'kB':>8}   {'first contentful paint':<30}"
                f"{'FCP/baseline':>12}   load event"
            )
            for path, account in PAGES:
                cookies = citizen if account else None
                url = site.url + path
                cold_load(browser, url, cookies, throttled=False)  # warm the server's code
                runs = [cold_load(browser, url, cookies, throttled=True) for _ in range(args.runs)]
                fcps = [run["fcp"] for run in runs]
                print(
                    f"{path:<14}{runs[0]['requests']:>9}{runs[0]['bytes'] / 1000:>8.1f}   "
                    f"{median_range(fcps):<30}{statistics.median(fcps) / base:>12.2f}   "
                    f"{median_range([run['load'] for run in runs])}"
                )
                if len({(run["requests"], run["bytes"]) for run in runs}) > 1:
                    print(f"{'':14}(varied: {sorted({(r['requests'], r['bytes']) for r in runs})})")
            browser.close()
        print(
            f"\nload average: {' '.join(f'{load:.2f}' for load in os.getloadavg())}"
            f" ({os.cpu_count()} cores)"
        )
    finally:
        site.stop_all()


if __name__ == "__main__":
    main()
