"""Pages of the grids app: the public "find my grid worker" page."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import TemplateView


class FindView(TemplateView):
    """找网格员: anyone taps the map (or uses the phone's location) and sees the grid, its
    community and township and its workers' public contact, fetched from the public
    locate API. The page itself carries no personal data."""

    template_name = "grids/find.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["find_config"] = {
            "locateUrl": reverse("api-grid-locate"),
            "gridsUrl": reverse("api-grids-geojson") + "?zoom=13",
            "townshipsUrl": reverse("api-townships-geojson") + "?zoom=12",
            "tileUrl": settings.MAP_TILE_URL,
            "strings": {
                "locating": _("Finding your location…"),
                "searching": _("Looking up the grid…"),
                "outside": _("This point is outside the city's grids."),
                "invalid": _("That is not a valid location."),
                "failed": _("The lookup failed; please try again."),
                "noLocation": _("Your location is not available; tap the map instead."),
                "noWorkers": _("No public contact for this grid yet."),
                "lead": _("Grid lead"),
                "call": _("Call"),
            },
        }
        return context
