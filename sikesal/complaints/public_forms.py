"""Forms of the public complaint pages (/pengaduan/), which the public API shares."""

from django import forms
from django.utils.translation import gettext_lazy as _

from sikesal.agencies.models import Agency, Category, Region
from sikesal.complaints.models import ROUTED_OR_LATER

SEARCH_MAX_LENGTH = 100


class PublicFilterForm(forms.Form):
    """The public list's filters: the page ignores an invalid value, the API answers 400."""

    q = forms.CharField(
        label=_("Cari"),
        required=False,
        max_length=SEARCH_MAX_LENGTH,
        widget=forms.SearchInput(attrs={"autocomplete": "off"}),
    )
    category = forms.ChoiceField(label=_("Kategori"), required=False)
    kecamatan = forms.ChoiceField(label=_("Kecamatan"), required=False)
    agency = forms.ChoiceField(label=_("OPD"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = self._with_all(
            Category.objects.filter(is_active=True).values_list("code", "name")
        )
        self.fields["kecamatan"].choices = self._with_all(
            Region.objects.filter(level=Region.Level.KECAMATAN)
            .order_by("name")
            .values_list("code", "name")
        )
        self.fields["agency"].choices = self._with_all(
            Agency.objects.filter(is_active=True).order_by("name").values_list("code", "name")
        )
        self.fields["status"].choices = self._with_all(
            (status.value, status.label) for status in ROUTED_OR_LATER
        )

    @staticmethod
    def _with_all(choices) -> list[tuple[str, str]]:
        return [("", _("Semua")), *choices]

    def filters(self) -> dict[str, str]:
        """The valid, non-empty filters (call after `is_valid`)."""
        cleaned = getattr(self, "cleaned_data", {})
        return {name: value.strip() for name, value in cleaned.items() if value and value.strip()}
