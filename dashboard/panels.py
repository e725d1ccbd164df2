"""The case panel the wall screen opens on a click: details, timeline, nearest cameras.

Read-only. The case is fetched through ``Case.objects.visible_to(user)``; the reporter's
contact is masked (the screen is seen by a room), and the urge button is offered only
when the domain rules let this user urge this case now.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.utils import timezone

from accounts.names import display_name
from dashboard.sla import sla_level
from grids.services import nearest_cameras
from incidents.choices import CaseAction
from incidents.models import Case
from incidents.services import available_actions

NEAREST_CAMERAS = 5


def mask_name(name: str) -> str:
    """张三丰 → 张**: the family name only."""
    name = name.strip()
    return name[:1] + "*" * (len(name) - 1) if name else ""


def mask_phone(phone: str) -> str:
    """13900000011 → 139****0011."""
    digits = phone.strip()
    if len(digits) < 7:
        return "*" * len(digits)
    return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]


def case_panel(user, case_id: int, now: datetime | None = None) -> dict[str, Any] | None:
    """The panel of one case ``user`` may see, or ``None`` (no such case, or not theirs)."""
    now = now or timezone.now()
    case = (
        Case.objects.visible_to(user)
        .select_related("subcategory__major", "grid__community__township", "lead_department")
        .prefetch_related("assisting_departments")
        .filter(pk=case_id)
        .first()
    )
    if case is None:
        return None
    return {
        "id": case.pk,
        "tracking_no": case.tracking_no,
        "status": case.status,
        "sla": sla_level(case, now),
        "source": case.source,
        "urgency": case.urgency,
        "subitem": {"code": case.subcategory.code, "name": case.subcategory.name},
        "domain": case.subcategory.major.domain,
        "description": case.description,
        "address": case.address,
        "lat": case.lat,
        "lng": case.lng,
        "grid": case.grid.name,
        "community": case.grid.community.name,
        "township": case.grid.community.township.name,
        "department": case.lead_department.name if case.lead_department else None,
        "assisting": [department.name for department in case.assisting_departments.all()],
        "created_at": case.created_at,
        "deadline": case.deadline,
        "urge_count": case.urge_count,
        "return_count": case.return_count,
        "reporter": {"name": mask_name(case.reporter_name), "phone": mask_phone(case.reporter_phone)},
        "timeline": _timeline(case),
        "cameras": _cameras(case),
        "can_urge": CaseAction.URGE in available_actions(user, case),
    }


def _timeline(case: Case) -> list[dict[str, Any]]:
    """Every step of the case, oldest first, with who took it (the screen shows names, not ids)."""
    events = case.events.select_related("actor", "department").order_by("created_at", "id")
    return [
        {
            "at": event.created_at,
            "action": event.action,
            "from_status": event.from_status,
            "status": event.to_status,
            "actor": display_name(event.actor) if event.actor else "",
            "department": event.department.name if event.department else "",
            "note": event.note,
        }
        for event in events
    ]


def _cameras(case: Case) -> list[dict[str, Any]]:
    """The cameras nearest the case, nearest first, for the operator to look through."""
    return [
        {
            "code": camera.code,
            "name": camera.name,
            "status": camera.status,
            "lat": camera.point.y,
            "lng": camera.point.x,
            "distance_m": camera.distance_m,
        }
        for camera in nearest_cameras(case.lat, case.lng, NEAREST_CAMERAS)
    ]
