"""The errors of the case domain layer, each with the HTTP status the API answers with.

The domain raises these; the API's base view turns them into responses (400, 403, 404,
409) and pages into messages. Messages are translated for the person who caused them.
"""

from __future__ import annotations


class CaseError(Exception):
    """Base of the case domain's errors."""

    status_code = 400
    default_code = "error"

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.code = code or self.default_code


class CaseNotFound(CaseError):
    """No such case, or one the user may not see (the two are not told apart)."""

    status_code = 404
    default_code = "not_found"


class CasePermissionDenied(CaseError):
    """The user sees the case but their role may not take this step."""

    status_code = 403
    default_code = "permission_denied"


class InvalidTransition(CaseError):
    """The case's current status does not allow this step (HTTP 409)."""

    status_code = 409
    default_code = "invalid_transition"


class CaseValidationError(CaseError):
    """Bad input: ``errors`` maps each field to its messages (HTTP 400); nothing was changed."""

    status_code = 400
    default_code = "invalid"

    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__("; ".join(f"{field}: {' '.join(messages)}" for field, messages in errors.items()))
        self.errors = errors

    @classmethod
    def field(cls, name: str, message: str) -> CaseValidationError:
        return cls({name: [message]})
