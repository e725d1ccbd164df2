"""The live push reaches a connected page; with Redis down the notification is still there."""

from __future__ import annotations

import logging

import pytest
from asgiref.sync import sync_to_async
from channels.layers import channel_layers
from channels.testing import WebsocketCommunicator

from gridcenter.asgi import application
from incidents import services
from notifications.models import Notification
from tests.gridcenter.test_realtime import session_headers

pytestmark = pytest.mark.django_db(transaction=True)


async def open_page(user) -> WebsocketCommunicator:
    communicator = WebsocketCommunicator(application, "/ws/user/", headers=await sync_to_async(session_headers)(user))
    connected, _code = await communicator.connect(timeout=5)
    assert connected
    assert (await communicator.receive_json_from(timeout=5))["type"] == "hello"
    return communicator


async def test_a_notification_reaches_the_officers_open_page(city):
    officer_page = await open_page(city.officer_lead)
    stranger_page = await open_page(city.officer_unrelated)

    def dispatch():
        case = city.report()
        return services.dispatch_case(city.dispatcher, case, department=city.lead)

    case = await sync_to_async(dispatch)()
    message = await officer_page.receive_json_from(timeout=5)
    assert message["type"] == "notification"
    data = message["data"]
    assert data["unread"] == 1 and data["new"] == 1
    assert data["latest"]["case"] == case.pk and data["latest"]["kind"] == "dispatched"
    assert case.tracking_no in data["latest"]["text"]
    assert data["latest"]["url"] == f"/notifications/{data['latest']['id']}/open/"
    assert await stranger_page.receive_nothing(timeout=0.5)
    await officer_page.disconnect()
    await stranger_page.disconnect()


def test_with_redis_down_the_step_and_its_notifications_are_kept(city, settings, caplog):
    dead = "redis://127.0.0.1:1/0"
    settings.CHANNEL_LAYERS = {
        "default": {"BACKEND": "gridcenter.channel_layer.RedisChannelLayer", "CONFIG": {"hosts": [dead]}}
    }
    settings.CACHES = {"default": {**settings.CACHES["default"], "LOCATION": dead}}
    channel_layers.backends.clear()
    try:
        with caplog.at_level(logging.WARNING):
            case = services.dispatch_case(city.dispatcher, city.report(), department=city.lead)
    finally:
        channel_layers.backends.clear()
    assert Notification.objects.filter(case=case, recipient=city.officer_lead).count() == 1
    assert case.status == "dispatched"
    assert "could not publish notification" in caplog.text
