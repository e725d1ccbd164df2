"""Dates that people type into a query or a form, bounded to the years the platform can hold.

A day is turned into instants (its start and end in Asia/Shanghai, the next day's start),
and ``date.max`` + one day, or ``date.min`` in UTC, overflow Python's ``datetime``: an
``OverflowError``, a 500. Every date a request brings in goes through these fields, which
refuse a day outside ``EARLIEST``–``LATEST`` with a field message (a 400 from the API, a form
error on a page): the form field, its DRF twin, and the django-filter filters built on it.
"""

from __future__ import annotations

from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django_filters import fields as filter_fields
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

EARLIEST = date(2000, 1, 1)
LATEST = date(2099, 12, 31)


def validate_day(value: date) -> None:
    """Refuse a day outside the years the platform holds (``EARLIEST``–``LATEST``)."""
    if not EARLIEST <= value <= LATEST:
        raise ValidationError(
            _("Enter a date between %(earliest)s and %(latest)s."),
            code="date_out_of_range",
            params={"earliest": EARLIEST.isoformat(), "latest": LATEST.isoformat()},
        )


class DateField(forms.DateField):
    """A form's date, within ``EARLIEST``–``LATEST``."""

    default_validators = [validate_day]


# The schema says which days: 2000-01-01 to 2099-12-31 (the pattern bounds the year).
@extend_schema_field({"type": "string", "format": "date", "pattern": r"^20[0-9]{2}-[0-9]{2}-[0-9]{2}$"})
class SerializerDateField(serializers.DateField):
    """An API input's date (``YYYY-MM-DD``), within ``EARLIEST``–``LATEST``."""

    default_validators = [validate_day]


class DateRangeField(filter_fields.DateRangeField):
    """The ``<name>_after`` / ``<name>_before`` pair of a date-range filter, each bounded."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields:
            field.validators.append(validate_day)


class DateFilter(filters.DateFilter):
    field_class = DateField


class DateFromToRangeFilter(filters.DateFromToRangeFilter):
    field_class = DateRangeField
