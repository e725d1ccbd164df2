"""The field-work domain layer: patrols and their tracks, the diary, directives, coverage.

Everything that changes a patrol, a diary entry or a directive goes through a function
here; views, the API, admin, tasks and commands only call them.
"""

from patrols.services.coverage import GridCoverage, coverage_geojson, grid_coverage, unpatrolled
from patrols.services.diary import DiaryResult, comment_diary_entry, create_diary_entry, get_entry
from patrols.services.directives import (
    DirectiveResult,
    get_receipt,
    mark_directive_read,
    reply_directive,
    resolve_recipients,
    send_directive,
    send_directive_result,
)
from patrols.services.patrols import (
    BatchResult,
    StartResult,
    add_track_points,
    close_stale_patrols,
    get_patrol_for_action,
    link_report,
    patrol_lookup,
    start_patrol,
    stop_patrol,
)

__all__ = [
    "BatchResult",
    "DiaryResult",
    "DirectiveResult",
    "GridCoverage",
    "StartResult",
    "add_track_points",
    "close_stale_patrols",
    "comment_diary_entry",
    "coverage_geojson",
    "create_diary_entry",
    "get_entry",
    "get_patrol_for_action",
    "patrol_lookup",
    "get_receipt",
    "grid_coverage",
    "link_report",
    "mark_directive_read",
    "reply_directive",
    "resolve_recipients",
    "send_directive",
    "send_directive_result",
    "start_patrol",
    "stop_patrol",
    "unpatrolled",
]
