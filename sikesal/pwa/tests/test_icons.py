"""`make_app_icons` draws every icon of the app, from the theme colour or a city's logo."""

import math
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from PIL import Image

from sikesal.pwa.icons import SHORTCUT_ICONS
from sikesal.pwa.identity import APPLE_TOUCH_ICON, FAVICON, ICONS


def draw(tmp_path, *arguments) -> str:
    out = StringIO()
    call_command("make_app_icons", "--output", str(tmp_path), *arguments, stdout=out)
    return out.getvalue()


def outside_safe_zone(size: int):
    """The pixels a maskable icon may lose: outside the central circle of 80% width."""
    centre, radius = (size - 1) / 2, size * 0.4
    for y in range(size):
        for x in range(size):
            if math.hypot(x - centre, y - centre) > radius:
                yield x, y


def test_every_icon_is_drawn_at_its_size(tmp_path, settings):
    settings.SIKESAL_APP_THEME_COLOR = "#aa0000"

    listed = draw(tmp_path)

    for path, size, _purpose in ICONS:
        with Image.open(tmp_path / path) as image:
            assert image.size == (size, size)
            assert image.getpixel((size // 2, size // 10))[:3] == (170, 0, 0)
    with Image.open(tmp_path / APPLE_TOUCH_ICON) as image:
        assert (image.size, image.mode) == ((180, 180), "RGB")
    with Image.open(tmp_path / FAVICON) as image:
        assert image.format == "ICO"
    for path in SHORTCUT_ICONS.values():
        with Image.open(tmp_path / path) as image:
            assert image.size == (96, 96)
    assert listed.count("\n") == len(ICONS) + 2 + len(SHORTCUT_ICONS)


def test_maskable_icons_keep_their_content_in_the_central_80_percent(tmp_path, settings):
    settings.SIKESAL_APP_THEME_COLOR = "#0b3d5c"
    draw(tmp_path)

    for path, size, purpose in ICONS:
        if purpose != "maskable":
            continue
        with Image.open(tmp_path / path) as image:
            rgb = image.convert("RGB")
            colours = {rgb.getpixel(point) for point in outside_safe_zone(size)}
            assert colours == {(11, 61, 92)}, path
            # and the mark is there, inside
            assert (255, 255, 255) in set(rgb.getdata())


def test_a_city_draws_them_from_its_own_logo(tmp_path):
    logo = tmp_path / "logo.png"
    Image.new("RGBA", (300, 300), (0, 200, 0, 255)).save(logo)

    draw(tmp_path / "out", "--logo", str(logo), "--background", "#ffffff")

    with Image.open(tmp_path / "out" / "pwa" / "icon-512.png") as image:
        assert image.convert("RGB").getpixel((256, 256)) == (0, 200, 0)
        assert image.convert("RGB").getpixel((256, 30)) == (255, 255, 255)


def test_an_unreadable_logo_is_refused(tmp_path):
    logo = tmp_path / "logo.png"
    logo.write_text("not an image")

    with pytest.raises(CommandError, match="Cannot read the logo"):
        draw(tmp_path / "out", "--logo", str(logo))
    assert not (tmp_path / "out").exists()


def test_the_committed_icons_are_the_ones_the_command_draws(tmp_path, settings):
    """static/pwa/ was written by make_app_icons with the default colours."""
    draw(tmp_path)

    for path, _size, _purpose in ICONS:
        committed = settings.BASE_DIR / "static" / path
        assert committed.read_bytes() == (tmp_path / path).read_bytes(), path
