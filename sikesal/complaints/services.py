"""Complaint services outside the state machine: drafts, filing, staged photos, identity
access.

Status changes are `sikesal.complaints.workflow.transition`; this module creates what the
workflow then moves.
"""

import contextlib
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from sikesal.accounts.models import User
from sikesal.agencies.models import Agency, Category, Region
from sikesal.complaints import deadlines
from sikesal.complaints.images import check_upload, process_photo
from sikesal.complaints.models import (
    IDEMPOTENCY_KEY_MAX_LENGTH,
    Channel,
    Complaint,
    ComplaintDraft,
    ComplaintEvent,
    ComplaintPhoto,
    IdentityAccess,
    PhotoState,
    ReportType,
    Status,
    Visibility,
    new_tracking_number,
)
from sikesal.core.calendar import local_date
from sikesal.core.city import city
from sikesal.core.page_cache import COMPLAINTS, complaint_topic, public_pages_changed

# Drawing a taken number is a one-in-millions event; ten in a row means something else.
TRACKING_NUMBER_ATTEMPTS = 10


@dataclass
class Location:
    """Where it happened: a point (optional when the map cannot load) and/or the kelurahan."""

    latitude: Decimal | None
    longitude: Decimal | None
    kelurahan: Region | None
    address: str = ""


def complaint_draft_save(*, reporter: User, data: dict) -> ComplaintDraft:
    """Keep what `reporter` typed on /lapor/ (`forms.draft_data`), unchecked, replacing their
    earlier draft: one draft per citizen. An unverified citizen may draft too."""
    draft, _created = ComplaintDraft.objects.update_or_create(
        reporter=reporter, defaults={"data": data}
    )
    return draft


def complaint_draft_discard(*, reporter: User) -> None:
    """Drop `reporter`'s draft, if any: on request, or once the complaint is submitted."""
    ComplaintDraft.objects.filter(reporter=reporter).delete()


@dataclass(frozen=True)
class Submission:
    """What `complaint_submission` did: filed `complaint` now (`created`), or found it
    already filed by an earlier sending of the same submission (same idempotency key)."""

    complaint: Complaint
    created: bool


def complaint_submit(**fields: Any) -> Complaint:
    """File a complaint and return it: `complaint_submission`'s complaint, for callers that
    need not know whether this sending filed it or an earlier one had."""
    return complaint_submission(**fields).complaint


