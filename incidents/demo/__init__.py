"""The demo city's case history, played through the real domain functions.

``seed(password, log)`` is the seeder ``manage.py seed_demo`` runs after the accounts,
grids and departments. It takes the plan of ``incidents.demo.plan`` and plays every step
of every case in time order through the same functions the pages and the API call
(``report_case``, ``dispatch_case``, ``resolve_case``, ``merge_case``... each with its
``now=``), so the timeline, deadlines, counters and late-step records are all real. Steps
that would come after the present have not happened yet.

It is deterministic (seed ``DEMO_SEED``: the same plan, the same choices of grids,
sub-items and people) and idempotent: each case has a fixed ``client_uuid``, and a
database that holds the first one is topped up to now instead (``topup``). Live events
are not published while it runs (``gridcenter.realtime.muted``): nobody watches a history
being written, and each would cost a Redis round trip per audience. At the end it checks the seed city's figures
as of 1 May 2015 against ``incidents.services.stats.summary``.

The modules: ``plan`` (which cases, when, how each ends; pure), ``cast`` (the people
and grids, from the database), ``content`` (names, notes, photos), ``timing``,
``runner`` (the time-ordered player) with its steps in ``intake`` and ``handling``,
``seeding`` (the seeder and its check) and ``topup`` (a later run: the history played on
from the last moment in the database to now).
"""

from incidents.demo.cast import Cast, Place, load_cast, load_places, load_subs
from incidents.demo.plan import DEMO_SEED, CasePlan, Fate, case_uuid, plan_history
from incidents.demo.runner import CaseState, HistoryRunner
from incidents.demo.seeding import Log, already_seeded, run_history, seed

__all__ = [
    "DEMO_SEED",
    "CasePlan",
    "CaseState",
    "Cast",
    "Fate",
    "HistoryRunner",
    "Log",
    "Place",
    "already_seeded",
    "case_uuid",
    "load_cast",
    "load_places",
    "load_subs",
    "plan_history",
    "run_history",
    "seed",
]
