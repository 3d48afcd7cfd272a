"""Forms of the citizen's complaint pages: parse and check what was typed, nothing more.

The rules live in `services.complaint_submit` and `workflow.transition`; these forms add
only what lets a citizen see every mistake at once (lengths, a date not in the future, a
place given one way or another). Service errors come back onto the form through
`add_service_errors`.
"""

import secrets
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from itertools import groupby
from operator import attrgetter
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.forms.models import ModelChoiceIterator
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from sikesal.agencies.models import Category, Region
from sikesal.complaints.models import (
    DESCRIPTION_MAX_LENGTH,
    Complaint,
    ComplaintPhoto,
    ReportType,
)

# UU 25/2009: a complaint is lodged within 30 days of the service; later ones are still
# accepted here, with a warning.
LATE_REPORT_DAYS = 30
PHOTO_ACCEPT = "image/jpeg,image/png,image/webp"

# What a draft keeps, and the most of each it keeps (a draft is never validated, so it is
# bounded here instead).
DRAFT_TEXT_FIELDS = {
    "report_type": 20,
    "category": 12,
    "title": 300,
    "description": 2 * DESCRIPTION_MAX_LENGTH,
    "event_date": 20,
    "latitude": 20,
    "longitude": 20,
    "kelurahan": 12,
    "address": 500,
}
DRAFT_FLAG_FIELDS = ("is_confidential", "is_anonymous")

# /lapor/ shows the categories most complaints of the last year were filed in first, the
# rest behind "Kategori lain" with a filter: a phone screen, not nine.
FREQUENT_CATEGORIES = 6
FREQUENT_CATEGORIES_DAYS = 365


def frequent_category_ids(limit: int = FREQUENT_CATEGORIES) -> list[int]:
    """The active categories with the most complaints submitted in the last year, most
    first; filled up in the categories' own order when fewer were used (a new site)."""
    since = timezone.now() - timedelta(days=FREQUENT_CATEGORIES_DAYS)
    used = list(
        Complaint.objects.filter(submitted_at__gte=since, category__is_active=True)
        .values("category")
        .annotate(complaints=Count("pk"))
        .order_by("-complaints", "category__sort_order", "category__name")
        .values_list("category", flat=True)[:limit]
    )
    if len(used) < limit:
        used += list(
            Category.objects.filter(is_active=True)
            .exclude(pk__in=used)
            .values_list("pk", flat=True)[: limit - len(used)]
        )
    return used


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Show a service's ValidationError on `form`: under the field it names when the form
    has that field, at the top otherwise."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, field_errors in error.error_dict.items():
        form.add_error(field if field in form.fields else None, field_errors)


class LongTextField(forms.CharField):
    """Free text whose line breaks count as one character each, as the browser's counter
    (and `maxlength`) count them; browsers send them as CR LF."""

    def to_python(self, value: Any) -> str:
        value = super().to_python(value)
        return value.replace("\r\n", "\n").replace("\r", "\n")

    def widget_attrs(self, widget: forms.Widget) -> dict:
        attrs = super().widget_attrs(widget)
        # A counter warns instead: `maxlength` would silently cut a pasted text short.
        attrs.pop("maxlength", None)
        return attrs


class CoordinateField(forms.DecimalField):
    """A latitude or longitude from the map (a hidden input), rounded to six decimals."""

    widget = forms.HiddenInput

    def to_python(self, value: Any) -> Decimal | None:
        value = super().to_python(value)
        if value is None:
            return None
        try:
            return value.quantize(Decimal("0.000001"))
        except InvalidOperation:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None


