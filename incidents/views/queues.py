"""The console's queues (新上报, 待派遣, 核查结案) and its case list (查询).

Each list takes its filters, search and sort from the URL (``incidents.views.lists``);
the queues offer a search box, a sort, checkboxes for the bulk actions
(``incidents.views.bulk``) and the keyboard (``static/incidents/lists.js``).
"""

from __future__ import annotations

import json
from typing import Any

from django.core.paginator import Paginator
from django.db.models import Case as CaseWhen
from django.db.models import Prefetch, When
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy

from incidents.choices import AttachmentKind, CaseAction, CaseStatus, Urgency
from incidents.forms import ApproveForm, BulkDispatchForm, ReasonForm
from incidents.listing import CONSOLE_ORDER, case_list
from incidents.models import CaseEvent
from incidents.pickers import add_pickers
from incidents.services.duplicates import candidates_for
from incidents.services.stage_limits import waiting
from incidents.views.common import case_marker, map_config, page_cases, with_photos
from incidents.views.console import NEW_REPORTS, TO_DISPATCH, TO_REVIEW, ConsolePage

QUEUE_PAGE_SIZE = 30
SEARCH_PAGE_SIZE = 50
# The sorts a queue offers besides its own order (the case list sorts by every column).
# The keys that open the focused case's form of an action (static/incidents/lists.js).
KEYS = {"accept": "a", "dispatch": "d", "reject": "r"}
KEY_LABELS = {
    "accept": gettext_lazy("Accept the focused case (opens its form)"),
    "dispatch": gettext_lazy("Dispatch the focused case (opens its form)"),
    "reject": gettext_lazy("Reject the focused case (opens its form)"),
}
QUEUE_SORTS = ("created_at", "-created_at", "deadline", "-updated_at", "grid", "subcategory")


class QueueView(ConsolePage):
    """One of the centre's queues, with a map and the photos of each case."""

    template_name = "incidents/console/queue.html"
    statuses: tuple[CaseStatus, ...] = ()
    default_order: tuple[Any, ...] = ("created_at", "id")
    bulk_actions: tuple[str, ...] = ()
    empty: Any = ""
    # Timeline rows worth showing on a card: why it came back, how it was resolved.
    key_actions = (CaseAction.RETURN, CaseAction.RESOLVE, CaseAction.SELF_RESOLVE)

    def queryset(self):
        events = CaseEvent.objects.filter(action__in=self.key_actions).select_related("department", "actor")
        return (
            with_photos(page_cases(self.request.user))
            .filter(status__in=self.statuses)
            .prefetch_related(Prefetch("events", queryset=events.order_by("created_at", "id"), to_attr="key_events"))
        )

    def card(self, case, now, candidates) -> dict[str, Any]:
        photos = list(case.attachments.all())
        return {
            "case": case,
            "wait": waiting(case, now),
            "candidates": candidates.get(case.pk, []),
            "before_photos": [p for p in photos if p.kind == AttachmentKind.BEFORE][:4],
            "after_photos": [p for p in photos if p.kind == AttachmentKind.AFTER][:4],
            "last_event": case.key_events[-1] if case.key_events else None,
            "url": reverse("console-case", args=[case.pk]) + "?next=" + self.request.path,
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        now = timezone.now()
        listing = case_list(self.request.GET, self.queryset(), self.default_order)
        page = Paginator(listing.cases, QUEUE_PAGE_SIZE).get_page(self.request.GET.get("page"))
        cases = list(page.object_list)
        candidates = candidates_for(cases) if CaseStatus.REPORTED in self.statuses else {}
        cards = [self.card(case, now, candidates) for case in cases]
        sorts = [(value, label) for value, label in listing.filterset.filters["ordering"].extra["choices"]]
        context.update(
            page=page,
            cards=cards,
            case_list=listing,
            query=listing.query,
            # The export is the case list (查询) of the queue's statuses, with its search and sort.
            export_url=reverse("console-export"),
            export_query=urlencode([("status", status) for status in self.statuses])
            + (f"&{listing.query}" if listing.query else ""),
            valid=listing.valid,
            sorts=[(value, label) for value, label in sorts if value in QUEUE_SORTS],
            empty=self.empty,
            urgent=Urgency.URGENT,
            approve_form=ApproveForm(prefix="approve"),
            reopen_form=ReasonForm(prefix="reopen"),
            bulk_actions=self.bulk_actions,
            key_actions=[(KEYS[name], label) for name, label in KEY_LABELS.items() if name in self.bulk_actions],
            key_map=json.dumps({KEYS[name]: name for name in self.bulk_actions}),
            dispatch_form=BulkDispatchForm(prefix="dispatch", use_required_attribute=False)
            if "dispatch" in self.bulk_actions
            else None,
            map_config=map_config([case_marker(card["case"], card["url"]) for card in cards]),
        )
        return context


class NewReportsView(QueueView):
    """受理: new reports, urgent ones first, then the oldest."""

    tab = "new"
    title = gettext_lazy("New reports")
    statuses = NEW_REPORTS
    default_order = (CaseWhen(When(urgency=Urgency.URGENT, then=0), default=1), "created_at", "id")
    bulk_actions = ("accept", "dispatch", "reject")
    empty = gettext_lazy("No new reports are waiting.")


class DispatchQueueView(QueueView):
    """派遣: accepted cases and the ones departments returned, waiting for a department."""

    tab = "dispatch"
    title = gettext_lazy("To dispatch")
    statuses = TO_DISPATCH
    default_order = ("updated_at", "id")
    bulk_actions = ("dispatch",)
    empty = gettext_lazy("Nothing is waiting to be dispatched.")


class ReviewQueueView(QueueView):
    """核查结案: resolved cases waiting for the centre's review, the longest-waiting first."""

    tab = "review"
    title = gettext_lazy("Review")
    statuses = TO_REVIEW
    default_order = ("resolved_at", "id")
    empty = gettext_lazy("No resolved case is waiting for review.")


class SearchView(ConsolePage):
    """查询: every case the user may see, with the API's filters (``CaseFilterSet``)."""

    template_name = "incidents/console/search.html"
    tab = "search"
    title = gettext_lazy("Search")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        listing = case_list(self.request.GET, page_cases(self.request.user), CONSOLE_ORDER)
        add_pickers(listing.filterset.form)
        page = Paginator(listing.cases, SEARCH_PAGE_SIZE).get_page(self.request.GET.get("page"))
        now = timezone.now()
        for case in page.object_list:
            case.overdue_now = case.is_overdue(now)  # type: ignore[attr-defined]
        context.update(
            filter=listing.filterset,
            case_list=listing,
            valid=listing.valid,
            page=page,
            query=listing.query,
            map_config=map_config(
                [case_marker(case, reverse("console-case", args=[case.pk])) for case in page.object_list],
                cluster=True,
            ),
        )
        return context
