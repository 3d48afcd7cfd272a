"""What the service worker keeps on the phone, and its version.

The shell is precached when the service worker installs: the stylesheets and scripts
every page may need, vendored htmx and Leaflet (the /lapor/ map), the icons and the
offline page. The version is a hash over those files' contents and the service worker's
modules (static/js/sw/*.js, each importScripts'd by /sw.js), so that changing any of them
installs a new worker, which drops the old caches.
"""

import hashlib
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings

# Paths under static/, as glob patterns.
PRECACHED_STATIC = (
    "css/*.css",
    "js/*.js",
    "vendor/htmx/htmx.min.js",
    "vendor/leaflet/leaflet.css",
    "vendor/leaflet/leaflet.js",
    "vendor/leaflet/images/*.png",
    "pwa/*.png",
    "pwa/*.ico",
)
SERVICE_WORKER_MODULES = "js/sw/*.js"
SERVICE_WORKER_TEMPLATE = Path(settings.BASE_DIR) / "templates" / "pwa" / "service-worker.js"

# Addresses the service worker never caches (it leaves them to the network), and those of
# them whose pages the server marks `Cache-Control: no-store` (sikesal.pwa.middleware).
NEVER_CACHED_PREFIXES = ("/api/", "/staf/", "/admin/", "/akun/")
NO_STORE_PREFIXES = ("/staf/", "/admin/", "/akun/")


@dataclass(frozen=True)
class StaticFile:
    name: str  # relative to static/, e.g. "css/sikesal.css"
    path: Path


def _static_roots() -> list[Path]:
    roots = []
    for entry in settings.STATICFILES_DIRS:
        # ("prefix", path) entries would need the prefix in the name; we use none.
        if not isinstance(entry, tuple | list):
            roots.append(Path(entry))
    return roots


def find_static(patterns: tuple[str, ...]) -> list[StaticFile]:
    """The files matching `patterns`, sorted by name; the first static folder that holds a
    name wins, as with Django's finders."""
    found: dict[str, StaticFile] = {}
    for root in _static_roots():
        for pattern in patterns:
            for path in root.glob(pattern):
                if path.is_file():
                    name = path.relative_to(root).as_posix()
                    found.setdefault(name, StaticFile(name, path))
    return [found[name] for name in sorted(found)]


def precached_files() -> list[StaticFile]:
    return find_static(PRECACHED_STATIC)


def service_worker_modules() -> list[StaticFile]:
    return find_static((SERVICE_WORKER_MODULES,))


def version(files: list[StaticFile], modules: list[StaticFile]) -> str:
    digest = hashlib.sha256()
    for item in [*files, *modules]:
        digest.update(item.name.encode())
        digest.update(b"\0")
        digest.update(hashlib.sha256(item.path.read_bytes()).digest())
    digest.update(SERVICE_WORKER_TEMPLATE.read_bytes())
    return digest.hexdigest()[:16]


def static_prefix() -> str:
    """The path static URLs start with, e.g. "/static/" (settings.STATIC_URL carries the
    script prefix; static("") would ask a hashed storage's manifest for a file)."""
    return urlsplit(settings.STATIC_URL).path
