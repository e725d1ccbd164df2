"""The patrol diary (民情日志): entries by grid workers (or 代录 by a dispatcher), comments by leaders."""

from __future__ import annotations

import uuid as uuid_module
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.names import display_name
from accounts.roles import Role, has_role
from gridcenter.idempotency import create_once, find_by_key, parse_key
from gridcenter.photos import delete_stored
from gridcenter.realtime import publish, user_group
from grids.models import Grid
from incidents.models import Case
from patrols.choices import DiaryType
from patrols.exceptions import FieldWorkPermissionDenied, FieldWorkValidationError, NotFound
from patrols.models import DiaryComment, DiaryEntry, DiaryPhoto, Patrol
from patrols.services.common import (
    clean_text,
    client_time,
    grid_of_worker,
    optional_point,
    require_role,
    stored_photos,
)

# Who may copy a paper diary in for a worker (代录), and who comments on entries.
ON_BEHALF_ROLES = frozenset({Role.DISPATCHER, Role.ADMIN})
COMMENT_ROLES = frozenset({Role.LEADER, Role.ADMIN})
MAX_HOUSEHOLDS = 10_000


@dataclass(frozen=True)
class DiaryResult:
    entry: DiaryEntry
    created: bool  # False: this client_uuid was entered before; ``entry`` is that one


def _diary_worker(actor, worker) -> tuple[object, bool]:
    """Whose diary the entry goes into, and whether it is entered on their behalf."""
    if worker is None or worker == actor or getattr(worker, "pk", worker) == actor.pk:
        if not has_role(actor, Role.GRID_WORKER):
            if has_role(actor, *ON_BEHALF_ROLES):
                raise FieldWorkValidationError.field("worker", _("Name the grid worker whose diary this is."))
            raise FieldWorkPermissionDenied(_("Only grid workers keep a patrol diary."))
        return actor, False
    require_role(actor, ON_BEHALF_ROLES, _("Only the command centre may enter a diary on a worker's behalf."))
    user_model = get_user_model()
    if not isinstance(worker, user_model):
        try:
            worker = user_model.objects.get(pk=int(worker))
        except (user_model.DoesNotExist, TypeError, ValueError):
            raise FieldWorkValidationError.field("worker", _("Unknown grid worker.")) from None
    if not worker.is_active or not has_role(worker, Role.GRID_WORKER):
        raise FieldWorkValidationError.field("worker", _("This person is not a grid worker."))
    return worker, True


def _case_of(worker, case) -> Case | None:
    """A case the worker may see, given as a ``Case``, its id or its tracking number."""
    if case in (None, ""):
        return None
    cases = Case.objects.visible_to(worker)
    if isinstance(case, Case):
        found = cases.filter(pk=case.pk).first()
    elif isinstance(case, int) or str(case).strip().isdigit():
        found = cases.filter(pk=int(case)).first()
    else:
        found = cases.filter(tracking_no__iexact=str(case).strip()).first()
    if found is None:
        raise FieldWorkValidationError.field("case", _("No such case among the worker's cases."))
    return found


def _patrol_of(worker, patrol) -> Patrol | None:
    if patrol in (None, ""):
        return None
    patrol_id = patrol.pk if isinstance(patrol, Patrol) else patrol
    try:
        return Patrol.objects.get(pk=int(patrol_id), worker=worker)
    except (Patrol.DoesNotExist, TypeError, ValueError):
        raise FieldWorkValidationError.field("patrol", _("Not one of the worker's patrols.")) from None


def create_diary_entry(
    actor,
    *,
    type: DiaryType | str,
    content: str,
    place: str,
    occurred_at: datetime | None = None,
    worker=None,
    grid: Grid | int | None = None,
    action_taken: str = "",
    households_visited: int = 0,
    case: Case | int | str | None = None,
    patrol: Patrol | int | None = None,
    lat: float | None = None,
    lng: float | None = None,
    photos: Sequence = (),
    client_uuid: uuid_module.UUID | str | None = None,
    now: datetime | None = None,
) -> DiaryResult:
    """Write a diary entry into a grid worker's diary: the actor's own, or, for the
    centre, the named ``worker``'s (代录, marked ``on_behalf``). Idempotent on
    ``client_uuid``; photos are re-encoded without metadata."""
    now = now or timezone.now()
    owner, on_behalf = _diary_worker(actor, worker)
    client_uuid = parse_key(client_uuid, FieldWorkValidationError)
    existing = _existing(client_uuid, owner)
    if existing is not None:  # a resend: skip the checks and the photo work
        return DiaryResult(existing, created=False)
    fields = _checked_entry(
        owner,
        type=type,
        content=content,
        place=place,
        occurred_at=occurred_at,
        grid=grid,
        action_taken=action_taken,
        households_visited=households_visited,
        case=case,
        patrol=patrol,
        lat=lat,
        lng=lng,
        now=now,
    )
    with stored_photos(photos) as stored:
        entry, created = create_once(
            client_uuid,
            find=lambda: _existing(client_uuid, owner),
            create=lambda: _write_entry(
                fields, stored, owner=owner, actor=actor, on_behalf=on_behalf, client_uuid=client_uuid, now=now
            ),
            discard=lambda: delete_stored(stored),
            look_first=False,
        )
    return DiaryResult(entry, created=created)


