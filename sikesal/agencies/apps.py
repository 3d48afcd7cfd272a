from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgenciesConfig(AppConfig):
    name = "sikesal.agencies"
    verbose_name = _("OPD dan wilayah")
