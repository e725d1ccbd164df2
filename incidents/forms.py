"""Forms of the console and workbench pages.

Each form only shapes the input of one domain function (``incidents.services``): the
rules themselves (who, from which status, what is valid) stay in the domain, whose
``CaseValidationError`` is turned back into field errors here (``add_domain_errors``).
"""

from __future__ import annotations

import re
import uuid
from decimal import Decimal
from typing import Any, cast

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_filters import widgets as filter_widgets

from accounts.names import display_name
from accounts.roles import roles_of
from departments.models import Department, Officer
from gridcenter.filters import BooleanWidget
from gridcenter.photos import MAX_PHOTOS
from incidents.choices import CaseSource, Satisfaction, TimeLimitUnit, Urgency
from incidents.filtersets import CaseFilterSet
from incidents.models import Case, SubCategory
from incidents.services.bulk import MAX_CASES
from incidents.services.intake import REPORT_SOURCES

TEXT_MAX = 2000
PHOTO_TYPES = "image/jpeg,image/png,image/webp"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Several photos in one input; their content is checked by the domain (``gridcenter.photos``)."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": PHOTO_TYPES}))
        kwargs.setdefault("label", _("Photos"))
        kwargs.setdefault("help_text", _("JPEG, PNG or WebP; at most %(count)d.") % {"count": MAX_PHOTOS})
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data]
        cleaned = [super(PhotosField, self).clean(file, initial) for file in files if file]
        if self.required and not cleaned:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        if len(cleaned) > MAX_PHOTOS:
            raise forms.ValidationError(_("At most %(count)d photos at a time.") % {"count": MAX_PHOTOS})
        return cleaned


def note_field(required: bool = False, label=None) -> forms.CharField:
    return forms.CharField(
        label=label or _("Note"), required=required, max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 2})
    )


class StepForm(forms.Form):
    """A form whose cleaned data are the keyword arguments of a domain function."""

    def domain_kwargs(self) -> dict:
        return dict(self.cleaned_data)


class NoteForm(StepForm):
    note = note_field()


class RequiredNoteForm(StepForm):
    note = note_field(required=True)


class NotePhotosForm(StepForm):
    note = note_field()
    photos = PhotosField()


class ResolveForm(StepForm):
    note = note_field(required=True, label=_("How it was resolved"))
    photos = PhotosField(label=_("Photos of the result"))


class ReasonForm(StepForm):
    reason = note_field(required=True, label=_("Reason"))


def _active_subcategories():
    return SubCategory.objects.filter(is_active=True, major__is_active=True).select_related("major")


class SubCategoryChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, sub: SubCategory) -> str:
        return f"{sub.code} {sub.major.name} · {sub.name}"


class AcceptForm(StepForm):
    subcategory = SubCategoryChoiceField(
        queryset=_active_subcategories(), required=False, label=_("Sub-item"), help_text=_("Reclassify if needed.")
    )
    note = note_field()

    def __init__(self, *args, case: Case | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if case is not None:
            self.fields["subcategory"].initial = case.subcategory_id

    def domain_kwargs(self) -> dict:
        kwargs = dict(self.cleaned_data)
        if kwargs.get("subcategory") is None:
            kwargs.pop("subcategory", None)
        return kwargs


class DepartmentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, department: Department) -> str:
        return department.name


class DepartmentMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, department: Department) -> str:
        return department.name