def _checked_entry(
    owner,
    *,
    type: DiaryType | str,
    content: str,
    place: str,
    occurred_at: datetime | None,
    grid: Grid | int | None,
    action_taken: str,
    households_visited: int,
    case: Case | int | str | None,
    patrol: Patrol | int | None,
    lat: float | None,
    lng: float | None,
    now: datetime,
) -> dict:
    """The entry's fields, every input checked (a ``FieldWorkValidationError`` names the
    first bad one); grid, case and patrol must be the owner's."""
    if type not in DiaryType.values:
        raise FieldWorkValidationError.field("type", _("Unknown type of entry."))
    content = clean_text("content", content, required=True, limit=4000)
    place = clean_text("place", place, required=True, limit=200)
    action_taken = clean_text("action_taken", action_taken, required=False, limit=4000)
    if isinstance(households_visited, bool) or not isinstance(households_visited, int):
        raise FieldWorkValidationError.field("households_visited", _("A whole number is required."))
    if not 0 <= households_visited <= MAX_HOUSEHOLDS:
        raise FieldWorkValidationError.field(
            "households_visited", _("Enter a number from 0 to %(max)d.") % {"max": MAX_HOUSEHOLDS}
        )
    occurred = client_time("occurred_at", occurred_at, now) or now
    location = optional_point(lat, lng)
    return {
        "grid": grid_of_worker(owner, grid),
        "case": _case_of(owner, case),
        "patrol": _patrol_of(owner, patrol),
        "type": type,
        "occurred_at": occurred,
        "place": place,
        "location": location,
        "content": content,
        "action_taken": action_taken,
        "households_visited": households_visited,
    }


def _write_entry(
    fields: dict, stored: list, *, owner, actor, on_behalf: bool, client_uuid, now: datetime
) -> DiaryEntry:
    """Insert the entry and its photos (inside the caller's transaction)."""
    entry = DiaryEntry.objects.create(
        worker=owner, **fields, client_uuid=client_uuid, entered_by=actor, on_behalf=on_behalf, created_at=now
    )
    DiaryPhoto.objects.bulk_create(
        DiaryPhoto(
            entry=entry,
            file=photo.file,
            thumbnail=photo.thumbnail,
            width=photo.width,
            height=photo.height,
            size=photo.size,
        )
        for photo in stored
    )
    return entry


def _existing(client_uuid, owner) -> DiaryEntry | None:
    return find_by_key(
        DiaryEntry.objects.all(),
        client_uuid,
        is_own=lambda entry: entry.worker_id == owner.pk,
        error=FieldWorkValidationError,
        message=_("This key belongs to another entry."),
    )


def get_entry(user, entry: DiaryEntry | int) -> DiaryEntry:
    entry_id = entry.pk if isinstance(entry, DiaryEntry) else entry
    found = DiaryEntry.objects.visible_to(user).filter(pk=entry_id).first()
    if found is None:
        raise NotFound(_("No such diary entry."))
    return found


def comment_diary_entry(actor, entry: DiaryEntry | int, *, text: str, now: datetime | None = None) -> DiaryComment:
    """A leader's comment (批示) on an entry; the worker hears of it on their phone."""
    now = now or timezone.now()
    require_role(actor, COMMENT_ROLES, _("Only leaders comment on diary entries."))
    body = clean_text("text", text, required=True)
    with transaction.atomic():
        found = get_entry(actor, entry)
        comment = DiaryComment.objects.create(entry=found, author=actor, text=body, created_at=now)
        publish(
            [user_group(found.worker_id)],
            "diary.comment",
            {"entry": found.pk, "comment": comment.pk, "author": display_name(actor), "text": body[:200]},
        )
    return comment
