"""The incidents API: thin views over ``incidents.services`` (the domain layer)."""

from __future__ import annotations

from django.db.models import Prefetch
from django.http.response import HttpResponseBase
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from gridcenter.api import BaseAPIView, ScopedViewSet, stored_image_response
from gridcenter.schema import ErrorSerializer
from incidents import services
from incidents.api import examples
from incidents.api.serializers import (
    AcceptInputSerializer,
    ApproveInputSerializer,
    AssignInputSerializer,
    CaseCreatedSerializer,
    CaseDetailSerializer,
    CaseListSerializer,
    DecisionInputSerializer,
    DispatchInputSerializer,
    ExtensionRequestInputSerializer,
    MajorCategoryNodeSerializer,
    MergeInputSerializer,
    NoteInputSerializer,
    PhotosNoteInputSerializer,
    ReasonInputSerializer,
    ReportInputSerializer,
    RequiredNoteInputSerializer,
    SlaFiguresSerializer,
    StatsQuerySerializer,
    StatsSummarySerializer,
)
from incidents.catalog import category_tree
from incidents.filtersets import CaseFilterSet
from incidents.models import Attachment, Case, CaseEvent
from incidents.services import sla
from incidents.services.duplicates import merge_case


class CategoryViewSet(viewsets.ViewSet):
    """The taxonomy tree: major categories (大类) with their sub-items (小项)."""

    @extend_schema(
        parameters=[
            OpenApiParameter("q", str, description="Only sub-items whose Chinese name contains this (or code starts)")
        ],
        responses=MajorCategoryNodeSerializer(many=True),
    )
    def list(self, request: Request) -> Response:
        return Response(category_tree(request.query_params.get("q", "")))


ERRORS = {
    400: OpenApiResponse(description="Bad input: `{field: [messages]}`; nothing was changed"),
    401: OpenApiResponse(ErrorSerializer, description="Not signed in"),
    403: OpenApiResponse(ErrorSerializer, description="Your role may not take this step on this case"),
    404: OpenApiResponse(ErrorSerializer, description="No such case, or not one you may see"),
    409: OpenApiResponse(ErrorSerializer, description="The case's current status does not allow this step"),
}


def step_schema(summary: str, request=None, example_list=()):
    """The OpenAPI description of a ``POST /incidents/<id>/<action>/``."""
    return extend_schema(
        summary=summary,
        request={"application/json": request, "multipart/form-data": request} if request else None,
        responses={200: CaseDetailSerializer, **ERRORS},
        examples=list(example_list),
    )


