"""The evaluation of one period for each kind of subject: rows ready for pages, API and exports."""

from __future__ import annotations

from django.contrib.auth import get_user_model

from accounts.names import display_name
from departments.models import Department, Officer
from evaluation.periods import Period
from evaluation.services import figures, scoring
from evaluation.services.areas import townships as townships  # 属地: computed with communities and grids


def departments(period: Period, scheme: scoring.Scheme = scoring.DEFAULT_SCHEME) -> list[dict]:
    """Every active department, and any retired one with rounds in the period, keyed by code."""
    found = figures.counts(period, figures.DEPARTMENTS)
    rows = Department.objects.filter(is_active=True) | Department.objects.filter(pk__in=[k for k in found if k])
    subjects = [(d.pk, {"key": d.code, "name": d.name}) for d in rows.order_by("code")]
    return figures.scored_rows(subjects, found, scheme)


def officers(period: Period, scheme: scoring.Scheme = scoring.DEFAULT_SCHEME) -> list[dict]:
    """Every officer, and anyone else a round was attributed to, keyed by username."""
    found = figures.counts(period, figures.OFFICERS)
    officer_of = {o.user_id: o for o in Officer.objects.select_related("department")}
    users = get_user_model().objects.filter(pk__in={*officer_of, *(k for k in found if k)}).order_by("username")
    subjects = []
    for user in users:
        officer = officer_of.get(user.pk)
        department = officer.department.code if officer else ""
        subjects.append((user.pk, {"key": user.username, "name": display_name(user), "department": department}))
    return figures.scored_rows(subjects, found, scheme)
