"""Writing, pushing, delivering and reading notifications.

* ``notify(drafts)`` writes the rows (in the caller's transaction), keeping only the
  people who may see the case (``Case.objects.visible_to``), and after commit pushes one
  ``notification`` message per person to ``user.<id>`` (``/ws/user/``) and hands the ids
  to the delivery adapters (``notifications.tasks``). Rows first, pushes second: a push
  or a delivery that fails is logged; the row stays.
* ``notify_link`` writes one notification that is about no case (an export ready) and
  opens a page of its own; it is pushed and delivered the same way.
* ``on_case_events`` is the listener of ``incidents.services.events.case_events_recorded``:
  every step of a case (and every SLA step of the sweep) comes through it.
* ``unread_count`` is cached per person (``notifications:unread:<id>``), dropped whenever
  it changes; ``mark_read`` / ``mark_all_read`` change only the person's own rows.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

from accounts.roles import CENTRE_ROLES, DEPARTMENT_ROLES, Role, roles_of
from gridcenter.pgarrays import int_array, text_array
from gridcenter.realtime import is_muted, publish, user_group
from incidents.models import Case
from notifications.choices import NotificationKind
from notifications.models import Notification
from notifications.recipients import Draft, drafts

logger = logging.getLogger(__name__)

MESSAGE_TYPE = "notification"
CACHE_SECONDS = 300


def _cache_key(user_id: int) -> str:
    return f"notifications:unread:{user_id}"


# --- writing ------------------------------------------------------------------------------------------


def visible_drafts(found: Sequence[Draft]) -> list[Draft]:
    """The drafts whose recipient may see the case (one query per person, not per case)."""
    by_person: dict[int, set[int]] = defaultdict(set)
    for draft in found:
        by_person[draft.recipient_id].add(draft.case_id)
    users = get_user_model().objects.filter(pk__in=by_person, is_active=True)
    allowed: set[tuple[int, int]] = set()
    for user in users:
        seen = Case.objects.visible_to(user).filter(pk__in=by_person[user.pk]).values_list("pk", flat=True)
        allowed.update((user.pk, pk) for pk in seen)
    return [draft for draft in found if (draft.recipient_id, draft.case_id) in allowed]


# The rows at once (the sweep writes thousands in a burst), no model instance per row.
INSERT_SQL = """
INSERT INTO notifications_notification (recipient_id, case_id, event_id, kind, text, created_at)
SELECT n.recipient_id, n.case_id, n.event_id, n.kind, n.text, %s
FROM unnest(%s::bigint[], %s::bigint[], %s::bigint[], %s::text[], %s::text[]) AS n(recipient_id, case_id, event_id,
                                                                                   kind, text)
