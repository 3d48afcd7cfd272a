from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PwaConfig(AppConfig):
    name = "sikesal.pwa"
    verbose_name = _("Aplikasi ponsel")

    def ready(self) -> None:
        from sikesal.pwa import checks  # noqa: F401  (registers the system checks)
