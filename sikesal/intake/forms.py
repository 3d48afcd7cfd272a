"""The assisted-intake form: /lapor/'s complaint form, plus who took it where and how, and
who complains.

Every rule has one home: the complaint's fields are `ComplaintForm`'s, the identity's
`reporters.reporter_identity_errors` (Pasal 7), the date received
`services.received_on_problem`; this form only gathers them so that the officer sees
every mistake at once.
"""

from datetime import date
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from sikesal.complaints.forms import ComplaintForm, summary_of, today
from sikesal.complaints.models import Channel
from sikesal.intake import reporters
from sikesal.intake.services import INTAKE_CHANNELS, Desk, received_on_problem

# reporter_identity_errors' keys → the fields that show them.
IDENTITY_FIELDS = {"name": "name", "contact": "phone", "email": "email", "phone": "phone"}


class IntakeForm(ComplaintForm):
    """A complaint entered by an officer on a citizen's behalf. The letter's scan, like the
    photos, is staged by the view before the form is checked."""

    desk = forms.ChoiceField(
        label=_("Dicatat di"),
        required=False,  # an officer with one desk is not asked
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Pilih tempat pengaduan diterima.")},
    )
    channel = forms.ChoiceField(
        label=_("Saluran"),
        choices=[(channel.value, channel.label) for channel in INTAKE_CHANNELS],
        initial=Channel.WALK_IN,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Pilih saluran pengaduan."),
            "invalid_choice": _("Pilih saluran pengaduan."),
        },
    )
    received_on = forms.DateField(
        label=_("Tanggal diterima"),
        input_formats=["%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_(
            "Hari pengaduan sampai kepada petugas (misalnya tanggal surat diterima). Batas "
            "waktu penanganan dihitung sejak tanggal ini."
        ),
        error_messages={
            "required": _("Isi tanggal pengaduan diterima."),
            "invalid": _("Tulis tanggal seperti 17/08/2025."),
        },
    )
    name = forms.CharField(
        label=_("Nama lengkap pelapor"),
        required=False,
        max_length=200,
        help_text=_("Sesuai identitas yang disebutkan pelapor (Pasal 7)."),
    )
    phone = forms.CharField(
        label=_("Nomor ponsel pelapor"),
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
        help_text=_(
            "Nomor ponsel atau email, sedikitnya salah satu. Bacakan kembali kepada pelapor: "
            "nomor pelacakan dikirim ke sini lewat SMS."
        ),
    )
    email = forms.CharField(
        label=_("Email pelapor"),
        required=False,
        max_length=320,
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    letter_scan = forms.FileField(
        label=_("Pindaian surat"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,image/jpeg,image/png"}),
    )

    field_order = ["desk", "channel", "received_on", "name", "phone", "email", "letter_scan"]

    def __init__(self, *args: Any, desks: list[Desk], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.desks = {desk.value: desk for desk in desks}
        self.fields["desk"].choices = [(desk.value, desk.label) for desk in desks]
        self.fields["desk"].initial = desks[0].value if desks else None
        self.fields["received_on"].initial = today
        self.fields["received_on"].widget.attrs["max"] = today().isoformat()
        self.fields["letter_scan"].help_text = _(
            "Untuk pengaduan melalui surat, tidak wajib: PDF, JPEG atau PNG, paling besar "
            "%(megabytes)d MB. Hanya petugas yang boleh melihat identitas pelapor yang dapat "
            "membukanya."
        ) % {"megabytes": settings.SIKESAL_LETTER_SCAN_MAX_BYTES // (1024 * 1024)}

    @property
    def single_desk(self) -> bool:
        return len(self.desks) == 1

    def clean_desk(self) -> str:
        desk = self.cleaned_data.get("desk") or ""
        if not desk and self.single_desk:
            return next(iter(self.desks))
        if desk not in self.desks:
            raise ValidationError(_("Pilih tempat pengaduan diterima."), code="required")
        return desk

    def clean_received_on(self) -> date:
        received_on = self.cleaned_data["received_on"]
        if problem := received_on_problem(received_on):
            raise ValidationError(problem, code="received_on")
        return received_on

    def clean_letter_scan(self) -> None:
        # Staged by the view (`services.letter_scan_stage`); the field only carries errors.
        return None

    def clean(self) -> dict:
        cleaned = super().clean()
        errors = reporters.reporter_identity_errors(
            full_name=cleaned.get("name", ""),
            email=cleaned.get("email", ""),
            mobile=cleaned.get("phone", ""),
        )
        for key, message in errors.items():
            field = IDENTITY_FIELDS[key]
            if not self.has_error(field):
                self.add_error(field, message)
        return cleaned

    def desk_chosen(self) -> Desk:
        return self.desks[self.cleaned_data["desk"]]

    def intake_fields(self) -> dict[str, Any]:
        """The filled form as `services.complaint_intake`'s arguments (but the officer, the
        photos, the scan and the submission token)."""
        data = self.cleaned_data
        return {
            "desk": self.desk_chosen(),
            "channel": data["channel"],
            "received_on": data["received_on"],
            "full_name": data["name"],
            "email": data["email"],
            "mobile": data["phone"],
            **self.submission_fields(),
        }

    def error_summary(self) -> list[tuple[str, str]]:
        return summary_of(self, location_anchor=self["kelurahan"].id_for_label)
