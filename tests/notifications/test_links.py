"""A notification about no case (an export ready): written, listed, opened at its own link."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from notifications.choices import NotificationKind
from notifications.models import Notification
from notifications.services import notify_link, unread_count


def test_a_notification_with_a_link_opens_its_page(city, client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        pk = notify_link(city.leader.pk, NotificationKind.EXPORT, "导出已完成", "/exports/7/")
    notification = Notification.objects.get(pk=pk)
    assert notification.case is None and notification.link == "/exports/7/"
    assert unread_count(city.leader) == 1

    client.force_login(city.leader)
    listing = client.get("/notifications/")
    assert listing.status_code == 200 and "导出已完成" in listing.content.decode()
    api = client.get("/api/v1/notifications/").json()
    assert api["results"][0]["case"] is None and api["results"][0]["kind"] == "export"

    opened = client.get(f"/notifications/{pk}/open/")
    assert opened.status_code == 302 and opened["Location"] == "/exports/7/"
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_a_notification_names_a_case_or_a_link(city):
    with pytest.raises(IntegrityError), transaction.atomic():
        Notification.objects.create(recipient=city.leader, kind=NotificationKind.EXPORT, text="x")