RETURNING id, recipient_id, event_id
"""


def notify(found: Iterable[Draft], *, now: datetime | None = None) -> list[int]:
    """Write the notifications (visibility checked), push and deliver them after commit.

    Returns the ids of the rows written."""
    kept = visible_drafts(list(found))
    if not kept:
        return []
    now = now or timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(
            INSERT_SQL,
            [
                now,
                int_array(draft.recipient_id for draft in kept),
                int_array(draft.case_id for draft in kept),
                int_array(draft.event_id for draft in kept),
                text_array(draft.kind.value for draft in kept),
                text_array(draft.text for draft in kept),
            ],
        )
        rows = cursor.fetchall()
    # What each person is pushed: how many are new, and the newest (a person is told once per step).
    by_key = {(draft.recipient_id, draft.event_id): draft for draft in kept}
    fresh: dict[int, list] = {}
    for pk, recipient_id, event_id in sorted(rows):
        entry = fresh.setdefault(recipient_id, [0, None])
        entry[0] += 1
        entry[1] = (pk, by_key[recipient_id, event_id])
    summary = {recipient: (count, _item(pk, draft, now)) for recipient, (count, (pk, draft)) in fresh.items()}
    ids = [row[0] for row in rows]
    transaction.on_commit(lambda: _after_commit(ids, summary))
    return ids


def notify_link(recipient_id: int, kind: NotificationKind, text: str, link: str, *, now: datetime | None = None) -> int:
    """Write one notification about no case, opening ``link``; pushed and delivered after commit."""
    notification = Notification.objects.create(
        recipient_id=recipient_id, kind=kind, text=text, link=link, created_at=now or timezone.now()
    )
    summary = {recipient_id: (1, item(notification))}
    transaction.on_commit(lambda: _after_commit([notification.pk], summary))
    return notification.pk


def on_case_events(sender, events, **kwargs) -> None:
    """Listener of ``case_events_recorded``: the notifications each step calls for.

    Bulk loads that nobody watches (inside ``gridcenter.realtime.muted()``, e.g. the demo
    history) tell nobody. A failure here is logged and does not undo the step.
    """
    if is_muted():
        return
    found = drafts(events)
    if not found:
        return
    try:
        with transaction.atomic():
            notify(found)
    except Exception:  # noqa: BLE001 - the step itself must not fail for its notifications
        logger.exception("could not write the notifications of %d case events", len(events))


def _after_commit(ids: list[int], summary: dict[int, tuple[int, dict[str, Any]]]) -> None:
    try:
        push(summary)
    except Exception:  # noqa: BLE001 - the rows are committed; a lost push costs freshness only
        logger.exception("could not push %d notifications", len(ids))
    from notifications.tasks import enqueue_deliveries

    enqueue_deliveries(ids)


# --- pushing ------------------------------------------------------------------------------------------


def item(notification: Notification) -> dict[str, Any]:
    """A notification as the API and the live push show it."""
    return {
        "id": notification.pk,
        "kind": notification.kind,
        "kind_display": str(notification.get_kind_display()),
        "text": notification.text,
        "case": notification.case_id,
        "created_at": notification.created_at.isoformat(),
        "read": notification.read_at is not None,
        "url": reverse("notification-open", args=[notification.pk]),
    }


def _item(pk: int, draft: Draft, created_at: datetime) -> dict[str, Any]:
    """``item`` of a row just written, from its draft."""
    return {
        "id": pk,
        "kind": str(draft.kind),
        "kind_display": str(NotificationKind(draft.kind).label),
        "text": draft.text,
        "case": draft.case_id,
        "created_at": created_at.isoformat(),
        "read": False,
        "url": reverse("notification-open", args=[pk]),
    }


def push(summary: dict[int, tuple[int, dict[str, Any]]]) -> None:
    """One live message per person: their unread count, how many are new, the newest one."""
    for user_id in summary:
        forget_unread(user_id)
    counts = unread_counts(list(summary))
    for user_id, (new, latest) in summary.items():
        publish([user_group(user_id)], MESSAGE_TYPE, {"unread": counts.get(user_id, 0), "new": new, "latest": latest})


# --- reading ------------------------------------------------------------------------------------------


def unread_counts(user_ids: Sequence[int]) -> dict[int, int]:
    rows = (
        Notification.objects.filter(recipient_id__in=user_ids, read_at__isnull=True)
        .order_by()
        .values_list("recipient_id")
        .annotate(n=Count("id"))
    )
    return dict(rows)


def unread_count(user) -> int:
    """How many of the user's notifications are unread (cached, dropped on every change)."""
    if not getattr(user, "is_authenticated", False):
        return 0
    key = _cache_key(user.pk)
    try:
        cached = cache.get(key)
    except Exception:  # noqa: BLE001 - Redis down: count in the database
        cached = None
    if cached is not None:
        return int(cached)
    count = Notification.objects.filter(recipient=user, read_at__isnull=True).count()
    try:
        cache.set(key, count, CACHE_SECONDS)
    except Exception:  # noqa: BLE001 - the count is right; only the cache is missing
        logger.warning("could not cache the unread count of user %s", user.pk)
    return count


def forget_unread(user_id: int) -> None:
    try:
        cache.delete(_cache_key(user_id))
    except Exception:  # noqa: BLE001 - the cached value expires within CACHE_SECONDS
        logger.warning("could not drop the cached unread count of user %s", user_id)


def mark_read(user, notification_id: int, *, now: datetime | None = None) -> bool:
    """Mark one of the user's own notifications read (``False``: no such notification of theirs)."""
    mine = Notification.objects.filter(pk=notification_id, recipient=user)
    if not mine.exists():
        return False
    mine.filter(read_at__isnull=True).update(read_at=now or timezone.now())
    transaction.on_commit(lambda: forget_unread(user.pk))
    return True


def mark_all_read(user, *, now: datetime | None = None) -> int:
    """Mark all the user's unread notifications read; returns how many."""
    count = Notification.objects.filter(recipient=user, read_at__isnull=True).update(read_at=now or timezone.now())
    transaction.on_commit(lambda: forget_unread(user.pk))
    return count


def case_url(user, case_id: int) -> str:
    """The page where ``user`` works on a case: the console, the workbench or the phone."""
    held = roles_of(user)
    if held & CENTRE_ROLES:
        return reverse("console-case", args=[case_id])
    if held & DEPARTMENT_ROLES:
        return reverse("workbench-case", args=[case_id])
    if Role.GRID_WORKER in held:
        return reverse("m-case", args=[case_id])
    return reverse("notifications")
