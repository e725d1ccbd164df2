"""Directives (上级指令): the centre sends, each recipient's phone hears it live, reads, replies.

``send_directive`` resolves the target to one ``DirectiveRecipient`` per grid worker in
the same transaction and, after commit, pushes ``directive.new`` to each recipient's own
channel (``user.<id>``, the ``/ws/user/`` socket). Reading and replying push
``directive.receipt`` to the sender's channel, so the receipts page can follow live.
"""

from __future__ import annotations

import uuid as uuid_module
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.names import display_name
from accounts.roles import Role
from gridcenter.idempotency import create_once, find_by_key, parse_key
from gridcenter.photos import delete_stored
from gridcenter.realtime import CENTRE_GROUP, publish, user_group
from grids.models import Community, Grid, Township
from patrols.choices import DirectiveTarget, Urgency
from patrols.exceptions import Conflict, FieldWorkValidationError, NotFound
from patrols.models import Directive, DirectiveRecipient
from patrols.services.common import clean_text, optional_point, require_role, stored_photos


@dataclass(frozen=True)
class DirectiveResult:
    directive: Directive
    created: bool  # False: this client_uuid was sent before; ``directive`` is that one


SEND_ROLES = frozenset({Role.DISPATCHER, Role.ADMIN})
LABEL_LENGTH = 300


def grid_worker_users() -> QuerySet:
    """Every active user who holds the grid-worker role."""
    return get_user_model().objects.filter(is_active=True, groups__name=Role.GRID_WORKER.value)


def _ids(target_ids: Iterable) -> list[int]:
    try:
        ids = sorted({int(value) for value in target_ids})
    except (TypeError, ValueError):
        raise FieldWorkValidationError.field("target_ids", _("Give a list of ids.")) from None
    if not ids:
        raise FieldWorkValidationError.field("target_ids", _("Choose at least one."))
    return ids


def _label(names: list[str]) -> str:
    label = "、".join(names)
    return label if len(label) <= LABEL_LENGTH else label[: LABEL_LENGTH - 1] + "…"


def resolve_recipients(target: DirectiveTarget | str, target_ids: Iterable = ()) -> tuple[list[int], list[int], str]:
    """The user ids a target reaches now, the ids it named, and a label for people.

    Townships, communities and grids reach the workers serving grids of the active map
    in them; named workers must hold the grid-worker role. An unknown id is a 400.
    """
    workers = grid_worker_users()
    if target == DirectiveTarget.ALL:
        return sorted(set(workers.values_list("pk", flat=True))), [], str(DirectiveTarget.ALL.label)
    if target not in DirectiveTarget.values:
        raise FieldWorkValidationError.field("target", _("Unknown target."))
    ids = _ids(target_ids)
    units = {
        DirectiveTarget.TOWNSHIP: (Township.objects.all(), "grid_worker__grids__community__township__in"),
        DirectiveTarget.COMMUNITY: (Community.objects.all(), "grid_worker__grids__community__in"),
        DirectiveTarget.GRID: (Grid.objects.active(), "grid_worker__grids__in"),
    }
    if target == DirectiveTarget.WORKERS:
        named = {user.pk: display_name(user) for user in workers.filter(pk__in=ids)}
        if len(named) != len(ids):
            raise FieldWorkValidationError.field("target_ids", _("Not all of these people are grid workers."))
        return ids, ids, _label([named[pk] for pk in ids])
    queryset, lookup = units[DirectiveTarget(target)]
    rows = list(queryset.filter(pk__in=ids).order_by("code").values_list("pk", "name"))
    if len(rows) != len(ids):
        raise FieldWorkValidationError.field("target_ids", _("Some of these do not exist (or not on the current map)."))
    # One filter() call: the unit and "on the active map" must hold for the same grid.
    reached = workers.filter(**{lookup: ids, "grid_worker__grids__generation__is_active": True})
    return sorted(set(reached.values_list("pk", flat=True))), ids, _label([name for _pk, name in rows])


def send_directive_result(
    actor,
    *,
    text: str,
    target: DirectiveTarget | str,
    target_ids: Iterable = (),
    urgency: Urgency | str = Urgency.NORMAL,
    reply_deadline: datetime | None = None,
    lat: float | None = None,
    lng: float | None = None,
    photo=None,
    client_uuid: uuid_module.UUID | str | None = None,
    now: datetime | None = None,
) -> DirectiveResult:
    """Send a directive to the workers ``target`` reaches; idempotent on ``client_uuid``:
    a resend of a key of this sender's answers the first directive (``created`` False)."""
    now = now or timezone.now()
    require_role(actor, SEND_ROLES, _("Only the command centre sends directives."))
    client_uuid = parse_key(client_uuid, FieldWorkValidationError)
    existing = _existing(client_uuid, actor)
    if existing is not None:  # a resend: skip the checks and the photo work
        return DirectiveResult(existing, created=False)
    fields, recipients = _checked_directive(
        text=text,
        target=target,
        target_ids=target_ids,
        urgency=urgency,
        reply_deadline=reply_deadline,
        lat=lat,
        lng=lng,
        now=now,
    )
    with stored_photos([photo] if photo else []) as stored:
        directive, created = create_once(
            client_uuid,
            find=lambda: _existing(client_uuid, actor),
            create=lambda: _write_directive(actor, fields, recipients, stored, client_uuid=client_uuid, now=now),
            discard=lambda: delete_stored(stored),
            look_first=False,
        )
    return DirectiveResult(directive, created=created)


