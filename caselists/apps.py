from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CaseListsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "caselists"
    verbose_name = _("Case list exports")

    def ready(self) -> None:
        from caselists import export
        from exports.services import register

        register(export.KIND, export.build)
