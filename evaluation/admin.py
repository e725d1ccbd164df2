"""Scoring schemes (a leader adds a version, never edits one), publications and appeals (read-only)."""

from __future__ import annotations

from django.contrib import admin

from evaluation.models import Appeal, Publication, Scheme
from evaluation.services import schemes, scoring


@admin.register(Scheme)
class SchemeAdmin(admin.ModelAdmin):
    """Each save makes a new version (``schemes.add_version``): an existing version only offers
    "Save as new", and a save posted to it anyway is taken as one."""

    list_display = ["version", *scoring.SCHEME_FIELDS, "created_at", "created_by"]
    fields = [*scoring.SCHEME_FIELDS, "note", "version", "created_at", "created_by"]
    readonly_fields = ["version", "created_at", "created_by"]
    save_as = True

    def has_module_permission(self, request) -> bool:
        return schemes.may_edit(request.user)

    def has_view_permission(self, request, obj=None) -> bool:
        return schemes.may_edit(request.user)

    def has_add_permission(self, request) -> bool:
        return schemes.may_edit(request.user)

    def has_change_permission(self, request, obj=None) -> bool:
        return schemes.may_edit(request.user)  # the form of a version, saved only as a new one

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # published months point at their version

    def get_changeform_initial_data(self, request) -> dict:
        return {**super().get_changeform_initial_data(request), **schemes.current().values()}

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if object_id is not None:
            if request.method == "POST":
                request.POST = request.POST.copy()
                request.POST["_saveasnew"] = "1"
            extra_context = {
                **(extra_context or {}),
                "show_save": False,
                "show_save_and_continue": False,
                "show_save_and_add_another": False,
            }
        return super().changeform_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change) -> None:
        saved = schemes.add_version(
            request.user, note=obj.note, **{name: getattr(obj, name) for name in scoring.SCHEME_FIELDS}
        )
        obj.pk, obj.version, obj.created_at, obj.created_by = (
            saved.pk,
            saved.version,
            saved.created_at,
            saved.created_by,
        )
        obj._state.adding = False


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Publication)
class PublicationAdmin(ReadOnlyAdmin):
    """Published months and their versions (written by ``evaluation.services.publishing``)."""

    list_display = ["period", "version", "scheme", "published_at", "published_by", "reason"]
    list_filter = ["version"]
    search_fields = ["period"]
    list_select_related = ["scheme", "published_by"]
    exclude = ["subjects", "round_subjects"]


@admin.register(Appeal)
class AppealAdmin(ReadOnlyAdmin):
    """Appeals and their decisions (written by ``evaluation.services.appeals``)."""

    list_display = ["period", "department", "figure", "case", "state", "appealed_by", "appealed_at", "decided_by"]
    list_filter = ["state", "figure", "department"]
    search_fields = ["period", "case__tracking_no", "reason"]
    list_select_related = ["department", "case", "appealed_by", "decided_by"]
    raw_id_fields = ["case", "publication", "result"]
