"""Publishing a month: its rows and rounds frozen with the scheme in force, as version 1.

* ``publish`` freezes a month that is over (the current month stays provisional): every
  subject kind of ``read.SUBJECTS`` computed with the current scheme, its rows and the
  rounds behind its figures, in one transaction. Publishing a published month returns its
  version 1 unchanged. Two at once (two beat schedulers, a task and the command) make one
  publication: the version-1 row is inserted first, its unique constraint makes the other
  wait for the first to commit and then return the winner's.
* ``republish`` makes version N+1 from version N, less the items an upheld appeal removes
  (``evaluation.services.appeals``); the period's version-1 row is locked meanwhile, so
  versions are numbered one after another. Every version stays readable.
* ``publish_previous_month`` is what the beat task runs on the 1st at 01:00.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import Role, acting_role
from evaluation.models import Publication
from evaluation.periods import Period, period_of
from evaluation.services import freezing, read, rounds, schemes, scoring
from evaluation.services.freezing import Item
from gridcenter.errors import ConflictError, DomainValidationError, PermissionDeniedError

logger = logging.getLogger(__name__)

PUBLISHERS = (Role.LEADER, Role.ADMIN)
MAX_REASON = 2000


def check_closed(period: Period, now: datetime) -> None:
    """A month is published once it is over; until then it is provisional (400)."""
    if period >= period_of(now):
        raise DomainValidationError.field(
            "period",
            _("%(period)s is not over yet: it stays provisional until the 1st of the next month.")
            % {"period": period.key},
        )


def _check_publisher(actor) -> None:
    if actor is not None and acting_role(actor, PUBLISHERS) is None:
        raise PermissionDeniedError(_("Only a leader or an administrator may publish the evaluation."))


def _first(period: Period) -> Publication | None:
    return Publication.objects.filter(period=period.key, version=1).select_related("scheme").first()


def publish(period: Period, *, actor=None, reason: str = "", now: datetime | None = None) -> Publication:
    """Version 1 of ``period`` (made now, or the one made before). ``actor`` is ``None`` for the task."""
    now = now or timezone.now()
    _check_publisher(actor)
    check_closed(period, now)
    existing = _first(period)
    if existing is not None:
        return existing
    scheme_row = schemes.current_row()
    subjects = list(read.SUBJECTS)
    try:
        with transaction.atomic():
            publication = Publication.objects.create(
                period=period.key,
                version=1,
                scheme=scheme_row,
                subjects=subjects,
                round_subjects=[subject for subject in subjects if subject in read.FROZEN_KEYS],
                published_at=now,
                published_by=actor,
                reason=(reason or "").strip()[:MAX_REASON],
            )
            phases = _freeze(publication, period, scoring.Scheme.from_model(scheme_row))
    except IntegrityError:
        winner = _first(period)
        if winner is None:
            raise
        return winner  # published meanwhile by someone else
    logger.info("evaluation %s published as version 1 (scheme version %s)", period.key, scheme_row.version)
    logger.debug(
        "evaluation %s publishing took %s",
        period.key,
        ", ".join(f"{phase} {seconds:.2f} s" for phase, seconds in phases.items()),
        extra={"phases": phases},
    )
    return publication


def _freeze(publication: Publication, period: Period, scheme: scoring.Scheme) -> dict[str, float]:
    """Compute and freeze every kind; the seconds each phase took (for the log and the benchmark)."""
    phases: dict[str, float] = {}
    started = time.perf_counter()

    def lap(phase: str) -> None:
        nonlocal started
        now = time.perf_counter()
        phases[phase] = now - started
        started = now

    with rounds.materialized(period.start, period.end):  # the month's rounds read once
        lap("rounds")
        computed = {}
        for subject in publication.subjects:
            computed[subject] = read.compute(subject, period, scheme)
            lap(subject)
        freezing.freeze_rows(publication, computed)
        lap("freeze rows")
        freezing.freeze_rounds(publication, period)
        lap("freeze rounds")
    return phases


def republish(
    period: Period,
    *,
    reason: str,
    actor,
    without: Sequence[Item] = (),
    now: datetime | None = None,
) -> Publication:
    """Version N+1 of a published ``period``: version N with its scheme, less ``without``."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainValidationError.field("reason", _("Give the reason for a new version."))
    if actor is None or acting_role(actor, PUBLISHERS) is None:
        raise PermissionDeniedError(_("Only a leader or an administrator may publish the evaluation."))
    now = now or timezone.now()
    with transaction.atomic():
        first = Publication.objects.select_for_update().filter(period=period.key, version=1).first()
        if first is None:
            raise ConflictError(_("%(period)s has not been published yet.") % {"period": period.key})
        latest = Publication.objects.filter(period=period.key).select_related("scheme").order_by("-version").first()
        assert latest is not None  # version 1 at least
        publication = Publication.objects.create(
            period=period.key,
            version=latest.version + 1,
            scheme=latest.scheme,
            subjects=latest.subjects,
            round_subjects=latest.round_subjects,
            published_at=now,
            published_by=actor,
            reason=reason[:MAX_REASON],
        )
        removed = freezing.copy_without(latest, publication, without, scoring.Scheme.from_model(latest.scheme))
    logger.info("evaluation %s republished as version %s (%s counts removed)", period.key, publication.version, removed)
    return publication


def publish_previous_month(now: datetime | None = None) -> Publication:
    """The monthly run: publish the month before ``now`` (default: the current time)."""
    now = now or timezone.now()
    return publish(period_of(now).previous(), now=now)
