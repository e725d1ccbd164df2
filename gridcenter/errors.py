"""The errors every domain layer raises, and the HTTP status each one answers with.

Domain functions raise these (or an app's subclasses); the API's exception handler
(``gridcenter.api.exception_handler``) turns them into responses in one place, and pages
show them on their forms. Messages are translated for the person who caused them.
"""

from __future__ import annotations


class DomainError(Exception):
    status_code = 400
    default_code = "error"

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.code = code or self.default_code


class NotFoundError(DomainError):
    """No such thing, or one the user may not see (the two are not told apart)."""

    status_code = 404
    default_code = "not_found"


class PermissionDeniedError(DomainError):
    """The user sees the thing, but their role may not take this step."""

    status_code = 403
    default_code = "permission_denied"


class ConflictError(DomainError):
    """The current state does not allow this step."""

    status_code = 409
    default_code = "conflict"


class DomainValidationError(DomainError):
    """Bad input: ``errors`` maps each field to its messages; nothing was changed."""

    default_code = "invalid"

    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__("; ".join(f"{field}: {' '.join(messages)}" for field, messages in errors.items()))
        self.errors = errors

    @classmethod
    def field(cls, name: str, message: str):
        return cls({name: [message]})
