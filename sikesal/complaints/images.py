"""Complaint photos: check an upload is a real photo, then re-encode it without metadata.

Two steps, at two times: `check_upload` in the request (size, format and pixel count read
from the header, no decoding: a few milliseconds), `process_photo` in the worker (the full
decode and re-encoding, ~50 ms for a phone photo), before the photo is ever shown.

Every photo a citizen uploads is decoded and written anew as a JPEG: that is what strips
the location (EXIF GPS), camera serial numbers, comments and any payload hidden in the
original file, and what bounds the size we store and serve. Nothing about the upload is
trusted: the format is Pillow's reading of the content, never the file name or the
browser's content type, and a file that does not decode completely is refused.

Decoding is what costs: a PNG of one colour holds 49 megapixels in a few kilobytes and
needs some 200 MB once decoded. So the pixels are counted from the header first and an
image above `SIKESAL_PHOTO_MAX_PIXELS` is refused before any decoding; what is decoded is
at most that many pixels of at most 4 bytes each (the memory bound of one upload), and is
shrunk right after decoding (a JPEG while decoding), before any other full-size copy.
"""

import io
import os
import re
import unicodedata
import warnings
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.utils.text import slugify
from django.utils.translation import gettext as _
from PIL import Image, ImageCms, ImageFile, ImageOps, UnidentifiedImageError

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
# 40 megapixels holds any phone's default photo (a 48 MP sensor saves 12 MP unless set to
# its full mode); a bigger image within 10 MB is most likely a decompression bomb.
DEFAULT_MAX_PIXELS = 40_000_000
ACCEPTED_FORMATS = ("JPEG", "PNG", "WEBP")
IMAGE_MAX_SIDE = 1600
THUMBNAIL_MAX_SIDE = 320
JPEG_QUALITY = 82
ORIGINAL_NAME_MAX_LENGTH = 100

_SRGB = ImageCms.createProfile("sRGB")
_WHITE = (255, 255, 255)


@dataclass(frozen=True)
class ProcessedPhoto:
    """A photo ready to store: JPEG bytes without metadata, and its thumbnail.

    `width` and `height` are those of `image`; `original_name` is the uploaded file name,
    cleaned for display (no path, no control characters), not a storage name.
    """

    image: ContentFile
    thumbnail: ContentFile
    width: int
    height: int
    original_name: str


@dataclass(frozen=True)
class ReceivedPhoto:
    """An upload that passed the cheap checks: its bytes as received, and what its header
    says. `original_name` as in `ProcessedPhoto`."""

    data: bytes
    format: str
    width: int
    height: int
    original_name: str


def check_upload(upload: UploadedFile) -> ReceivedPhoto:
    """The checks an upload can pass or fail without being decoded: not empty, within
    `SIKESAL_PHOTO_MAX_BYTES`, a JPEG, PNG or WebP by its content (never its name or
    content type), within `SIKESAL_PHOTO_MAX_PIXELS` by its header.

    Raises ValidationError with `process_photo`'s codes (`photo_too_large`, `photo_empty`,
    `photo_not_a_photo`, `photo_too_many_pixels`, `photo_broken` for a header that cannot
    be read). A file that passes may still fail `process_photo` (a truncated image).
    """
    data = _read_limited(upload)
    max_pixels = _max_pixels()
    try:
        with (
            warnings.catch_warnings(action="ignore", category=Image.DecompressionBombWarning),
            Image.open(io.BytesIO(data), formats=ACCEPTED_FORMATS) as probe,
        ):
            image_format, width, height = probe.format, probe.width, probe.height
            complete = _looks_complete(data, probe)
    except UnidentifiedImageError:
        raise _not_a_photo() from None
    except Image.DecompressionBombError:
        raise _too_many_pixels(max_pixels) from None
    except (OSError, SyntaxError, ValueError, EOFError):
        raise _broken() from None
    if width * height > max_pixels:
        raise _too_many_pixels(max_pixels)
    if not complete:
        raise _broken()
    return ReceivedPhoto(
        data=data,
        format=image_format,
        width=width,
        height=height,
        original_name=clean_original_name(upload.name or ""),
    )


# The chunk that ends every PNG, with its CRC (always the same: the chunk is empty).
_PNG_END = b"IEND\xaeB`\x82"


def _looks_complete(data: bytes, probe: Image.Image) -> bool:
    """Whether the file ends as its format says it must: a byte search, no decoding.

    Catches the usual broken upload, one cut short by a dropped connection or a full phone,
    while the citizen is still on the form. The worker's full decode stays the judge.
    """
    if probe.format == "JPEG":
        # The end-of-image marker after the start of the main image's scan: inside scan
        # data 0xFF is always escaped, and an EXIF thumbnail's own marker comes before.
        scan_start = probe.tile[0][2] if probe.tile else 0
        return data.find(b"\xff\xd9", scan_start) != -1
    if probe.format == "PNG":
        return data.rfind(_PNG_END) != -1
    if probe.format == "WEBP":
        return int.from_bytes(data[4:8], "little") + 8 <= len(data)
    return True


