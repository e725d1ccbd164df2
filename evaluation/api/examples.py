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
