"""The admin's grid map upload form (the same importer as ``manage.py import_grids``)."""

from __future__ import annotations

from django import forms
from django.core.validators import FileExtensionValidator
from django.utils.translation import gettext_lazy as _

from grids.importer import FieldMap

ACCEPTED = ["geojson", "json", "kml", "zip"]


class GridImportForm(forms.Form):
    file = forms.FileField(
        label=_("Grid map file"),
        help_text=_("GeoJSON, KML, or a Shapefile with its .dbf/.shx/.prj in one ZIP archive."),
        validators=[FileExtensionValidator(ACCEPTED)],
    )
    commit = forms.BooleanField(
        label=_("Write the grids"), required=False, help_text=_("Leave unticked for a dry run that only checks.")
    )
    activate = forms.BooleanField(label=_("Make the new map live"), required=False, initial=True)
    repair = forms.BooleanField(
        label=_("Repair invalid polygons"), required=False, initial=True, help_text=_("Otherwise they are rejected.")
    )
    srid = forms.IntegerField(
        label=_("Source SRID"), required=False, help_text=_("Only if the file has none; CGCS2000 is 4490.")
    )
    description = forms.CharField(label=_("Description"), required=False, max_length=200)
    code_field = forms.CharField(label=_("Code field"), initial="code")
    name_field = forms.CharField(label=_("Name field"), initial="name", required=False)
    community_field = forms.CharField(label=_("Community code field"), required=False)
    community_name_field = forms.CharField(label=_("Community name field"), required=False)
    township_field = forms.CharField(label=_("Township code field"), required=False)
    population_field = forms.CharField(label=_("Population field"), required=False, initial="population")
    households_field = forms.CharField(label=_("Households field"), required=False, initial="households")

    def field_map(self) -> FieldMap:
        data = self.cleaned_data
        return FieldMap(
            code=data["code_field"],
            name=data["name_field"],
            community=data["community_field"],
            community_name=data["community_name_field"],
            township=data["township_field"],
            population=data["population_field"],
            households=data["households_field"],
        )
