"""Forms of the staff console (/staf/): the queue's filters and one form per workflow action.

The forms only parse input; `workflow.transition` decides what is allowed and validates the
payload. Its per-field `ValidationError`s come back onto these forms (`add_workflow_errors`),
so the officer sees them beside the field and keeps what was typed.
"""

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from sikesal.agencies.models import Agency, Category, Region
from sikesal.complaints import selectors
from sikesal.complaints.access import oversees_all
from sikesal.complaints.models import (
    ACTIVE_ASSIGNMENT_STATUSES,
    Complaint,
    DeclineReason,
    Referral,
    Status,
)
from sikesal.complaints.selectors import ALL, OPEN, QUEUE, RETURNED
from sikesal.complaints.workflow import STAFF_ACTIONS, Route
from sikesal.core.city import city_government

SEARCH_MAX_LENGTH = 100
NOTE_MAX_LENGTH = 4000


def _with_all(choices, label=None) -> list[tuple[str, str]]:
    return [("", label or _("Semua")), *choices]


class QueueFilterForm(forms.Form):
    """The queue's filters (GET). An unknown value is ignored rather than an error."""

    q = forms.CharField(
        label=_("Cari judul, uraian, alamat atau nomor pelacakan"),
        required=False,
        max_length=SEARCH_MAX_LENGTH,
        widget=forms.SearchInput(attrs={"autocomplete": "off"}),
    )
    status = forms.ChoiceField(label=_("Status"), required=False)
    category = forms.ChoiceField(label=_("Kategori"), required=False)
    kecamatan = forms.ChoiceField(label=_("Kecamatan"), required=False)
    agency = forms.ChoiceField(label=_("OPD"), required=False)
    overdue = forms.BooleanField(label=_("Hanya yang lewat batas waktu"), required=False)

    def __init__(self, *args, agency_mode: bool, agency_choices=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.agency_mode = agency_mode
        if agency_mode:
            self.fields["status"].choices = [
                ("", _("Semua penyaluran aktif")),
                (OPEN, _("Belum dijawab")),
                *((s.value, s.label) for s in ACTIVE_ASSIGNMENT_STATUSES),
            ]
        else:
            self.fields["status"].choices = [
                (QUEUE, _("Antrean Sekretariat")),
                (OPEN, _("Semua yang masih berjalan")),
                (RETURNED, _("Dikembalikan OPD")),
                *Status.choices,
                (ALL, _("Semua status")),
            ]
        self.fields["category"].choices = _with_all(
            Category.objects.filter(is_active=True).values_list("code", "name")
        )
        self.fields["kecamatan"].choices = _with_all(
            Region.objects.filter(level=Region.Level.KECAMATAN)
            .order_by("name")
            .values_list("code", "name")
        )
        if agency_choices is None:
            agency_choices = (
                Agency.objects.filter(is_active=True).order_by("name").values_list("code", "name")
            )
        agency_choices = list(agency_choices)
        if agency_mode and len(agency_choices) < 2:
            # One agency: nothing to choose.
            del self.fields["agency"]
        else:
            self.fields["agency"].choices = _with_all(agency_choices)

    def filters(self) -> dict:
        """The valid, non-empty filters (after `is_valid`); invalid ones are dropped."""
        if not self.is_bound:
            return {}
        self.is_valid()
        cleaned = getattr(self, "cleaned_data", {})
        return {
            name: value.strip() if isinstance(value, str) else value
            for name, value in cleaned.items()
            if value and (not isinstance(value, str) or value.strip())
        }


def queue_filter_form(user, data=None) -> QueueFilterForm:
    """The queue's filter form as `user` gets it (the console's queue and CSV, the API's
    queue): complaints for the Secretariat and executives, the assignments of the user's
    agencies for agency staff. `data`: the GET parameters (None: unbound)."""
    on_complaints = oversees_all(user)
    agency_choices = None
    if not on_complaints:
        agency_choices = selectors.staff_agencies(user).values_list("code", "name")
    return QueueFilterForm(data, agency_mode=not on_complaints, agency_choices=agency_choices)


# --- action forms -------------------------------------------------------------------------


def add_workflow_errors(form: forms.Form, error: ValidationError) -> None:
    """Put the workflow's ValidationError on `form`: its own fields, else the form as a whole."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, errors in error.error_dict.items():
        field = name if name in form.fields and name != NON_FIELD_ERRORS else None
        for item in errors:
            form.add_error(field, item)


class NoteField(forms.CharField):
    def __init__(self, *, label, required=False, rows=4, help_text="") -> None:
        super().__init__(
            label=label,
            required=required,
            max_length=NOTE_MAX_LENGTH,
            help_text=help_text,
            widget=forms.Textarea(attrs={"rows": rows}),
        )


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Several photos in one input; each is checked and re-encoded by `photo_stage`."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault(
            "widget",
            MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
        )
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class ActionForm(forms.Form):
    """Base of the action forms: `payload()` is what `transition` gets besides the note."""

    note = NoteField(label=_("Catatan"))
    # The note comes last (after what it explains) unless a form says otherwise.
    note_first = False

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not self.note_first:
            self.order_fields([name for name in self.fields if name != "note"] + ["note"])

    def payload(self) -> dict:
        return {}


class ReviewForm(ActionForm):
    note = NoteField(label=_("Catatan (tidak wajib)"), rows=2)


class ClarificationForm(ActionForm):
    note = NoteField(
        label=_("Pertanyaan untuk pelapor"),
        required=True,
        help_text=_("Pelapor menerima pertanyaan ini; jam tenggat berhenti sampai ia menjawab."),
    )


class DeclineForm(ActionForm):
    reason = forms.ChoiceField(
        label=_("Alasan"), choices=DeclineReason.choices, widget=forms.RadioSelect
    )
    duplicate_of = forms.CharField(
        label=_("Nomor pelacakan pengaduan asli"),
        required=False,
        max_length=20,
        help_text=_("Hanya untuk alasan duplikat, mis. SKL-7K3QX9."),
    )
    referral = forms.ChoiceField(
        label=_("Disarankan ke"),
        required=False,
        choices=_with_all(Referral.choices, label="—"),
        help_text=format_lazy(
            _("Hanya untuk pengaduan yang bukan kewenangan {government}."),
            government=city_government(),
        ),
    )
    note = NoteField(
        label=_("Pesan untuk pelapor"),
        required=True,
        help_text=_("Pelapor membaca pesan ini beserta alasannya."),
    )

    def clean(self):
        cleaned = super().clean()
        number = (cleaned.get("duplicate_of") or "").strip().upper()
        cleaned["duplicate_of"] = None
        if cleaned.get("reason") == DeclineReason.DUPLICATE and number:
            original = Complaint.objects.filter(tracking_number=number).first()
            if original is None:
                self.add_error("duplicate_of", _("Tidak ada pengaduan dengan nomor pelacakan itu."))
            cleaned["duplicate_of"] = original
        return cleaned

    def payload(self) -> dict:
        data = self.cleaned_data
        return {
            "reason": data["reason"],
            "duplicate_of": data.get("duplicate_of"),
            "referral": data.get("referral") or "",
        }


def routable_agencies():
    return Agency.objects.filter(is_active=True).order_by("name")


class RouteForm(ActionForm):
    """Routing as a whole; the agencies come from `RouteAgencyFormSet`.

    `lead` is the index of the formset row whose agency leads (a radio button in each row).
    """

    lead = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)
    note = NoteField(label=_("Catatan (tidak wajib)"), rows=2)


class RouteAgencyForm(forms.Form):
    agency = forms.ChoiceField(label=_("OPD"), required=False)
    instructions = forms.CharField(
        label=_("Arahan untuk OPD ini"),
        required=False,
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class BaseRouteAgencyFormSet(forms.BaseFormSet):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # One query for the choices of every row, not one per row.
        agencies = list(routable_agencies())
        choices = [("", "—"), *((a.code, a.name) for a in agencies)]
        for form in self.forms:
            form.fields["agency"].choices = choices
        self.agencies = {a.code: a for a in agencies}

    def routes(self, lead: int | None) -> list[Route]:
        """The filled rows as workflow routes, the `lead`-th row leading."""
        return [
            Route(
                agency=self.agencies[form.cleaned_data["agency"]],
                is_lead=index == lead,
                instructions=form.cleaned_data.get("instructions", ""),
            )
            for index, form in enumerate(self.forms)
            if form.cleaned_data.get("agency")
        ]


# Three rows on a fresh form (the first preselected); "Tambah baris OPD" adds more.
RouteAgencyFormSet = forms.formset_factory(
    RouteAgencyForm, formset=BaseRouteAgencyFormSet, extra=2, max_num=10, absolute_max=10
)


class ChangeCategoryForm(ActionForm):
    category = forms.ModelChoiceField(
        label=_("Kategori baru"),
        queryset=Category.objects.filter(is_active=True),
        to_field_name="code",
        empty_label="—",
    )
    note = NoteField(label=_("Catatan internal (tidak wajib)"), rows=2)

    def payload(self) -> dict:
        return {"category": self.cleaned_data["category"]}


class InternalNoteForm(ActionForm):
    note = NoteField(
        label=_("Catatan internal"),
        required=True,
        help_text=_("Hanya dibaca petugas; pelapor dan publik tidak melihatnya."),
    )


class AcceptForm(ActionForm):
    note = NoteField(label=_("Catatan (tidak wajib)"), rows=2)


class UpdateForm(ActionForm):
    note_first = True
    note = NoteField(label=_("Perkembangan tindak lanjut"), required=True)
    public = forms.TypedChoiceField(
        label=_("Terlihat oleh"),
        choices=[
            ("1", _("Pelapor dan publik")),
            ("0", _("Internal (hanya petugas)")),
        ],
        coerce=lambda value: value == "1",
        initial="1",
        widget=forms.RadioSelect,
    )
    photos = PhotosField(label=_("Foto (tidak wajib)"))

    def payload(self) -> dict:
        return {"public": self.cleaned_data["public"]}


class ReturnForm(ActionForm):
    note = NoteField(
        label=_("Alasan pengembalian"),
        required=True,
        help_text=_("Mis. bukan kewenangan OPD ini; sebutkan OPD yang tepat bila tahu."),
    )


class RespondForm(ActionForm):
    note_first = True
    note = NoteField(
        label=_("Hasil penanganan"),
        required=True,
        rows=6,
        help_text=_("HASIL PENANGANAN untuk pelapor; juga dimuat di rekap bulanan."),
    )
    photos = PhotosField(label=_("Foto hasil (tidak wajib)"))


class IdentityForm(forms.Form):
    """Why the reporter's identity is opened: kept with every look (UU 27/2022 Pasal 31)."""

    purpose = forms.CharField(
        label=_("Keperluan"),
        max_length=200,
        help_text=_("Mis. menghubungi pelapor untuk memastikan lokasi. Setiap akses dicatat."),
    )


# action name → form, for every one of `workflow.STAFF_ACTIONS` (in that order): the staff
# console's panels and the API's actions parse their input with these.
ACTION_FORMS: dict[str, type[ActionForm]] = {
    "review": ReviewForm,
    "request_clarification": ClarificationForm,
    "decline": DeclineForm,
    "route": RouteForm,
    "change_category": ChangeCategoryForm,
    "note": InternalNoteForm,
    "accept": AcceptForm,
    "update": UpdateForm,
    "return": ReturnForm,
    "respond": RespondForm,
}
assert tuple(ACTION_FORMS) == STAFF_ACTIONS, "one form per staff action, in the same order"