class KelurahanChoiceIterator(ModelChoiceIterator):
    """Kelurahan grouped by kecamatan (an <optgroup> each), both in alphabetical order."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        queryset = self.queryset.select_related("parent").order_by("parent__name", "name")
        for kecamatan, kelurahan in groupby(queryset, key=attrgetter("parent")):
            yield (kecamatan.name if kecamatan else "", [self.choice(k) for k in kelurahan])


class KelurahanField(forms.ModelChoiceField):
    iterator = KelurahanChoiceIterator

    def label_from_instance(self, obj: Region) -> str:
        return obj.name


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.Field):
    """The file input of photos sent with the form when JavaScript is off.

    The view stages the files itself (`services.photo_stage`) before the form is validated,
    so that one bad photo never loses the others; this field only renders the input and
    carries the photo errors.
    """

    widget = MultipleFileInput

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", _("Foto"))
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("accept", PHOTO_ACCEPT)

    def clean(self, value: Any) -> None:
        return None


def photo_help() -> str:
    return gettext(
        "Tidak wajib. Paling banyak %(count)d foto JPEG, PNG atau WebP, masing-masing paling "
        "besar %(megabytes)d MB. Lokasi dan data kamera di dalam foto dihapus."
    ) % {
        "count": settings.SIKESAL_PHOTO_MAX_COUNT,
        "megabytes": settings.SIKESAL_PHOTO_MAX_BYTES // (1024 * 1024),
    }


def today() -> date:
    return timezone.localdate()


class ComplaintForm(forms.Form):
    """/lapor/: a new complaint. Photos are staged separately (see `PhotosField`)."""

    report_type = forms.ChoiceField(
        label=_("Jenis laporan"),
        choices=ReportType.choices,
        initial=ReportType.COMPLAINT,
        widget=forms.RadioSelect,
        error_messages={"required": _("Pilih jenis laporan.")},
    )
    category = forms.ModelChoiceField(
        label=_("Kategori"),
        queryset=Category.objects.filter(is_active=True),
        empty_label=None,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Pilih kategori."),
            "invalid_choice": _("Kategori ini tidak tersedia lagi; pilih yang lain."),
        },
    )
    title = forms.CharField(
        label=_("Judul"),
        max_length=150,
        help_text=_("Singkat dan jelas, misalnya: Jalan berlubang di depan SD Negeri 47."),
        error_messages={"required": _("Tuliskan judul pengaduan.")},
    )
    description = LongTextField(
        label=_("Uraian"),
        max_length=DESCRIPTION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "Apa yang terjadi, sejak kapan, dan apa yang Anda harapkan. Paling banyak "
            "4.000 karakter."
        ),
        error_messages={
            "required": _("Tuliskan uraian pengaduan."),
            "max_length": _(
                "Uraian paling banyak %(limit_value)d karakter; sekarang %(show_value)d. "
                "Ringkas uraian Anda."
            ),
        },
    )
    event_date = forms.DateField(
        label=_("Tanggal kejadian atau layanan"),
        required=False,
        input_formats=["%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Tidak wajib. Bila tidak ada pemilih tanggal, tulis seperti 17/08/2025."),
        error_messages={"invalid": _("Tulis tanggal seperti 17/08/2025.")},
    )
    latitude = CoordinateField(label=_("Lintang"), required=False, min_value=-90, max_value=90)
    longitude = CoordinateField(label=_("Bujur"), required=False, min_value=-180, max_value=180)
    kelurahan = KelurahanField(
        label=_("Kelurahan"),
        queryset=Region.objects.filter(level=Region.Level.KELURAHAN),
        required=False,
        empty_label=_("Pilih kelurahan"),
        help_text=_("Wajib bila titik lokasi tidak ditandai di peta."),
        error_messages={"invalid_choice": _("Pilih kelurahan dari daftar.")},
    )
    address = forms.CharField(
        label=_("Alamat atau patokan"),
        max_length=255,
        required=False,
        help_text=_("Misalnya: Jl. Sultan Thaha, depan Pasar Angso Duo."),
    )
    photos = PhotosField()
    is_confidential = forms.BooleanField(
        label=_("Rahasiakan pengaduan ini"),
        required=False,
        help_text=_("Pengaduan tidak ditampilkan di halaman publik; tetap ditangani petugas."),
    )
    is_anonymous = forms.BooleanField(
        label=_("Kirim sebagai anonim"),
        required=False,
        help_text=_(
            "Nama dan kontak Anda disembunyikan dari OPD; Sekretariat Pengaduan tetap melihatnya."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["photos"].help_text = photo_help()
        day = today()
        self.fields["event_date"].widget.attrs.update(
            {"max": day.isoformat(), "data-late-before": self.late_before().isoformat()}
        )

    def category_choices(self) -> dict[str, Any]:
        """The category's radio buttons split for the page: `frequent` (most used first),
        `others` (in the categories' order), and `others_open` when the chosen one is among
        the others (a draft, or a form sent back with errors)."""
        frequent_ids = frequent_category_ids()
        radios = {radio.data["value"].value: radio for radio in self["category"]}
        frequent = [radios[pk] for pk in frequent_ids if pk in radios]
        others = [radio for pk, radio in radios.items() if pk not in frequent_ids]
        chosen = str(self["category"].value() or "")
        return {
            "frequent": frequent,
            "others": others,
            "others_open": any(str(radio.data["value"].value) == chosen for radio in others),
        }

    @staticmethod
    def late_before() -> date:
        """Events before this date are more than LATE_REPORT_DAYS old."""
        return today() - timedelta(days=LATE_REPORT_DAYS)

    def clean_event_date(self) -> date | None:
        event_date = self.cleaned_data.get("event_date")
        if event_date and event_date > today():
            raise ValidationError(
                _("Tanggal kejadian tidak boleh di masa depan."), code="future_date"
            )
        return event_date

    def clean(self) -> dict:
        cleaned = super().clean()
        latitude, longitude = cleaned.get("latitude"), cleaned.get("longitude")
        if (latitude is None) != (longitude is None) and not self.has_error("latitude"):
            self.add_error("latitude", _("Titik lokasi tidak lengkap; tandai ulang di peta."))
        elif (
            latitude is None
            and not cleaned.get("kelurahan")
            and not self.has_error("kelurahan")
            and not self.has_error("latitude")
            and not self.has_error("longitude")
        ):
            # complaint_submit says the same; saying it now shows it with the other errors.
            self.add_error(
                "kelurahan", _("Tandai lokasi di peta atau pilih kelurahan tempat kejadian.")
            )
        return cleaned

    def submission_fields(self) -> dict[str, Any]:
        """The filled form as `services.complaint_submission`'s arguments (the /lapor/ page
        and the API file through the same mapping)."""
        from sikesal.complaints.services import Location

        data = self.cleaned_data
        return {
            "report_type": data["report_type"],
            "category": data["category"],
            "title": data["title"],
            "description": data["description"],
            "event_date": data["event_date"],
            "location": Location(
                latitude=data["latitude"],
                longitude=data["longitude"],
                kelurahan=data["kelurahan"],
                address=data["address"],
            ),
            "is_confidential": data["is_confidential"],
            "is_anonymous": data["is_anonymous"],
        }

    @property
    def is_late(self) -> bool:
        """Whether the event date shown is more than LATE_REPORT_DAYS ago (a warning only)."""
        value = self["event_date"].value()
        if isinstance(value, str):
            try:
                value = self.fields["event_date"].to_python(value)
            except ValidationError:
                return False
        return isinstance(value, date) and value < self.late_before()

    def error_summary(self) -> list[tuple[str, str]]:
        """(anchor id, text) of every error, for the summary at the top of the page."""
        return summary_of(self, location_anchor=self["kelurahan"].id_for_label)

    # The description's character counter, as complaint-form.js shows it (no layout shift
    # when the script takes over).
    description_limit = DESCRIPTION_MAX_LENGTH

    def _description_length(self) -> int:
        value = self["description"].value() or ""
        return len(str(value).replace("\r\n", "\n"))

    @property
    def description_over(self) -> bool:
        return self._description_length() > DESCRIPTION_MAX_LENGTH

    @property
    def description_counter(self) -> str:
        left = DESCRIPTION_MAX_LENGTH - self._description_length()
        message = (
            gettext("Sisa {count} karakter.")
            if left >= 0
            else gettext("Kelebihan {count} karakter.")
        )
        return message.format(count=number_format(abs(left), force_grouping=True))


def summary_of(form: forms.Form, *, location_anchor: str = "") -> list[tuple[str, str]]:
    items = [("", str(error)) for error in form.non_field_errors()]
    for field in form:
        if not field.errors:
            continue
        if field.name in ("latitude", "longitude"):
            # Hidden inputs cannot take focus: point at the rest of the location picker.
            anchor, label = location_anchor, _("Lokasi kejadian")
        elif field.field.widget.use_fieldset:
            anchor, label = f"{field.auto_id}_0", field.label
        else:
            anchor, label = field.id_for_label, field.label
        items.extend((anchor, f"{label}: {error}") for error in field.errors)
    return items


def draft_data(post, photos: list[ComplaintPhoto]) -> dict:
    """What a draft keeps of a /lapor/ submission: the raw text of each field (bounded),
    the two privacy choices and the staged photos' ids. Nothing is validated."""
    data: dict[str, Any] = {
        name: str(post.get(name, ""))[:limit].strip() for name, limit in DRAFT_TEXT_FIELDS.items()
    }
    data.update({name: bool(post.get(name)) for name in DRAFT_FLAG_FIELDS})
    data["photo_ids"] = [photo.pk for photo in photos]
    return {key: value for key, value in data.items() if value not in ("", False, [])}


