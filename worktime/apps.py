from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorktimeConfig(AppConfig):
    name = "worktime"
    verbose_name = _("Working-time calendar")

    def ready(self) -> None:
        from worktime import checks, signals  # noqa: F401  (registers the system check)

        signals.connect()
