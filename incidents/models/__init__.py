"""Models of the incidents app, split by topic and re-exported here."""

from incidents.models.attachments import Attachment
from incidents.models.cases import Case, CaseQuerySet, NextTrackingNo, TrackingCounter, next_tracking_no
from incidents.models.sla import SlaEscalation, SlaRequest
from incidents.models.taxonomy import MajorCategory, SubCategory
from incidents.models.timeline import CaseEvent, ImmutableRowError

__all__ = [
    "Attachment",
    "Case",
    "CaseEvent",
    "CaseQuerySet",
    "ImmutableRowError",
    "MajorCategory",
    "NextTrackingNo",
    "SlaEscalation",
    "SlaRequest",
    "SubCategory",
    "TrackingCounter",
    "next_tracking_no",
]
