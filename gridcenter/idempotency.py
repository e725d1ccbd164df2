"""Creating a record once per phone key (``client_uuid``): a resend gets the first record.

A phone on a weak signal resends what it is not sure arrived; each record it creates
carries the phone's key in a column with a unique index. ``create_once`` finds the record
of a key, or creates it in a savepoint; when two submissions of one key race, the loser's
insert fails on the unique index and it answers with the winner's record. The key is
the sender's: someone else's key (sent by mistake, or guessed) is a 400, never another
person's record (``find_by_key``).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import TypeVar

from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext as _

from gridcenter.errors import DomainValidationError

T = TypeVar("T")
KEY_FIELD = "client_uuid"
# A submission whose rival was rolled back after the clash tries again this often.
ATTEMPTS = 3


def parse_key(value, error: type[DomainValidationError], field: str = KEY_FIELD) -> uuid.UUID | None:
    """The key as a UUID (``None`` when not given); a malformed one is a 400 on ``field``."""
    if value in (None, ""):
        return None
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except ValueError:
        raise error.field(field, _("Must be a valid UUID.")) from None


def find_by_key(
    queryset: models.QuerySet,
    key: uuid.UUID | None,
    *,
    is_own: Callable[[T], bool],
    error: type[DomainValidationError],
    message: str,
) -> T | None:
    """The record created with ``key``, if any, checked to be the sender's (``is_own``)."""
    if key is None:
        return None
    found = queryset.filter(**{KEY_FIELD: key}).first()
    if found is not None and not is_own(found):
        raise error.field(KEY_FIELD, message)
    return found


def is_key_clash(exc: IntegrityError) -> bool:
    """Whether an insert failed on the unique index of the key column (not another constraint)."""
    diag = getattr(exc.__cause__, "diag", None)
    return KEY_FIELD in (getattr(diag, "constraint_name", None) or "")


def create_once(
    key: uuid.UUID | None,
    *,
    find: Callable[[], T | None],
    create: Callable[[], T],
    discard: Callable[[], None] = lambda: None,
    look_first: bool = True,
) -> tuple[T, bool]:
    """``(record, created)``: the record of ``key`` that ``find`` returns, or a new one.

    ``create`` runs in a savepoint. ``discard`` undoes what a losing submission made
    outside the database (stored photo files). ``look_first=False`` skips the look-up
    before inserting (a report without photos: the unique index answers a resend at no
    cost); a caller with expensive work to do first looks up itself.
    """
    if key is not None and look_first:
        existing = find()
        if existing is not None:
            return existing, False
    for attempt in range(ATTEMPTS):
        try:
            with transaction.atomic():
                return create(), True
        except IntegrityError as exc:
            if key is None or not is_key_clash(exc):
                raise
            existing = find()
            if existing is not None:
                discard()
                return existing, False
            if attempt == ATTEMPTS - 1:  # the rival keeps rolling back: let the phone resend
                raise
    raise AssertionError("unreachable")