class CaseViewSet(mixins.ListModelMixin, ScopedViewSet):
    """Cases (事件): report, list, read, and take each step of the lifecycle."""

    queryset = Case.objects.all()
    serializer_class = CaseListSerializer
    filterset_class = CaseFilterSet
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        cases = super().get_queryset().select_related("subcategory", "grid", "lead_department").with_coordinates()
        if self.action == "list":
            return cases
        events = CaseEvent.objects.select_related("actor", "department").prefetch_related("attachments")
        return cases.select_related("assigned_officer", "reporter", "verified_by").prefetch_related(
            "assisting_departments", Prefetch("events", queryset=events)
        )

    def get_serializer_context(self) -> dict:
        return {**super().get_serializer_context(), "now": timezone.now()}

    def detail_response(self, case_id: int) -> Response:
        case = self.get_queryset().filter(pk=case_id).first()
        if case is None:  # the step took the case out of the caller's sight
            return Response({"id": case_id}, status=status.HTTP_200_OK)
        return Response(CaseDetailSerializer(case, context=self.get_serializer_context()).data)

    def step(self, request: Request, pk: str, function, input_serializer=None) -> Response:
        """Validate the step's input, call its domain function, answer with the case."""
        data = {}
        if input_serializer is not None:
            serializer = input_serializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            data = serializer.validated_data
        function(request.user, int(pk), **data)
        return self.detail_response(int(pk))

    @extend_schema(
        summary="List the cases you may see",
        responses={200: CaseListSerializer(many=True), 400: ERRORS[400], 401: ERRORS[401]},
    )
    def list(self, request: Request, *args, **kwargs) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(summary="A case with its timeline and photos", responses={200: CaseDetailSerializer, **ERRORS})
    def retrieve(self, request: Request, pk: str) -> Response:
        return Response(CaseDetailSerializer(self.get_object(), context=self.get_serializer_context()).data)

    @extend_schema(
        summary="Report a case (idempotent on client_uuid)",
        request={"application/json": ReportInputSerializer, "multipart/form-data": ReportInputSerializer},
        responses={
            201: CaseCreatedSerializer,
            200: OpenApiResponse(CaseCreatedSerializer, description="This client_uuid was reported before"),
            400: ERRORS[400],
            401: ERRORS[401],
            403: ERRORS[403],
        },
        examples=examples.REPORT,
    )
    def create(self, request: Request) -> Response:
        serializer = ReportInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        result = services.report_case(request.user, **serializer.validated_data)
        body = CaseCreatedSerializer(result.case, context=self.get_serializer_context()).data
        return Response(body, status=status.HTTP_201_CREATED if result.created else status.HTTP_200_OK)

    @step_schema("Accept (立案) a reported case", AcceptInputSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request: Request, pk: str) -> Response:
        return self.step(request, pk, services.accept_case, AcceptInputSerializer)

    @step_schema("Reject (不予立案) a case, with a reason", ReasonInputSerializer, examples.REJECT)
    @action(detail=True, methods=["post"])
    def reject(self, request: Request, pk: str) -> Response:
        return self.step(request, pk, services.reject_case, ReasonInputSerializer)

    @step_schema("Merge a new report into the open case it repeats (duplicate)", MergeInputSerializer)
    @action(detail=True, methods=["post"])
    def merge(self, request: Request, pk: str) -> Response:
        return self.step(request, pk, merge_case, MergeInputSerializer)

    @step_schema("Dispatch (派遣) to a lead department (+ assisting ones)", DispatchInputSerializer, examples.DISPATCH)
    @action(detail=True, methods=["post"], url_path="dispatch", url_name="dispatch")
    def dispatch_to_department(self, request: Request, pk: str) -> Response:  # not "dispatch": View.dispatch
        return self.step(request, pk, services.dispatch_case, DispatchInputSerializer)

    @step_schema("Assign to an officer of the lead department", AssignInputSerializer)
    @action(detail=True, methods=["post"])
    def assign(self, request: Request, pk: str) -> Response:
        return self.step(request, pk, services.assign_case, AssignInputSerializer)

    @step_schema("Start handling (lead department)", NoteInputSerializer)
    @action(detail=True, methods=["post"])
    def start(self, request: Request, pk: str) -> Response:
        return self.step(request, pk, services.start_case, NoteInputSerializer)

    @step_schema("Return (退回) to the centre, with a reason", ReasonInputSerializer, examples.RETURN)
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_(self, request: Request, pk: str) -> Response:
        return self.step(request, pk, services.return_case, ReasonInputSerializer)

    @step_schema("Resolve (办结) with a note and photos (lead department)", RequiredNoteInputSerializer)
    @action(detail=True, methods=["post"])
    def resolve(self, request: Request, pk: str) -> Response:
        return self.step(request, pk, services.resolve_case, RequiredNoteInputSerializer)

    @step_schema("Solved on the spot (自行处置) by the reporting grid worker, with photos", PhotosNoteInputSerializer)
    @action(detail=True, methods=["post"], url_path="self-resolve", url_name="self-resolve")
    def self_resolve(self, request: Request, pk: str) -> Response:
        return self.step(request, pk, services.self_resolve_case, PhotosNoteInputSerializer)

    @step_schema("Approve and close (办结销号)", ApproveInputSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: str) -> Response:
        return self.step(request, pk, services.approve_case, ApproveInputSerializer)

    @step_schema("Reopen for rework (返工), with a reason", ReasonInputSerializer)
    @action(detail=True, methods=["post"])
    def reopen(self, request: Request, pk: str) -> Response:
        return self.step(request, pk, services.reopen_case, ReasonInputSerializer)

    @step_schema("Verify on site (核查): a grid worker of the case's grid", PhotosNoteInputSerializer)
    @action(detail=True, methods=["post"])
    def verify(self, request: Request, pk: str) -> Response:
        return self.step(request, pk, services.verify_case, PhotosNoteInputSerializer)

    @step_schema("Urge (督办)", NoteInputSerializer, examples.URGE)
    @action(detail=True, methods=["post"])
    def urge(self, request: Request, pk: str) -> Response:
        return self.step(request, pk, services.urge_case, NoteInputSerializer)

    @step_schema("Add a note (with photos)", PhotosNoteInputSerializer)
    @action(detail=True, methods=["post"])
    def note(self, request: Request, pk: str) -> Response:
        return self.step(request, pk, services.add_note_case, PhotosNoteInputSerializer)

    # --- the time limit: more time (延期), on hold (挂账) ---------------------------------------

    @step_schema(
        "Ask for more time (延期): a new deadline or an amount more (lead department)", ExtensionRequestInputSerializer
    )
    @action(detail=True, methods=["post"])
    def extension(self, request: Request, pk: str) -> Response:
        return self.step(request, pk, services.request_extension, ExtensionRequestInputSerializer)

    @step_schema("Grant or refuse the request for more time (the centre)", DecisionInputSerializer)
    @action(detail=True, methods=["post"], url_path="extension/decision", url_name="extension-decision")
    def extension_decision(self, request: Request, pk: str) -> Response:
        return self.step(
            request, pk, _decision(services.approve_extension, services.refuse_extension), DecisionInputSerializer
        )

    @step_schema("Ask to put the case on hold (挂账), with a reason (lead department)", ReasonInputSerializer)
    @action(detail=True, methods=["post"])
    def hold(self, request: Request, pk: str) -> Response:
        return self.step(request, pk, services.request_hold, ReasonInputSerializer)

    @step_schema("Grant or refuse the request to put the case on hold (the centre)", DecisionInputSerializer)
    @action(detail=True, methods=["post"], url_path="hold/decision", url_name="hold-decision")
    def hold_decision(self, request: Request, pk: str) -> Response:
        return self.step(request, pk, _decision(services.approve_hold, services.refuse_hold), DecisionInputSerializer)

    @step_schema("Take a case on hold up again (lead department or the centre)", NoteInputSerializer)
    @action(detail=True, methods=["post"])
    def resume(self, request: Request, pk: str) -> Response:
        return self.step(request, pk, services.resume_case, NoteInputSerializer)


