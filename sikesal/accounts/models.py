"""People and their roles.

Every account may file complaints (a citizen, Pasal 6-7); staff roles come on top:
agency roles are memberships (user x agency x role), executive and administrator are
flags on the user. One person may hold several roles.
"""

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, PermissionsMixin, UserManager
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sikesal.accounts.phone import format_mobile
from sikesal.accounts.validators import validate_normalized_mobile
from sikesal.core.models import TimeStampedModel


class Role(models.TextChoices):
    """The roles of DESIGN.md ("Who uses it")."""

    CITIZEN = "citizen", _("Pelapor")  # every account
    SECRETARIAT = "secretariat", _("Petugas Sekretariat Pengaduan")  # reviews and routes
    AGENCY_OFFICER = "agency_officer", _("Petugas OPD")  # receives and follows up
    AGENCY_HEAD = "agency_head", _("Kepala/Direktur OPD")  # oversees, signs the recap
    EXECUTIVE = "executive", _("Pimpinan (hanya baca)")  # Walikota, Inspektur
    ADMINISTRATOR = "administrator", _("Administrator")  # Diskominfo IT


class SikesalUserManager(UserManager):
    def get_by_natural_key(self, username: str) -> "User":
        return self.get(username__iexact=username)

    def create_superuser(
        self,
        username: str,
        email: str | None = None,
        password: str | None = None,
        **extra_fields,
    ) -> "User":
        # `createsuperuser` reports a ValidationError as a plain message; without this check
        # an email differing only in case from another account's ends in an IntegrityError.
        from sikesal.accounts.services import user_validate_unique

        user_validate_unique(username=username, email=email, mobile=extra_fields.get("mobile"))
        return super().create_superuser(username, email, password, **extra_fields)


class User(AbstractBaseUser, PermissionsMixin):
    """An account. Username and email are unique regardless of case; the mobile number is
    stored in E.164 (`+628...`) so that every way of writing it finds the same person.

    A reporter without a login (`is_registered` False: filed through Open311, and later at
    the counter, by phone or by letter; `sikesal.intake.reporters`) is a row too, with no
    usable password: their email and mobile number are what they gave, unproven, so they
    are unique among registered accounts only and never log anyone in.
    """

    username_validator = UnicodeUsernameValidator()

    username = models.CharField(
        _("nama pengguna"),
        max_length=150,
        unique=True,
        validators=[username_validator],
        help_text=_("Huruf, angka dan @/./+/-/_ saja; paling banyak 150 karakter."),
        error_messages={"unique": _("Nama pengguna ini sudah dipakai.")},
    )
    full_name = models.CharField(_("nama lengkap"), max_length=150)
    # Unique among registered accounts (Meta.constraints); `user_create` requires it of them.
    email = models.EmailField(
        _("email"),
        blank=True,
        error_messages={"unique": _("Email ini sudah terdaftar.")},
    )
    # NULL, not "", for no number: the unique constraint must not match two people without one.
    mobile = models.CharField(  # noqa: DJ001
        _("nomor ponsel"),
        max_length=20,
        null=True,
        blank=True,
        validators=[validate_normalized_mobile],
        help_text=_("Disimpan dalam format internasional, mis. +6281234567890."),
        error_messages={"unique": _("Nomor ponsel ini sudah terdaftar.")},
    )
    nip = models.CharField(
        _("NIP"),
        max_length=18,
        blank=True,
        validators=[RegexValidator(r"^\d{18}$", _("NIP terdiri atas 18 angka."))],
        help_text=_(
            "Nomor Induk Pegawai, untuk pegawai ASN: dicetak di bawah nama pada dokumen yang "
            "ditandatangani (rekapitulasi, laporan)."
        ),
    )
    is_executive = models.BooleanField(
        _("pimpinan"),
        default=False,
        help_text=_(
            "Walikota, Inspektur dan pimpinan lain: melihat dasbor dan laporan, tanpa "
            "mengubah apa pun."
        ),
    )
    is_staff = models.BooleanField(
        _("akses admin"),
        default=False,
        help_text=_("Dapat masuk ke halaman admin (hanya administrator)."),
    )
    is_active = models.BooleanField(_("aktif"), default=True)
    is_registered = models.BooleanField(
        _("terdaftar"),
        default=True,
        help_text=_(
            "Mendaftar sendiri dengan kata sandi. Tidak: pelapor yang dicatat dari saluran "
            "lain (Open311, loket, telepon, surat), tanpa akun untuk masuk."
        ),
    )
    date_joined = models.DateTimeField(_("tanggal daftar"), default=timezone.now)
    email_verified_at = models.DateTimeField(_("email terverifikasi pada"), null=True, blank=True)
    mobile_verified_at = models.DateTimeField(
        _("nomor ponsel terverifikasi pada"), null=True, blank=True
    )
    language = models.CharField(
        _("bahasa"),
        max_length=8,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        help_text=_("Bahasa halaman, email dan SMS untuk pengguna ini."),
    )
    notify_by_sms = models.BooleanField(
        _("kirim pemberitahuan lewat SMS"),
        default=False,
        help_text=_("Selain email dan pemberitahuan di aplikasi."),
    )
    privacy_consented_at = models.DateTimeField(
        _("menyetujui pemberitahuan privasi pada"),
        null=True,
        blank=True,
        help_text=_("Kapan pengguna menyetujui pemberitahuan privasi saat mendaftar (UU PDP)."),
    )
    email_verification_sent_at = models.DateTimeField(
        _("tautan verifikasi email terakhir dikirim pada"),
        null=True,
        blank=True,
        help_text=_("Untuk membatasi pengiriman ulang tautan verifikasi."),
    )

    objects = SikesalUserManager()

    USERNAME_FIELD = "username"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["email", "full_name"]

    class Meta:
        verbose_name = _("pengguna")
        verbose_name_plural = _("pengguna")
        constraints = [
            models.UniqueConstraint(
                Lower("username"),
                name="user_username_ci_unique",
                violation_error_message=_("Nama pengguna ini sudah dipakai."),
            ),
            models.UniqueConstraint(
                Lower("email"),
                condition=Q(is_registered=True),
                name="user_email_ci_unique",
                violation_error_message=_("Email ini sudah terdaftar."),
            ),
            models.UniqueConstraint(
                fields=["mobile"],
                condition=Q(is_registered=True),
                name="user_mobile_unique",
                violation_error_message=_("Nomor ponsel ini sudah terdaftar."),
            ),
        ]

    def __str__(self) -> str:
        return self.full_name or self.username

    def clean(self) -> None:
        super().clean()
        self.email = self.__class__.objects.normalize_email(self.email)

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.username

    @property
    def mobile_display(self) -> str:
        return format_mobile(self.mobile or "")

    @property
    def is_verified(self) -> bool:
        """A complaint is submitted only once the email or the mobile number is verified."""
        return self.email_verified_at is not None or self.mobile_verified_at is not None

    @property
    def receives_sms(self) -> bool:
        """Notifications go by SMS only to a number the person has proved is theirs."""
        return self.notify_by_sms and bool(self.mobile) and self.mobile_verified_at is not None

    @property
    def is_staff_member(self) -> bool:
        """Holds any role beyond citizen (Secretariat, agency, executive, administrator)."""
        return len(self.roles) > 1

    @property
    def roles(self) -> set[str]:
        """Every role this person holds (cached for the life of the object)."""
        if not hasattr(self, "_roles"):
            roles = {Role.CITIZEN.value}
            if self.is_superuser:
                roles.add(Role.ADMINISTRATOR.value)
            if self.is_executive:
                roles.add(Role.EXECUTIVE.value)
            if self.pk:
                roles.update(
                    self.memberships.filter(agency__is_active=True).values_list("role", flat=True)
                )
            self._roles = roles
        return self._roles

    def has_role(self, role: str) -> bool:
        return role in self.roles

    @property
    def is_secretariat_officer(self) -> bool:
        return self.has_role(Role.SECRETARIAT)


