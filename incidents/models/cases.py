"""Cases (事件): one problem reported in the city, followed from report to closure.

``status`` and the counters are changed only by the transition functions of
``incidents.services`` (one function per transition); every change writes a
``CaseEvent`` (incidents/models/timeline.py). Who may see which case is decided in one
place, ``Case.objects.visible_to(user)``.
"""

from __future__ import annotations

from datetime import date, datetime

from django.conf import settings
from django.contrib.gis.db import models
from django.db import connection
from django.db.models import F, Func, Q, Value
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.roles import CENTRE_ROLES, DEPARTMENT_ROLES, Role, roles_of
from incidents import sla
from incidents.choices import (
    CaseSource,
    CaseStatus,
    Satisfaction,
    SlaLevel,
    SlaRequestKind,
    TimeLimitUnit,
    Urgency,
)

STORAGE_SRID = 4326


class DatabaseComputedCharField(models.CharField):
    """A CharField whose value an INSERT may compute in the database (an expression such as
    ``NextTrackingNo``): the value is read back with ``RETURNING`` as for an id."""

    db_returning = True


class CaseQuerySet(models.QuerySet):
    def visible_to(self, user) -> CaseQuerySet:
        """The cases ``user`` may see: the one visibility rule of the platform.

        Dispatchers, leaders and administrators see every case; department officers and
        heads the cases their department leads or assists; grid workers the cases filed
        in their grids and the ones they reported themselves; anyone with a role also the
        cases they follow (the reporter of a duplicate follows the original); anyone else
        nothing.
        Written with subqueries (no joins), so it can be combined with ``select_for_update``
        and never duplicates rows.
        """
        roles = roles_of(user)
        if not roles:
            return self.none()
        if roles & CENTRE_ROLES:
            return self.all()
        from departments.models import Officer
        from grids.models import GridWorker

        # Anyone follows the cases they were made a follower of (a merged duplicate's reporter).
        rule = Q(pk__in=Case.followers.through.objects.filter(user=user).values("case_id"))
        if roles & DEPARTMENT_ROLES:
            departments = Officer.objects.filter(user=user).values("department_id")
            assisted = Case.assisting_departments.through.objects.filter(department_id__in=departments)
            rule |= Q(lead_department_id__in=departments) | Q(pk__in=assisted.values("case_id"))
        if Role.GRID_WORKER in roles:
            grids = GridWorker.grids.through.objects.filter(gridworker__user=user).values("grid_id")
            rule |= Q(grid_id__in=grids) | Q(reporter=user)
        return self.filter(rule)

    def with_coordinates(self) -> CaseQuerySet:
        """Latitude and longitude computed by PostGIS (``Case.lat``/``lng`` read them), the
        point itself not loaded: lists need two numbers, not a geometry object per row."""
        return self.annotate(
            lat_wgs84=Func(F("location"), function="ST_Y", output_field=models.FloatField()),
            lng_wgs84=Func(F("location"), function="ST_X", output_field=models.FloatField()),
        ).defer("location")

    def overdue(self, now: datetime | None = None) -> CaseQuerySet:
        """Cases a department holds past their deadline (the SLA's red; not the ones on hold)."""
        return self.filter(sla.overdue_q(now or timezone.now()))


