"""The case domain layer: intake, the lifecycle transitions, visibility-checked access, figures.

Everything that changes a case goes through a function here (DESIGN.md, "The case
lifecycle"); views, the API, admin, tasks and commands only call them.
"""

from incidents.exceptions import (
    CaseError,
    CaseNotFound,
    CasePermissionDenied,
    CaseValidationError,
    InvalidTransition,
)
from incidents.services.access import get_case_for_action
from incidents.services.extensions import (
    approve_extension,
    approve_hold,
    decide_extension,
    decide_hold,
    refuse_extension,
    refuse_hold,
    request_extension,
    request_hold,
    resume_case,
)
from incidents.services.intake import ReportResult, report_case
from incidents.services.lifecycle import (
    accept_case,
    add_note_case,
    approve_case,
    assign_case,
    dispatch_case,
    reject_case,
    reopen_case,
    resolve_case,
    return_case,
    self_resolve_case,
    start_case,
    urge_case,
    verify_case,
)
from incidents.services.permissions import RULES, available_actions
from incidents.services.stats import summary

__all__ = [
    "RULES",
    "CaseError",
    "CaseNotFound",
    "CasePermissionDenied",
    "CaseValidationError",
    "InvalidTransition",
    "ReportResult",
    "accept_case",
    "add_note_case",
    "approve_case",
    "approve_extension",
    "approve_hold",
    "assign_case",
    "available_actions",
    "decide_extension",
    "decide_hold",
    "dispatch_case",
    "get_case_for_action",
    "refuse_extension",
    "refuse_hold",
    "reject_case",
    "reopen_case",
    "report_case",
    "request_extension",
    "request_hold",
    "resolve_case",
    "resume_case",
    "return_case",
    "self_resolve_case",
    "start_case",
    "summary",
    "urge_case",
    "verify_case",
]
