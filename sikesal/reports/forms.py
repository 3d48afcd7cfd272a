"""The filters of the monitoring page and the report downloads (GET forms)."""

from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from sikesal.agencies.models import Agency, Category, Region
from sikesal.complaints.models import Status
from sikesal.reports.figures import ReportFilter
from sikesal.reports.report import FIRST_YEAR, Semester

# About five years: enough for any report, and it bounds the work of one request.
MAX_PERIOD_DAYS = 5 * 366


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class ReportFilterForm(forms.Form):
    """A period (default: this year to today) and the optional filters of `ReportFilter`."""

    start = forms.DateField(label=_("Dari tanggal"), widget=DateInput())
    end = forms.DateField(label=_("Sampai tanggal"), widget=DateInput())
    agency = forms.ModelChoiceField(
        label=_("OPD"),
        queryset=Agency.objects.filter(is_active=True).order_by("name"),
        to_field_name="code",
        required=False,
        empty_label=_("Semua OPD"),
    )
    category = forms.ModelChoiceField(
        label=_("Kategori"),
        queryset=Category.objects.order_by("name"),
        to_field_name="code",
        required=False,
        empty_label=_("Semua kategori"),
    )
    kecamatan = forms.ModelChoiceField(
        label=_("Kecamatan"),
        queryset=Region.objects.filter(level="kecamatan").order_by("name"),
        to_field_name="code",
        required=False,
        empty_label=_("Semua kecamatan"),
    )
    status = forms.ChoiceField(
        label=_("Status sekarang"),
        choices=[("", _("Semua status")), *Status.choices],
        required=False,
    )

    def __init__(self, data=None, *, today: date, **kwargs) -> None:
        # Missing dates take their defaults, so a bare link shows this year.
        values = {"start": date(today.year, 1, 1).isoformat(), "end": today.isoformat()}
        if data is not None:
            values.update({key: value for key, value in data.items() if value})
        super().__init__(values, **kwargs)

    def clean(self) -> dict:
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end:
            if end < start:
                self.add_error("end", _("Tanggal akhir tidak boleh sebelum tanggal awal."))
            elif (end - start).days > MAX_PERIOD_DAYS:
                self.add_error("end", _("Periode paling panjang lima tahun."))
        return cleaned

    def report_filter(self) -> ReportFilter:
        """The filter of a valid form."""
        data = self.cleaned_data
        return ReportFilter(
            start=data["start"],
            end=data["end"],
            agency=data["agency"],
            category=data["category"],
            kecamatan=data["kecamatan"],
            status=data["status"],
        )


class LetterForm(forms.Form):
    """The Nomor and Perihal lines of a report letter. The number is given by the office's
    register of outgoing letters, so it is typed for each letter, not configured."""

    nomor = forms.CharField(
        label=_("Nomor surat"),
        max_length=100,
        required=False,
        help_text=_("Dari agenda surat keluar; kosongkan untuk diisi tangan."),
    )
    perihal = forms.CharField(
        label=_("Perihal"),
        max_length=200,
        required=False,
        help_text=_("Kosongkan untuk perihal bawaan sesuai jenis laporan."),
    )

    def letter(self) -> dict[str, str]:
        """`report_pdf`'s keyword arguments of a valid form."""
        return {
            "number": self.cleaned_data.get("nomor", ""),
            "subject": self.cleaned_data.get("perihal", ""),
        }


class SemesterForm(LetterForm):
    """A semester that has begun (a semester in progress is reported up to today)."""

    year = forms.IntegerField(label=_("Tahun"), min_value=FIRST_YEAR)
    semester = forms.TypedChoiceField(
        label=_("Semester"),
        coerce=int,
        choices=[(1, _("Semester I (Januari-Juni)")), (2, _("Semester II (Juli-Desember)"))],
    )

    field_order = ["year", "semester", "nomor", "perihal"]

    def __init__(self, *args, today: date, **kwargs) -> None:
        self.today = today
        kwargs.setdefault("initial", _default_semester(today))
        super().__init__(*args, **kwargs)
        self.fields["year"].widget.attrs["max"] = today.year

    def clean(self) -> dict:
        cleaned = super().clean()
        year, number = cleaned.get("year"), cleaned.get("semester")
        if year and number:
            if year > self.today.year or Semester(year, number).first_day > self.today:
                self.add_error("semester", _("Semester ini belum dimulai."))
            else:
                cleaned["period"] = Semester(year, number)
        return cleaned


def _default_semester(today: date) -> dict:
    """The last semester that has ended."""
    if today.month >= 7:
        return {"year": today.year, "semester": 1}
    return {"year": today.year - 1, "semester": 2}