def complaint_submission(
    *,
    reporter: User,
    report_type: str,
    category: Category,
    title: str,
    description: str,
    event_date: date | None,
    location: Location,
    is_confidential: bool = False,
    is_anonymous: bool = False,
    photos: list[ComplaintPhoto] = (),
    channel: str = Channel.WEB,
    actor: User | None = None,
    now: datetime | None = None,
    idempotency_key: str = "",
    discard_draft: bool = False,
    allow_unverified_reporter: bool = False,
    received_at: datetime | None = None,
    counter: Agency | None = None,
    key_looked_up: bool = False,
) -> Submission:
    """File a complaint for `reporter`, with its tracking number.

    `actor` is the Secretariat officer entering it on the citizen's behalf (assisted intake),
    else the reporter. The reporter must have a verified email or mobile number. A sensitive
    category forces the complaint confidential. The deadline clocks start now.

    Everything is written in one transaction: the complaint, its event, the photos attached,
    the notification with its outbox rows and, with `discard_draft`, the reporter's draft
    deleted. Raises ValidationError (per field) and saves nothing when anything is wrong.

    `idempotency_key` (the /lapor/ form's submission token, the API's Idempotency-Key) makes
    a retry safe: when `reporter` already filed this title and description with this key,
    that complaint is returned (`created` false) and nothing is written, even when the first
    request is still committing; the same key with another text is refused (ValidationError,
    code `idempotency_key_reused`).

    `allow_unverified_reporter`: a trusted channel (an Open311 client with its key, an
    officer at the counter) files for a reporter whose email or number nobody has proved
    yet (`sikesal.intake.reporters`); the citizen's own doors never pass it.

    Assisted intake (`sikesal.intake.services`) also gives `received_at`, when the
    complaint reached the government (a letter received days before it is typed in): the
    complaint is filed as of then and its clocks start then; and `counter`, the agency at
    whose own counter `actor`, its officer, took it: the event is then that agency's step.

    `key_looked_up`: the caller has just asked `complaint_filed_with` and found no
    complaint with this key and text, so the key is not looked up again before the insert;
    a race, or the same key with another text, is still caught there.
    """
    actor = actor or reporter
    now = now or timezone.now()
    filed_at = min(received_at, now) if received_at else now
    if len(idempotency_key) > IDEMPOTENCY_KEY_MAX_LENGTH:
        raise ValidationError(
            _("Formulir ini tidak dikenali; muat ulang halaman lalu kirim lagi."),
            code="idempotency_key_invalid",
        )
    # A retry is caught at the insert, by the key's unique constraint, race included. Only
    # with photos is the key looked up first: attached by the first sending, they would
    # be refused as "not attachable" before the insert could tell a retry.
    if (
        idempotency_key
        and photos
        and not key_looked_up
        and (filed := _filed_with_key(reporter, idempotency_key))
    ):
        return Submission(_the_same_submission(filed, title=title, description=description), False)
    if not reporter.is_verified and not allow_unverified_reporter:
        raise ValidationError(
            _("Verifikasi email atau nomor ponsel Anda dahulu; draf Anda tetap tersimpan.")
        )
    if report_type not in ReportType.values:
        raise ValidationError({"report_type": _("Pilih jenis laporan.")})
    if not category.is_active:
        raise ValidationError({"category": _("Kategori ini tidak aktif lagi; pilih yang lain.")})
    if len(photos) > _max_photos():
        raise ValidationError({"photos": _("Paling banyak %(n)d foto.") % {"n": _max_photos()}})
    for photo in photos:
        if photo.complaint_id is not None or photo.uploaded_by_id != actor.pk:
            raise ValidationError({"photos": _("Foto ini tidak dapat dilampirkan.")})
    kelurahan_id, kecamatan_id = _resolve_location(location)
    complaint = Complaint(
        reporter=reporter,
        report_type=report_type,
        category=category,
        title=title.strip(),
        description=description.strip(),
        event_date=event_date,
        latitude=_coordinate(location.latitude),
        longitude=_coordinate(location.longitude),
        address=location.address.strip(),
        kelurahan_id=kelurahan_id,
        kecamatan_id=kecamatan_id,
        is_confidential=is_confidential or category.is_sensitive,
        is_anonymous=is_anonymous,
        channel=channel,
        status=Status.SUBMITTED,
        submitted_at=filed_at,
        idempotency_key=idempotency_key,
    )
    deadlines.start_clocks(complaint, filed_at)
    # The key's and the tracking number's uniqueness are the database's to enforce, at the
    # insert, race included. The foreign keys are rows loaded above, and the table's check
    # constraints concern ratings and declines, which a new complaint cannot break: checking
    # them here would cost a query each on every filing.
    complaint.full_clean(
        exclude=["tracking_number", "idempotency_key", "reporter", "category", "kelurahan",
                 "kecamatan"],
        validate_constraints=False,
    )  # fmt: skip
    for _attempt in range(TRACKING_NUMBER_ATTEMPTS):
        complaint.tracking_number = new_tracking_number()
        try:
            _file(
                complaint,
                actor=actor,
                photos=photos,
                discard_draft=discard_draft,
                now=now,
                counter=counter,
            )
        except IntegrityError:
            # A concurrent request with the same key committed first: this one is its retry.
            if idempotency_key and (filed := _filed_with_key(reporter, idempotency_key)):
                return Submission(
                    _the_same_submission(filed, title=title, description=description), False
                )
            if not Complaint.objects.filter(tracking_number=complaint.tracking_number).exists():
                raise
            # The rare random number already taken: draw another.
            complaint.pk = None
            complaint._state.adding = True
            continue
        return Submission(complaint, True)
    raise RuntimeError(f"No free tracking number after {TRACKING_NUMBER_ATTEMPTS} attempts")


def _file(
    complaint: Complaint,
    *,
    actor: User,
    photos: list[ComplaintPhoto],
    discard_draft: bool,
    now: datetime,
    counter: Agency | None,
) -> None:
    """Write a checked complaint and everything that comes with it, all or nothing."""
    reporter, channel = complaint.reporter, complaint.channel
    data = {"channel": channel}
    if complaint.submitted_at != now:
        data["received_on"] = local_date(complaint.submitted_at).isoformat()
    if actor.pk == reporter.pk:
        actor_role = "reporter"
    elif counter is not None:
        actor_role = "agency"
        data["counter"] = counter.code
    else:
        actor_role = "secretariat"
    with transaction.atomic():
        complaint.save(force_insert=True)
        event = ComplaintEvent.objects.create(
            complaint=complaint,
            action="submit",
            from_status="",
            to_status=Status.SUBMITTED,
            actor=actor,
            actor_role=actor_role,
            visibility=Visibility.PUBLIC,
            data=data,
            created_at=now,
        )
        for photo in photos:
            photo.complaint = complaint
            photo.event = event
            photo.save(update_fields=["complaint", "event"])
        from sikesal.notifications.services import notify

        notify(
            reporter,
            "complaint_submitted",
            context={"tracking_number": complaint.tracking_number, "title": complaint.title},
            url=reverse("complaints:mine_detail", args=[complaint.tracking_number]),
        )
        if discard_draft:
            complaint_draft_discard(reporter=reporter)


