"""Complaint photos: only real photos get in, and they come out without any metadata."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageCms

from sikesal.complaints import images
from sikesal.complaints.images import ProcessedPhoto, clean_original_name, process_photo

EXIF_ORIENTATION = 0x0112
EXIF_GPS_IFD = 0x8825
RED = (220, 20, 20)
BLUE = (20, 20, 220)


def encode(picture: Image.Image, image_format: str = "JPEG", **options) -> bytes:
    out = io.BytesIO()
    picture.save(out, image_format, **options)
    return out.getvalue()


def noisy_photo(size: tuple[int, int] = (640, 480)) -> Image.Image:
    """Camera-like content: noise does not compress, so the JPEG has real scan data."""
    return Image.merge("RGB", [Image.effect_noise(size, 60)] * 3)


def upload(data: bytes, name: str = "foto.jpg", content_type: str = "image/jpeg"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def refusal(data: bytes, **kwargs) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        process_photo(upload(data, **kwargs))
    return caught.value


def decoded(content) -> Image.Image:
    content.seek(0)
    picture = Image.open(io.BytesIO(content.read()))
    picture.load()
    return picture


def raw(content) -> bytes:
    content.seek(0)
    return content.read()


# --- What is refused -----------------------------------------------------------------------


def test_a_php_script_named_jpg_is_not_a_photo():
    error = refusal(b"<?php system($_GET['c']); ?>\n", name="foto.jpg", content_type="image/jpeg")

    assert error.code == "photo_not_a_photo"
    assert error.messages == ["Berkas ini bukan foto JPEG, PNG atau WebP."]


def test_a_gif_is_refused_even_when_named_and_typed_as_jpeg():
    gif = encode(Image.new("RGB", (32, 32), RED), "GIF")

    error = refusal(gif, name="foto.jpg", content_type="image/jpeg")

    assert error.code == "photo_not_a_photo"


def test_an_empty_file_is_refused():
    error = refusal(b"")

    assert error.code == "photo_empty"
    assert error.messages == ["Berkas foto kosong."]


def test_a_30_mb_upload_is_refused_before_anything_decodes_it(monkeypatch):
    def no_decoding(*args, **kwargs):
        raise AssertionError("an oversized upload must not reach Pillow")

    monkeypatch.setattr(images.Image, "open", no_decoding)
    thirty_mb = b"\xff\xd8\xff\xe0" + bytes(30 * 1024 * 1024)

    error = refusal(thirty_mb)

    assert error.code == "photo_too_large"
    assert error.messages == ["Foto terlalu besar: paling besar 10 MB."]


def test_the_size_limit_follows_the_setting(settings):
    settings.SIKESAL_PHOTO_MAX_BYTES = 2 * 1024 * 1024

    error = refusal(bytes(2 * 1024 * 1024 + 1))

    assert error.code == "photo_too_large"
    assert error.messages == ["Foto terlalu besar: paling besar 2 MB."]


def test_a_file_understating_its_size_is_still_cut_off_at_the_limit(settings):
    settings.SIKESAL_PHOTO_MAX_BYTES = 1024 * 1024
    lying = upload(bytes(3 * 1024 * 1024))
    lying.size = 1000

    with pytest.raises(ValidationError) as caught:
        process_photo(lying)

    assert caught.value.code == "photo_too_large"


def test_a_truncated_jpeg_is_broken():
    whole = encode(noisy_photo())

    error = refusal(whole[: len(whole) * 2 // 3])

    assert error.code == "photo_broken"
    assert error.messages == ["Foto ini rusak atau tidak lengkap; coba ambil atau pilih ulang."]


def test_a_truncated_png_is_broken():
    whole = encode(noisy_photo(), "PNG")

    error = refusal(whole[: len(whole) // 2], name="foto.png", content_type="image/png")

    assert error.code == "photo_broken"


def test_a_decompression_bomb_is_refused_by_its_header():
    # 64 megapixels of one colour: a few kilobytes of PNG, hundreds of MB once decoded.
    bomb = encode(Image.new("1", (8000, 8000)), "PNG", optimize=True)
    assert len(bomb) < 100_000

    error = refusal(bomb, name="peta.png", content_type="image/png")

    assert error.code == "photo_too_many_pixels"
    assert error.messages == ["Resolusi foto terlalu besar: paling besar 40 megapiksel."]


def test_the_pixel_limit_follows_the_setting(settings):
    settings.SIKESAL_PHOTO_MAX_PIXELS = 1_000_000

    error = refusal(encode(Image.new("RGB", (2000, 1000), RED)))

    assert error.code == "photo_too_many_pixels"


# --- What comes out ------------------------------------------------------------------------


def test_gps_exif_is_gone_from_the_photo_and_its_thumbnail():
    exif = Image.Exif()
    exif[0x010F] = "KameraMerek"  # Make
    exif[0x0131] = "Perangkat 1.0"  # Software
    exif.get_ifd(EXIF_GPS_IFD).update(
        {1: "S", 2: (1.0, 38.0, 16.8), 3: "E", 4: (103.0, 38.0, 38.4)}
    )
    original = encode(noisy_photo(), exif=exif)
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(EXIF_GPS_IFD)  # given

    photo = process_photo(upload(original))

    for content in (photo.image, photo.thumbnail):
        assert dict(decoded(content).getexif()) == {}
        assert b"Exif" not in raw(content)
        assert b"KameraMerek" not in raw(content)


def test_comments_colour_profiles_and_xmp_are_gone_too():
    srgb_profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    original = encode(
        noisy_photo(),
        icc_profile=srgb_profile,
        comment=b"rahasia pelapor",
        xmp=b"<x:xmpmeta>lokasi rumah</x:xmpmeta>",
    )

    photo = process_photo(upload(original))

    data = raw(photo.image)
    assert b"ICC_PROFILE" not in data
    assert b"rahasia pelapor" not in data
    assert b"xmpmeta" not in data
    assert set(decoded(photo.image).info) <= {
        "jfif",
        "jfif_version",
        "jfif_unit",
        "jfif_density",
        "progressive",
        "progression",
        "dpi",
    }


def test_a_big_photo_is_shrunk_to_1600_px_with_a_320_px_thumbnail():
    photo = process_photo(upload(encode(Image.new("RGB", (4000, 3000), RED))))

    assert isinstance(photo, ProcessedPhoto)
    assert (photo.width, photo.height) == (1600, 1200)
    assert decoded(photo.image).size == (1600, 1200)
    assert decoded(photo.thumbnail).size == (320, 240)


def test_the_output_is_a_progressive_jpeg_named_jpg():
    photo = process_photo(upload(encode(noisy_photo()), name="Jalan Rusak 01.PNG"))

    picture = decoded(photo.image)
    assert picture.format == "JPEG"
    assert picture.mode == "RGB"
    assert picture.info.get("progressive") == 1
    assert photo.image.name == "jalan-rusak-01.jpg"
    assert photo.thumbnail.name == "jalan-rusak-01-kecil.jpg"
    assert photo.original_name == "Jalan Rusak 01.PNG"


def test_a_small_photo_is_not_enlarged():
    photo = process_photo(upload(encode(Image.new("RGB", (300, 200), RED))))

    assert (photo.width, photo.height) == (300, 200)
    assert decoded(photo.thumbnail).size == (300, 200)


def test_a_png_with_transparency_is_accepted_and_flattened_onto_white():
    picture = Image.new("RGBA", (200, 100), (0, 0, 0, 0))
    picture.paste(Image.new("RGBA", (100, 100), (*BLUE, 255)), (100, 0))

    photo = process_photo(upload(encode(picture, "PNG"), name="x.png", content_type="image/png"))

    result = decoded(photo.image)
    assert result.size == (200, 100)
    assert all(channel > 245 for channel in result.getpixel((40, 50)))  # was transparent
    assert result.getpixel((160, 50))[2] > 180  # still blue


def test_a_palette_png_with_a_transparent_colour_is_flattened_onto_white():
    picture = Image.new("P", (64, 64), 0)
    picture.putpalette([0, 0, 0, *BLUE])
    picture.paste(1, (32, 0, 64, 64))

    photo = process_photo(upload(encode(picture, "PNG", transparency=0), name="x.png"))

    result = decoded(photo.image)
    assert all(channel > 245 for channel in result.getpixel((10, 32)))
    assert result.getpixel((50, 32))[2] > 180


def test_a_webp_is_accepted():
    webp = encode(noisy_photo((400, 300)), "WEBP", quality=80)

    photo = process_photo(upload(webp, name="foto.webp", content_type="image/webp"))

    assert (photo.width, photo.height) == (400, 300)
    assert decoded(photo.image).format == "JPEG"


def test_a_jpeg_named_png_is_judged_by_its_content():
    photo = process_photo(upload(encode(noisy_photo()), name="foto.png", content_type="image/png"))

    assert (photo.width, photo.height) == (640, 480)


def test_an_orientation_6_jpeg_comes_out_upright():
    # Stored landscape, red on the left; orientation 6 says "rotate 90° clockwise to view",
    # so the viewer sees a portrait with the red half on top.
    stored = Image.new("RGB", (400, 200), BLUE)
    stored.paste(Image.new("RGB", (200, 200), RED), (0, 0))
    exif = Image.Exif()
    exif[EXIF_ORIENTATION] = 6

    photo = process_photo(upload(encode(stored, exif=exif, quality=95)))

    result = decoded(photo.image)
    assert result.size == (200, 400)
    assert (photo.width, photo.height) == (200, 400)
    top, bottom = result.getpixel((100, 50)), result.getpixel((100, 350))
    assert top[0] > 180 > top[2]
    assert bottom[2] > 180 > bottom[0]
    assert decoded(photo.thumbnail).size == (160, 320)


def test_a_cmyk_jpeg_comes_out_rgb():
    photo = process_photo(upload(encode(Image.new("CMYK", (80, 60), (0, 255, 255, 0)))))

    assert decoded(photo.image).mode == "RGB"


def test_a_16_bit_grey_png_keeps_its_shades():
    picture = Image.new("I;16", (64, 64), 0)
    picture.paste(30000, (32, 0, 64, 64))

    photo = process_photo(upload(encode(picture, "PNG"), name="x.png"))

    result = decoded(photo.image)
    assert result.getpixel((10, 10))[0] < 10
    assert result.getpixel((50, 10))[0] > 240


# --- The original name -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("IMG_20250101_0830.jpg", "IMG_20250101_0830.jpg"),
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\Budi\\Foto Jalan.jpg", "Foto Jalan.jpg"),
        ("foto\u202egpj.exe", "fotogpj.exe"),
        ("  tab\tand\nnewline .png ", "tab and newline .png"),
        (".htaccess", "htaccess"),
        ("", "foto"),
        ("../", "foto"),
        ("a" * 300 + ".jpeg", "a" * 95 + ".jpeg"),
    ],
)
def test_the_original_name_is_cleaned_for_display(given, expected):
    assert clean_original_name(given) == expected
