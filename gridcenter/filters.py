"""Filters that refuse what they cannot read, shared by the apps' filter sets.

django-filter's ``BooleanFilter`` reads anything but ``true``/``false``/``1``/``0`` as "no
filter": ``?overdue=yes`` silently lists every case. This one answers a field message (a 400
from the API), as the schema's ``true``/``false`` promises; an empty value is no filter.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from django_filters.widgets import BooleanWidget as LenientBooleanWidget

TRUE = ("true", "1")
FALSE = ("false", "0")


class BooleanWidget(LenientBooleanWidget):
    """``true``/``false``/``1``/``0`` (any case) as booleans; anything else is passed on as typed."""

    def value_from_datadict(self, data, files, name):
        value = data.get(name)
        if isinstance(value, str) and value.lower() in TRUE + FALSE:
            return value.lower() in TRUE
        return value


class NullBooleanField(forms.NullBooleanField):
    widget = BooleanWidget
    # DRF's message, in its translations.
    default_error_messages = {"invalid": _("Must be a valid boolean.")}

    def to_python(self, value):
        if value in (None, "", True, False):
            return None if value == "" else value
        raise forms.ValidationError(self.error_messages["invalid"], code="invalid")


class BooleanFilter(filters.BooleanFilter):
    field_class = NullBooleanField

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("widget", BooleanWidget)
        super().__init__(*args, **kwargs)
