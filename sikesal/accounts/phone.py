"""Indonesian mobile numbers: one normal form (E.164) for every way people write them."""

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

MOBILE_TYPES = {
    phonenumbers.PhoneNumberType.MOBILE,
    phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
}


def normalize_mobile(raw: str) -> str:
    """Return `raw` as an E.164 Indonesian mobile number (`+62812...`).

    Accepts `0812-3456-7890`, `+62 812 3456 7890`, `6281234567890` and the like.
    Raises ValidationError with a message the citizen can act on for landlines,
    foreign numbers and anything that is not a phone number.
    """
    text = (raw or "").strip()
    digits = "".join(ch for ch in text if ch.isdigit())
    # "6281..." without the plus is common; phonenumbers would read it as a local number.
    if text and not text.startswith("+") and digits.startswith("62"):
        text = "+" + digits
    try:
        number = phonenumbers.parse(text, "ID")
    except phonenumbers.NumberParseException:
        raise ValidationError(
            _("Nomor ponsel tidak dikenali. Tulis seperti 0812-3456-7890 atau +62 812 3456 7890."),
            code="invalid_phone",
        ) from None
    if not phonenumbers.is_valid_number(number) or number.country_code != 62:
        raise ValidationError(
            _("Nomor ponsel tidak valid. Gunakan nomor ponsel Indonesia, seperti 0812-3456-7890."),
            code="invalid_phone",
        )
    if phonenumbers.number_type(number) not in MOBILE_TYPES:
        raise ValidationError(
            _(
                "Nomor ini bukan nomor ponsel (mungkin telepon rumah/kantor). "
                "Masukkan nomor ponsel yang dapat menerima SMS, seperti 0812-3456-7890."
            ),
            code="not_mobile",
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def format_mobile(e164: str) -> str:
    """Show a stored number the way Indonesians read it: `0812-3456-7890`."""
    if not e164:
        return ""
    number = phonenumbers.parse(e164, "ID")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
