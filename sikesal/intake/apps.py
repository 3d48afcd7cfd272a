from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntakeConfig(AppConfig):
    name = "sikesal.intake"
    verbose_name = _("Pencatatan pengaduan oleh petugas")
