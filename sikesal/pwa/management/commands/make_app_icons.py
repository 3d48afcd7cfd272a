"""Draw the phone app's icons (manifest, favicon, touch icon, shortcuts) under static/pwa/."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from PIL import Image, UnidentifiedImageError

from sikesal.pwa.icons import IconStyle, write_icons
from sikesal.pwa.identity import app_identity


class Command(BaseCommand):
    help = (
        "Draw the app's icons under static/pwa/: a white complaint mark on the theme colour "
        "(SIKESAL_APP_THEME_COLOR), or the city's own logo with --logo. Commit the files."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--logo",
            type=Path,
            help="An image (PNG with transparency is best) to centre on the theme colour.",
        )
        parser.add_argument("--background", help="Background colour (default: the theme colour).")
        parser.add_argument("--foreground", default="#ffffff", help="The mark's colour.")
        parser.add_argument("--letter", default="S", help="The letter in the mark.")
        parser.add_argument(
            "--output",
            type=Path,
            default=Path(settings.BASE_DIR) / "static",
            help="The static folder to write pwa/ into (default: the project's static/).",
        )

    def handle(self, *args, logo, background, foreground, letter, output, **options):
        if logo is not None:
            try:
                with Image.open(logo) as image:
                    image.verify()
            except (OSError, UnidentifiedImageError) as error:
                raise CommandError(f"Cannot read the logo {logo}: {error}") from error
        if len(letter) != 1:
            raise CommandError("--letter takes one character.")
        style = IconStyle(
            background=background or app_identity().theme_color,
            foreground=foreground,
            letter=letter,
            logo=logo,
        )
        try:
            written = write_icons(style, output)
        except ValueError as error:  # an unknown colour name
            raise CommandError(str(error)) from error
        for path in written:
            self.stdout.write(str(path))
