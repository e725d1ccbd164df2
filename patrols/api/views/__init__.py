"""The field-work API: thin views over ``patrols.services`` (the domain layer).

One module per topic (patrols, diary, directives, coverage, the phone's own lists);
``patrols.api.urls`` routes to the names re-exported here.
"""

from patrols.api.views.coverage import CoverageGeoJSONView, CoverageView
from patrols.api.views.diary import DiaryPhotoViewSet, DiaryViewSet
from patrols.api.views.directives import DirectiveViewSet
from patrols.api.views.field import MyErrandsViewSet, MyReportsViewSet, TodayView, ToVerifyViewSet
from patrols.api.views.patrols import PatrolViewSet

__all__ = [
    "CoverageGeoJSONView",
    "CoverageView",
    "DiaryPhotoViewSet",
    "DiaryViewSet",
    "DirectiveViewSet",
    "MyErrandsViewSet",
    "MyReportsViewSet",
    "PatrolViewSet",
    "ToVerifyViewSet",
    "TodayView",
]
