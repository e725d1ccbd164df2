"""Examples shown in the OpenAPI schema (/api/docs/)."""

from drf_spectacular.utils import OpenApiExample

PERIODS = [
    OpenApiExample(
        "The months to read, newest first",
        response_only=True,
        value=[
            {"period": "2026-12", "state": "provisional", "version": None},
            {"period": "2026-11", "state": "provisional", "version": None},
        ],
    )
]

ROWS = [
    OpenApiExample(
        "The departments of November 2026",
        response_only=True,
        value=[
            {
                "key": "CGJ",
                "code": "CGJ",
                "name": "市城管局",
                "due": 6,
                "handled": 5,
                "on_time": 4,
                "late": 1,
                "overdue_open": 1,
                "returned": 1,
                "shirked": 1,
                "rework": 1,
                "urged": 1,
                "extended": 0,
                "on_hold": 1,
                "rated": 1,
                "satisfied": 1,
                "basically_satisfied": 0,
                "dissatisfied": 0,
                "avg_handling_hours": 2.35,
                "on_time_rate": 0.6667,
                "handled_rate": 0.8333,
                "rework_rate": 0.2,
                "satisfaction_rate": 1.0,
                "score": 79.17,
                "band": "red",
                "rank": 1,
            }
        ],
    ),
    OpenApiExample(
        "A malformed or future month",
        response_only=True,
        status_codes=["400"],
        value={"period": ["这个月份尚未开始。"]},
    ),
]

ROUNDS = [
    OpenApiExample(
        "The round behind CGJ's one overdue, unresolved round",
        response_only=True,
        value=[
            {
                "case": 1544,
                "tracking_no": "JS20261105-0003",
                "started_at": "2026-11-05T09:00:00+08:00",
                "deadline": "2026-11-05T15:30:00+08:00",
                "resolved_at": None,
            }
        ],
    ),
    OpenApiExample(
        "An unknown figure",
        response_only=True,
        status_codes=["400"],
        value={"figure": ["该指标没有对应的承办轮次。"]},
    ),
]

_APPEAL = {
    "id": 7,
    "period": "2026-11",
    "department": "CGJ",
    "department_name": "市城管局",
    "figure": "overdue_open",
    "figure_display": "超期未处置",
    "case": 1544,
    "tracking_no": "JS20261105-0003",
    "round_no": 1,
    "version": 1,
    "reason": "施工方原因，已于 11 月 5 日书面报备",
    "evidence": "报备函 城管〔2026〕88 号",
    "appealed_by": "head-cgj",
    "appealed_at": "2026-12-02T10:00:00+08:00",
    "state": "pending",
    "state_display": "待裁决",
    "decided_by": None,
    "decided_at": None,
    "decision_note": "",
    "result_version": None,
}
_UPHELD = {
    **_APPEAL,
    "state": "upheld",
    "state_display": "申诉成立",
    "decided_by": "leader",
    "decided_at": "2026-12-03T09:00:00+08:00",
    "decision_note": "报备属实",
    "result_version": 2,
}
_CONFLICT = OpenApiExample(
    "Decided already (by another leader, a moment before)",
    response_only=True,
    status_codes=["409"],
    value={"detail": "该申诉已裁决。", "code": "conflict"},
)

APPEALS = [
    OpenApiExample("A department's appeals of November 2026", response_only=True, value=[_UPHELD]),
    OpenApiExample(
        "An unknown state", response_only=True, status_codes=["400"], value={"state": ["“maybe” 不是合法选项。"]}
    ),
]

APPEAL = [OpenApiExample("A pending appeal", response_only=True, value=_APPEAL)]

APPEAL_CREATE = [
    OpenApiExample(
        "CGJ's head appeals an overdue round",
        request_only=True,
        value={
            "period": "2026-11",
            "figure": "overdue_open",
            "case": 1544,
            "reason": "施工方原因，已于 11 月 5 日书面报备",
            "evidence": "报备函 城管〔2026〕88 号",
        },
    ),
    OpenApiExample("The appeal, pending", response_only=True, status_codes=["201"], value=_APPEAL),
    OpenApiExample(
        "A round not counted in that figure",
        response_only=True,
        status_codes=["400"],
        value={"case": ["该案件未计入本月此项指标。"]},
    ),
    OpenApiExample(
        "Not the head of the department it counts against",
        response_only=True,
        status_codes=["403"],
        value={"detail": "只有部门负责人可以对本部门的考核提出申诉。", "code": "permission_denied"},
    ),
    OpenApiExample(
        "Appealed already",
        response_only=True,
        status_codes=["409"],
        value={"detail": "该事项已提出过申诉。", "code": "conflict"},
    ),
]

DECISION = [
    OpenApiExample("Uphold", request_only=True, value={"uphold": True, "note": "报备属实"}),
    OpenApiExample("Upheld: version 2 of the month is published", response_only=True, value=_UPHELD),
    OpenApiExample("No note", response_only=True, status_codes=["400"], value={"note": ["请填写裁决理由。"]}),
    _CONFLICT,
]

_SCHEME = {
    "version": 2,
    "on_time_weight": 60.0,
    "handled_weight": 15.0,
    "rework_weight": 10.0,
    "satisfaction_weight": 15.0,
    "overdue_deduction": 0.5,
    "overdue_deduction_max": 10.0,
    "shirk_deduction": 1.0,
    "shirk_deduction_max": 5.0,
    "green_from": 90.0,
    "yellow_from": 80.0,
    "note": "加重按期处置",
    "created_at": "2026-12-03T09:00:00+08:00",
    "created_by": "leader",
}

SCHEME = [OpenApiExample("Version 2 in force, version 1 before it", response_only=True, value=[_SCHEME])]

SCHEME_VERSION = [
    OpenApiExample(
        "Weigh on-time handling more",
        request_only=True,
        value={"on_time_weight": 60, "handled_weight": 15, "note": "加重按期处置"},
    ),
    OpenApiExample("The new version", response_only=True, status_codes=["201"], value=_SCHEME),
    OpenApiExample(
        "Yellow above green",
        response_only=True,
        status_codes=["400"],
        value={"yellow_from": ["黄色起始分不得高于绿色起始分。"]},
    ),
]
