from django.apps import AppConfig


class GridcenterConfig(AppConfig):
    name = "gridcenter"
    verbose_name = "gridcenter"

    def ready(self) -> None:
        from gridcenter import checks  # noqa: F401  (registers the system checks)
