"""Write the generated demo city (``grids.citygen``) to the database.

``seed(password, log)`` is the seeder that ``manage.py seed_demo`` runs. It is
idempotent: the grid map is written only when there is none yet, and workers and
cameras that already exist (by username, by code) are left alone.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import cast

import shapely
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.gis.geos import GEOSGeometry, MultiPolygon, Point
from django.db import transaction

from accounts.roles import Role, grant
from grids.citygen import DEFAULT_SEED, City, generate_city
from grids.models import STORAGE_SRID, Camera, Community, Generation, Grid, GridWorker, Township

Log = Callable[[str], object]


def to_geos(geometry) -> MultiPolygon:
    """A boundary of the generated city (a shapely MultiPolygon) as GEOS."""
    # GEOSGeometry takes the class the WKB names: a MultiPolygon here.
    return cast(MultiPolygon, GEOSGeometry(memoryview(shapely.to_wkb(geometry)), srid=STORAGE_SRID))


def seed(password: str, log: Log, *, seed: int = DEFAULT_SEED, scale: int = 1) -> City:
    """The demo city's seeder (``SEEDERS`` in ``accounts/management/commands/seed_demo.py``)."""
    started = time.perf_counter()
    city = generate_city(seed=seed, scale=scale)
    log(f"grids: generated the city in {time.perf_counter() - started:.1f} s")
    write_city(city, make_password(password), log)
    log(f"grids: demo city ready in {time.perf_counter() - started:.1f} s")
    return city


@transaction.atomic
def write_city(city: City, password_hash: str, log: Log) -> None:
    if Grid.objects.exists():
        log("grids: a grid map exists already; geography left as it is")
    else:
        write_geography(city, log)
    write_workers(city, password_hash, log)
    write_cameras(city, log)


def write_geography(city: City, log: Log) -> Generation:
    generation = Generation.objects.create(description=f"Demo city (seed {city.seed}, scale {city.scale})")
    generation.activate()
    townships = Township.objects.bulk_create(
        Township(
            code=shape.code,
            name=shape.name,
            kind=shape.kind,
            boundary=to_geos(shape.boundary),
            seat=Point(*shape.seat, srid=STORAGE_SRID),
            population=shape.population,
        )
        for shape in city.townships
    )
    communities: list[Community] = []
    for township, shape in zip(townships, city.townships, strict=True):
        communities.extend(
            Community(township=township, code=c.code, name=c.name, kind=c.kind, boundary=to_geos(c.boundary))
            for c in shape.communities
        )
    Community.objects.bulk_create(communities, batch_size=1000)
    by_code = {community.code: community for community in communities}
    grids = [
        Grid(
            generation=generation,
            community=by_code[community.code],
            code=grid.code,
            name=grid.name,
            boundary=to_geos(grid.boundary),
            population=grid.population,
            households=grid.households,
        )
        for community in city.communities()
        for grid in community.grids
    ]
    Grid.objects.bulk_create(grids, batch_size=1000)
    log(f"grids: {len(townships)} townships, {len(communities)} communities, {len(grids)} grids")
    return generation


def write_workers(city: City, password_hash: str, log: Log) -> None:
    if not city.workers:
        return
    user_model = get_user_model()
    usernames = [worker.username for worker in city.workers]
    existing = set(user_model.objects.filter(username__in=usernames).values_list("username", flat=True))
    user_model.objects.bulk_create(
        (
            user_model(username=w.username, password=password_hash, last_name=w.name[0], first_name=w.name[1:])
            for w in city.workers
            if w.username not in existing
        ),
        batch_size=1000,
    )
    users = {user.username: user for user in user_model.objects.filter(username__in=usernames)}
    role_holders = set(
        user_model.objects.filter(username__in=usernames, groups__name=Role.GRID_WORKER.value).values_list(
            "username", flat=True
        )
    )
    for username in usernames:
        if username not in role_holders:
            grant(users[username], Role.GRID_WORKER)

    have_profile = set(GridWorker.objects.filter(user__username__in=usernames).values_list("user__username", flat=True))
    new = [w for w in city.workers if w.username not in have_profile]
    profiles = GridWorker.objects.bulk_create(
        (
            GridWorker(
                user=users[w.username],
                name=w.name,
                phone=w.phone,
                employment=w.employment,
                is_lead=w.is_lead,
                is_public=w.is_public,
            )
            for w in new
        ),
        batch_size=1000,
    )
    grid_ids = dict(Grid.objects.active().filter(code__in={w.grid_code for w in new}).values_list("code", "id"))
    through = GridWorker.grids.through
    through.objects.bulk_create(
        (
            through(gridworker_id=profile.pk, grid_id=grid_ids[w.grid_code])
            for profile, w in zip(profiles, new, strict=True)
            if w.grid_code in grid_ids
        ),
        batch_size=2000,
    )
    log(f"grids: {len(usernames)} grid workers ({len(new)} new): {usernames[0]} … {usernames[-1]}")


def write_cameras(city: City, log: Log) -> None:
    if not city.cameras:
        return
    codes = [camera.code for camera in city.cameras]
    existing = set(Camera.objects.filter(code__in=codes).values_list("code", flat=True))
    grid_ids = dict(Grid.objects.active().values_list("code", "id"))
    new = [camera for camera in city.cameras if camera.code not in existing]
    Camera.objects.bulk_create(
        (
            Camera(
                code=c.code,
                name=c.name,
                point=Point(c.lng, c.lat, srid=STORAGE_SRID),
                grid_id=grid_ids.get(c.grid_code) if c.grid_code else None,
                kind=c.kind,
                status=c.status,
                stream_url=f"rtsp://video.jishou.local:554/live/{c.code}",
            )
            for c in new
        ),
        batch_size=2000,
    )
    log(f"grids: {len(city.cameras)} cameras ({len(new)} new)")
