"""The access record: the one place that writes it (``accounts.models.access``) and prunes it."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import connection, transaction

from accounts.models import AccessChannel, AccessKind, AccessRecord
from gridcenter.clientip import client_ip


def channel_of(request: Any) -> AccessChannel:
    if request is None:
        return AccessChannel.SYSTEM
    return AccessChannel.API if request.path.startswith("/api/") else AccessChannel.PAGE


def record(kind: AccessKind, **fields: Any) -> AccessRecord:
    """Write one row (see ``row``)."""
    entry = row(kind, **fields)
    entry.save(force_insert=True)
    return entry


def row(
    kind: AccessKind, *, request: Any = None, user: Any = None, username: str = "", target: str = "", detail: str = ""
) -> AccessRecord:
    """An unsaved row: ``user`` (or only the ``username`` tried), the client address of ``request``."""
    if user is not None and not user.is_authenticated:
        user = None
    return AccessRecord(
        kind=kind,
        channel=channel_of(request),
        user=user,
        username=(user.get_username() if user is not None else username)[:150],
        client_ip=client_ip(request) if request is not None else None,
        target=target[:200],
        detail=detail[:200],
    )


def prune() -> int:
    """Delete the rows older than ``ACCESS_RECORD_DAYS``, by the database's clock: the one
    DELETE its trigger lets through (``accounts/migrations/0004_access_record_immutable.py``)."""
    days = str(settings.ACCESS_RECORD_DAYS)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT set_config('gridcenter.access_record_days', %s, true)", [days])
        cursor.execute(
            f"DELETE FROM {AccessRecord._meta.db_table} WHERE at < now() - make_interval(days => %s)",  # noqa: S608
            [int(days)],
        )
        return cursor.rowcount
