"""The case lifecycle: one function per step (DESIGN.md, "The case lifecycle").

Each function takes the actor and the case (or its id) and goes through ``transition``
(``lifecycle/transition.py``): one transaction, the row locked, the rule checked, the
timeline row written, ``case.<action>`` published after commit. Each takes a ``now``
(default: the current time) so a generated history and tests can act at chosen instants.
Views, the API, admin, tasks and commands call these; nothing else changes ``Case.status``.
"""

from incidents.services.lifecycle.centre import accept_case, approve_case, dispatch_case, reject_case, reopen_case
from incidents.services.lifecycle.department import assign_case, resolve_case, return_case, start_case
from incidents.services.lifecycle.field import add_note_case, self_resolve_case, urge_case, verify_case
from incidents.services.lifecycle.transition import Change, commit_change, lock_for, transition

__all__ = [
    "Change",
    "accept_case",
    "add_note_case",
    "approve_case",
    "assign_case",
    "commit_change",
    "dispatch_case",
    "lock_for",
    "reject_case",
    "reopen_case",
    "resolve_case",
    "return_case",
    "self_resolve_case",
    "start_case",
    "transition",
    "urge_case",
    "verify_case",
]