def complaint_filed_with(
    *, reporter: User, idempotency_key: str, title: str, description: str
) -> Complaint | None:
    """The complaint `reporter` already filed with this key and this text, if any: what a
    retry of the same submission should be shown, before anything else is done for it."""
    if not idempotency_key or len(idempotency_key) > IDEMPOTENCY_KEY_MAX_LENGTH:
        return None
    filed = _filed_with_key(reporter, idempotency_key)
    if filed is None or not _same_text(filed, title=title, description=description):
        return None
    return filed


def _filed_with_key(reporter: User, idempotency_key: str) -> Complaint | None:
    return Complaint.objects.filter(reporter=reporter, idempotency_key=idempotency_key).first()


def _the_same_submission(filed: Complaint, *, title: str, description: str) -> Complaint:
    """`filed` when this is a retry of it; a form sent again after being edited (the browser's
    Back button restores the token with the page) is another complaint, and is refused
    rather than silently swallowed."""
    if _same_text(filed, title=title, description=description):
        return filed
    raise ValidationError(
        _(
            "Formulir ini sudah terkirim sebagai pengaduan %(tracking_number)s. Bila ini "
            "pengaduan lain, periksa isian di bawah lalu kirim lagi."
        )
        % {"tracking_number": filed.tracking_number},
        code="idempotency_key_reused",
    )


def _same_text(filed: Complaint, *, title: str, description: str) -> bool:
    # Whitespace aside: a browser sends line breaks as CRLF, the form stores LF.
    return (title.split(), description.split()) == (
        filed.title.split(),
        filed.description.split(),
    )


def _coordinate(value) -> Decimal | None:
    """Six decimals: about 10 cm, more than any phone's GPS knows."""
    if value is None:
        return None
    return Decimal(str(value)).quantize(Decimal("0.000001"))


def _max_photos() -> int:
    from django.conf import settings

    return settings.SIKESAL_PHOTO_MAX_COUNT


def _resolve_location(location: Location) -> tuple[int | None, int | None]:
    """The ids of the kelurahan and kecamatan of the point, else of the chosen kelurahan.

    A point outside Kota Jambi is refused; with no point, a kelurahan must be chosen. The
    point is placed by the process's region index, which knows the ids: no query.
    """
    from sikesal.agencies.geo import locate

    if location.latitude is not None and location.longitude is not None:
        found = locate(float(location.latitude), float(location.longitude))
        if found is None:
            raise ValidationError(
                {
                    "latitude": _(
                        "Titik ini di luar %(city)s. SIKESAL menangani pengaduan "
                        "tentang layanan %(government)s."
                    )
                    % {"city": city().name, "government": city().government}
                }
            )
        return found.kelurahan.id, found.kecamatan.id
    if location.kelurahan is None:
        raise ValidationError(
            {"kelurahan": _("Tandai lokasi di peta atau pilih kelurahan tempat kejadian.")}
        )
    return location.kelurahan.pk, location.kelurahan.parent_id


# A key of at most 18 digits always fits the database's 64-bit integer.
PHOTO_ID_MAX_DIGITS = 18


def photo_stage(
    *, upload: UploadedFile, uploaded_by: User, now: datetime | None = None
) -> ComplaintPhoto:
    """Check one upload cheaply and keep it as received until its form is submitted; the
    worker re-encodes it (`photo_prepare`) once this transaction commits.

    Raises ValidationError (Indonesian message) for anything that is not a JPEG, PNG or
    WebP within the size and pixel limits by its header (`images.check_upload`); nothing
    is stored then. A person who has uploaded `SIKESAL_PHOTO_MAX_PER_HOUR` photos in the
    past hour is refused (code `photo_rate_limited`) before the file is even read. The
    photo is PENDING, shown to no one, until the worker has made it READY.
    """
    _photo_rate_check(uploaded_by, now or timezone.now())
    received = check_upload(upload)
    photo = ComplaintPhoto(
        uploaded_by=uploaded_by,
        original_name=received.original_name,
        width=received.width,
        height=received.height,
        state=PhotoState.PENDING,
        created_at=timezone.now(),
    )
    try:
        photo.received.save("received", ContentFile(received.data), save=False)
        photo.save()
    except BaseException:
        # A file with no row is reachable by no one and deleted by nothing: remove it.
        _delete_files(photo.received)
        raise
    from sikesal.complaints.tasks import prepare_photo

    # robust: the upload is stored whatever happens to the queue; the sweep
    # (complaints.prepare_pending_photos) picks up a photo whose task was lost.
    transaction.on_commit(lambda: prepare_photo.enqueue(photo.pk), robust=True)
    return photo


