"""Models of the patrols app (field work), split by topic and re-exported here."""

from patrols.models.diary import DiaryComment, DiaryEntry, DiaryPhoto
from patrols.models.directives import Directive, DirectiveRecipient
from patrols.models.patrols import Patrol, PatrolReport, TrackPoint

__all__ = [
    "DiaryComment",
    "DiaryEntry",
    "DiaryPhoto",
    "Directive",
    "DirectiveRecipient",
    "Patrol",
    "PatrolReport",
    "TrackPoint",
]
