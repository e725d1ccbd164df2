"""Patrols: start, track-point batches, stop, reports made on patrol, and the stale sweep.

The phone records a GPS fix every few seconds and sends them in batches, each point
with its own sequence number. A batch is idempotent: points already stored (the same
``seq``) are skipped, so a batch resent after a lost answer, or batches arriving out of
order, leave one copy of each point, read back in ``seq`` order. Distance and duration
are the server's: distance is the sum of the great-circle steps between consecutive
usable points (accuracy within ``MAX_ACCURACY_M``, speed within ``MAX_SPEED_MPS``),
kept up to date batch by batch (incrementally when a batch extends the track, over
the whole track when it fills a gap); duration runs from the start to the stop.
"""

from __future__ import annotations

import uuid as uuid_module
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.names import display_name
from accounts.roles import Role
from gridcenter.idempotency import create_once, find_by_key, parse_key
from grids.models import Grid
from incidents.models import Case
from patrols.choices import PatrolStatus
from patrols.exceptions import Conflict, FieldWorkPermissionDenied, FieldWorkValidationError, NotFound
from patrols.limits import MAX_ACCURACY_M, MAX_BACKDATE, MAX_POINTS_PER_BATCH, MAX_SPEED_MPS, STALE_AFTER
from patrols.models import Patrol, PatrolReport
from patrols.services import live
from patrols.services.common import client_time, coordinate, grid_of_worker, require_role


@dataclass(frozen=True)
class StartResult:
    patrol: Patrol
    created: bool  # False: this client_uuid had started a patrol before; ``patrol`` is that one


@dataclass(frozen=True)
class BatchResult:
    patrol: Patrol
    received: int
    stored: int  # new points; the rest were duplicates or recorded after the patrol ended
    duplicates: int
    after_end: int


def patrol_lookup(ref: int | str | uuid_module.UUID) -> dict:
    """The filter for a patrol named by its id or by the phone's ``client_uuid``; a name
    that is neither (a malformed UUID) is "not found"."""
    if isinstance(ref, uuid_module.UUID):
        return {"client_uuid": ref}
    if isinstance(ref, int) or (isinstance(ref, str) and ref.isdigit()):
        return {"pk": int(ref)}
    try:
        return {"client_uuid": uuid_module.UUID(str(ref))}
    except ValueError:
        raise NotFound(_("No such patrol.")) from None


def get_patrol_for_action(user, patrol: Patrol | int | str | uuid_module.UUID, *, lock: bool = True) -> Patrol:
    """The caller's own patrol, by id or by the phone's ``client_uuid``, locked.

    A patrol the user may not see is "not found"; one they may see but is not theirs
    (the centre's staff see all) may not be changed by them.
    """
    ref = patrol.pk if isinstance(patrol, Patrol) else patrol
    patrols = Patrol.objects.visible_to(user)
    if lock:
        patrols = patrols.select_for_update()
    found = patrols.filter(**patrol_lookup(ref)).first()
    if found is None:
        raise NotFound(_("No such patrol."))
    if found.worker_id != user.pk:
        raise FieldWorkPermissionDenied(_("Only the grid worker on this patrol may change it."))
    return found


def start_patrol(
    actor,
    *,
    grid: Grid | int | None = None,
    client_uuid: uuid_module.UUID | str | None = None,
    started_at: datetime | None = None,
    now: datetime | None = None,
) -> StartResult:
    """Open a patrol of one of the actor's grids (a phone that started it offline sends
    ``started_at``). Idempotent on ``client_uuid``; a second open patrol is a conflict,
    unless the open one is stale (no point for ``STALE_AFTER``): that one is closed first.
    """
    now = now or timezone.now()
    require_role(actor, {Role.GRID_WORKER}, _("Only grid workers go on patrol."))
    client_uuid = parse_key(client_uuid, FieldWorkValidationError)
    existing = _by_client_uuid(actor, client_uuid)
    if existing is not None:
        return StartResult(existing, created=False)
    started = client_time("started_at", started_at, now, earliest=MAX_BACKDATE) or now
    grid_row = grid_of_worker(actor, grid)

    def create() -> Patrol:
        open_patrol = Patrol.objects.select_for_update().filter(worker=actor, status=PatrolStatus.ACTIVE).first()
        if open_patrol is not None:
            if _last_sign_of_life(open_patrol) > now - STALE_AFTER:
                raise Conflict(_("You already have a patrol in progress: stop it first."), code="patrol_active")
            _close(open_patrol, ended_at=_last_sign_of_life(open_patrol), auto=True)
        patrol = Patrol.objects.create(
            worker=actor, grid=grid_row, client_uuid=client_uuid, started_at=started, created_at=now
        )
        live.announce(patrol, live.STARTED)
        return patrol

    try:
        patrol, created = create_once(
            client_uuid, find=lambda: _by_client_uuid(actor, client_uuid), create=create, look_first=False
        )
    except (Conflict, IntegrityError):
        # Another start won the one-open patrol meanwhile: this same start sent twice at
        # once (the first one's patrol is the answer), or a different one (a conflict).
        existing = _by_client_uuid(actor, client_uuid)
        if existing is not None:
            return StartResult(existing, created=False)
        raise Conflict(_("You already have a patrol in progress: stop it first."), code="patrol_active") from None
    return StartResult(patrol, created=created)