class Case(models.Model):
    """事件: a problem in the city, with its place, its handling and its outcome."""

    tracking_no = DatabaseComputedCharField(_("tracking number"), max_length=24, unique=True, editable=False)
    source = models.CharField(_("source"), max_length=16, choices=CaseSource.choices)
    subcategory = models.ForeignKey(
        "incidents.SubCategory", on_delete=models.PROTECT, related_name="cases", verbose_name=_("sub-item")
    )
    description = models.TextField(_("description"), max_length=2000)
    location = models.PointField(_("location"), srid=STORAGE_SRID)  # GiST-indexed
    address = models.CharField(_("address"), max_length=200, blank=True)
    # The grid the point was in when reported (kept when the map is redrawn).
    grid = models.ForeignKey("grids.Grid", on_delete=models.PROTECT, related_name="cases", verbose_name=_("grid"))

    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reported_cases",
        verbose_name=_("reporter"),
    )
    # A resident's or caller's contact: shown to the centre only, never published.
    reporter_name = models.CharField(_("reporter's name"), max_length=50, blank=True)
    reporter_phone = models.CharField(_("reporter's phone"), max_length=32, blank=True)
    client_uuid = models.UUIDField(_("client key"), unique=True, null=True, blank=True, editable=False)

    urgency = models.CharField(_("urgency"), max_length=8, choices=Urgency.choices, default=Urgency.NORMAL)
    status = models.CharField(_("status"), max_length=16, choices=CaseStatus.choices, default=CaseStatus.REPORTED)

    lead_department = models.ForeignKey(
        "departments.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="led_cases",
        verbose_name=_("lead department"),
    )
    assisting_departments = models.ManyToManyField(
        "departments.Department", blank=True, related_name="assisted_cases", verbose_name=_("assisting departments")
    )
    assigned_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_cases",
        verbose_name=_("assigned officer"),
    )

    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    dispatched_at = models.DateTimeField(_("dispatched at"), null=True, blank=True)
    # The deadline and the limit it was computed from, as they were at (the last) dispatch.
    deadline = models.DateTimeField(_("deadline"), null=True, blank=True)
    time_limit_amount = models.DecimalField(_("time limit"), max_digits=5, decimal_places=1, null=True, blank=True)
    time_limit_unit = models.CharField(_("time limit unit"), max_length=16, choices=TimeLimitUnit.choices, blank=True)
    deadline_provisional = models.BooleanField(
        _("provisional deadline"), default=False, help_text=_("Computed on a year whose official calendar was unknown.")
    )

    # The SLA clock: every value below is decided by incidents.services.sla, nothing else.
    # A round is one clock: a dispatch starts one, and so does a granted extension.
    # (Database defaults too: rows written by SQL, e.g. the benchmarks' bulk loads, get them.)
    sla_round = models.PositiveIntegerField(_("clock round"), default=0, db_default=0)
    # The last SLA step taken in this round (warning, overdue, escalated), by the sweep.
    sla_level = models.CharField(
        _("SLA level"), max_length=16, choices=SlaLevel.choices, default=SlaLevel.NORMAL, db_default=SlaLevel.NORMAL
    )
    sla_started_at = models.DateTimeField(_("clock started at"), null=True, blank=True)
    sla_warning_at = models.DateTimeField(_("warning at"), null=True, blank=True)
    sla_escalate_at = models.DateTimeField(_("escalation at"), null=True, blank=True)
    # When the sweep must look at the case again; set only while a department's clock runs.
    sla_next_check_at = models.DateTimeField(_("next SLA check"), null=True, blank=True)
    held_since = models.DateTimeField(_("on hold since"), null=True, blank=True)
    sla_pending = models.CharField(
        _("request waiting"), max_length=16, choices=SlaRequestKind.choices, blank=True, default="", db_default=""
    )

    return_count = models.PositiveIntegerField(_("returns"), default=0)
    rework_count = models.PositiveIntegerField(_("reworks"), default=0)
    urge_count = models.PositiveIntegerField(_("urges"), default=0)

    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    satisfaction = models.CharField(_("satisfaction"), max_length=20, choices=Satisfaction.choices, blank=True)
    verified_at = models.DateTimeField(_("verified on site at"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="verified_cases",
        verbose_name=_("verified by"),
    )
    reject_reason = models.TextField(_("reason for rejection"), blank=True)
    # A report merged into an open case (incidents.services.duplicates): rejected, linked here.
    duplicate_of = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="duplicates",
        verbose_name=_("duplicate of"),
    )
    # People who follow the case besides its reporter (e.g. the reporter of a merged duplicate).
    followers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="followed_cases", verbose_name=_("followers")
    )

    # Set by the service functions (their ``now``), so a generated history keeps its times.
    created_at = models.DateTimeField(_("reported at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)

    objects = CaseQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        indexes = [
            models.Index(fields=["-created_at", "-id"], name="incidents_case_newest"),
            models.Index(fields=["status", "-created_at"], name="incidents_case_status"),
            models.Index(fields=["lead_department", "status"], name="incidents_case_dept_status"),
            models.Index(fields=["grid", "status"], name="incidents_case_grid_status"),
            models.Index(fields=["subcategory", "-created_at"], name="incidents_case_sub_created"),
            # The SLA sweep and the "overdue" filter: deadlines of cases a department holds.
            models.Index(
                fields=["deadline"],
                name="incidents_case_due",
                condition=Q(status__in=[CaseStatus.DISPATCHED, CaseStatus.IN_PROGRESS]),
            ),
            # The SLA sweep: the open cases whose clock runs, by their next check.
            models.Index(
                fields=["sla_next_check_at"],
                name="incidents_case_sla_check",
                condition=Q(sla_next_check_at__isnull=False),
            ),
            models.Index(fields=["held_since"], name="incidents_case_held", condition=Q(held_since__isnull=False)),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=CaseStatus.values), name="incidents_case_status_valid"),
            models.CheckConstraint(condition=Q(source__in=CaseSource.values), name="incidents_case_source_valid"),
        ]

    def __str__(self) -> str:
        return self.tracking_no

    @property
    def status_enum(self) -> CaseStatus:
        return CaseStatus(self.status)

    @property
    def lat(self) -> float:
        return self.__dict__["lat_wgs84"] if "lat_wgs84" in self.__dict__ else self.location.y

    @property
    def lng(self) -> float:
        return self.__dict__["lng_wgs84"] if "lng_wgs84" in self.__dict__ else self.location.x

    def is_overdue(self, now: datetime | None = None) -> bool:
        """The same rule as ``CaseQuerySet.overdue``, for a case in hand."""
        return sla.is_overdue(self, now or timezone.now())


class TrackingCounter(models.Model):
    """The last tracking number handed out on one (local) day (see ``NextTrackingNo``)."""

    day = models.DateField(_("day"), primary_key=True)
    last = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        verbose_name = _("tracking-number counter")
        verbose_name_plural = _("tracking-number counters")

    def __str__(self) -> str:
        return f"{self.day:%Y%m%d}: {self.last}"


def _local_day(now: datetime) -> date:
    return timezone.localdate(now)


class NextTrackingNo(Func):
    """The next readable tracking number of a local day, e.g. ``JS20261127-0042``.

    Calls the database function ``incidents_next_tracking_no(prefix, day)`` (migration
    0005): one ``INSERT ... ON CONFLICT DO UPDATE ... RETURNING`` on the day's counter row,
    atomic under any concurrency and rolled back with the transaction that asked for it
    (no gaps). Used as the value of ``Case.tracking_no`` on insert, it costs no extra
    round trip: the number comes back with the new row.
    """

    function = "incidents_next_tracking_no"

    def __init__(self, now: datetime) -> None:
        super().__init__(
            Value(settings.CASE_TRACKING_PREFIX, output_field=models.TextField()),
            Value(_local_day(now), output_field=models.DateField()),
            output_field=models.CharField(),
        )


def next_tracking_no(now: datetime) -> str:
    """A tracking number on its own (``Case`` inserts use ``NextTrackingNo`` directly)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT incidents_next_tracking_no(%s, %s)", [settings.CASE_TRACKING_PREFIX, _local_day(now)])
        return cursor.fetchone()[0]
