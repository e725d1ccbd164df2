"""The domain's settings: working time, cases, the SLA clock, notifications, evaluation.

Read from the environment like every other setting (``gridcenter.settings`` imports them all);
they live apart to keep each settings module short. The README's "Settings" table says more.
"""

# Underscored: `from gridcenter.domain_settings import *` takes the settings and nothing else.
from gridcenter.env import DEFAULT_SLA_STEPS as _DEFAULT_SLA_STEPS
from gridcenter.env import Env as _Env
from gridcenter.env import parse_sla_steps as _parse_sla_steps
from gridcenter.env import validate_office_hours as _validate_office_hours

_env = _Env()

# --- Working time (worktime app) -------------------------------------------------
# Office hours of a working day; working-hour and working-day time limits count only these.
OFFICE_HOURS = _validate_office_hours("OFFICE_HOURS", _env.str("OFFICE_HOURS", "08:00-12:00,14:30-17:30"))

# --- Cases (incidents app) --------------------------------------------------------
# Prefix of the readable tracking numbers, e.g. JS20261127-0042 (JS: Jishou).
CASE_TRACKING_PREFIX = _env.str("CASE_TRACKING_PREFIX", "JS")
# Largest case photo accepted, in bytes (phone photos are 2-8 MB); larger ones get a 400.
CASE_PHOTO_MAX_BYTES = _env.int("CASE_PHOTO_MAX_BYTES", 10 * 1024 * 1024, minimum=10_000)
# Largest case photo accepted, in pixels (width x height): a guard against decompression bombs.
CASE_PHOTO_MAX_PIXELS = _env.int("CASE_PHOTO_MAX_PIXELS", 50_000_000, minimum=10_000)
# The most pixels decoded per photo (an upload's work): PNG/WebP decode in full, a JPEG at 1/2-1/8 scale.
CASE_PHOTO_MAX_DECODED_PIXELS = _env.int("CASE_PHOTO_MAX_DECODED_PIXELS", 16_000_000, minimum=10_000)
# The centre's stage limits (working minutes): acceptance after a report, review after a resolution.
CENTRE_ACCEPT_LIMIT_MINUTES = _env.int("CENTRE_ACCEPT_LIMIT_MINUTES", 30, minimum=1, maximum=10_000)
CENTRE_REVIEW_LIMIT_MINUTES = _env.int("CENTRE_REVIEW_LIMIT_MINUTES", 30, minimum=1, maximum=10_000)
# Open cases of the sub-item this many days back (within its radius) are offered as the original.
CASE_DUPLICATE_DAYS = _env.int("CASE_DUPLICATE_DAYS", 7, minimum=1, maximum=365)

# --- Evaluation (evaluation, exports apps; the README's settings table says more) ----------------
# A check on site (核查) within this many natural hours of the resolution is on time (按时核查).
EVALUATION_VERIFY_HOURS = _env.int("EVALUATION_VERIFY_HOURS", 24, minimum=1, maximum=24 * 30)
# A worker's day is patrolled (巡查达标) with this many minutes OR metres of their own patrols
# (one worker's minimum; DAILY_PATROL_MINUTES is a grid's coverage rule).
EVALUATION_PATROL_MINUTES = _env.int("EVALUATION_PATROL_MINUTES", 120, minimum=1, maximum=24 * 60)
EVALUATION_PATROL_METRES = _env.int("EVALUATION_PATROL_METRES", 3000, minimum=1, maximum=200_000)

# --- The SLA clock (incidents.services.sla) -----------------------------------------------
# Warning (yellow) at this share of the time allowed; the leaders' step (督办) once overdue by
# a further SLA_ESCALATION_SHARE of it.
SLA_WARNING_SHARE = _env.float("SLA_WARNING_SHARE", 0.8, minimum=0.01, maximum=0.99)
SLA_ESCALATION_SHARE = _env.float("SLA_ESCALATION_SHARE", 0.5, minimum=0.0, maximum=100.0)
# Which steps are taken and whom each tells (gridcenter/_env.py): step:audience[+audience];...
SLA_STEPS = _parse_sla_steps("SLA_STEPS", _env.str("SLA_STEPS", _DEFAULT_SLA_STEPS))
# The centre's supervising leaders (督办 list), by username; empty: every active leader.
SLA_LEADERS = _env.list("SLA_LEADERS", [])
# Cases the sweep claims per transaction; case events it pushes live per run.
SLA_SWEEP_BATCH = _env.int("SLA_SWEEP_BATCH", 10_000, minimum=10, maximum=50_000)
SLA_LIVE_EVENTS_MAX = _env.int("SLA_LIVE_EVENTS_MAX", 50, minimum=0, maximum=10_000)

# --- Field work (patrols app) -------------------------------------------------------------------
# The wall screen's patrol positions: each web process sends the newest fix of every patrol it
# stored as one batch at most this often (seconds), not every GPS batch to every screen.
PATROL_LIVE_SECONDS = _env.float("PATROL_LIVE_SECONDS", 5.0, minimum=0.1, maximum=300.0)

# --- Notifications (notifications app) --------------------------------------------------------
# Where notifications go besides the in-app list (adapters: SMS, messaging app; default: the log).
NOTIFICATION_ADAPTERS = _env.list("NOTIFICATION_ADAPTERS", ["notifications.adapters.LogAdapter"])
# How often a failed delivery is tried again (with growing pauses) before it is given up.
NOTIFICATION_DELIVERY_RETRIES = _env.int("NOTIFICATION_DELIVERY_RETRIES", 5, minimum=0, maximum=50)
# An export of at most this many rows downloads at once; a larger one is built by a worker.
EVALUATION_EXPORT_SYNC_ROWS = _env.int("EVALUATION_EXPORT_SYNC_ROWS", 5000, minimum=0, maximum=10_000_000)
# A case-list export of at most this many cases downloads at once; a larger one is built by a worker.
CASE_EXPORT_SYNC_ROWS = _env.int("CASE_EXPORT_SYNC_ROWS", 5000, minimum=0, maximum=10_000_000)
# A month not yet published is cached this long; the beat task recomputes it every half of it.
EVALUATION_PROVISIONAL_SECONDS = _env.int("EVALUATION_PROVISIONAL_SECONDS", 300, minimum=10, maximum=24 * 3600)

# --- Statistics (stats app; the README's settings table says more) -----------------------------
# The longest period answered at once (page and API); a longer one is exported (by a worker).
STATS_MAX_DAYS = _env.int("STATS_MAX_DAYS", 731, minimum=1, maximum=3660)
STATS_EXPORT_MAX_DAYS = _env.int("STATS_EXPORT_MAX_DAYS", 3660, minimum=1, maximum=36600)
# A statistics export of at most this many rows downloads at once; a larger one is built by a worker.
STATS_EXPORT_SYNC_ROWS = _env.int("STATS_EXPORT_SYNC_ROWS", 5000, minimum=0, maximum=10_000_000)
# Hotspots: how many rising grids / sub-items / repeat addresses; an address is a repeat from
# this many reports in the period; the newest cases listed with it.
STATS_HOTSPOTS = _env.int("STATS_HOTSPOTS", 10, minimum=1, maximum=200)
STATS_REPEAT_MIN = _env.int("STATS_REPEAT_MIN", 3, minimum=2, maximum=1000)
STATS_REPEAT_CASES = _env.int("STATS_REPEAT_CASES", 5, minimum=1, maximum=50)
# The heat map's cells (about 500 m each) sent to the page, densest first.
STATS_HEAT_CELLS = _env.int("STATS_HEAT_CELLS", 5000, minimum=10, maximum=100_000)
