"""Write android/twa-manifest.json from settings, or check that the committed one agrees.

    manage.py android_manifest                          # regenerate, keeping the version
    manage.py android_manifest --version-code 2 --version-name 1.1.0   # before a release
    manage.py android_manifest --check                  # CI: exit 1 when the file differs

Run it with the production site's environment (SIKESAL_SITE_URL, SIKESAL_ANDROID_*,
SIKESAL_APP_*): the file describes the app that Diskominfo builds for that site
(docs/android.md).
"""

import difflib
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.core.management import BaseCommand, CommandError, CommandParser

from sikesal.pwa import twa


class Command(BaseCommand):
    help = "Write the Bubblewrap twa-manifest.json of the Android app from settings."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--check",
            action="store_true",
            help="Write nothing; exit non-zero when the file differs from what settings give.",
        )
        parser.add_argument(
            "--version-code",
            type=int,
            help="The new version code for Google Play (it must grow with every upload).",
        )
        parser.add_argument("--version-name", help="The version name users see, e.g. 1.1.0.")
        parser.add_argument(
            "--output",
            type=Path,
            default=twa.MANIFEST_PATH,
            help="The file to write or check (default: android/twa-manifest.json).",
        )

    def handle(
        self,
        *args,
        check: bool,
        version_code: int | None,
        version_name: str | None,
        output: Path,
        **options,
    ) -> None:
        site = urlsplit(settings.SIKESAL_SITE_URL)
        if site.scheme != "https":
            raise CommandError(
                f"SIKESAL_SITE_URL is {settings.SIKESAL_SITE_URL!r}: an Android app (Trusted "
                "Web Activity) opens only an https:// site. Run this with the production "
                "site's environment."
            )
        if check and (version_code is not None or version_name is not None):
            raise CommandError("--check compares the file as it is: give no version with it.")
        version = self._version(twa.committed_version(output), version_code, version_name)
        try:
            text = twa.render(twa.twa_manifest(version))
        except ValueError as error:
            raise CommandError(str(error)) from error

        current = output.read_text(encoding="utf-8") if output.exists() else ""
        if check:
            if current != text:
                diff = difflib.unified_diff(
                    current.splitlines(keepends=True),
                    text.splitlines(keepends=True),
                    fromfile=f"{output} (committed)",
                    tofile=f"{output} (from settings)",
                )
                raise CommandError(
                    f"{output} differs from what the settings give; run "
                    "`manage.py android_manifest` with the production environment and commit "
                    "the file (docs/android.md).\n" + "".join(diff)
                )
            self.stdout.write(f"{output} agrees with the settings.")
            return
        if current == text:
            self.stdout.write(f"{output} is up to date.")
            return
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(text, encoding="utf-8")
        self.stdout.write(
            f"Wrote {output} (version {version.name}, code {version.code}); commit it."
        )

    @staticmethod
    def _version(
        committed: twa.AppVersion | None, code: int | None, name: str | None
    ) -> twa.AppVersion:
        current = committed or twa.AppVersion()
        if code is None and name is None:
            return current
        if code is None or not name:
            raise CommandError("Give --version-code and --version-name together.")
        if code < 1 or code > 2_100_000_000:
            raise CommandError("--version-code must be between 1 and 2100000000 (Google Play).")
        if committed and code < committed.code:
            raise CommandError(
                f"--version-code {code} is below the committed {committed.code}: Google Play "
                "accepts only a higher code than any it has seen."
            )
        return twa.AppVersion(code=code, name=name)
