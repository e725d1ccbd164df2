"""Settings for benchmark servers only: the real settings plus the bench endpoints."""

from gridcenter.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
LOGGING["root"]["level"] = "WARNING"  # noqa: F405
