"""Serializers of the field-work API: inputs are parsed here, checked by the domain layer.

One module per topic (patrols, diary, directives, coverage and the phone's day); every
serializer is importable from ``patrols.api.serializers``.
"""

from patrols.api.serializers.common import CaseRefSerializer, absolute_url
from patrols.api.serializers.coverage import (
    CoverageMapQuerySerializer,
    CoverageQuerySerializer,
    CoverageSerializer,
    GridCoverageSerializer,
    TodaySerializer,
)
from patrols.api.serializers.diary import (
    CommentInSerializer,
    DiaryCommentSerializer,
    DiaryCreateSerializer,
    DiaryEntrySerializer,
    DiaryPhotoSerializer,
)
from patrols.api.serializers.directives import (
    DirectiveCountsSerializer,
    DirectiveCreateSerializer,
    DirectiveSerializer,
    ReceiptQuerySerializer,
    ReceiptSerializer,
    RecipientSerializer,
    ReplyInSerializer,
    UnreadUrgentSerializer,
)
from patrols.api.serializers.patrols import (
    BatchResultSerializer,
    LinkReportSerializer,
    PatrolProgressSerializer,
    PatrolSerializer,
    PatrolStartSerializer,
    PatrolStatusField,
    PatrolStopSerializer,
    TrackBatchSerializer,
    TrackPointInSerializer,
    TrackPointSerializer,
)

__all__ = [
    "BatchResultSerializer",
    "CaseRefSerializer",
    "CommentInSerializer",
    "CoverageMapQuerySerializer",
    "CoverageQuerySerializer",
    "CoverageSerializer",
    "DiaryCommentSerializer",
    "DiaryCreateSerializer",
    "DiaryEntrySerializer",
    "DiaryPhotoSerializer",
    "DirectiveCountsSerializer",
    "DirectiveCreateSerializer",
    "DirectiveSerializer",
    "GridCoverageSerializer",
    "LinkReportSerializer",
    "PatrolProgressSerializer",
    "PatrolSerializer",
    "PatrolStartSerializer",
    "PatrolStatusField",
    "PatrolStopSerializer",
    "ReceiptQuerySerializer",
    "ReceiptSerializer",
    "RecipientSerializer",
    "ReplyInSerializer",
    "TodaySerializer",
    "TrackBatchSerializer",
    "TrackPointInSerializer",
    "TrackPointSerializer",
    "UnreadUrgentSerializer",
    "absolute_url",
]