def process_photo(upload: UploadedFile) -> ProcessedPhoto:
    """Validate an uploaded photo and re-encode it as a metadata-free JPEG with a thumbnail.

    Accepts JPEG, PNG and WebP by content. The image is turned upright by its EXIF
    orientation, flattened onto white when transparent, converted to sRGB and shrunk to
    at most `IMAGE_MAX_SIDE` pixels on its long side (thumbnail: `THUMBNAIL_MAX_SIDE`).
    Raises ValidationError (codes `photo_too_large`, `photo_empty`, `photo_not_a_photo`,
    `photo_too_many_pixels`, `photo_broken`) for anything else.
    """
    data = _read_limited(upload)
    picture = _decode(data)
    picture = _upright(picture)
    picture = _to_srgb(picture)

    picture.thumbnail((IMAGE_MAX_SIDE, IMAGE_MAX_SIDE), Image.Resampling.LANCZOS)
    thumbnail = picture.copy()
    thumbnail.thumbnail((THUMBNAIL_MAX_SIDE, THUMBNAIL_MAX_SIDE), Image.Resampling.LANCZOS)

    original_name = clean_original_name(upload.name or "")
    stem = slugify(os.path.splitext(original_name)[0])[:50] or "foto"
    return ProcessedPhoto(
        image=ContentFile(_encode_jpeg(picture), name=f"{stem}.jpg"),
        thumbnail=ContentFile(_encode_jpeg(thumbnail), name=f"{stem}-kecil.jpg"),
        width=picture.width,
        height=picture.height,
        original_name=original_name,
    )


def clean_original_name(name: str) -> str:
    """The file name without any path, control or invisible formatting characters.

    Right-to-left overrides and the like (Unicode category Cf) would let "gpj.exe" pass
    for a photo name on a staff screen; they go, as do leading dots and over-long names
    (the extension is kept).
    """
    name = re.split(r"[/\\]", unicodedata.normalize("NFKC", name))[-1]
    name = " ".join(name.split())
    name = "".join(ch for ch in name if ch == " " or unicodedata.category(ch)[0] not in "CZ")
    name = name.lstrip(". ").rstrip()
    if len(name) > ORIGINAL_NAME_MAX_LENGTH:
        stem, extension = os.path.splitext(name)
        extension = extension[:10]
        name = stem[: ORIGINAL_NAME_MAX_LENGTH - len(extension)] + extension
    return name or "foto"


def _read_limited(upload: UploadedFile) -> bytes:
    """The upload's bytes, refusing an oversized file before anything decodes it."""
    max_bytes = getattr(settings, "SIKESAL_PHOTO_MAX_BYTES", DEFAULT_MAX_BYTES)
    too_large = ValidationError(
        _("Foto terlalu besar: paling besar %(limit)s MB."),
        code="photo_too_large",
        params={"limit": _megabytes(max_bytes)},
    )
    if upload.size is not None and upload.size > max_bytes:
        raise too_large
    upload.seek(0)
    # The reported size can be absent or wrong for a hand-made File: never read past the limit.
    data = upload.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise too_large
    if not data:
        raise ValidationError(_("Berkas foto kosong."), code="photo_empty")
    return data


def _decode(data: bytes) -> Image.Image:
    """Identify, verify and fully decode the image, or raise the matching ValidationError."""
    not_a_photo = _not_a_photo()
    broken = _broken()
    max_pixels = _max_pixels()
    too_many_pixels = _too_many_pixels(max_pixels)
    if ImageFile.LOAD_TRUNCATED_IMAGES:
        # Something switched on Pillow's global "accept half an image": a truncated upload
        # would then come out partly grey instead of being refused.
        raise ImproperlyConfigured("PIL.ImageFile.LOAD_TRUNCATED_IMAGES must stay False.")

    # Image.open reads the header only; Pillow's own guard (Image.MAX_IMAGE_PIXELS, set to
    # our limit by the app) warns above it and raises above twice it. The warning is ours
    # to act on: the image is refused just below.
    try:
        # `formats` keeps Pillow from even trying its other (less exercised) decoders.
        with (
            warnings.catch_warnings(action="ignore", category=Image.DecompressionBombWarning),
            Image.open(io.BytesIO(data), formats=ACCEPTED_FORMATS) as probe,
        ):
            if probe.width * probe.height > max_pixels:
                raise too_many_pixels
            probe.verify()
    except UnidentifiedImageError:
        raise not_a_photo from None
    except Image.DecompressionBombError:
        raise too_many_pixels from None
    except (OSError, SyntaxError, ValueError, EOFError):
        raise broken from None

    # verify() leaves the image unusable; decode a fresh one, every pixel of it.
    try:
        picture = Image.open(io.BytesIO(data), formats=ACCEPTED_FORMATS)
        if picture.format == "JPEG":
            # Let libjpeg decode at 1/2, 1/4 or 1/8 scale when the photo is far bigger
            # than what we keep: less memory, same result after the resize below.
            picture.draft("RGB", (IMAGE_MAX_SIDE, IMAGE_MAX_SIDE))
        picture.load()
    except Image.DecompressionBombError:
        raise too_many_pixels from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
        raise broken from None
    return _shrunk(picture)