def send_directive(actor, **fields: Any) -> Directive:
    """``send_directive_result``'s directive (pages, commands and tests that need no more)."""
    return send_directive_result(actor, **fields).directive


def _existing(client_uuid, sender) -> Directive | None:
    """The directive an earlier submission of this one created (the key is the sender's)."""
    return find_by_key(
        Directive.objects.all(),
        client_uuid,
        is_own=lambda directive: directive.sender_id == sender.pk,
        error=FieldWorkValidationError,
        message=_("This key belongs to another directive."),
    )


def _checked_directive(
    *,
    text: str,
    target: DirectiveTarget | str,
    target_ids: Iterable,
    urgency: Urgency | str,
    reply_deadline: datetime | None,
    lat: float | None,
    lng: float | None,
    now: datetime,
) -> tuple[dict, list[int]]:
    """The directive's fields and its recipients' user ids, every input checked (a
    ``FieldWorkValidationError`` names the first bad one; a target nobody is in is one)."""
    body = clean_text("text", text, required=True)
    if urgency not in Urgency.values:
        raise FieldWorkValidationError.field("urgency", _("Unknown urgency."))
    if reply_deadline is not None and reply_deadline <= now:
        raise FieldWorkValidationError.field("reply_deadline", _("The deadline for replies must be in the future."))
    location = optional_point(lat, lng)
    recipients, named, label = resolve_recipients(target, target_ids)
    if not recipients:
        raise FieldWorkValidationError.field("target", _("Nobody would receive this directive."))
    fields = {
        "text": body,
        "urgency": urgency,
        "location": location,
        "reply_deadline": reply_deadline,
        "target": target,
        "target_ids": named,
        "target_label": label,
        "recipient_count": len(recipients),
    }
    return fields, recipients


def _write_directive(
    actor, fields: dict, recipients: list[int], stored: list, *, client_uuid, now: datetime
) -> Directive:
    """Insert the directive and one receipt per recipient, and push it to each phone
    after commit (inside the caller's transaction)."""
    directive = Directive.objects.create(
        sender=actor,
        photo=stored[0].file if stored else "",
        photo_thumbnail=stored[0].thumbnail if stored else "",
        client_uuid=client_uuid,
        sent_at=now,
        **fields,
    )
    DirectiveRecipient.objects.bulk_create(DirectiveRecipient(directive=directive, worker_id=pk) for pk in recipients)
    publish([user_group(pk) for pk in recipients], "directive.new", directive_payload(directive))
    return directive


def directive_payload(directive: Directive) -> dict:
    """What a phone is told of a new directive (it fetches the rest from the API)."""
    return {
        "id": directive.pk,
        "text": directive.text[:200],
        "urgency": directive.urgency,
        "urgent": directive.is_urgent,
        "reply_deadline": directive.reply_deadline.isoformat() if directive.reply_deadline else None,
        "sent_at": directive.sent_at.isoformat(),
        "sender": display_name(directive.sender),
        "has_photo": bool(directive.photo),
    }


def get_receipt(user, directive: Directive | int, *, lock: bool = True) -> DirectiveRecipient:
    """The user's own recipient row of a directive (locked), or "not found"."""
    directive_id = directive.pk if isinstance(directive, Directive) else directive
    rows = DirectiveRecipient.objects.select_related("directive")
    if lock:
        rows = rows.select_for_update(of=("self",))
    try:
        return rows.get(directive_id=int(directive_id), worker=user)
    except (DirectiveRecipient.DoesNotExist, TypeError, ValueError):
        raise NotFound(_("No such directive among yours.")) from None


def _announce_receipt(receipt: DirectiveRecipient) -> None:
    """``directive.receipt`` to the sender and the centre (whose people may open the receipts
    page), after commit: the page updates the worker's row and its counters."""
    publish(
        [CENTRE_GROUP, user_group(receipt.directive.sender_id)],
        "directive.receipt",
        {
            "directive": receipt.directive_id,
            "worker": receipt.worker_id,
            "read_at": receipt.read_at.isoformat() if receipt.read_at else None,
            "replied_at": receipt.replied_at.isoformat() if receipt.replied_at else None,
            "reply": receipt.reply,
        },
    )


def mark_directive_read(actor, directive: Directive | int, *, now: datetime | None = None) -> DirectiveRecipient:
    """The recipient has read the directive (the first time counts; again changes nothing)."""
    now = now or timezone.now()
    with transaction.atomic():
        receipt = get_receipt(actor, directive)
        if receipt.read_at is None:
            receipt.read_at = now
            receipt.save(update_fields=["read_at"])
            _announce_receipt(receipt)
    return receipt


def reply_directive(actor, directive: Directive | int, *, text: str, now: datetime | None = None) -> DirectiveRecipient:
    """The recipient's one reply (which also marks the directive read)."""
    now = now or timezone.now()
    body = clean_text("text", text, required=True)
    with transaction.atomic():
        receipt = get_receipt(actor, directive)
        if receipt.replied_at is not None:
            raise Conflict(_("You have replied to this directive already."), code="already_replied")
        receipt.reply = body
        receipt.replied_at = now
        receipt.read_at = receipt.read_at or now
        receipt.save(update_fields=["reply", "replied_at", "read_at"])
        _announce_receipt(receipt)
    return receipt
