"""The history's first steps: a case is reported, decided on, dispatched, maybe returned.

Mixed into ``HistoryRunner``: the methods use its ``cast``, ``states``, ``seed`` and
``at()``, and the state of the case (``CaseState``) they are given.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from incidents import services
from incidents.choices import CaseSource
from incidents.demo.content import REJECT_REASONS, RETURN_REASONS, ROADS, make_photo, person_name, phone_number
from incidents.demo.plan import RESUME, Fate, case_uuid
from incidents.demo.timing import LAST_RESOLVE, work
from incidents.exceptions import CaseError, CaseValidationError
from incidents.models import SubCategory
from incidents.services.duplicates import merge_case

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from incidents.demo.cast import Cast
    from incidents.demo.runner import CaseState


class IntakeSteps:
    """Steps from the report to the department's first move (``_report`` … ``_redispatch``)."""

    # What ``HistoryRunner`` (and ``HandlingSteps``) provide.
    cast: Cast
    states: dict[int, CaseState]
    seed: int
    other_departments: list[int]

    if TYPE_CHECKING:

        def at(self, when: datetime, state: CaseState, step: str) -> None: ...
        def _choose(self, state: CaseState) -> None: ...
        def _description(self, state: CaseState, address: str) -> str: ...
        def _after(self, state: CaseState, start: datetime, minutes: float, share: float) -> datetime: ...

    def _report(self, state, when: datetime) -> None:
        plan, rng = state.plan, state.rng
        self._choose(state)
        address = f"{state.place.community}{rng.choice(ROADS)}{rng.randint(1, 300)}号附近"
        actor, source, fields = self._reporter(state)
        photos = [make_photo(rng, after=False)] if plan.photos and source == CaseSource.GRID_WORKER else []
        case = services.report_case(
            actor,
            subcategory=state.sub,
            description=self._description(state, address),
            lat=round(state.lat, 7),
            lng=round(state.lng, 7),
            address=address,
            client_uuid=case_uuid(self.seed, plan.index),
            source=source,
            photos=photos,
            now=when,
            **fields,
        ).case
        state.case_id = case.pk
        state.extra["reporter"] = actor
        state.extra["source"] = source
        if plan.self_resolve and source == CaseSource.GRID_WORKER:
            self.at(when + timedelta(minutes=rng.uniform(5, 40)), state, "self_resolve")
        elif plan.fate == Fate.REPORTED:
            self.at(work(RESUME, rng.uniform(1, 25)), state, "decide")
        else:
            self.at(work(when, rng.uniform(35, 150) if plan.late_accept else rng.uniform(2, 26)), state, "decide")

    def _reporter(self, state) -> tuple[User | None, CaseSource, dict]:
        """Who reports the case, through which source (the plan's, if it has the people), with which fields."""
        rng = state.rng
        source = state.plan.source
        actor: User | None = self.cast.dispatcher
        fields = {}
        if source == CaseSource.GRID_WORKER:
            if state.place.workers:
                actor = rng.choice(state.place.workers)
            else:
                source = CaseSource.HOTLINE
        if source == CaseSource.DEPARTMENT:
            actor = self.cast.officer(state.sub.lead_department_id) or self.cast.dispatcher
            if actor is self.cast.dispatcher:
                source = CaseSource.HOTLINE
        if source in (CaseSource.HOTLINE, CaseSource.RESIDENT):
            fields = {"reporter_name": person_name(rng), "reporter_phone": phone_number(rng)}
        if source == CaseSource.RESIDENT:
            actor = None
        if source == CaseSource.LEADER:
            fields = {"reporter_name": rng.choice(("市委领导", "市政府领导", "分管副市长"))}
        return actor, source, fields

    def _decide(self, state, when: datetime) -> None:
        plan, rng = state.plan, state.rng
        dispatcher = self.cast.dispatcher
        if plan.duplicate_of is not None:
            original = self.states[plan.duplicate_of].case_id
            assert original is not None  # reported before its duplicate
            try:
                merge_case(dispatcher, state.case_id, into=original, now=when)
            except CaseValidationError:  # the original was closed meanwhile: an ordinary rejection
                services.reject_case(dispatcher, state.case_id, reason=REJECT_REASONS[2], now=when)
            return
        if plan.fate == Fate.REJECTED:
            services.reject_case(dispatcher, state.case_id, reason=rng.choice(REJECT_REASONS), now=when)
            return
        if plan.accept_first or plan.fate == Fate.REGISTERED:
            services.accept_case(dispatcher, state.case_id, now=when)
            if plan.fate == Fate.REGISTERED:
                later = work(RESUME, rng.uniform(10, 40))
            else:
                later = work(when, rng.uniform(2, 20))
            self.at(later, state, "dispatch")
            return
        self._dispatch(state, when)

    def _dispatch(self, state, when: datetime, department_id: int | None = None) -> None:
        rng, sub = state.rng, state.sub
        lead = department_id or sub.lead_department_id
        assisting = []
        if department_id is None and rng.random() < 0.15:
            assisting = [pk for pk in state.extra.setdefault("assisting", self._assisting(sub)) if pk != lead][:2]
        case = services.dispatch_case(
            self.cast.dispatcher,
            state.case_id,
            department=self.cast.departments[lead],
            assisting=[self.cast.departments[pk] for pk in assisting],
            now=when,
        )
        state.lead_id, state.dispatched_at, state.deadline = lead, when, case.deadline
        state.unit = case.time_limit_unit
        self._after_dispatch(state, when)

    def _assisting(self, sub: SubCategory) -> list[int]:
        return [pk for pk in sub.assisting_departments.values_list("pk", flat=True) if pk in self.cast.departments]

    def _after_dispatch(self, state, when: datetime) -> None:
        plan, rng = state.plan, state.rng
        head, officer = self.cast.heads.get(state.lead_id), self.cast.officer(state.lead_id)
        if plan.assigned and head is not None and officer is not None and head is not officer:
            self.at(work(when, rng.uniform(1, 5)), state, "assign")
        if (plan.returned or plan.fate == Fate.RETURNED) and not state.detoured:
            back = work(when, rng.uniform(30, 240))
            self.at(min(back, LAST_RESOLVE) if plan.fate == Fate.RETURNED else back, state, "return")
            return
        if plan.fate == Fate.DISPATCHED:
            self.at(work(RESUME, rng.uniform(5, 120)), state, "start")
            return
        self.at(self._after(state, when, rng.uniform(5, 90), rng.uniform(0.03, 0.15)), state, "start")

    def _assign(self, state, when: datetime) -> None:
        try:
            services.assign_case(
                self.cast.heads[state.lead_id], state.case_id, officer=self.cast.officer(state.lead_id), now=when
            )
        except CaseError:
            pass  # already started or returned: the head was too late

    def _return(self, state, when: datetime) -> None:
        rng = state.rng
        officer = self.cast.officer(state.lead_id)
        services.return_case(officer, state.case_id, reason=rng.choice(RETURN_REASONS), now=when)
        state.detoured = True
        others = [pk for pk in self._assisting(state.sub) if pk != state.lead_id and self.cast.officer(pk)]
        others = others or [pk for pk in self.other_departments if pk != state.lead_id]
        state.extra["redispatch_to"] = rng.choice(others)
        if state.plan.fate == Fate.RETURNED:
            self.at(work(RESUME, rng.uniform(10, 60)), state, "redispatch")
        else:
            self.at(work(when, rng.uniform(5, 25)), state, "redispatch")

    def _redispatch(self, state, when: datetime) -> None:
        self._dispatch(state, when, department_id=state.extra["redispatch_to"])
