"""What assisted intake keeps beside the complaint: the scan of a letter.

The complaint itself is an ordinary `complaints.Complaint` (its channel says how it came);
a letter's scan names the reporter and often their address, so it is private to the staff
who may see the reporter's identity and is served only through a view that checks (and
logs) who asks.
"""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def letter_scan_path(instance: "LetterScan", filename: str) -> str:
    # Never the uploaded name: a random one, with the extension of the sniffed type.
    return f"letters/{instance.created_at:%Y/%m}/{secrets.token_hex(12)}.{instance.extension}"


class LetterScan(models.Model):
    """The scan of a complaint received by letter (an image or a PDF).

    Uploaded while the officer fills the intake form (staged, no complaint yet, so a form
    error never loses it), attached when the complaint is filed.
    """

    class Kind(models.TextChoices):
        PDF = "application/pdf", "PDF"
        JPEG = "image/jpeg", "JPEG"
        PNG = "image/png", "PNG"

    complaint = models.ForeignKey(
        "complaints.Complaint",
        verbose_name=_("pengaduan"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="letter_scans",
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("diunggah oleh"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    file = models.FileField(_("berkas"), upload_to=letter_scan_path)
    content_type = models.CharField(_("jenis berkas"), max_length=20, choices=Kind.choices)
    size = models.PositiveIntegerField(_("ukuran (byte)"))
    original_name = models.CharField(_("nama berkas asli"), max_length=120, blank=True)
    created_at = models.DateTimeField(_("diunggah"))

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("pindaian surat")
        verbose_name_plural = _("pindaian surat")

    def __str__(self) -> str:
        return self.original_name or self.file.name

    @property
    def extension(self) -> str:
        return {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}[
            self.content_type
        ]
