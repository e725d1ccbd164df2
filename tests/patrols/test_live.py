"""A directive reaches the recipient's open phone page through /ws/user/, after commit."""

from __future__ import annotations

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.db import transaction
from django.test import Client

from gridcenter.asgi import application
from gridcenter.realtime import CENTRE_GROUP, user_group
from patrols import services
from patrols.choices import DirectiveTarget, Urgency
from tests.realtime import listening

ORIGIN = (b"origin", b"http://127.0.0.1:8000")


def headers_for(user) -> list[tuple[bytes, bytes]]:
    client = Client()
    client.force_login(user)
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    return [ORIGIN, (b"cookie", cookie.encode()), (b"host", b"127.0.0.1:8000")]


async def open_socket(user) -> WebsocketCommunicator:
    communicator = WebsocketCommunicator(application, "/ws/user/", headers=await sync_to_async(headers_for)(user))
    connected, _code = await communicator.connect(timeout=5)
    assert connected
    assert (await communicator.receive_json_from(timeout=5))["type"] == "hello"
    return communicator


@pytest.mark.django_db(transaction=True)
async def test_an_urgent_directive_is_pushed_to_the_recipients_open_page_only(city, dispatcher):
    recipient = await open_socket(city.workers["a"])
    bystander = await open_socket(city.workers["d"])

    def send():
        with transaction.atomic():
            return services.send_directive(
                dispatcher,
                text="山体滑坡预警，立即撤离",
                urgency=Urgency.URGENT,
                target=DirectiveTarget.GRID,
                target_ids=[city.grids["A"].pk],
            )

    directive = await sync_to_async(send)()
    event = await recipient.receive_json_from(timeout=5)
    assert event["type"] == "directive.new"
    assert event["data"]["id"] == directive.pk and event["data"]["urgent"] is True
    assert await bystander.receive_nothing(timeout=0.3)
    await recipient.disconnect()
    await bystander.disconnect()


@pytest.mark.django_db(transaction=True)
def test_a_receipt_reaches_the_centre_and_the_sender_once_with_the_reply(city, dispatcher):
    grid_a = [city.grid_a.pk]
    directive = services.send_directive(dispatcher, text="通知", target=DirectiveTarget.GRID, target_ids=grid_a)
    with listening(CENTRE_GROUP, user_group(dispatcher.pk)) as drain:  # the receipts page's audiences
        services.reply_directive(city.workers["a"], directive, text="收到")
        events = drain()
    [event] = events  # one message to a channel in both groups
    assert event["type"] == "directive.receipt"
    data = event["data"]
    assert (data["directive"], data["worker"], data["reply"]) == (directive.pk, city.workers["a"].pk, "收到")
    assert data["read_at"] == data["replied_at"]  # the reply is also the first read
