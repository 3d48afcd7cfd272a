"""The admin's app config, named in INSTALLED_APPS in place of "django.contrib.admin".

Kept apart from admin_site.py: INSTALLED_APPS imports this module before the models are
ready, and the site's login form imports the auth models.
"""

from django.contrib.admin.apps import AdminConfig


class SikesalAdminConfig(AdminConfig):
    default_site = "sikesal.core.admin_site.SikesalAdminSite"
