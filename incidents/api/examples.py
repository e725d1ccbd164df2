"""Examples shown in the OpenAPI schema (/api/docs/)."""

from drf_spectacular.utils import OpenApiExample

REPORT = [
    OpenApiExample(
        "A grid worker's report",
        request_only=True,
        value={
            "client_uuid": "0b8f8a9e-4a5d-4f1e-9a57-2b1f3c4d5e6f",
            "subcategory": "0101",
            "description": "人民北路菜市场门口有暴露垃圾",
            "lat": 28.3124,
            "lng": 109.7391,
            "address": "人民北路菜市场",
        },
    ),
    OpenApiExample(
        "The case it created (201), or the same case again (200)",
        response_only=True,
        status_codes=["201", "200"],
        value={
            "id": 1544,
            "tracking_no": "JS20261127-0042",
            "client_uuid": "0b8f8a9e-4a5d-4f1e-9a57-2b1f3c4d5e6f",
            "status": "reported",
            "status_display": "已上报",
            "source": "grid_worker",
            "subcategory": {"code": "0101", "name": "暴露垃圾"},
            "lat": 28.3124,
            "lng": 109.7391,
            "address": "人民北路菜市场",
            "grid": {
                "id": 12,
                "code": "433101001001003",
                "name": "人民北路社区第3网格",
                "community": "人民北路社区",
                "township": "峒河街道",
            },
            "created_at": "2026-11-27T09:30:12.000000+08:00",
        },
    ),
    OpenApiExample(
        "A point outside the city's grids",
        response_only=True,
        status_codes=["400"],
        value={"location": ["该位置不在本市网格范围内。"]},
    ),
]

REJECT = [
    OpenApiExample("Rejected as a duplicate", request_only=True, value={"reason": "重复上报，已并入 JS20261127-0031"})
]

DISPATCH = [
    OpenApiExample(
        "Dispatch to urban management, with the police assisting",
        request_only=True,
        value={"department": "CGJ", "assisting": ["GAJ"], "note": "请于时限内清运"},
    ),
    OpenApiExample(
        "A step the case's status does not allow",
        response_only=True,
        status_codes=["409"],
        value={"detail": "事件当前为“已办结待审核”，不能执行“已派遣”。", "code": "invalid_transition"},
    ),
]

RETURN = [OpenApiExample("Not ours", request_only=True, value={"reason": "该路段属公路局管养，请改派"})]

URGE = [OpenApiExample("A leader presses", request_only=True, value={"note": "已超时，请今日内办结"})]

STATS = [
    OpenApiExample(
        "As of 1 May 2015 (?at=2015-05-01)",
        response_only=True,
        value={"received": 1544, "closed": 1133, "pending_review": 339, "in_progress": 48, "other": 24},
    )
]
