"""The errors of the case domain layer (``gridcenter.errors`` says what each answers)."""

from __future__ import annotations

from gridcenter.errors import (
    ConflictError,
    DomainError,
    DomainValidationError,
    NotFoundError,
    PermissionDeniedError,
)


class CaseError(DomainError):
    """Base of the case domain's errors."""


class CaseNotFound(CaseError, NotFoundError):
    """No such case, or one the user may not see (the two are not told apart)."""


class CasePermissionDenied(CaseError, PermissionDeniedError):
    """The user sees the case but their role may not take this step."""


class InvalidTransition(CaseError, ConflictError):
    """The case's current status does not allow this step (HTTP 409)."""

    default_code = "invalid_transition"


class CaseValidationError(CaseError, DomainValidationError):
    """Bad input: ``errors`` maps each field to its messages (HTTP 400); nothing was changed."""
