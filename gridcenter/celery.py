"""The one Celery app: Redis broker, JSON only, late acknowledgement (see settings)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gridcenter.settings")

app = Celery("gridcenter")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
