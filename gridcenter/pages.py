"""How pages show the domain's errors (``gridcenter.errors``): the one translation for forms.

The API answers the same errors in ``gridcenter.api.exception_handler``.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import BadRequest, PermissionDenied
from django.http import Http404

from gridcenter.errors import DomainError, DomainValidationError


def add_domain_error(form: forms.BaseForm, error: DomainError) -> None:
    """Show a domain error on the form: each field's messages on that field where the form
    has it, everything else at the top of the form."""
    if isinstance(error, DomainValidationError):
        for field, messages in error.errors.items():
            for message in messages:
                form.add_error(field if field in form.fields else None, message)
    else:
        form.add_error(None, error.message)


def http_error(error: DomainError) -> Exception:
    """The Django exception that answers a domain error with its page: 403, 404, else 400."""
    if error.status_code == 403:
        return PermissionDenied(error.message)
    if error.status_code == 404:
        return Http404(error.message)
    return BadRequest(error.message)
