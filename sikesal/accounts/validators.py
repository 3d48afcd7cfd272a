"""Model-level checks on account fields."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from sikesal.accounts.phone import normalize_mobile


def validate_normalized_mobile(value: str) -> None:
    """The stored mobile must already be the E.164 form that normalize_mobile gives."""
    if value and normalize_mobile(value) != value:
        raise ValidationError(
            _("Nomor ponsel harus disimpan dalam format internasional, mis. +6281234567890."),
            code="not_normalized",
        )
