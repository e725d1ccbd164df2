"""The scoring scheme in force, and a leader's edit (a new version, never a change).

``current_row`` is the newest stored version; ``current`` its ``scoring.Scheme``. A
database without any version (a test database flushed between transactional tests)
gets version 1, the default of ``evaluation.md``, the first time a month is published.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import Role, acting_role
from evaluation.models import Scheme
from evaluation.services import scoring
from gridcenter.errors import ConflictError, DomainValidationError, PermissionDeniedError

EDITORS = (Role.LEADER, Role.ADMIN)
ATTEMPTS = 3


def newest() -> Scheme | None:
    return Scheme.objects.order_by("-version").first()


def current() -> scoring.Scheme:
    """The scheme in force (the default of ``evaluation.md`` if none is stored)."""
    row = newest()
    return scoring.Scheme.from_model(row) if row else scoring.Scheme(version=1)


def current_row() -> Scheme:
    """The newest stored version, creating version 1 (the default) if there is none."""
    row = newest()
    if row is not None:
        return row
    defaults = {name: Decimal(str(value)) for name, value in scoring.DEFAULT_SCHEME.values().items()}
    row, _created = Scheme.objects.get_or_create(version=1, defaults=defaults)
    return row


def may_edit(user) -> bool:
    return acting_role(user, EDITORS) is not None


def add_version(actor, *, note: str = "", now: datetime | None = None, **values) -> Scheme:
    """A leader's (or an administrator's) edit: a new version with ``values`` (the names of
    ``scoring.SCHEME_FIELDS``; any left out keep the current version's)."""
    if not may_edit(actor):
        raise PermissionDeniedError(_("Only a leader or an administrator may change the scoring scheme."))
    unknown = set(values) - set(scoring.SCHEME_FIELDS)
    if unknown:
        raise DomainValidationError({name: [_("Unknown setting.")] for name in sorted(unknown)})
    base = current_row()
    fields = {name: values.get(name, getattr(base, name)) for name in scoring.SCHEME_FIELDS}
    for _attempt in range(ATTEMPTS):
        latest = newest()
        row = Scheme(
            version=(latest.version if latest else 0) + 1,
            note=(note or "").strip(),
            created_at=now or timezone.now(),
            created_by=actor,
            **fields,
        )
        try:
            row.full_clean(exclude=["version", "created_by"])
        except ValidationError as error:
            raise DomainValidationError(
                {name: list(messages) for name, messages in error.message_dict.items()}
            ) from None
        try:
            with transaction.atomic():
                row.save()
            return row
        except IntegrityError:  # another leader saved a version at the same moment: number ours after it
            continue
    raise ConflictError(_("The scheme is being changed by someone else; try again."))