def _by_client_uuid(actor, client_uuid: uuid_module.UUID | None) -> Patrol | None:
    return find_by_key(
        Patrol.objects.all(),
        client_uuid,
        is_own=lambda patrol: patrol.worker_id == actor.pk,
        error=FieldWorkValidationError,
        message=_("This key belongs to another patrol."),
    )


def _last_sign_of_life(patrol: Patrol) -> datetime:
    return max(patrol.started_at, patrol.last_point_at or patrol.started_at)


def _close(patrol: Patrol, *, ended_at: datetime, auto: bool = False) -> Patrol:
    patrol.status = PatrolStatus.FINISHED
    patrol.ended_at = max(ended_at, patrol.started_at)
    patrol.duration_s = int((patrol.ended_at - patrol.started_at).total_seconds())
    patrol.auto_closed = auto
    patrol.save(update_fields=["status", "ended_at", "duration_s", "auto_closed"])
    live.announce(patrol, live.STOPPED)
    return patrol


def stop_patrol(
    actor, patrol: Patrol | int | str, *, ended_at: datetime | None = None, now: datetime | None = None
) -> Patrol:
    """End a patrol (at ``ended_at`` if the phone stopped it offline). Stopping a patrol
    that has ended already changes nothing and answers with it, so a resent stop is safe."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = get_patrol_for_action(actor, patrol)
        if not locked.is_active:
            return locked
        end = client_time("ended_at", ended_at, now) or now
        if end < locked.started_at:
            raise FieldWorkValidationError.field("ended_at", _("A patrol cannot end before it started."))
        return _close(locked, ended_at=end)


# --- track points ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Fix:
    seq: int
    recorded_at: datetime
    lat: float
    lng: float
    accuracy_m: float | None


def _fixes(points: Iterable[Mapping], now: datetime) -> list[Fix]:
    """Check every point; one bad point refuses the batch with its index in the message.

    This is the one check of a batch (the API passes the phone's JSON straight here):
    batches come every 30 s from every phone, and a serializer field per value would
    cost more than storing them.
    """
    if isinstance(points, str | bytes) or not isinstance(points, Iterable):
        raise FieldWorkValidationError.field("points", _("Send a list of points."))
    points = list(points)
    if not points:
        raise FieldWorkValidationError.field("points", _("Send at least one point."))
    if len(points) > MAX_POINTS_PER_BATCH:
        raise FieldWorkValidationError.field(
            "points", _("At most %(count)d points per batch.") % {"count": MAX_POINTS_PER_BATCH}
        )
    fixes = []
    for index, point in enumerate(points):
        try:
            if not isinstance(point, Mapping):
                raise FieldWorkValidationError.field(
                    "seq", _("Each point is an object with seq, recorded_at, lat, lng.")
                )
            seq = point.get("seq")
            if isinstance(seq, bool) or not isinstance(seq, int) or not 0 <= seq < 2**31:
                raise FieldWorkValidationError.field("seq", _("A whole number from 0 is required."))
            accuracy = point.get("accuracy")
            if accuracy is not None:
                accuracy = coordinate("accuracy", accuracy, 0, 100_000)
            recorded = client_time("recorded_at", point.get("recorded_at"), now)
            if recorded is None:
                raise FieldWorkValidationError.field("recorded_at", _("This field is required."))
            fixes.append(
                Fix(
                    seq=seq,
                    recorded_at=recorded,
                    lat=coordinate("lat", point.get("lat"), -90, 90),
                    lng=coordinate("lng", point.get("lng"), -180, 180),
                    accuracy_m=accuracy,
                )
            )
        except FieldWorkValidationError as exc:
            errors = {f"points[{index}].{name}": messages for name, messages in exc.errors.items()}
            raise FieldWorkValidationError(errors) from None
    return fixes


# One INSERT for the whole batch; points already stored are skipped by the unique index.
_INSERT_POINTS = """
    INSERT INTO patrols_trackpoint (patrol_id, seq, recorded_at, point, accuracy_m)
    SELECT %s, t.seq, t.recorded_at, ST_SetSRID(ST_MakePoint(t.lng, t.lat), 4326), t.accuracy
    FROM unnest(%s::integer[], %s::timestamptz[], %s::float8[], %s::float8[], %s::float8[])
         AS t(seq, recorded_at, lng, lat, accuracy)
    ON CONFLICT (patrol_id, seq) DO NOTHING
    RETURNING seq, recorded_at
"""

# The length of the track from sequence number %s on: great-circle steps between
# consecutive usable points, without jumps faster than the speed limit.
_DISTANCE_FROM = """
    SELECT COALESCE(SUM(step), 0) FROM (
        SELECT ST_DistanceSphere(point, LAG(point) OVER w) AS step,
               EXTRACT(EPOCH FROM recorded_at - LAG(recorded_at) OVER w) AS seconds
        FROM patrols_trackpoint
        WHERE patrol_id = %s AND seq >= %s AND (accuracy_m IS NULL OR accuracy_m <= %s)
        WINDOW w AS (ORDER BY seq)
    ) AS steps
    WHERE step IS NOT NULL AND step <= %s * GREATEST(seconds, 1)
"""


def _distance_from(cursor, patrol_id: int, seq: int) -> float:
    cursor.execute(_DISTANCE_FROM, [patrol_id, seq, MAX_ACCURACY_M, MAX_SPEED_MPS])
    return float(cursor.fetchone()[0])


# The length added by points after ``seq``: the same, from the last usable point at or
# before ``seq`` on (where the stored distance left off).
_DISTANCE_AFTER = """
    SELECT COALESCE(SUM(step), 0) FROM (
        SELECT ST_DistanceSphere(point, LAG(point) OVER w) AS step,
               EXTRACT(EPOCH FROM recorded_at - LAG(recorded_at) OVER w) AS seconds
        FROM patrols_trackpoint
        WHERE patrol_id = %s AND (accuracy_m IS NULL OR accuracy_m <= %s)
          AND seq >= COALESCE((SELECT MAX(seq) FROM patrols_trackpoint
                               WHERE patrol_id = %s AND seq <= %s AND (accuracy_m IS NULL OR accuracy_m <= %s)), 0)
        WINDOW w AS (ORDER BY seq)
    ) AS steps
    WHERE step IS NOT NULL AND step <= %s * GREATEST(seconds, 1)
"""


def _distance_after(cursor, patrol_id: int, seq: int) -> float:
    cursor.execute(_DISTANCE_AFTER, [patrol_id, MAX_ACCURACY_M, patrol_id, seq, MAX_ACCURACY_M, MAX_SPEED_MPS])
    return float(cursor.fetchone()[0])


def add_track_points(actor, patrol: Patrol | int | str, points: Iterable[Mapping], *, now=None) -> BatchResult:
    """Store a batch of the phone's GPS fixes (idempotent) and update distance and counters.

    ``points`` are mappings with ``seq``, ``recorded_at`` (aware datetime or ISO 8601), ``lat``,
    ``lng`` and an optional ``accuracy`` (metres). Points of a patrol that has ended
    are kept only if recorded before its end (a late batch of the same walk).
    """
    now = now or timezone.now()
    fixes = _fixes(points, now)
    received = len(fixes)
    with transaction.atomic():
        locked = get_patrol_for_action(actor, patrol)
        after_end = 0
        if not locked.is_active:
            ended_at = locked.ended_at
            assert ended_at is not None  # a finished patrol has ended
            kept = [fix for fix in fixes if fix.recorded_at <= ended_at]
            after_end = len(fixes) - len(kept)
            fixes = kept
        unique = list({fix.seq: fix for fix in reversed(fixes)}.values())  # the first of a repeated seq wins
        stored_rows: list[tuple[int, datetime]] = []
        with connection.cursor() as cursor:
            if unique:
                cursor.execute(
                    _INSERT_POINTS,
                    [
                        locked.pk,
                        [fix.seq for fix in unique],
                        [fix.recorded_at for fix in unique],
                        [fix.lng for fix in unique],
                        [fix.lat for fix in unique],
                        [fix.accuracy_m for fix in unique],
                    ],
                )
                stored_rows = cursor.fetchall()
            if stored_rows:
                new_seqs = [seq for seq, _at in stored_rows]
                previous_last = locked.last_seq
                if previous_last is not None and min(new_seqs) > previous_last:
                    # The batch extends the track: add the part from the last usable point on.
                    locked.distance_m += _distance_after(cursor, locked.pk, previous_last)
                else:
                    # The first batch, or one filling a gap: measure the whole track again.
                    locked.distance_m = _distance_from(cursor, locked.pk, 0)
                locked.point_count += len(stored_rows)
                locked.last_seq = max([*new_seqs, previous_last if previous_last is not None else 0])
                newest = max(at for _seq, at in stored_rows)
                locked.last_point_at = max(newest, locked.last_point_at) if locked.last_point_at else newest
                locked.save(update_fields=["distance_m", "point_count", "last_seq", "last_point_at"])
                _announce_newest(actor, locked, unique, newest)
    return BatchResult(
        patrol=locked,
        received=received,
        stored=len(stored_rows),
        duplicates=received - after_end - len(stored_rows),
        after_end=after_end,
    )


def _announce_newest(actor, patrol: Patrol, fixes: list[Fix], newest: datetime) -> None:
    """The wall screen's position of an open patrol: its newest fix, when this batch brought it."""
    if patrol.is_active and patrol.last_point_at == newest:
        fix = max((fix for fix in fixes if fix.recorded_at == newest), key=lambda fix: fix.seq)
        live.announce_position(patrol, display_name(actor), lat=fix.lat, lng=fix.lng, at=fix.recorded_at)


# --- reports made on patrol ----------------------------------------------------------------------


def link_report(actor, patrol: Patrol | int | str, case: Case | int, *, now: datetime | None = None) -> PatrolReport:
    """Record that the actor reported ``case`` during ``patrol`` (idempotent)."""
    now = now or timezone.now()
    case_id = case.pk if isinstance(case, Case) else case
    with transaction.atomic():
        locked = get_patrol_for_action(actor, patrol)
        found = Case.objects.visible_to(actor).filter(pk=case_id, reporter=actor).first()
        if found is None:
            raise FieldWorkValidationError.field("case", _("Not a case you reported."))
        link = PatrolReport.objects.filter(case=found).first()
        if link is not None:
            if link.patrol_id != locked.pk:
                raise Conflict(_("This case is already linked to another patrol."), code="linked_elsewhere")
            return link
        return PatrolReport.objects.create(patrol=locked, case=found, linked_at=now)


# --- the sweep ---------------------------------------------------------------------------------------


def close_stale_patrols(now: datetime | None = None) -> int:
    """Close patrols left open with no point for ``STALE_AFTER``, at their last point.

    Safe to run twice at once: each patrol is claimed with a conditional UPDATE, and
    one that someone else closed (or that came back to life) is skipped.
    """
    now = now or timezone.now()
    cutoff = now - STALE_AFTER
    closed = 0
    candidates = Patrol.objects.filter(status=PatrolStatus.ACTIVE, started_at__lt=cutoff).values_list("pk", flat=True)
    for pk in list(candidates):
        with transaction.atomic():
            patrol = (
                Patrol.objects.select_for_update(skip_locked=True).filter(pk=pk, status=PatrolStatus.ACTIVE).first()
            )
            if patrol is None or _last_sign_of_life(patrol) > cutoff:
                continue
            _close(patrol, ended_at=_last_sign_of_life(patrol), auto=True)
            closed += 1
    return closed
