from django.apps import AppConfig
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "sikesal.notifications"
    verbose_name = _("Pemberitahuan")

    def ready(self) -> None:
        from sikesal.notifications.push import vapid_configuration_problem

        # Loudly at startup (gunicorn, the worker, every command), not at the first push.
        if problem := vapid_configuration_problem():
            raise ImproperlyConfigured(problem)
