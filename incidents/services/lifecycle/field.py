"""The grid workers' steps (solved on the spot: 网格员自行处置; verified on site: 核查) and
everyone's supervision and notes (督办, a note)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import Role
from incidents.choices import AttachmentKind, CaseAction, CaseStatus
from incidents.exceptions import CaseValidationError
from incidents.models import Case
from incidents.services.events import optional_text
from incidents.services.lifecycle.transition import Change, acting_department, transition


def self_resolve_case(
    actor, case: Case | int, *, photos: Sequence, note: str = "", now: datetime | None = None
) -> Case:
    """网格员自行处置: the reporting grid worker solved it on the spot (reported → resolved).

    At least one photo of the result is required; the centre then reviews the case as
    any other resolved one.
    """
    note = optional_text("note", note)
    if not photos:
        raise CaseValidationError.field("photos", _("Add at least one photo of the result."))
    now_ = now or timezone.now()

    def apply(case: Case, role: Role) -> Change:
        return Change({"status": CaseStatus.RESOLVED, "resolved_at": now_})

    return transition(
        actor,
        case,
        CaseAction.SELF_RESOLVE,
        apply,
        now=now_,
        note=note,
        photos=photos,
        photo_kind=AttachmentKind.AFTER,
    )


def verify_case(actor, case: Case | int, *, note: str = "", photos: Sequence = (), now: datetime | None = None) -> Case:
    """核查: a grid worker of the case's grid confirms on site that the fix is real."""
    note = optional_text("note", note)
    now_ = now or timezone.now()

    def apply(case: Case, role: Role) -> Change:
        return Change({"verified_at": now_, "verified_by": actor})

    return transition(
        actor, case, CaseAction.VERIFY, apply, now=now_, note=note, photos=photos, photo_kind=AttachmentKind.AFTER
    )


# --- supervision and notes ----------------------------------------------------------------------------


def urge_case(actor, case: Case | int, *, note: str = "", now: datetime | None = None) -> Case:
    """督办: a leader (or the centre) presses for progress; the status does not change."""
    note = optional_text("note", note)

    def apply(case: Case, role: Role) -> Change:
        return Change({"urge_count": case.urge_count + 1})

    return transition(actor, case, CaseAction.URGE, apply, now=now, note=note)


def add_note_case(
    actor, case: Case | int, *, note: str = "", photos: Sequence = (), now: datetime | None = None
) -> Case:
    """A note (progress, a remark, photos) by anyone who sees the case and holds a role.

    Assisting departments record their part this way. The status does not change.
    """
    note = optional_text("note", note)
    if not note and not photos:
        raise CaseValidationError.field("note", _("Write a note or add a photo."))

    def apply(case: Case, role: Role) -> Change:
        return Change({}, department=acting_department(actor) if role in (Role.OFFICER, Role.DEPT_HEAD) else None)

    return transition(actor, case, CaseAction.NOTE, apply, now=now, note=note, photos=photos)
