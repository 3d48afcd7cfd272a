"""Plumbing shared by the reference-data commands (a leading underscore: not a command)."""

from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import ngettext

from sikesal.agencies.loaders import ReferenceDataError, Report
from sikesal.core.page_cache import SITE, public_pages_changed


class LoaderCommand(BaseCommand):
    """Runs one loader of `sikesal.agencies.loaders` and prints what it created.

    Not a dry run by default, unlike commands that change complaints: the loaders only
    add missing reference rows and never overwrite, so a run is always safe to repeat.
    """

    loader: Callable[..., int]  # a staticmethod of a function in loaders.py

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--data-dir",
            type=Path,
            default=None,
            help="A directory with another city's files in the format of "
            "sikesal/agencies/data/ (default: Kota Jambi's).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        report: Report | None = self.stdout.write if options["verbosity"] >= 1 else None
        try:
            created = self.loader(report=report, data_dir=options["data_dir"])
        except ReferenceDataError as error:
            raise CommandError(str(error)) from error
        if created:
            # Names of agencies, categories and regions are on every public page.
            public_pages_changed(SITE)
        if options["verbosity"] >= 1:
            self.stdout.write(
                self.style.SUCCESS(
                    ngettext(
                        "%(count)d baris dibuat; yang sudah ada tidak diubah.",
                        "%(count)d baris dibuat; yang sudah ada tidak diubah.",
                        created,
                    )
                    % {"count": created}
                )
            )
