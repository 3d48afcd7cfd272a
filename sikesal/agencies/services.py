"""Changing an agency's public information (Pasal 11.1): only its head, with history."""

from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from sikesal.accounts.models import User
from sikesal.agencies.models import Agency, AgencyProfileChange
from sikesal.complaints.access import is_agency_head
from sikesal.core.page_cache import AGENCIES, agency_topic, public_pages_changed

# What an agency's head may change on the agency page; names, codes, the head's own record
# and the Secretariat's seat stay with the administrator.
PROFILE_FIELDS = ("handling_mechanism", "channels", "address", "phone", "email", "website")


def agency_profile_update(
    *,
    agency: Agency,
    actor: User,
    values: dict[str, str],
    now: datetime | None = None,
) -> AgencyProfileChange | None:
    """Set the agency's `PROFILE_FIELDS` from `values` and keep the change as a history row
    (old and new value of each changed field). None when nothing changed."""
    if not is_agency_head(actor, agency):
        raise PermissionDenied
    unknown = set(values) - set(PROFILE_FIELDS)
    if unknown:
        raise ValueError(f"Not editable by the head: {sorted(unknown)}")
    with transaction.atomic():
        locked = Agency.objects.select_for_update().get(pk=agency.pk)
        changed = [field for field, value in values.items() if getattr(locked, field) != value]
        if not changed:
            return None
        before = {field: getattr(locked, field) for field in changed}
        for field in changed:
            setattr(locked, field, values[field])
        locked.full_clean()
        locked.save(update_fields=[*changed, "updated_at"])
        public_pages_changed(AGENCIES, agency_topic(locked.code))
        return AgencyProfileChange.objects.create(
            agency=locked,
            changed_by=actor,
            changed_at=now or timezone.now(),
            before=before,
            after={field: values[field] for field in changed},
        )
