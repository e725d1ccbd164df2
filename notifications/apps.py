from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    """In-app notifications of case steps and SLA steps, pushed live and delivered by adapters."""

    name = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from incidents.services.events import case_events_recorded
        from notifications import checks, services

        case_events_recorded.connect(services.on_case_events, dispatch_uid="notifications-case-events")
        checks.register()