def new_submission_token() -> str:
    """A /lapor/ form's submission token: sending the form twice with it files one complaint
    (`complaint_submit`'s `idempotency_key`)."""
    return secrets.token_urlsafe(24)


def draft_initial(data: dict) -> dict:
    """Initial values of a ComplaintForm from draft data."""
    allowed = set(DRAFT_TEXT_FIELDS) | set(DRAFT_FLAG_FIELDS)
    return {key: value for key, value in data.items() if key in allowed}


# --- what the citizen does on /saya/<tracking>/ --------------------------------------------


class CitizenActionForm(forms.Form):
    """The form of one of the citizen's actions; `payload` is what `transition` takes."""

    def payload(self, photos: list[ComplaintPhoto]) -> dict[str, Any]:
        return {}

    def error_summary(self) -> list[tuple[str, str]]:
        return summary_of(self)


class AnswerClarificationForm(CitizenActionForm):
    note = LongTextField(
        label=_("Jawaban Anda"),
        max_length=DESCRIPTION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": _("Tuliskan jawaban Anda.")},
    )
    photos = PhotosField()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["photos"].help_text = photo_help()

    def payload(self, photos: list[ComplaintPhoto]) -> dict[str, Any]:
        return {"photos": photos}


RATING_CHOICES = [
    (5, _("5: sangat puas")),
    (4, _("4: puas")),
    (3, _("3: cukup")),
    (2, _("2: tidak puas")),
    (1, _("1: sangat tidak puas")),
]


class RateForm(CitizenActionForm):
    rating = forms.TypedChoiceField(
        label=_("Penilaian Anda"),
        choices=RATING_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Beri penilaian 1 sampai 5.")},
    )
    note = LongTextField(
        label=_("Komentar"),
        required=False,
        max_length=DESCRIPTION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Tidak wajib."),
    )

    def payload(self, photos: list[ComplaintPhoto]) -> dict[str, Any]:
        return {"rating": self.cleaned_data["rating"]}


class ObjectForm(CitizenActionForm):
    note = LongTextField(
        label=_("Alasan keberatan"),
        max_length=DESCRIPTION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Apa yang belum selesai atau belum sesuai dengan tanggapan OPD?"),
        error_messages={"required": _("Tuliskan alasan keberatan Anda.")},
    )


ACTION_FORMS: dict[str, type[CitizenActionForm]] = {
    "answer_clarification": AnswerClarificationForm,
    "rate": RateForm,
    "object": ObjectForm,
}
