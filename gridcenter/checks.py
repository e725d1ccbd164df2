"""System checks for settings that can be wrong in ways the type alone does not show."""

from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.compatibility)
def check_map_tiles(app_configs=None, **kwargs):
    url = settings.MAP_TILE_URL
    if not all(part in url for part in ("{z}", "{x}", "{y}")):
        return [
            Error(
                "MAP_TILE_URL must contain {z}, {x} and {y}.",
                hint="For example https://tile.openstreetmap.org/{z}/{x}/{y}.png",
                id="gridcenter.E001",
            )
        ]
    return []


@register(Tags.security, deploy=True)
def check_csrf_origins(app_configs=None, **kwargs):
    bad = [origin for origin in settings.CSRF_TRUSTED_ORIGINS if "://" not in origin]
    if bad:
        return [
            Error(
                f"CSRF_TRUSTED_ORIGINS entries need a scheme: {', '.join(bad)}",
                hint="Write https://grid.example.gov.cn, not grid.example.gov.cn",
                id="gridcenter.E002",
            )
        ]
    return []
