"""Everything of the grids app is in the admin, geometries on Leaflet maps."""

from __future__ import annotations

import pytest
from django.urls import reverse

from grids.models import Camera, Community, Generation, Grid, GridWorker, Township


@pytest.mark.parametrize("model", [Generation, Township, Community, Grid, GridWorker, Camera])
def test_admin_list_and_change_pages(small_city, admin_user, client, model):
    client.force_login(admin_user)
    opts = model._meta
    assert client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")).status_code == 200
    obj = model.objects.first()
    page = client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk]))
    assert page.status_code == 200
    if model in (Township, Community, Grid, Camera):
        assert "leaflet" in page.content.decode().lower()


def test_the_generation_action_activates_and_keeps_the_old_one(small_city, admin_user, client):
    client.force_login(admin_user)
    redraw = Generation.objects.create(description="redraw")
    url = reverse("admin:grids_generation_changelist")
    client.post(url, {"action": "make_active", "_selected_action": [redraw.pk]})
    assert Generation.objects.active() == redraw
    assert Grid.objects.filter(generation=small_city.generation).count() == 4
