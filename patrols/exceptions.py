"""The errors of the field-work domain layer, each with the HTTP status the API answers with.

They mirror ``incidents.exceptions`` (the API maps both the same way): ``NotFound`` also
covers "exists but not yours" (the two are not told apart), ``FieldWorkPermissionDenied``
a role that may not do this, ``Conflict`` a state that does not allow it, and
``FieldWorkValidationError`` bad input with messages per field. Messages are translated
for the person who caused them.
"""

from __future__ import annotations


class FieldWorkError(Exception):
    status_code = 400
    default_code = "error"

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.code = code or self.default_code


class NotFound(FieldWorkError):
    status_code = 404
    default_code = "not_found"


class FieldWorkPermissionDenied(FieldWorkError):
    status_code = 403
    default_code = "permission_denied"


class Conflict(FieldWorkError):
    status_code = 409
    default_code = "conflict"


class FieldWorkValidationError(FieldWorkError):
    """Bad input: ``errors`` maps each field to its messages (HTTP 400); nothing was changed."""

    default_code = "invalid"

    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__("; ".join(f"{field}: {' '.join(messages)}" for field, messages in errors.items()))
        self.errors = errors

    @classmethod
    def field(cls, name: str, message: str) -> FieldWorkValidationError:
        return cls({name: [message]})