class DispatchForm(AcceptForm):
    """Accept and dispatch in one screen: the sub-item's lead department is suggested."""

    department = DepartmentChoiceField(
        queryset=Department.objects.filter(is_active=True), label=_("Lead department"), required=True
    )
    assisting = DepartmentMultipleChoiceField(
        queryset=Department.objects.filter(is_active=True),
        required=False,
        label=_("Assisting departments"),
        widget=forms.CheckboxSelectMultiple,
    )
    field_order = ["subcategory", "department", "assisting", "note"]

    def __init__(self, *args, case: Case | None = None, **kwargs) -> None:
        super().__init__(*args, case=case, **kwargs)
        if case is not None:
            sub = case.subcategory
            suggested = case.lead_department or sub.lead_department
            self.fields["department"].initial = suggested.pk
            self.fields["department"].help_text = _("Suggested for %(sub)s: %(department)s (limit %(limit)s).") % {
                "sub": sub.name,
                "department": sub.lead_department.name,
                "limit": sub.limit_display,
            }

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        lead, assisting = cleaned.get("department"), cleaned.get("assisting") or []
        if lead is not None and lead in assisting:
            self.add_error("assisting", _("The lead department cannot also assist."))
        return cleaned

    def domain_kwargs(self) -> dict:
        kwargs = super().domain_kwargs()
        kwargs["assisting"] = list(kwargs.get("assisting") or [])
        return kwargs


class ApproveForm(StepForm):
    satisfaction = forms.ChoiceField(
        choices=[("", _("Not asked"))] + list(Satisfaction.choices), required=False, label=_("Satisfaction")
    )
    note = note_field()


class OfficerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user) -> str:
        return display_name(user)


