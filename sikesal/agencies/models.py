"""Agencies (OPD, Perusahaan Daerah, kecamatan), complaint categories, and regions."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sikesal.core.models import TimeStampedModel


class Region(TimeStampedModel):
    """An administrative area: the city, a kecamatan or a kelurahan (Kemendagri codes).

    Its outline, where known, is a `RegionBoundary` row (`region.boundary`); point
    look-ups go through `sikesal.agencies.geo`, which loads the outlines once.
    """

    class Level(models.TextChoices):
        CITY = "kota", _("Kota")
        KECAMATAN = "kecamatan", _("Kecamatan")
        KELURAHAN = "kelurahan", _("Kelurahan")

    code = models.CharField(_("kode Kemendagri"), max_length=20, unique=True)
    name = models.CharField(_("nama"), max_length=100)
    level = models.CharField(_("tingkat"), max_length=10, choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("induk"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    alternative_names = models.CharField(
        _("ejaan lain"),
        max_length=200,
        blank=True,
        help_text=_("Ejaan setempat yang juga dikenali pencarian, dipisah koma."),
    )
    centroid_lat = models.FloatField(_("lintang titik tengah"), null=True, blank=True)
    centroid_lng = models.FloatField(_("bujur titik tengah"), null=True, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("wilayah")
        verbose_name_plural = _("wilayah")

    def __str__(self) -> str:
        return f"{self.get_level_display()} {self.name}"


class RegionBoundary(models.Model):
    """The outline of a region: GeoJSON ([longitude, latitude], EPSG:4326).

    Kept out of `Region` on purpose: every complaint list joins the kelurahan and kecamatan,
    and an outline runs to kilobytes, so a column on `Region` rode along with every joined
    row (588 MB for a million-row export). Only the geo code and the loaders read this table.
    """

    region = models.OneToOneField(
        Region,
        verbose_name=_("wilayah"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="boundary",
    )
    geometry = models.JSONField(_("batas wilayah (GeoJSON)"))

    class Meta:
        verbose_name = _("batas wilayah")
        verbose_name_plural = _("batas wilayah")

    def __str__(self) -> str:
        return str(self.region)


class Agency(TimeStampedModel):
    """An OPD, a Perusahaan Daerah or a kecamatan that handles complaints (Perwal 40/2017 Pasal 5).

    Carries what Pasal 11.1 obliges every agency to publish (its complaint officers,
    handling mechanism and channels) and its head's name, title and NIP for signing the
    monthly recap (Lampiran I).
    """

    class Kind(models.TextChoices):
        SEKRETARIAT = "sekretariat", _("Sekretariat")
        INSPEKTORAT = "inspektorat", _("Inspektorat")
        BADAN = "badan", _("Badan")
        DINAS = "dinas", _("Dinas")
        SATPOL_PP = "satpol_pp", _("Satuan Polisi Pamong Praja")
        RSUD = "rsud", _("Rumah Sakit Umum Daerah")
        PERUSAHAAN_DAERAH = "perusahaan_daerah", _("Perusahaan Daerah")
        KECAMATAN = "kecamatan", _("Kecamatan")
        KELURAHAN = "kelurahan", _("Kelurahan")

    code = models.SlugField(_("kode"), max_length=40, unique=True)
    name = models.CharField(_("nama"), max_length=200)
    short_name = models.CharField(_("nama singkat"), max_length=60)
    kind = models.CharField(_("jenis"), max_length=20, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("induk"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    region = models.ForeignKey(
        Region,
        verbose_name=_("wilayah"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agencies",
        help_text=_("Untuk kecamatan: wilayah yang dilayaninya."),
    )
    is_active = models.BooleanField(_("aktif"), default=True)
    is_secretariat = models.BooleanField(
        _("tempat Sekretariat Pengaduan"),
        default=False,
        help_text=_("Perwal 40/2017 Pasal 10.1: Sekretariat Pengaduan berkedudukan di Diskominfo."),
    )
    note = models.CharField(_("catatan"), max_length=300, blank=True)

    head_name = models.CharField(_("nama kepala/direktur"), max_length=150, blank=True)
    head_title = models.CharField(_("jabatan kepala/direktur"), max_length=150, blank=True)
    head_nip = models.CharField(_("NIP kepala/direktur"), max_length=30, blank=True)

    complaint_officers = models.TextField(
        _("petugas pelaksana pengaduan"),
        blank=True,
        help_text=_(
            "Petugas pelaksana yang tidak memiliki akun SIKESAL, satu per baris (Pasal 11.1); "
            "pemegang akun OPD diumumkan otomatis."
        ),
    )
    handling_mechanism = models.TextField(
        _("mekanisme penanganan pengaduan"),
        blank=True,
        help_text=_("Pasal 11.1. Kosong: mekanisme baku SIKESAL yang diumumkan."),
    )
    channels = models.TextField(
        _("sarana pengaduan lain"),
        blank=True,
        help_text=_(
            "Sarana pengaduan yang disediakan OPD ini selain sarana SIKESAL, satu per baris "
            "(Pasal 11.1)."
        ),
    )
    address = models.CharField(_("alamat"), max_length=300, blank=True)
    phone = models.CharField(_("telepon"), max_length=40, blank=True)
    email = models.EmailField(_("email"), blank=True)
    website = models.URLField(_("situs web"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("OPD")
        verbose_name_plural = _("OPD")
        constraints = [
            models.UniqueConstraint(
                fields=["is_secretariat"],
                condition=Q(is_secretariat=True),
                name="agency_one_secretariat",
                violation_error_message=_(
                    "Hanya satu OPD yang menjadi tempat Sekretariat Pengaduan."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("agencies:detail", kwargs={"code": self.code})

    @property
    def complaint_officer_list(self) -> list[str]:
        return [line.strip() for line in self.complaint_officers.splitlines() if line.strip()]

    @property
    def channel_list(self) -> list[str]:
        return [line.strip() for line in self.channels.splitlines() if line.strip()]


class AgencyProfileChange(models.Model):
    """One edit of an agency's public information (Pasal 11.1) by its head. Append-only:
    the rows are the history of what the agency has published, and the newest gives the
    public page its "last changed" date."""

    agency = models.ForeignKey(
        Agency,
        verbose_name=_("OPD"),
        on_delete=models.CASCADE,
        related_name="profile_changes",
    )
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("diubah oleh"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    changed_at = models.DateTimeField(_("diubah pada"), default=timezone.now)
    before = models.JSONField(_("sebelum"), help_text=_("Nilai lama kolom yang diubah."))
    after = models.JSONField(_("sesudah"), help_text=_("Nilai baru kolom yang diubah."))

    class Meta:
        ordering = ["-changed_at", "-pk"]
        verbose_name = _("perubahan informasi OPD")
        verbose_name_plural = _("perubahan informasi OPD")

    def __str__(self) -> str:
        return f"{self.agency.short_name} · {self.changed_at:%Y-%m-%d %H:%M}"

    @property
    def changed_labels(self) -> list[str]:
        """The names of the changed fields, as the form labels them, in the form's order
        (PostgreSQL's jsonb does not keep the order the keys were written in)."""
        return [str(f.verbose_name) for f in Agency._meta.fields if f.name in self.after]


class Category(TimeStampedModel):
    """What a complaint is about; later also an Open311 service.

    The Secretariat routes a new complaint to `default_agency` unless it decides otherwise;
    with `routes_to_kecamatan` the kecamatan of the complaint's location handles it.
    A sensitive category forces the complaint confidential.
    """

    code = models.SlugField(_("kode"), max_length=40, unique=True)
    name = models.CharField(_("nama"), max_length=100)
    description = models.CharField(_("keterangan"), max_length=300, blank=True)
    default_agency = models.ForeignKey(
        Agency,
        verbose_name=_("OPD penanganan bawaan"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="default_categories",
        help_text=_("Kosongkan bila Sekretariat yang memutuskan."),
    )
    routes_to_kecamatan = models.BooleanField(
        _("ditangani kecamatan lokasi"),
        default=False,
        help_text=_("Disalurkan ke kecamatan tempat kejadian, bukan ke OPD bawaan."),
    )
    is_sensitive = models.BooleanField(
        _("sensitif"),
        default=False,
        help_text=_(
            "Pengaduan dalam kategori ini selalu dirahasiakan (mis. kekerasan terhadap "
            "perempuan dan anak)."
        ),
    )
    is_active = models.BooleanField(_("aktif"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("urutan"), default=100)

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("kategori")
        verbose_name_plural = _("kategori")

    def __str__(self) -> str:
        return self.name
