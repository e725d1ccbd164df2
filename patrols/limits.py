"""The numbers of field work, each in one place.

``DAILY_PATROL_MINUTES`` is the local rule (every grid is patrolled at least 30 minutes
a day); the others decide how a phone's GPS track is read.
"""

from __future__ import annotations

from datetime import timedelta

# A grid counts as patrolled on a day with at least this many patrol minutes in it.
DAILY_PATROL_MINUTES = 30

# Track points less precise than this (the phone's reported accuracy radius, metres)
# are stored but left out of the distance: a cell-tower fix jumps by hundreds of metres.
MAX_ACCURACY_M = 100.0
# A step faster than this between two consecutive points is a GPS jump, not walking or
# riding a scooter through the grid; it is left out of the distance (metres per second).
MAX_SPEED_MPS = 40.0
# The most points one batch may carry (a phone sends ~30 every 30 s; a backlog more).
MAX_POINTS_PER_BATCH = 500
# How far ahead of the server's clock a phone's timestamp may be.
CLOCK_SKEW = timedelta(minutes=5)
# How long ago an offline-started patrol may have begun.
MAX_BACKDATE = timedelta(hours=24)
# An open patrol without a point for this long is closed at its last point.
STALE_AFTER = timedelta(hours=4)
