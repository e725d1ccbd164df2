"""Forms of the centre's field-work pages: parsed here, checked by the domain functions."""

from __future__ import annotations

import uuid

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from grids.models import Community, Grid, Township
from patrols.choices import DiaryType, DirectiveTarget, Urgency
from patrols.services.directives import grid_worker_users

DATETIME_LOCAL = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class WorkersField(forms.CharField):
    """Grid workers named by their user names, separated by commas or spaces."""

    def to_python(self, value):
        names = [name for name in (value or "").replace("，", ",").replace(",", " ").split() if name]
        if not names:
            return []
        users = dict(grid_worker_users().filter(username__in=names).values_list("username", "pk"))
        unknown = [name for name in names if name not in users]
        if unknown:
            raise forms.ValidationError(_("Not grid workers: %(names)s") % {"names": ", ".join(unknown)})
        return [users[name] for name in names]


class DirectiveForm(forms.Form):
    client_uuid = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)
    text = forms.CharField(label=_("Text"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4}))
    urgency = forms.ChoiceField(label=_("Urgency"), choices=Urgency.choices, initial=Urgency.NORMAL)
    target = forms.ChoiceField(
        label=_("Send to"), choices=DirectiveTarget.choices, initial=DirectiveTarget.ALL, widget=forms.RadioSelect
    )
    townships = forms.ModelMultipleChoiceField(
        label=_("Townships"), queryset=Township.objects.order_by("code"), required=False
    )
    communities = forms.ModelMultipleChoiceField(
        label=_("Communities"), queryset=Community.objects.order_by("code"), required=False
    )
    grids = forms.CharField(
        label=_("Grid codes"), required=False, help_text=_("Separated by commas or spaces, e.g. 433101001001001")
    )
    workers = WorkersField(label=_("Grid workers (user names)"), required=False)
    reply_deadline = forms.DateTimeField(label=_("Reply by"), required=False, widget=DATETIME_LOCAL)
    lat = forms.FloatField(label=_("Latitude"), required=False, min_value=-90, max_value=90)
    lng = forms.FloatField(label=_("Longitude"), required=False, min_value=-180, max_value=180)
    photo = forms.ImageField(label=_("Photo"), required=False)

    def clean_grids(self) -> list[int]:
        codes = [code for code in self.cleaned_data["grids"].replace(",", " ").split() if code]
        found = dict(Grid.objects.active().filter(code__in=codes).values_list("code", "pk"))
        unknown = [code for code in codes if code not in found]
        if unknown:
            raise forms.ValidationError(_("No such grid on the current map: %(codes)s") % {"codes": ", ".join(unknown)})
        return [found[code] for code in codes]

    def target_ids(self) -> list[int]:
        data = self.cleaned_data
        return {
            DirectiveTarget.ALL: [],
            DirectiveTarget.TOWNSHIP: [unit.pk for unit in data["townships"]],
            DirectiveTarget.COMMUNITY: [unit.pk for unit in data["communities"]],
            DirectiveTarget.GRID: data["grids"],
            DirectiveTarget.WORKERS: data["workers"],
        }[DirectiveTarget(data["target"])]


class OnBehalfDiaryForm(forms.Form):
    """代录: a dispatcher copies a worker's paper diary entry in."""

    client_uuid = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)
    worker = forms.CharField(label=_("Grid worker (user name)"), max_length=150)
    type = forms.ChoiceField(label=_("Type"), choices=DiaryType.choices)
    occurred_at = forms.DateTimeField(label=_("Time"), widget=DATETIME_LOCAL)
    place = forms.CharField(label=_("Place"), max_length=200)
    content = forms.CharField(label=_("Content"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4}))
    action_taken = forms.CharField(
        label=_("What was done"), max_length=4000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    households_visited = forms.IntegerField(label=_("Households visited"), min_value=0, max_value=10_000, initial=0)
    case = forms.CharField(label=_("Related case (tracking number)"), max_length=24, required=False)
    photos = forms.ImageField(label=_("Photo of the paper page"), required=False)

    def clean_worker(self):
        name = self.cleaned_data["worker"].strip()
        user = get_user_model().objects.filter(username=name).first()
        if user is None:
            raise forms.ValidationError(_("No such user."))
        return user


class CommentForm(forms.Form):
    text = forms.CharField(label=_("Comment"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
