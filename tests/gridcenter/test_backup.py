"""manage.py backup and restore: back up, wipe, restore into a fresh database, find everything again."""

from __future__ import annotations

import json
import shutil
import uuid
from pathlib import Path

import psycopg2
import pytest
from django.core.management import CommandError, call_command

from gridcenter import backups
from incidents import services
from incidents.models import Attachment, Case, CaseEvent

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def fresh_database():
    """A database name of this run's own (``gc_ops_…``), dropped afterwards."""
    name = f"gc_ops_restore_{uuid.uuid4().hex[:8]}"
    yield name
    with backups._connect("postgres") as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _stored(media_root: Path) -> dict[str, bytes]:
    return {
        str(name): (media_root / str(name)).read_bytes()
        for attachment in Attachment.objects.all()
        for name in (attachment.file.name, attachment.thumbnail.name)
    }


def _restored_rows(database: str) -> tuple[int, int, list[str]]:
    with backups._connect(database) as cursor:
        cursor.execute("SELECT count(*) FROM incidents_case")
        cases = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM incidents_caseevent")
        events = cursor.fetchone()[0]
        cursor.execute("SELECT file, thumbnail FROM incidents_attachment")
        names = [name for row in cursor.fetchall() for name in row]
    return cases, events, names


def test_a_backup_restores_every_case_timeline_row_and_photo(city, photo, media_root, tmp_path, fresh_database):
    cases = [city.report(photos=[photo(colour=colour)]) for colour in ("red", "green")]
    services.accept_case(city.dispatcher, cases[0])
    city.report()
    stored = _stored(media_root)
    assert len(stored) == 4

    call_command("backup", str(tmp_path / "backups"))
    (target,) = (tmp_path / "backups").iterdir()
    manifest = json.loads((target / "manifest.json").read_text())
    assert manifest["counts"] == {"cases": 3, "timeline_rows": CaseEvent.objects.count(), "photos": 2}
    assert manifest["migrations"]["incidents"].startswith("0009")
    assert set(manifest["files"]) == {"database.dump", "media.tar"}

    shutil.rmtree(media_root)
    call_command("restore", str(target), database=fresh_database)

    restored_cases, restored_events, names = _restored_rows(fresh_database)
    assert (restored_cases, restored_events) == (Case.objects.count(), CaseEvent.objects.count())
    assert {name: (media_root / name).read_bytes() for name in names} == stored
    with backups._connect(fresh_database) as cursor:
        cursor.execute("SELECT extname FROM pg_extension WHERE extname = 'postgis'")
        assert cursor.fetchone() == ("postgis",)


def test_a_restore_refuses_a_database_that_is_not_empty_unless_forced(city, media_root, tmp_path, fresh_database):
    city.report()
    call_command("backup", str(tmp_path))
    (target,) = tmp_path.glob("gridcenter-*")
    call_command("restore", str(target), database=fresh_database, media_root=str(tmp_path / "m1"))
    with pytest.raises(CommandError, match="not empty"):
        call_command("restore", str(target), database=fresh_database, media_root=str(tmp_path / "m2"))
    call_command("restore", str(target), database=fresh_database, media_root=str(tmp_path / "m2"), force=True)
    assert _restored_rows(fresh_database)[0] == 1


def test_a_damaged_backup_is_refused(city, media_root, tmp_path, fresh_database):
    call_command("backup", str(tmp_path))
    (target,) = tmp_path.glob("gridcenter-*")
    with (target / "database.dump").open("ab") as dump:
        dump.write(b"x")
    with pytest.raises(CommandError, match="sha256"):
        call_command("restore", str(target), database=fresh_database)
    with psycopg2.connect(dbname="postgres", **backups._params()) as conn, conn.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [fresh_database])
        assert cursor.fetchone() is None
