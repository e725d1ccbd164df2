"""The centre's field-work pages under /console/directives/ and /console/diary/.

Dispatchers send directives and follow the read receipts; they copy paper diaries in
(代录); leaders read the diaries and comment. The pages only parse forms and call the
domain functions of ``patrols.services``.
"""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from accounts.permissions import RoleRequiredMixin
from accounts.roles import CENTRE_ROLES, has_role
from gridcenter.pages import add_domain_error
from incidents.exceptions import CaseError
from patrols import selectors, services
from patrols.exceptions import FieldWorkError
from patrols.filtersets import DiaryFilterSet
from patrols.forms import CommentForm, DirectiveForm, OnBehalfDiaryForm
from patrols.models import DiaryEntry, Directive
from patrols.services.diary import COMMENT_ROLES, ON_BEHALF_ROLES
from patrols.services.directives import SEND_ROLES


class CentrePage(RoleRequiredMixin, TemplateView):
    allowed_roles = CENTRE_ROLES


class DirectivesView(CentrePage):
    """The directives sent, with receipt counts, who has not read an urgent one, and the send form."""

    template_name = "patrols/console/directives.html"

    def get_context_data(self, form: DirectiveForm | None = None, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["can_send"] = has_role(user, *SEND_ROLES)
        context["form"] = form or DirectiveForm()
        context["directives"] = (
            Directive.objects.select_related("sender")
            .annotate(
                read_count=Count("recipients", filter=Q(recipients__read_at__isnull=False)),
                replied_count=Count("recipients", filter=Q(recipients__replied_at__isnull=False)),
            )
            .order_by("-sent_at")[:50]
        )
        context["unread_urgent"] = selectors.unread_urgent()[:200]
        return context

    def post(self, request, *args, **kwargs):
        form = DirectiveForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            try:
                directive = services.send_directive(
                    request.user,
                    text=data["text"],
                    urgency=data["urgency"],
                    target=data["target"],
                    target_ids=form.target_ids(),
                    reply_deadline=data["reply_deadline"],
                    lat=data["lat"],
                    lng=data["lng"],
                    photo=data["photo"],
                    client_uuid=data["client_uuid"],
                )
            except (FieldWorkError, CaseError) as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, _("Sent to %(count)d grid workers.") % {"count": directive.recipient_count})
                return redirect("console-directive", pk=directive.pk)
        return self.render_to_response(self.get_context_data(form=form), status=400)


class DirectiveReceiptsView(CentrePage):
    template_name = "patrols/console/directive.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        directive = Directive.objects.select_related("sender").filter(pk=kwargs["pk"]).first()
        if directive is None:
            raise Http404
        receipts = (
            directive.recipients.select_related("worker__grid_worker")
            .prefetch_related("worker__grid_worker__grids")
            .order_by("read_at", "worker__username")
        )
        only = self.request.GET.get("show")
        if only == "unread":
            receipts = receipts.filter(read_at__isnull=True)
        elif only == "replied":
            receipts = receipts.filter(replied_at__isnull=False)
        counts = directive.recipients.aggregate(
            read=Count("id", filter=Q(read_at__isnull=False)), replied=Count("id", filter=Q(replied_at__isnull=False))
        )
        context.update(directive=directive, receipts=receipts, counts=counts, show=only or "all", now=timezone.now())
        return context


class DiaryConsoleView(CentrePage):
    """Every worker's diary, newest first, with filters; leaders comment here."""

    template_name = "patrols/console/diary.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        entries = DiaryEntry.objects.select_related("worker", "grid", "entered_by", "case").prefetch_related(
            "comments__author", "photos"
        )
        filterset = DiaryFilterSet(self.request.GET or None, queryset=entries, request=self.request)
        valid = not filterset.is_bound or filterset.is_valid()
        context["filter"] = filterset
        context["valid"] = valid
        context["entries"] = (filterset.qs if filterset.is_bound else entries)[:100] if valid else []
        context["can_comment"] = has_role(self.request.user, *COMMENT_ROLES)
        context["can_enter"] = has_role(self.request.user, *ON_BEHALF_ROLES)
        context["comment_form"] = CommentForm()
        return context

    def get(self, request, *args, **kwargs):
        context = self.get_context_data(**kwargs)
        return self.render_to_response(context, status=200 if context["valid"] else 400)


class DiaryCommentView(RoleRequiredMixin, TemplateView):
    allowed_roles = COMMENT_ROLES
    http_method_names = ["post"]

    def post(self, request, pk: int):
        form = CommentForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Write a comment first."))
        else:
            try:
                services.comment_diary_entry(request.user, pk, text=form.cleaned_data["text"])
            except FieldWorkError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, _("Comment saved."))
        return redirect(reverse("console-diary") + f"#entry-{pk}")


class OnBehalfDiaryView(RoleRequiredMixin, TemplateView):
    """代录: a dispatcher copies a worker's paper diary entry in, marked as such."""

    allowed_roles = ON_BEHALF_ROLES
    template_name = "patrols/console/diary_new.html"

    def get_context_data(self, form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        context["form"] = form or OnBehalfDiaryForm()
        return context

    def post(self, request, *args, **kwargs):
        form = OnBehalfDiaryForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.create_diary_entry(
                    request.user,
                    worker=data["worker"],
                    type=data["type"],
                    occurred_at=data["occurred_at"],
                    place=data["place"],
                    content=data["content"],
                    action_taken=data["action_taken"],
                    households_visited=data["households_visited"],
                    case=data["case"] or None,
                    photos=[data["photos"]] if data["photos"] else [],
                    client_uuid=data["client_uuid"],
                )
            except (FieldWorkError, CaseError) as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, _("Diary entry saved for %(worker)s.") % {"worker": data["worker"]})
                return redirect("console-diary-new")
        return self.render_to_response(self.get_context_data(form=form), status=400)