def _max_pixels() -> int:
    return getattr(settings, "SIKESAL_PHOTO_MAX_PIXELS", DEFAULT_MAX_PIXELS)


def _not_a_photo() -> ValidationError:
    return ValidationError(
        _("Berkas ini bukan foto JPEG, PNG atau WebP."), code="photo_not_a_photo"
    )


def _broken() -> ValidationError:
    return ValidationError(
        _("Foto ini rusak atau tidak lengkap; coba ambil atau pilih ulang."),
        code="photo_broken",
    )


def _too_many_pixels(max_pixels: int) -> ValidationError:
    return ValidationError(
        _("Resolusi foto terlalu besar: paling besar %(limit)s megapiksel."),
        code="photo_too_many_pixels",
        params={"limit": max_pixels // 1_000_000},
    )


def _shrunk(picture: Image.Image) -> Image.Image:
    """The decoded image reduced by a whole factor to no less than `IMAGE_MAX_SIDE` pixels
    on its long side, so that turning, colour conversion and flattening work on that.

    Box averaging over whole pixel blocks: fast and memory-light; the final resize to
    `IMAGE_MAX_SIDE` is still Lanczos. Modes `reduce` cannot take (palette, 1-bit) are
    left whole: their pixels are one byte or less.
    """
    factor = max(picture.size) // IMAGE_MAX_SIDE
    if factor < 2 or picture.mode in {"P", "PA", "1"}:
        return picture
    try:
        reduced = picture.reduce(factor)
    except ValueError:
        return picture
    reduced.info = dict(picture.info)
    return reduced


def _upright(picture: Image.Image) -> Image.Image:
    """Rotate or flip as the EXIF orientation says; a garbled EXIF block is ignored."""
    try:
        return ImageOps.exif_transpose(picture)
    except (OSError, SyntaxError, ValueError, KeyError, TypeError):
        return picture


def _to_srgb(picture: Image.Image) -> Image.Image:
    """An RGB image in sRGB: transparency flattened onto white, colour profile applied.

    The output carries no ICC profile (it would be metadata, and browsers assume sRGB),
    so a photo in another space (Display P3 from iPhones, Adobe RGB) is converted here
    rather than being shown washed out.
    """
    icc_profile = picture.info.get("icc_profile")
    if picture.mode == "P":
        picture = picture.convert("RGBA" if "transparency" in picture.info else "RGB")
    elif picture.mode in {"I", "I;16", "I;16B", "I;16L", "F"}:
        picture = _high_depth_grey_to_l(picture)
    if picture.mode in {"RGBA", "RGBa", "LA", "La", "PA"}:
        rgba = picture.convert("RGBA")
        picture = Image.new("RGB", rgba.size, _WHITE)
        picture.paste(rgba, mask=rgba.getchannel("A"))
    if icc_profile and picture.mode in {"RGB", "CMYK"}:
        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(icc_profile))
            picture = ImageCms.profileToProfile(picture, source, _SRGB, outputMode="RGB")
        except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
            # An unreadable profile (or one for another mode): keep the pixels as they are
            # rather than refuse the photo.
            pass
    if picture.mode != "RGB":
        picture = picture.convert("RGB")
    return picture


def _high_depth_grey_to_l(picture: Image.Image) -> Image.Image:
    """16-bit or float grey scaled down to 8 bits; a plain convert would clip it to white."""
    picture = picture.convert("F") if picture.mode != "F" else picture
    _low, high = picture.getextrema()
    scale = 255 / high if high > 255 else 1
    return picture.point(lambda value: value * scale).convert("L")


def _encode_jpeg(picture: Image.Image) -> bytes:
    """JPEG bytes of the pixels alone: a fresh image has no EXIF, ICC, XMP or comment."""
    clean = Image.new("RGB", picture.size)
    clean.paste(picture)
    out = io.BytesIO()
    clean.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
    return out.getvalue()


def _megabytes(size: int) -> str:
    megabytes = size / (1024 * 1024)
    return f"{megabytes:.0f}" if megabytes == int(megabytes) else f"{megabytes:.1f}"
