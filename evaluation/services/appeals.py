"""Appeals (申诉): a department head contests one counted item, a leader decides.

* ``appeal``: after a month is published, the head of a department appeals one item counted
  against it: a round behind its ``shirked``, ``overdue_open`` or ``rework`` figure in the
  month's newest version, named by the figure and the case (and the round number when the
  case has more than one round there), within 5 working days of the month's first
  publication, with a reason and, optionally, evidence. An item not counted there is a
  400; someone who is not the head of the department it counted against, a 403; the same
  item appealed twice, a 409.
* ``decide_appeal`` (``uphold_appeal``, ``dismiss_appeal``): a leader (or an administrator)
  decides, with a note. The decision is a compare-and-set on the appeal's state: of two
  leaders deciding at once one wins, the other gets a 409. An upheld appeal republishes
  the month (``publishing.republish``) without the item, in the same transaction.

Everything stays on record: the appeal row keeps who appealed, when, why and the evidence,
who decided, when and why, and the version the decision published.
"""

from __future__ import annotations

from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import Role, acting_role, has_role
from departments.models import Department
from departments.selectors import officer_of
from evaluation.choices import APPEALABLE_FIGURES, AppealState
from evaluation.models import Appeal, Publication
from evaluation.periods import Period
from evaluation.services import publishing, read
from evaluation.services.freezing import Item
from gridcenter.errors import ConflictError, DomainValidationError, NotFoundError, PermissionDeniedError
from worktime import calendar
from worktime.choices import TimeLimitUnit

APPEAL_WORKING_DAYS = 5
DECIDERS = (Role.LEADER, Role.ADMIN)
MAX_TEXT = 2000


def _text(field: str, value: str, *, required: str | None = None) -> str:
    value = (value or "").strip()
    if required and not value:
        raise DomainValidationError.field(field, required)
    if len(value) > MAX_TEXT:
        raise DomainValidationError.field(field, _("At most 2000 characters."))
    return value


def appeal_deadline(first: Publication) -> datetime:
    """The end of the 5 working days after the month's first publication (``worktime.calendar``)."""
    return calendar.deadline(first.published_at, APPEAL_WORKING_DAYS, TimeLimitUnit.WORKING_DAYS).deadline


def _head_department(actor) -> Department:
    officer = officer_of(actor)
    if officer is None or not officer.is_head or not has_role(actor, Role.DEPT_HEAD):
        raise PermissionDeniedError(_("Only the head of a department may appeal its evaluation."))
    return officer.department


def _published(period: Period, now: datetime) -> Publication:
    latest = read.publication(period)
    if latest is None:
        raise DomainValidationError.field("period", _("This month has not been published: there is nothing to appeal."))
    first = latest if latest.version == 1 else Publication.objects.get(period=period.key, version=1)
    if now > appeal_deadline(first):
        raise DomainValidationError.field(
            "period",
            _("The 5 working days for appealing this month ended on %(end)s.")
            % {"end": timezone.localtime(appeal_deadline(first)).strftime("%Y-%m-%d %H:%M")},
        )
    return latest


def _counted_round(publication: Publication, department: Department, figure: str, case: int, round_no) -> int:
    """The round number of the item, checked to be counted against ``department`` (400, 403)."""
    found = read.counted_rounds(publication, figure, case, round_no)
    if not found:
        raise DomainValidationError.field("case", _("This case is not counted in this figure of the month."))
    own = [number for key, number in found if key == department.code]
    if not own:
        raise PermissionDeniedError(_("This item counts against another department."))
    return own[0]


def appeal(
    actor,
    period: Period,
    *,
    figure: str,
    case: int,
    reason: str,
    evidence: str = "",
    round_no: int | None = None,
    now: datetime | None = None,
) -> Appeal:
    """A department head appeals one counted item of a published month (see the module docstring)."""
    department = _head_department(actor)
    reason = _text("reason", reason, required=_("Give the reason for the appeal."))
    evidence = _text("evidence", evidence)
    if figure not in APPEALABLE_FIGURES:
        raise DomainValidationError.field(
            "figure", _("Only shirked returns, overdue rounds and reworks may be appealed.")
        )
    try:
        case_id = int(case)
    except (TypeError, ValueError):
        raise DomainValidationError.field("case", _("Give the case's number.")) from None
    now = now or timezone.now()
    publication = _published(period, now)
    number = _counted_round(publication, department, figure, case_id, round_no)
    try:
        with transaction.atomic():
            return Appeal.objects.create(
                period=period.key,
                publication=publication,
                department=department,
                figure=figure,
                case_id=case_id,
                round_no=number,
                reason=reason,
                evidence=evidence,
                appealed_by=actor,
                appealed_at=now,
            )
    except IntegrityError:
        raise ConflictError(_("This item has already been appealed.")) from None


def decide_appeal(actor, appeal: Appeal | int, *, uphold: bool, note: str, now: datetime | None = None) -> Appeal:
    """A leader upholds or dismisses a pending appeal (one wins of two at once; 409 for the other)."""
    if acting_role(actor, DECIDERS) is None:
        raise PermissionDeniedError(_("Only a leader may decide an appeal."))
    note = _text("note", note, required=_("Give the reason for the decision."))
    now = now or timezone.now()
    appeal_id = appeal.pk if isinstance(appeal, Appeal) else appeal
    state = AppealState.UPHELD if uphold else AppealState.DISMISSED
    with transaction.atomic():
        claimed = Appeal.objects.filter(pk=appeal_id, state=AppealState.PENDING).update(
            state=state, decided_by=actor, decided_at=now, decision_note=note
        )
        if not claimed:
            if not Appeal.objects.filter(pk=appeal_id).exists():
                raise NotFoundError(_("No such appeal."))
            raise ConflictError(_("This appeal has already been decided."))
        decided = Appeal.objects.select_related("publication").get(pk=appeal_id)
        if uphold:
            year, month = (int(part) for part in decided.period.split("-"))
            decided.result = publishing.republish(
                Period(year, month),
                reason=_("Appeal %(id)s upheld: %(note)s") % {"id": decided.pk, "note": note},
                actor=actor,
                without=[Item(decided.figure, decided.case_id, decided.round_no)],
                now=now,
            )
            decided.save(update_fields=["result"])
    return decided


def uphold_appeal(actor, appeal: Appeal | int, *, note: str, now: datetime | None = None) -> Appeal:
    return decide_appeal(actor, appeal, uphold=True, note=note, now=now)


def dismiss_appeal(actor, appeal: Appeal | int, *, note: str, now: datetime | None = None) -> Appeal:
    return decide_appeal(actor, appeal, uphold=False, note=note, now=now)