class AssignForm(StepForm):
    officer = OfficerChoiceField(queryset=get_user_model().objects.none(), label=_("Officer"))
    note = note_field()

    def __init__(self, *args, case: Case, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        department_id = case.lead_department_id
        # A case no department leads has no officers to choose from.
        officers = (
            Officer.objects.filter(department_id=department_id) if department_id is not None else Officer.objects.none()
        )
        field = cast(OfficerChoiceField, self.fields["officer"])
        field.queryset = get_user_model().objects.filter(pk__in=officers.values("user_id")).order_by("username")
        field.initial = case.assigned_officer_id


class MergeForm(StepForm):
    """Merge this report into an open case, named by its tracking number (or chosen from suggestions)."""

    into = forms.CharField(
        label=_("Original case"), max_length=24, help_text=_("Tracking number of the open case this report repeats.")
    )
    note = note_field()

    def __init__(self, *args, user=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_into(self) -> int:
        value = self.cleaned_data["into"].strip()
        cases = Case.objects.visible_to(self.user)
        lookup = {"pk": int(value)} if value.isdigit() and len(value) < 10 else {"tracking_no__iexact": value}
        found = cases.filter(**lookup).values_list("pk", flat=True).first()
        if found is None:
            raise forms.ValidationError(_("No such case."))
        return found


class ExtensionForm(StepForm):
    """延期: a later deadline, or an amount of time more (``incidents.services.request_extension``)."""

    reason = note_field(required=True, label=_("Reason"))
    extra_amount = forms.DecimalField(
        label=_("More time"), required=False, min_value=Decimal("0.1"), max_value=Decimal("999"), decimal_places=1
    )
    extra_unit = forms.ChoiceField(
        label=_("Unit"), choices=[("", _("As the time limit counts"))] + list(TimeLimitUnit.choices), required=False
    )
    until = forms.DateTimeField(
        label=_("Or a new deadline"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )

    def domain_kwargs(self) -> dict:
        return {name: value for name, value in self.cleaned_data.items() if value not in (None, "")}


PHONE_RE = re.compile(r"^\+?[0-9][0-9 \-]{2,30}$")


class RegisterForm(StepForm):
    """A case received by phone (hotline), as a leader's instruction, or seen on a camera."""

    client_uuid = forms.UUIDField(widget=forms.HiddenInput)
    source = forms.ChoiceField(label=_("Source"))
    subcategory = SubCategoryChoiceField(queryset=_active_subcategories(), label=_("Sub-item"))
    urgency = forms.ChoiceField(
        choices=[("", _("As the sub-item says"))] + list(Urgency.choices), required=False, label=_("Urgency")
    )
    description = forms.CharField(label=_("Description"), max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 3}))
    address = forms.CharField(label=_("Address"), max_length=200, required=False)
    lat = forms.FloatField(
        label=_("Latitude"), min_value=-90, max_value=90, widget=forms.NumberInput(attrs={"step": "any"})
    )
    lng = forms.FloatField(
        label=_("Longitude"), min_value=-180, max_value=180, widget=forms.NumberInput(attrs={"step": "any"})
    )
    reporter_name = forms.CharField(label=_("Caller's name"), max_length=50, required=False)
    reporter_phone = forms.CharField(
        label=_("Caller's phone"),
        max_length=32,
        required=False,
        help_text=_("Kept for the centre only; departments see it masked."),
    )
    photos = PhotosField()

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        held = roles_of(user)
        allowed: list[CaseSource] = []
        for role, sources in REPORT_SOURCES.items():
            if role in held:
                allowed += [source for source in sources if source not in allowed]
        cast(forms.ChoiceField, self.fields["source"]).choices = [(source.value, source.label) for source in allowed]
        if not self.is_bound:
            self.fields["client_uuid"].initial = uuid.uuid4()

    def clean_reporter_phone(self) -> str:
        phone = self.cleaned_data["reporter_phone"].strip()
        if phone and not PHONE_RE.match(phone):
            raise forms.ValidationError(_("Enter a phone number (digits, spaces, dashes)."))
        return phone

    def domain_kwargs(self) -> dict:
        kwargs = dict(self.cleaned_data)
        kwargs["urgency"] = kwargs.get("urgency") or None
        return kwargs


YES_NO_ALL = [
    ("", pgettext_lazy("filter", "All")),
    ("true", pgettext_lazy("filter", "Yes")),
    ("false", pgettext_lazy("filter", "No")),
]


class ConsoleCaseFilterSet(CaseFilterSet):
    """The API's case filters (``incidents.filtersets``) with widgets for a page."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name in ("status", "source"):
            self.filters[name].extra["widget"] = forms.CheckboxSelectMultiple
        self.filters["created"].extra["widget"] = filter_widgets.DateRangeWidget(attrs={"type": "date"})
        for name in ("overdue", "held"):  # 全部/是/否, not Django's "未知"; read as booleans
            widget = BooleanWidget()
            widget.choices = YES_NO_ALL
            self.filters[name].extra["widget"] = widget
        self.filters["q"].extra["widget"] = forms.TextInput(attrs={"type": "search", "data-search": ""})


# --- bulk actions (incidents.services.bulk) ---------------------------------------------------------


class CaseIdsField(forms.Field):
    """The ticked cases: ids (``cases=1&cases=2``), at most ``MAX_CASES``."""

    widget = forms.MultipleHiddenInput
    default_error_messages = {
        "required": _("Select at least one case."),
        "invalid": _("Unknown case ids."),
    }

    def to_python(self, value) -> list[int]:
        values = value if isinstance(value, list | tuple) else [value] if value else []
        try:
            ids = [int(str(item).strip()) for item in values if str(item).strip()]
        except ValueError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None
        if any(not 0 < item < 2**31 for item in ids):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        if len(ids) > MAX_CASES:
            raise forms.ValidationError(_("At most %(count)d cases at a time.") % {"count": MAX_CASES})
        return ids


class BulkSelectionForm(forms.Form):
    action = forms.ChoiceField(label=_("Action"))
    cases = CaseIdsField(label=_("Cases"))

    def __init__(self, *args, actions: dict[str, Any], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["action"]).choices = [(name, name) for name in actions]


class BulkDispatchForm(DispatchForm):
    """Dispatch several cases to one department: each keeps its sub-item (and its time limit)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["subcategory"]


class BulkRejectForm(StepForm):
    """Reject several reports with one reason, or as duplicates of one original case."""

    reason = note_field(required=True, label=_("Reason"))
    into = forms.CharField(
        label=_("Original case"),
        max_length=24,
        required=False,
        help_text=_("Tracking number of the open case these reports repeat (optional)."),
    )

    def __init__(self, *args, user=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_into(self) -> int | None:
        value = self.cleaned_data["into"].strip()
        return MergeForm.clean_into(self) if value else None  # type: ignore[arg-type]