class Membership(TimeStampedModel):
    """A staff role held in one agency: Secretariat officer (in the Secretariat's agency),
    agency officer or agency head. An agency officer sees only the agencies they belong to."""

    AGENCY_ROLES = (Role.SECRETARIAT, Role.AGENCY_OFFICER, Role.AGENCY_HEAD)

    user = models.ForeignKey(
        User, verbose_name=_("pengguna"), on_delete=models.CASCADE, related_name="memberships"
    )
    agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name=_("OPD"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    role = models.CharField(
        _("peran"), max_length=20, choices=[(r.value, r.label) for r in AGENCY_ROLES]
    )

    class Meta:
        verbose_name = _("keanggotaan OPD")
        verbose_name_plural = _("keanggotaan OPD")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "agency", "role"],
                name="membership_unique_role",
                violation_error_message=_("Pengguna ini sudah memegang peran itu di OPD ini."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.agency.short_name}"

    def clean(self) -> None:
        super().clean()
        if self.role == Role.SECRETARIAT and self.agency_id and not self.agency.is_secretariat:
            raise ValidationError(
                {
                    "role": _(
                        "Petugas Sekretariat hanya dapat ditempatkan di OPD tempat "
                        "Sekretariat Pengaduan."
                    )
                }
            )


class MobileVerification(TimeStampedModel):
    """A six-digit code sent by SMS to prove that a mobile number is the person's own.

    Only a keyed hash of the code is stored. A code is good for one number, for a few
    minutes and a few wrong guesses, and sending a new one retires the old; the rows double
    as the send log that throttles resends (limits in sikesal/accounts/verification.py).
    """

    user = models.ForeignKey(
        User,
        verbose_name=_("pengguna"),
        on_delete=models.CASCADE,
        related_name="mobile_verifications",
    )
    mobile = models.CharField(_("nomor ponsel"), max_length=20)
    code_hash = models.CharField(_("hash kode"), max_length=128)
    expires_at = models.DateTimeField(_("berlaku sampai"))
    attempts = models.PositiveSmallIntegerField(_("percobaan salah"), default=0)
    used_at = models.DateTimeField(
        _("dipakai/ditarik pada"),
        null=True,
        blank=True,
        help_text=_("Diisi saat kode benar dimasukkan atau diganti dengan kode baru."),
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("kode verifikasi ponsel")
        verbose_name_plural = _("kode verifikasi ponsel")
        indexes = [
            models.Index(fields=["user", "created_at"], name="mobileverif_user_created"),
            models.Index(fields=["mobile", "created_at"], name="mobileverif_mobile_created"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {format_mobile(self.mobile)} · {self.created_at:%Y-%m-%d %H:%M}"
