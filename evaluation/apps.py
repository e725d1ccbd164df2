from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "evaluation"
    verbose_name = _("Evaluation")

    def ready(self) -> None:
        from evaluation.services import export
        from exports.services import register

        register(export.KIND, export.build)
