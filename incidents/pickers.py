"""Pickers of the case lists' filters: names to choose from, codes in the URL.

The filters (``incidents.filtersets.CaseFilterSet``) take codes (grid, township, lead
department, major category, sub-item); these widgets let a person choose them by name
without typing a code, and keep the code as the value, so a bookmarked URL stays valid.
The grid is a searchable ``<datalist>`` (688 of them: typed code or name narrows the
list); the sub-items carry their major category (``data-major``) so that
``static/incidents/lists.js`` narrows them to the chosen category.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from departments.models import Department
from grids.models import Grid, Township
from incidents.models import MajorCategory, SubCategory

ANY = ("", pgettext_lazy("filter", "All"))


class DatalistInput(forms.TextInput):
    """A text input with suggestions (value = the code; label = where and what it is)."""

    template_name = "incidents/widgets/datalist.html"

    def __init__(self, options: list[tuple[str, str]], list_id: str, attrs=None) -> None:
        super().__init__(attrs={**(attrs or {}), "list": list_id, "autocomplete": "off"})
        self.options = options
        self.list_id = list_id

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"].update(options=self.options, list_id=self.list_id)
        return context


class SubCategorySelect(forms.Select):
    """Sub-items with their major category's code on each option (for the dependent select)."""

    def __init__(self, majors: dict[str, str], **kwargs) -> None:
        super().__init__(**kwargs)
        self.majors = majors

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        if value in self.majors:
            option["attrs"]["data-major"] = self.majors[value]
        return option


def grid_widget() -> DatalistInput:
    grids = Grid.objects.active().order_by("code").values_list("code", "community__township__name", "name")
    options = [(code, f"{township} · {name}") for code, township, name in grids]
    return DatalistInput(options, "grid-options", attrs={"placeholder": pgettext_lazy("filter", "Code or name")})


def township_widget() -> forms.Select:
    return forms.Select(choices=[ANY, *Township.objects.order_by("code").values_list("code", "name")])


def department_widget() -> forms.Select:
    departments = Department.objects.filter(is_active=True).order_by("code").values_list("code", "name")
    return forms.Select(choices=[ANY, *departments])


def major_widget() -> forms.Select:
    majors = MajorCategory.objects.filter(is_active=True).order_by("code")
    return forms.Select(choices=[ANY, *((m.code, f"{m.code} {m.name}") for m in majors)], attrs={"data-majors": ""})


def subcategory_widget() -> SubCategorySelect:
    subs = SubCategory.objects.filter(is_active=True).select_related("major").order_by("code")
    choices = [ANY, *((s.code, f"{s.code} {s.name}") for s in subs)]
    return SubCategorySelect({s.code: s.major.code for s in subs}, choices=choices, attrs={"data-subcategories": ""})


def add_pickers(form: forms.Form) -> None:
    """Give a filter form's fields that name something by its code their pickers (only for a
    page that shows the form: they read the grids, departments and taxonomy)."""
    widgets = {
        "grid": (grid_widget(), _("Grid")),
        "township": (township_widget(), _("Township")),
        "department": (department_widget(), _("Lead department")),
        "major": (major_widget(), _("Major category")),
        "subcategory": (subcategory_widget(), _("Sub-item")),
    }
    for name, (widget, label) in widgets.items():
        if name in form.fields:
            widget.is_required = form.fields[name].required
            form.fields[name].widget = widget
            form.fields[name].label = label  # chosen by name here, whatever the API's label says
