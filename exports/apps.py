from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExportsConfig(AppConfig):
    """Downloads built for one person (Excel workbooks), recorded, built in Celery when large."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "exports"
    verbose_name = _("Exports")
