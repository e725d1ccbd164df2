"""Backups that restore: the database and the stored photos, taken together, with a manifest.

A backup is a directory holding ``database.dump`` (``pg_dump -Fc``), ``media.tar`` (the
files under ``MEDIA_ROOT``) and ``manifest.json`` (when, which code, which migrations,
the counts of cases, timeline rows and photos, the sha256 of each file).

Consistency: the counts and the dump read one exported snapshot of the database, and the
media is copied after it. Stored files are written before the row naming them commits and
are never changed afterwards, so every photo the dump names is in the copy (a file of a
later report may be in it too: harmless, nothing names it).

``restore`` checks the files against the manifest, restores into the configured or a named
database (refusing one that holds tables unless forced), enables PostGIS first, unpacks the
media, and compares the restored counts with the manifest.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import tarfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psycopg2
from django.conf import settings
from psycopg2 import sql

DUMP, MEDIA, MANIFEST = "database.dump", "media.tar", "manifest.json"
# What a restore must find again: the manifest's counts, by table.
COUNTED = {"cases": "incidents_case", "timeline_rows": "incidents_caseevent", "photos": "incidents_attachment"}


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why."""


def _params() -> dict[str, Any]:
    db = settings.DATABASES["default"]
    return {
        "host": db.get("HOST") or None,
        "port": db.get("PORT") or None,
        "user": db.get("USER") or None,
        "password": db.get("PASSWORD") or None,
        "connect_timeout": 5,
    }


def _pg_env() -> dict[str, str]:
    """The environment of pg_dump/pg_restore: the connection of settings.DATABASES."""
    params = _params()
    env = dict(os.environ)
    for key, name in (("host", "PGHOST"), ("port", "PGPORT"), ("user", "PGUSER"), ("password", "PGPASSWORD")):
        if params[key]:
            env[name] = str(params[key])
    return env


def _run(command: list[str]) -> None:
    # The arguments are our own: the client tools and names from settings, never request input.
    result = subprocess.run(command, env=_pg_env(), capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()}")


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _counts(cursor) -> dict[str, int]:
    counts = {}
    for key, table in COUNTED.items():
        cursor.execute(sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table)))
        counts[key] = cursor.fetchone()[0]
    return counts


def _migrations(cursor) -> dict[str, str]:
    """The last applied migration of each app."""
    cursor.execute("SELECT app, name FROM django_migrations ORDER BY id")
    return dict(cursor.fetchall())


def _app_version() -> str:
    result = subprocess.run(  # noqa: S603
        ["git", "-C", str(settings.BASE_DIR), "describe", "--always", "--dirty"],  # noqa: S607
        capture_output=True,
        text=True,
        check=False,
    )
    return result.stdout.strip() if result.returncode == 0 else os.environ.get("APP_VERSION", "unknown")


def _tar_media(target: Path) -> None:
    root = Path(settings.MEDIA_ROOT)
    with tarfile.open(target, "w") as tar:
        if root.is_dir():
            for path in sorted(root.rglob("*")):
                tar.add(path, arcname=str(path.relative_to(root)), recursive=False)


def backup(directory: Path) -> Path:
    """Write a backup into a new directory under ``directory``; return its path."""
    taken = datetime.now(UTC)
    target = Path(directory) / f"gridcenter-{taken:%Y%m%dT%H%M%SZ}"
    target.mkdir(parents=True, exist_ok=False)
    name = settings.DATABASES["default"]["NAME"]
    conn = psycopg2.connect(dbname=name, **_params())
    try:
        conn.set_session(isolation_level="REPEATABLE READ", readonly=True)
        with conn.cursor() as cursor:
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            counts, migrations = _counts(cursor), _migrations(cursor)
            _run(["pg_dump", "-Fc", f"--snapshot={snapshot}", "-f", str(target / DUMP), name])
    finally:
        conn.close()
    _tar_media(target / MEDIA)
    manifest = {
        "format": 1,
        "taken_at": taken.isoformat(),
        "app_version": _app_version(),
        "database": name,
        "migrations": migrations,
        "counts": counts,
        "files": {file: sha256(target / file) for file in (DUMP, MEDIA)},
    }
    (target / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False), encoding="utf-8")
    return target


def read_manifest(source: Path) -> dict[str, Any]:
    """The manifest of a backup directory, after checking every file's sha256."""
    try:
        manifest = json.loads((Path(source) / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise BackupError(f"not a backup (no readable {MANIFEST}): {exc}") from exc
    for file, expected in manifest["files"].items():
        path = Path(source) / file
        if not path.is_file() or sha256(path) != expected:
            raise BackupError(f"{file} is missing or does not match the manifest's sha256")
    return manifest


@contextmanager
def _connect(name: str) -> Iterator[Any]:
    conn = psycopg2.connect(dbname=name, **_params())
    conn.autocommit = True
    try:
        with conn.cursor() as cursor:
            yield cursor
    finally:
        conn.close()


def _prepare_database(name: str, *, force: bool) -> None:
    """Create the database when missing; refuse one with tables unless ``force`` (then empty it)."""
    with _connect("postgres") as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    with _connect(name) as cursor:
        cursor.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'spatial_ref_sys'")
        if cursor.fetchone()[0]:
            if not force:
                raise BackupError(f"database {name} is not empty: use --force to replace its contents")
            cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
        cursor.execute("CREATE EXTENSION IF NOT EXISTS postgis")


def _unpack_media(source: Path, media_root: Path, *, force: bool) -> None:
    if media_root.is_dir() and any(media_root.iterdir()) and not force:
        raise BackupError(f"{media_root} is not empty: use --force to restore the photos over it")
    media_root.mkdir(parents=True, exist_ok=True)
    with tarfile.open(source / MEDIA) as tar:
        tar.extractall(media_root, filter="data")


def restore(source: Path, *, database: str | None = None, media_root: Path | None = None, force: bool = False) -> dict:
    """Restore a backup into ``database`` (the configured one by default) and ``media_root``."""
    source = Path(source)
    manifest = read_manifest(source)
    name = database or settings.DATABASES["default"]["NAME"]
    media = Path(media_root or settings.MEDIA_ROOT)
    if not force and media.is_dir() and any(media.iterdir()):
        raise BackupError(f"{media} is not empty: use --force to restore the photos over it")
    _prepare_database(name, force=force)
    _run(["pg_restore", "--no-owner", "--exit-on-error", "-d", name, str(source / DUMP)])
    _unpack_media(source, media, force=force)
    with _connect(name) as cursor:
        counts = _counts(cursor)
    if counts != manifest["counts"]:
        raise BackupError(f"restored counts {counts} differ from the manifest's {manifest['counts']}")
    return {"database": name, "media_root": str(media), "counts": counts}