def _decision(grant, refuse):
    """A decision's input (``approve``, ``note``) to the granting or the refusing function."""

    def decide(actor, case_id: int, *, approve: bool, note: str = ""):
        return (grant if approve else refuse)(actor, case_id, note=note)

    return decide


class AttachmentViewSet(ScopedViewSet):
    """A case photo (re-encoded, without EXIF) or its thumbnail, for people who may see the case."""

    queryset = Attachment.objects.all()
    lookup_value_regex = r"\d+"

    def scope(self, queryset):
        return queryset.filter(case__in=Case.objects.visible_to(self.request.user))

    @extend_schema(summary="A case photo", responses={(200, "image/jpeg"): OpenApiTypes.BINARY, 404: ERRORS[404]})
    def retrieve(self, request: Request, pk: str) -> HttpResponseBase:
        return stored_image_response(self.get_object().file.name)

    @extend_schema(summary="A case photo's thumbnail", responses={(200, "image/jpeg"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"])
    def thumbnail(self, request: Request, pk: str) -> HttpResponseBase:
        return stored_image_response(self.get_object().thumbnail.name)


class SlaFiguresView(BaseAPIView):
    """The SLA figures over the cases you may see: warning, overdue, on hold, waiting, urged."""

    @extend_schema(summary="SLA figures", responses={200: SlaFiguresSerializer, 401: ERRORS[401]})
    def get(self, request: Request) -> Response:
        return Response(sla.figures(Case.objects.visible_to(request.user), timezone.now()))


class StatsSummaryView(BaseAPIView):
    """The wall screen's five figures over the cases you may see, now or as of a day's end."""

    @extend_schema(
        summary="The five headline figures",
        parameters=[StatsQuerySerializer],
        responses={200: StatsSummarySerializer, 400: ERRORS[400], 401: ERRORS[401]},
        examples=examples.STATS,
    )
    def get(self, request: Request) -> Response:
        query = StatsQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        return Response(services.summary(request.user, query.validated_data.get("at")))
