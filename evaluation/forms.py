"""The evaluation pages' forms: an appeal, a decision on one, a new version of the scheme.

They only read the input; the rules (a reason is required, who may act, what a valid scheme
is) are the domain's (``evaluation.services.appeals``, ``schemes`` and the ``Scheme`` model's
validators), whose errors the views put back on these forms.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from evaluation.models import Scheme
from evaluation.services import appeals, scoring

UPHOLD, DISMISS = "uphold", "dismiss"


def _text(label, *, rows: int, required_in_browser: bool = False, help_text="") -> forms.CharField:
    # Not required here: the domain says what is missing, in its own words.
    attrs: dict[str, str | int] = {"rows": rows, "maxlength": appeals.MAX_TEXT}
    if required_in_browser:
        attrs["required"] = "required"
    return forms.CharField(
        label=label,
        required=False,
        strip=True,
        widget=forms.Textarea(attrs=attrs),
        help_text=help_text,
    )


class AppealForm(forms.Form):
    """A head's appeal of one round behind a figure (the figure and the month are in the address)."""

    case = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    round_no = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)
    reason = _text(_("Reason for the appeal"), rows=3, required_in_browser=True)
    evidence = _text(
        _("Evidence"), rows=2, help_text=_("Optional: what shows it, e.g. a letter's number, photos on record.")
    )


class DecisionForm(forms.Form):
    """A leader's decision on a pending appeal; the button pressed says which."""

    decision = forms.ChoiceField(choices=[(UPHOLD, _("Uphold")), (DISMISS, _("Dismiss"))], widget=forms.HiddenInput)
    note = _text(_("Reason for the decision"), rows=2, required_in_browser=True)

    @property
    def uphold(self) -> bool:
        return self.cleaned_data["decision"] == UPHOLD


class SchemeForm(forms.Form):
    """A new version of the scheme: every number (labelled and bounded by the model's fields) and why."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields.update(forms.fields_for_model(Scheme, fields=scoring.SCHEME_FIELDS))
        self.fields["note"] = forms.CharField(
            label=Scheme.label("note"),
            max_length=appeals.MAX_TEXT,
            widget=forms.Textarea(attrs={"rows": 2}),
            error_messages={"required": _("Say why the scheme changes.")},
            help_text=_("Kept with the version: who changed the scheme, when and why."),
        )

    def values(self) -> dict:
        return {name: self.cleaned_data[name] for name in scoring.SCHEME_FIELDS}
