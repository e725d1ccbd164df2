"""Serializers of the evaluation API: the query parameters, and the shapes the schema documents.

Rows are built by ``evaluation.services.read`` and passed through as they are (a kind of
subject added later brings its own keys); ``EvaluationRowSerializer`` documents the
department figures, which officers and townships share.
"""

from __future__ import annotations

from rest_framework import serializers

from evaluation.choices import AppealState, Band, Figure, Rate
from evaluation.models import Appeal, Scheme
from evaluation.services.scoring import SCHEME_FIELDS


class PeriodSerializer(serializers.Serializer):
    period = serializers.RegexField(r"^\d{4}-\d{2}$", help_text="The month, YYYY-MM (Asia/Shanghai).")
    state = serializers.ChoiceField(
        choices=["provisional", "published"], help_text="Provisional: month to date, recomputed on request."
    )
    version = serializers.IntegerField(allow_null=True, help_text="The published version (null while provisional).")


class RowsQuerySerializer(serializers.Serializer):
    version = serializers.IntegerField(
        required=False, min_value=1, help_text="An earlier published version of the month (default: the latest)."
    )


class RoundsQuerySerializer(RowsQuerySerializer):
    figure = serializers.CharField(help_text="A figure key of the row, e.g. `overdue_open`.")


def _row_fields() -> dict[str, serializers.Field]:
    fields: dict[str, serializers.Field] = {
        "key": serializers.CharField(help_text="The subject: a department or township code, an officer's username."),
        "code": serializers.CharField(required=False, help_text="The key again, for departments and townships."),
        "username": serializers.CharField(required=False, help_text="The key again, for officers."),
        "name": serializers.CharField(),
        "department": serializers.CharField(required=False, help_text="An officer's department code."),
    }
    for figure in Figure:
        fields[figure.value] = serializers.IntegerField(help_text=str(figure.label))
    fields["avg_handling_hours"] = serializers.FloatField(
        allow_null=True, help_text="Mean working hours from a round's start to its resolution"
    )
    for rate in Rate:
        fields[rate.value] = serializers.FloatField(allow_null=True, help_text=f"{rate.label}: 0–1, null for no data")
    fields["score"] = serializers.FloatField(allow_null=True, help_text="0–100, null for no due rounds (无案件)")
    fields["band"] = serializers.ChoiceField(choices=Band.values, allow_null=True)
    fields["rank"] = serializers.IntegerField(allow_null=True, help_text="1 is best; null without a score")
    return fields


EvaluationRowSerializer = type("EvaluationRowSerializer", (serializers.Serializer,), _row_fields())


class RoundSerializer(serializers.Serializer):
    case = serializers.IntegerField(help_text="The case's id (`/api/v1/incidents/<id>/`).")
    tracking_no = serializers.CharField()
    started_at = serializers.DateTimeField(help_text="The round's dispatch (or reopen).")
    deadline = serializers.DateTimeField(allow_null=True)
    resolved_at = serializers.DateTimeField(allow_null=True, help_text="Null: not resolved by that department.")


# --- appeals and the scheme ----------------------------------------------------------------------------------


class AppealSerializer(serializers.ModelSerializer):
    """An appeal as the API shows it: what was appealed, by whom and why, and the decision."""

    department = serializers.CharField(source="department.code", help_text="The department's code.")
    department_name = serializers.CharField(source="department.name")
    figure_display = serializers.CharField(source="get_figure_display")
    case = serializers.IntegerField(source="case_id", help_text="The case's id (`/api/v1/incidents/<id>/`).")
    tracking_no = serializers.CharField(source="case.tracking_no")
    version = serializers.IntegerField(source="publication.version", help_text="The version appealed.")
    appealed_by = serializers.CharField(source="appealed_by.username")
    state_display = serializers.CharField(source="get_state_display")
    decided_by = serializers.CharField(source="decided_by.username", allow_null=True, default=None)
    result_version = serializers.IntegerField(
        source="result.version", allow_null=True, default=None, help_text="The version an upheld appeal published."
    )

    class Meta:
        model = Appeal
        fields = [
            "id",
            "period",
            "department",
            "department_name",
            "figure",
            "figure_display",
            "case",
            "tracking_no",
            "round_no",
            "version",
            "reason",
            "evidence",
            "appealed_by",
            "appealed_at",
            "state",
            "state_display",
            "decided_by",
            "decided_at",
            "decision_note",
            "result_version",
        ]
        read_only_fields = fields


class AppealsQuerySerializer(serializers.Serializer):
    period = serializers.CharField(required=False, help_text="Only this month's appeals (YYYY-MM).")
    state = serializers.ChoiceField(choices=AppealState.choices, required=False)


class AppealCreateSerializer(serializers.Serializer):
    """What a head sends; the rules (what may be appealed, by whom, until when) are the domain's."""

    period = serializers.CharField(help_text="The published month, YYYY-MM.")
    figure = serializers.CharField(help_text="`shirked`, `overdue_open` or `rework`.")
    case = serializers.IntegerField(help_text="The case's id.")
    round_no = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, help_text="Which of the case's rounds, if it has several there."
    )
    reason = serializers.CharField(required=False, allow_blank=True, default="", help_text="Required.")
    evidence = serializers.CharField(required=False, allow_blank=True, default="")


class DecisionSerializer(serializers.Serializer):
    uphold = serializers.BooleanField(help_text="true: upheld (the month is republished without the item).")
    note = serializers.CharField(required=False, allow_blank=True, default="", help_text="Required: why.")


def _scheme_number(name: str) -> serializers.DecimalField:
    return serializers.DecimalField(
        max_digits=5,
        decimal_places=2,
        required=False,
        coerce_to_string=False,
        help_text=Scheme.label(name),
    )


class SchemeSerializer(serializers.ModelSerializer):
    created_by = serializers.CharField(source="created_by.username", allow_null=True, default=None)

    class Meta:
        model = Scheme
        fields = ["version", *SCHEME_FIELDS, "note", "created_at", "created_by"]
        read_only_fields = fields
        extra_kwargs = {name: {"coerce_to_string": False} for name in SCHEME_FIELDS}


SchemeVersionSerializer = type(
    "SchemeVersionSerializer",
    (serializers.Serializer,),
    {
        **{name: _scheme_number(name) for name in SCHEME_FIELDS},
        "__doc__": "A new version: the numbers that change (the others are kept) and why (`note`, required).",
        "note": serializers.CharField(help_text="Why the scheme changes."),
    },
)
