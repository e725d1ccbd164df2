"""The errors of the field-work domain layer (``gridcenter.errors`` says what each answers)."""

from __future__ import annotations

from gridcenter.errors import (
    ConflictError,
    DomainError,
    DomainValidationError,
    NotFoundError,
    PermissionDeniedError,
)


class FieldWorkError(DomainError):
    """Base of the field-work domain's errors."""


class NotFound(FieldWorkError, NotFoundError):
    """No such patrol, entry or directive, or one that is not the user's."""


class FieldWorkPermissionDenied(FieldWorkError, PermissionDeniedError):
    """The user's role may not do this."""


class Conflict(FieldWorkError, ConflictError):
    """The current state does not allow this (a second open patrol, a second reply)."""


class FieldWorkValidationError(FieldWorkError, DomainValidationError):
    """Bad input: ``errors`` maps each field to its messages (HTTP 400); nothing was changed."""
