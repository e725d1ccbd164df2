"""The history's later steps: the department works the case, resolves it, the centre reviews.

Mixed into ``HistoryRunner``: the methods use its ``cast``, ``backlog`` and ``at()``, and
the state of the case (``CaseState``) they are given.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from incidents import services
from incidents.choices import CaseSource, Satisfaction, TimeLimitUnit
from incidents.demo.content import PROGRESS_NOTES, REOPEN_REASONS, RESOLVE_NOTES, URGE_NOTES, make_photo
from incidents.demo.plan import RESUME, Fate
from incidents.demo.timing import BACKLOG_MINUTES, LAST_CLOSED_RESOLVE, LAST_RESOLVE, OFFICE_DAY_MINUTES, work
from incidents.exceptions import CaseError
from worktime import calendar

if TYPE_CHECKING:
    from incidents.demo.cast import Cast
    from incidents.demo.runner import CaseState


class HandlingSteps:
    """Steps from the department's start to the centre's review (``_start`` … ``_review``)."""

    # What ``HistoryRunner`` provides.
    cast: Cast
    backlog: int

    if TYPE_CHECKING:

        def at(self, when: datetime, state: CaseState, step: str) -> None: ...

    def _after(self, state, start: datetime, minutes: float, share: float) -> datetime:
        """``minutes`` after ``start``, but at most ``share`` of the time the department was given."""
        if state.unit == TimeLimitUnit.NATURAL_HOURS:
            allowed = (state.deadline - state.dispatched_at).total_seconds() / 60
            return start + timedelta(minutes=min(minutes, share * allowed))
        allowed = calendar.working_time_between(state.dispatched_at, state.deadline).total_seconds() / 60
        return work(start, min(minutes, share * allowed))

    def _share_of_limit(self, state, share: float) -> datetime:
        """The instant at ``share`` of the time allowed between dispatch (or reopening) and the deadline."""
        begin = state.extra.get("clock_from", state.dispatched_at)
        if state.unit == TimeLimitUnit.NATURAL_HOURS:
            return begin + (state.deadline - begin) * share
        allowed = calendar.working_time_between(begin, state.deadline)
        return calendar.add_working_time(begin, allowed * share).deadline

    def _start(self, state, when: datetime) -> None:
        plan, rng = state.plan, state.rng
        officer = self.cast.officer(state.lead_id)
        services.start_case(officer, state.case_id, now=when)
        if plan.overdue:
            share = rng.uniform(1.1, 2.5)
        else:  # departments take more of their time nowadays than in the record's first years
            share = rng.uniform(0.35, 0.95) if plan.fate == Fate.LIVE else rng.uniform(0.25, 0.9)
        self._plan_resolution(state, when, share=share)
        if plan.overdue and self.cast.leader is not None:
            self.at(state.deadline + timedelta(hours=rng.uniform(1, 6)), state, "urge")

    def _plan_resolution(self, state, after: datetime, share: float) -> None:
        plan, rng = state.plan, state.rng
        resolve = max(self._share_of_limit(state, share), after + timedelta(minutes=5))
        if plan.fate == Fate.CLOSED:
            resolve = max(min(resolve, LAST_CLOSED_RESOLVE), after + timedelta(minutes=5))
        elif plan.fate == Fate.RESOLVED:
            resolve = max(min(resolve, LAST_RESOLVE), after + timedelta(minutes=5))
        elif plan.fate in (Fate.IN_PROGRESS, Fate.DISPATCHED, Fate.RETURNED) and not state.reworked:
            resolve = max(resolve, work(RESUME, rng.uniform(0, 3 * OFFICE_DAY_MINUTES)))
        state.extra["resolve_at"] = resolve
        if plan.progress_note:
            self.at(after + (resolve - after) / 2, state, "note")
        self.at(resolve, state, "resolve")

    def _note(self, state, when: datetime) -> None:
        try:
            services.add_note_case(
                self.cast.officer(state.lead_id), state.case_id, note=state.rng.choice(PROGRESS_NOTES), now=when
            )
        except CaseError:
            pass

    def _urge(self, state, when: datetime) -> None:
        if when < state.extra.get("resolve_at", when):
            services.urge_case(self.cast.leader, state.case_id, note=state.rng.choice(URGE_NOTES), now=when)

    def _resolve(self, state, when: datetime) -> None:
        plan, rng = state.plan, state.rng
        photos = [make_photo(rng, after=True)] if plan.photos else []
        services.resolve_case(
            self.cast.officer(state.lead_id), state.case_id, note=rng.choice(RESOLVE_NOTES), photos=photos, now=when
        )
        self._plan_review(state, when)

    def _self_resolve(self, state, when: datetime) -> None:
        rng = state.rng
        services.self_resolve_case(
            state.extra["reporter"],
            state.case_id,
            photos=[make_photo(rng, after=True)],
            note="已现场处置完毕。",
            now=when,
        )
        self._plan_review(state, when)

    def _plan_review(self, state, resolved: datetime) -> None:
        plan, rng = state.plan, state.rng
        if plan.fate == Fate.RESOLVED and not state.reworked:
            self.backlog += 1
            review = work(RESUME, self.backlog * BACKLOG_MINUTES + rng.uniform(0, 5))
            verify = resolved + timedelta(minutes=rng.uniform(30, 3000))
        else:
            minutes = rng.uniform(35, 180) if plan.late_review else rng.uniform(4, 27)
            review = work(resolved, minutes)
            verify = work(resolved, rng.uniform(1, minutes - 2))
        if plan.verified and state.place.workers and verify < review:
            self.at(verify, state, "verify")
        self.at(review, state, "review")

    def _verify(self, state, when: datetime) -> None:
        worker = state.rng.choice(state.place.workers)
        services.verify_case(worker, state.case_id, note="已到现场核查，情况属实。", now=when)

    def _review(self, state, when: datetime) -> None:
        plan, rng = state.plan, state.rng
        if plan.reworked and not state.reworked and state.lead_id is not None:
            reason = rng.choice(REOPEN_REASONS)
            case = services.reopen_case(self.cast.dispatcher, state.case_id, reason=reason, now=when)
            state.reworked = True
            state.deadline, state.extra["clock_from"] = case.deadline, when
            self._plan_resolution(state, when, share=rng.uniform(0.2, 0.6))
            return
        satisfaction = None
        if state.extra["source"] in (CaseSource.HOTLINE, CaseSource.RESIDENT):
            satisfaction = rng.choices(list(Satisfaction), weights=(80, 15, 5))[0]
        services.approve_case(self.cast.dispatcher, state.case_id, satisfaction=satisfaction, now=when)
