"""Issuing and revoking device tokens (sikesal/api/models.py)."""

import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from sikesal.accounts.models import User
from sikesal.api.models import DeviceToken, token_digest

KEY_PREFIX = "skl_"


def device_token_issue(
    *, user: User, name: str, now: datetime | None = None
) -> tuple[DeviceToken, str]:
    """A new token for `user` on the device `name`; returns the row and the key, which is
    shown this once and never stored."""
    now = now or timezone.now()
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    token = DeviceToken.objects.create(
        user=user,
        name=name.strip()[:100] or "?",
        prefix=key[: len(KEY_PREFIX) + 4],
        digest=token_digest(key),
        created_at=now,
        expires_at=now + timedelta(days=settings.SIKESAL_API_TOKEN_DAYS),
    )
    return token, key


def device_token_revoke(*, token: DeviceToken, now: datetime | None = None) -> None:
    """End `token` now (a revoked token stays listed, as the record of the device)."""
    if token.revoked_at is None:
        token.revoked_at = now or timezone.now()
        token.save(update_fields=["revoked_at"])


def device_token_for_key(key: str, now: datetime | None = None) -> DeviceToken | None:
    """The usable token with this key, with its user; None for anything else."""
    if not key.startswith(KEY_PREFIX) or len(key) > 100:
        return None
    return (
        DeviceToken.objects.usable(now)
        .select_related("user")
        .filter(digest=token_digest(key))
        .first()
    )


def device_token_list(*, user: User) -> QuerySet[DeviceToken]:
    """`user`'s device tokens, newest first, revoked and expired ones included (the record
    of where the account has been signed in)."""
    return DeviceToken.objects.filter(user=user).order_by("-created_at", "-pk")


def device_token_for(*, user: User, pk: int) -> DeviceToken:
    """`user`'s device token `pk`; Http404 for another person's, as for one that does not
    exist."""
    return get_object_or_404(device_token_list(user=user), pk=pk)