def photo_prepare(*, photo_id: int) -> str:
    """Re-encode a PENDING photo without metadata, with its thumbnail, and mark it READY;
    or FAILED with the reason when it is not a sound photo after all. Returns the state
    it left the photo in ("" when there was nothing to do: done already, or deleted).

    Idempotent and safe to race (the task and the sweep): the state moves from PENDING
    with a conditional UPDATE, and the loser removes the files it wrote.
    """
    photo = ComplaintPhoto.objects.filter(pk=photo_id, state=PhotoState.PENDING).first()
    if photo is None:
        return ""
    try:
        with photo.received.open("rb") as received:
            processed = process_photo(File(received, name=photo.original_name))
    except ValidationError as refusal:
        return _photo_failed(photo, refusal.messages[0])
    except FileNotFoundError:
        return _photo_failed(photo, _("Berkas foto hilang sebelum diproses."))
    photo.image.save("photo.jpg", processed.image, save=False)
    photo.thumbnail.save("thumb.jpg", processed.thumbnail, save=False)
    taken = ComplaintPhoto.objects.filter(pk=photo.pk, state=PhotoState.PENDING).update(
        state=PhotoState.READY,
        image=photo.image.name,
        thumbnail=photo.thumbnail.name,
        width=processed.width,
        height=processed.height,
        received="",
    )
    if not taken:
        # Prepared by another run meanwhile, or deleted: these copies are nobody's.
        _delete_files(photo.image, photo.thumbnail)
        return ""
    _delete_files(photo.received)
    if photo.complaint_id:
        # The photo now shows on its complaint's public page (and its list thumbnail).
        tracking_number = Complaint.objects.values_list("tracking_number", flat=True).get(
            pk=photo.complaint_id
        )
        public_pages_changed(COMPLAINTS, complaint_topic(tracking_number))
    return PhotoState.READY


def _photo_failed(photo: ComplaintPhoto, reason: str) -> str:
    taken = ComplaintPhoto.objects.filter(pk=photo.pk, state=PhotoState.PENDING).update(
        state=PhotoState.FAILED, failure=reason[:255], received=""
    )
    if not taken:
        return ""
    # What was received and refused is kept nowhere: it may carry anything.
    _delete_files(photo.received)
    return PhotoState.FAILED


def _delete_files(*files) -> None:
    for field_file in files:
        if field_file.name:
            # A failure that brought us here is the one to report, not this one.
            with contextlib.suppress(OSError):
                field_file.delete(save=False)


def _photo_rate_check(user: User, now: datetime) -> None:
    """Refuse one more upload to someone at the hourly limit (attached photos count too).

    Two uploads racing at the limit may both pass: the bound is on the cost of decoding,
    and one photo over it is harmless.
    """
    limit = settings.SIKESAL_PHOTO_MAX_PER_HOUR
    recent = ComplaintPhoto.objects.filter(
        uploaded_by=user, created_at__gt=now - timedelta(hours=1)
    )
    if recent.count() >= limit:
        raise ValidationError(
            _(
                "Terlalu banyak foto diunggah dalam satu jam terakhir (paling banyak %(limit)d). "
                "Coba lagi nanti."
            ),
            code="photo_rate_limited",
            params={"limit": limit},
        )


def staged_photos(*, user: User, ids) -> list[ComplaintPhoto]:
    """The user's own staged (not yet attached) photos among `ids`, in upload order.

    `ids` come from a form: anything but a plain id (other scripts' digits such as "²",
    more digits than a database key holds) is ignored.
    """
    clean_ids = [int(text) for text in map(str, ids) if _is_photo_id(text)]
    return list(
        ComplaintPhoto.objects.filter(
            pk__in=clean_ids, uploaded_by=user, complaint__isnull=True
        ).order_by("created_at", "pk")
    )


def _is_photo_id(text: str) -> bool:
    # 18 digits always fit the 64-bit key; str.isdigit alone also accepts "²" or Arabic digits.
    return text.isascii() and text.isdigit() and len(text) <= PHOTO_ID_MAX_DIGITS


def reporter_identity(*, complaint: Complaint, user: User, purpose: str) -> User:
    """The reporter, shown to a Secretariat officer; every look is logged (UU 27/2022 Pasal 31).

    Agency staff never get it for an anonymous complaint; callers check `can_see_identity`.
    """
    IdentityAccess.objects.create(complaint=complaint, user=user, purpose=purpose[:200])
    return complaint.reporter
