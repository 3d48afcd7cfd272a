"""The agency head's form for the agency's public information (Pasal 11.1)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from sikesal.agencies.models import Agency
from sikesal.agencies.services import PROFILE_FIELDS


class AgencyProfileForm(forms.ModelForm):
    class Meta:
        model = Agency
        fields = PROFILE_FIELDS
        help_texts = {
            "handling_mechanism": _(
                "Kosongkan untuk mengumumkan mekanisme baku SIKESAL (ditampilkan di bawah)."
            ),
            "channels": _(
                "Sarana pengaduan SIKESAL sudah diumumkan otomatis. Tulis di sini sarana lain "
                "yang disediakan OPD ini, satu per baris, mis. loket atau nomor telepon "
                "pengaduan."
            ),
        }
        widgets = {
            "handling_mechanism": forms.Textarea(attrs={"rows": 12}),
            "channels": forms.Textarea(attrs={"rows": 4}),
        }
