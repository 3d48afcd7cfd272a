"""The phone app's icons, drawn with Pillow from the city's colours or its own logo.

`manage.py make_app_icons` writes them under static/pwa/ (the paths of
sikesal.pwa.identity); another city runs it with `--logo` to put its own emblem there.
Everything is drawn large and scaled down, so edges stay smooth at 16 px.
"""

from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from sikesal.pwa.identity import APPLE_TOUCH_ICON, FAVICON, ICONS

# The shortcuts' icons (the manifest's "Lapor" and "Pengaduan saya"), 96 px as Android asks.
SHORTCUT_ICONS = {
    "file": "pwa/shortcut-lapor.png",
    "mine": "pwa/shortcut-saya.png",
}
SHORTCUT_ICON_SIZE = 96
FAVICON_SIZES = (16, 32, 48)
# Maskable icons: Android crops them to a circle, squircle or square; only the circle of
# 80% of the width in the middle is sure to show. The mark stays well inside it.
MASKABLE_SAFE_ZONE = 0.8
_CANVAS = 1024
_FONT_PATHS = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    "/usr/share/fonts/dejavu/DejaVuSans-Bold.ttf",
)


@dataclass(frozen=True)
class IconStyle:
    background: str  # the brand colour behind the mark, e.g. "#0b3d5c"
    foreground: str  # the mark's colour, e.g. "#ffffff"
    letter: str = "S"
    logo: Path | None = None  # an image to use instead of the drawn mark


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    for path in _FONT_PATHS:
        if Path(path).exists():
            return ImageFont.truetype(path, size)
    return ImageFont.load_default(size)


def _speech_bubble(draw: ImageDraw.ImageDraw, box: tuple[int, int, int, int], fill: str) -> None:
    """A rounded speech bubble (a complaint) with its tail at the lower left."""
    left, top, right, bottom = box
    width = right - left
    body_bottom = top + int((bottom - top) * 0.82)
    draw.rounded_rectangle((left, top, right, body_bottom), radius=int(width * 0.22), fill=fill)
    draw.polygon(
        [
            (left + int(width * 0.18), body_bottom - 2),
            (left + int(width * 0.44), body_bottom - 2),
            (left + int(width * 0.14), bottom),
        ],
        fill=fill,
    )


def _mark(style: IconStyle, glyph: str, content: float) -> Image.Image:
    """The square canvas: background colour, and the mark filling `content` of its width."""
    canvas = Image.new("RGBA", (_CANVAS, _CANVAS), style.background)
    extent = int(_CANVAS * content)
    left = (_CANVAS - extent) // 2
    box = (left, left, left + extent, left + extent)
    if style.logo is not None and glyph == style.letter:
        with Image.open(style.logo) as source:
            logo = source.convert("RGBA")
        logo.thumbnail((extent, extent), Image.Resampling.LANCZOS)
        canvas.alpha_composite(logo, ((_CANVAS - logo.width) // 2, (_CANVAS - logo.height) // 2))
        return canvas
    draw = ImageDraw.Draw(canvas)
    _speech_bubble(draw, box, style.foreground)
    # The glyph in the bubble's body, in the background colour.
    body_centre_y = box[1] + int(extent * 0.41)
    if glyph == "list":  # "Pengaduan saya": lines of a list
        line = int(extent * 0.075)
        for row in (-1, 0, 1):
            y = body_centre_y + row * int(extent * 0.17)
            start, end = left + int(extent * 0.24), left + int(extent * 0.76)
            draw.rounded_rectangle(
                (start, y - line // 2, end, y + line // 2),
                radius=line // 2,
                fill=style.background,
            )
    elif glyph == "plus":  # "Lapor": a new complaint
        arm, bar = int(extent * 0.25), int(extent * 0.11)
        centre_x = _CANVAS // 2
        draw.rectangle(
            (centre_x - arm, body_centre_y - bar // 2, centre_x + arm, body_centre_y + bar // 2),
            fill=style.background,
        )
        draw.rectangle(
            (centre_x - bar // 2, body_centre_y - arm, centre_x + bar // 2, body_centre_y + arm),
            fill=style.background,
        )
    else:
        font = _font(int(extent * 0.58))
        draw.text(
            (_CANVAS // 2, body_centre_y), glyph, font=font, fill=style.background, anchor="mm"
        )
    return canvas


def _scaled(image: Image.Image, size: int) -> Image.Image:
    return image.resize((size, size), Image.Resampling.LANCZOS)


def _rounded(image: Image.Image) -> Image.Image:
    """An "any" icon: the square with rounded corners (transparent outside them)."""
    mask = Image.new("L", image.size, 0)
    ImageDraw.Draw(mask).rounded_rectangle(
        (0, 0, image.width - 1, image.height - 1), radius=int(image.width * 0.2), fill=255
    )
    rounded = image.copy()
    rounded.putalpha(mask)
    return rounded


def write_icons(style: IconStyle, static_dir: Path) -> list[Path]:
    """Draw every icon of the app under `static_dir` and return the files written."""
    written = []

    def save(image: Image.Image, relative: str, **options) -> None:
        path = static_dir / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        image.save(path, **options)
        written.append(path)

    full = _mark(style, style.letter, content=0.72)
    # Maskable: the mark's corners stay inside the safe circle (its half-diagonal < 40%).
    maskable = _mark(style, style.letter, content=0.54)
    for relative, size, purpose in ICONS:
        if purpose == "maskable":
            save(_scaled(maskable, size).convert("RGB"), relative, optimize=True)
        else:
            save(_rounded(_scaled(full, size)), relative, optimize=True)
    # iOS puts its own mask on the touch icon and shows transparency as black.
    save(_scaled(full, 180).convert("RGB"), APPLE_TOUCH_ICON, optimize=True)
    save(
        _rounded(_scaled(full, max(FAVICON_SIZES))),
        FAVICON,
        format="ICO",
        sizes=[(size, size) for size in FAVICON_SIZES],
    )
    for key, glyph in (("file", "plus"), ("mine", "list")):
        shortcut = _mark(style, glyph, content=0.62)
        small = _scaled(shortcut, SHORTCUT_ICON_SIZE).convert("RGB")
        save(small, SHORTCUT_ICONS[key], optimize=True)
    return written
