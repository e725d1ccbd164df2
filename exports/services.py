"""Exports: asking for one, building it (here or in a Celery worker), telling the person, serving the file.

* An app that offers downloads registers a **builder** per kind (``register("evaluation",
  build)``, in its ``AppConfig.ready``): ``build(export, progress) -> Built``. The builder
  reads ``export.params`` and applies ``export.requested_by``'s visibility itself.
* ``request_export`` records the row; an export of at most ``sync_limit`` rows is built at
  once in the request (the page answers with the file), a larger one after commit by
  ``exports.tasks.build_export_task`` with its id, and the person is notified
  (``notifications.services.notify_link``) with the download link when it is ready, or
  with the export's page when it has failed.
* ``run`` claims a pending row with a compare-and-set update, so a task delivered twice
  builds once; progress is written as whole percents while the builder works.
* Only the person who asked for an export (and administrators) may see or download it.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import PurePath
from typing import Any, NamedTuple

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import AccessKind
from accounts.roles import Role, has_role
from accounts.services import access
from exports.choices import ExportState
from exports.models import Export
from gridcenter.errors import ConflictError, NotFoundError
from notifications.choices import NotificationKind
from notifications.services import notify_link

logger = logging.getLogger(__name__)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# A row still "running" this long after it was claimed lost its worker: a redelivered task takes it over.
STALE_AFTER = timedelta(minutes=30)
ERROR_CHARS = 500


class Built(NamedTuple):
    """What a builder returns: the name the download carries, its bytes and their type."""

    filename: str
    content: bytes
    content_type: str = XLSX


Progress = Callable[[int, int], None]
Builder = Callable[[Export, Progress], Built]
_BUILDERS: dict[str, Builder] = {}


def register(kind: str, builder: Builder) -> None:
    """Name the function that builds exports of ``kind`` (called once, from an app's ``ready``)."""
    _BUILDERS[kind] = builder


def builder_for(kind: str) -> Builder:
    try:
        return _BUILDERS[kind]
    except KeyError:
        raise ValueError(f"no export builder registered for {kind!r}") from None


# --- asking ---------------------------------------------------------------------------------------------


def request_export(
    user, kind: str, *, title: str, params: dict[str, Any], rows: int, sync_limit: int, now: datetime | None = None
) -> Export:
    """Record an export and build it now (``rows <= sync_limit``) or in a worker after commit."""
    builder_for(kind)
    export = Export.objects.create(
        requested_by=user,
        kind=kind,
        title=title[:200],
        params=params,
        rows=rows,
        asynchronous=rows > sync_limit,
        created_at=now or timezone.now(),
    )
    access.record(AccessKind.EXPORT, user=user, target=f"export {export.pk}", detail=f"{kind}: {export.title}")
    if export.asynchronous:
        transaction.on_commit(lambda: _enqueue(export.pk))
    else:
        run(export.pk)
        export.refresh_from_db()
    return export


def _enqueue(export_id: int) -> None:
    from exports.tasks import build_export_task

    try:
        build_export_task.delay(export_id)
    except Exception as exc:  # noqa: BLE001 - the broker is down: say so on the row rather than spin forever
        logger.exception("could not queue export %s", export_id)
        _fail(export_id, _("The export could not be queued: %(error)s") % {"error": exc})


# --- building -------------------------------------------------------------------------------------------


def run(export_id: int, *, now: datetime | None = None) -> bool:
    """Build a pending export; ``False`` if another worker has it or it is finished already."""
    if not _claim(export_id, now or timezone.now()):
        return False
    export = Export.objects.select_related("requested_by").get(pk=export_id)
    try:
        built = builder_for(export.kind)(export, _progress_writer(export_id))
    except Exception as exc:  # noqa: BLE001 - any failure of a builder is recorded on the row and told
        logger.exception("export %s (%s) failed", export_id, export.kind)
        _fail(export_id, str(exc) or type(exc).__name__)
        return True
    _finish(export, built)
    return True


def _claim(export_id: int, now: datetime) -> bool:
    claimable = Q(state=ExportState.PENDING) | Q(state=ExportState.RUNNING, started_at__lt=now - STALE_AFTER)
    return bool(
        Export.objects.filter(claimable, pk=export_id).update(state=ExportState.RUNNING, started_at=now, progress=0)
    )


def _progress_writer(export_id: int) -> Progress:
    """``progress(done, total)``: writes the whole percent when it changes (never 100: that is "done")."""
    last = [-1]

    def progress(done: int, total: int) -> None:
        percent = min(99, int(100 * done / total)) if total else 0
        if percent != last[0]:
            last[0] = percent
            Export.objects.filter(pk=export_id, state=ExportState.RUNNING).update(progress=percent)

    return progress


@transaction.atomic
def _finish(export: Export, built: Built) -> None:
    """The file saved, the row done and its owner told, at once (a poller never sees "done" before the notice)."""
    suffix = PurePath(built.filename).suffix or ".bin"
    export.file.save(f"{uuid.uuid4().hex}{suffix}", ContentFile(built.content), save=False)
    Export.objects.filter(pk=export.pk).update(
        state=ExportState.DONE,
        progress=100,
        file=export.file.name,
        filename=built.filename,
        content_type=built.content_type,
        error="",
        finished_at=timezone.now(),
    )
    if export.asynchronous:
        with translation.override(settings.LANGUAGE_CODE):
            text = _("Your export “%(title)s” is ready to download.") % {"title": export.title}
        notify_link(export.requested_by_id, NotificationKind.EXPORT, text, reverse("export-download", args=[export.pk]))


@transaction.atomic
def _fail(export_id: int, error: str) -> None:
    Export.objects.filter(pk=export_id).update(
        state=ExportState.FAILED, error=error[:ERROR_CHARS], finished_at=timezone.now()
    )
    export = Export.objects.get(pk=export_id)
    if export.asynchronous:
        with translation.override(settings.LANGUAGE_CODE):
            text = _("Your export “%(title)s” failed.") % {"title": export.title}
        notify_link(export.requested_by_id, NotificationKind.EXPORT, text, reverse("export-detail", args=[export_id]))


# --- reading and serving --------------------------------------------------------------------------------


def visible_exports(user) -> QuerySet[Export]:
    """The exports ``user`` may see: their own; an administrator's, everyone's."""
    exports = Export.objects.select_related("requested_by")
    if has_role(user, Role.ADMIN):
        return exports
    if not getattr(user, "is_authenticated", False):
        return exports.none()
    return exports.filter(requested_by=user)


def get_export(user, export_id: int) -> Export:
    export = visible_exports(user).filter(pk=export_id).first()
    if export is None:
        raise NotFoundError(_("No such export."))
    return export


def downloadable(user, export_id: int) -> Export:
    """The export, ready and with its file, if ``user`` may download it (404 otherwise; 409 while unfinished)."""
    export = get_export(user, export_id)
    if export.state != ExportState.DONE or not export.file:
        raise ConflictError(_("This export is not ready."))
    return export


def status(export: Export) -> dict[str, Any]:
    """What the progress page polls."""
    done = export.state == ExportState.DONE
    return {
        "id": export.pk,
        "state": export.state,
        "state_display": str(export.get_state_display()),
        "progress": export.progress,
        "rows": export.rows,
        "download_url": reverse("export-download", args=[export.pk]) if done else None,
        "error": export.error,
    }
