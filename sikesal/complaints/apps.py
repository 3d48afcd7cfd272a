from django.apps import AppConfig
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class ComplaintsConfig(AppConfig):
    name = "sikesal.complaints"
    verbose_name = _("Pengaduan")

    def ready(self) -> None:
        from PIL import Image

        # Pillow's own decompression-bomb guard, wherever an image is opened, agrees with
        # the photo limit (images.py checks it first, with a message for the citizen).
        Image.MAX_IMAGE_PIXELS = settings.SIKESAL_PHOTO_MAX_PIXELS
