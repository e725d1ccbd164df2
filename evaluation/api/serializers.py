"""Serializers of the evaluation API: the query parameters, and the shapes the schema documents.

Rows are built by ``evaluation.services.read`` and passed through as they are (a kind of
subject added later brings its own keys); ``EvaluationRowSerializer`` documents the
department figures, which officers and townships share.
"""

from __future__ import annotations

from rest_framework import serializers

from evaluation.choices import Band, Figure, Rate


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
