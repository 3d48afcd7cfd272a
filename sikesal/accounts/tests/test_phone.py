"""Every common way of writing an Indonesian mobile number reads as the same E.164 number."""

import pytest
from django.core.exceptions import ValidationError

from sikesal.accounts.forms import MobileNumberField
from sikesal.accounts.phone import format_mobile, normalize_mobile


@pytest.mark.parametrize(
    "written",
    [
        "0812-3456-7890",
        "+62 812 3456 7890",
        "6281234567890",
        "0812 3456 7890",
        "+62-812-3456-7890",
        "(0812) 3456-7890",
        "081234567890",
        " 0812.3456.7890 ",
    ],
)
def test_written_forms_normalise_to_e164(written):
    assert normalize_mobile(written) == "+6281234567890"


def test_a_landline_is_refused_as_not_a_mobile():
    # 021 is Jakarta's area code: a fixed line cannot receive the SMS we send
    with pytest.raises(ValidationError) as excinfo:
        normalize_mobile("021-555-1234")
    assert excinfo.value.code == "not_mobile"
    assert excinfo.value.messages == [
        "Nomor ini bukan nomor ponsel (mungkin telepon rumah/kantor). Masukkan nomor ponsel "
        "yang dapat menerima SMS, seperti 0812-3456-7890."
    ]


def test_text_is_refused_with_an_example():
    with pytest.raises(ValidationError) as excinfo:
        normalize_mobile("abc")
    assert excinfo.value.code == "invalid_phone"
    assert excinfo.value.messages == [
        "Nomor ponsel tidak dikenali. Tulis seperti 0812-3456-7890 atau +62 812 3456 7890."
    ]


@pytest.mark.parametrize("foreign", ["+1 202 555 0123", "+44 7911 123456", "+60 12-345 6789"])
def test_a_foreign_number_is_refused(foreign):
    with pytest.raises(ValidationError) as excinfo:
        normalize_mobile(foreign)
    assert excinfo.value.messages == [
        "Nomor ponsel tidak valid. Gunakan nomor ponsel Indonesia, seperti 0812-3456-7890."
    ]


@pytest.mark.parametrize("not_a_number", ["", "   ", "0812", "0812-3456-7890-1234-5678"])
def test_too_short_or_too_long_is_refused(not_a_number):
    with pytest.raises(ValidationError) as excinfo:
        normalize_mobile(not_a_number)
    assert "ponsel" in excinfo.value.messages[0]


def test_stored_number_is_shown_the_indonesian_way():
    assert format_mobile("+6281234567890") == "0812-3456-7890"
    assert format_mobile("") == ""


def test_form_field_cleans_to_e164_and_empty_to_none():
    field = MobileNumberField(required=False)
    assert field.clean("0812-3456-7890") == "+6281234567890"
    assert field.clean("") is None


def test_form_field_explains_a_landline():
    field = MobileNumberField()
    with pytest.raises(ValidationError) as excinfo:
        field.clean("021-555-1234")
    assert "ponsel" in excinfo.value.messages[0]
