"""A directive to every grid worker of the demo city (2,018) reaches every connected phone.

With one ``group_send`` per recipient all in flight at once, the channel layer wanted 2,018
Redis connections; redis-py 8's pool stops at 100 (``MaxConnectionsError``) and the pushes
past the 100th were lost. The push now goes out in one batch.
"""

from __future__ import annotations

import logging

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from accounts.roles import Role
from gridcenter.asgi import application
from patrols import services
from patrols.choices import DirectiveTarget
from tests.gridcenter.test_realtime import session_headers

pytestmark = pytest.mark.django_db(transaction=True)

RECIPIENTS = 2018
# Phones that are open, among them some past the 100th recipient.
CONNECTED = (0, 99, 100, 101, 1009, 2017)


def make_workers(count: int) -> list:
    """``count`` grid workers, written in two statements."""
    user_model = get_user_model()
    users = user_model.objects.bulk_create(user_model(username=f"fan-{i:04d}", password="!") for i in range(count))
    group, _created = Group.objects.get_or_create(name=Role.GRID_WORKER.value)
    membership = user_model.groups.through
    membership.objects.bulk_create(membership(user_id=user.pk, group_id=group.pk) for user in users)
    return users


async def open_phone(user) -> WebsocketCommunicator:
    page = WebsocketCommunicator(application, "/ws/user/", headers=await sync_to_async(session_headers)(user))
    connected, _code = await page.connect(timeout=10)
    assert connected
    assert (await page.receive_json_from(timeout=10))["type"] == "hello"
    return page


async def test_a_directive_to_2018_workers_reaches_every_connected_phone(dispatcher, caplog):
    users = await sync_to_async(make_workers)(RECIPIENTS)
    phones = [await open_phone(users[index]) for index in CONNECTED]

    with caplog.at_level(logging.WARNING):
        directive = await sync_to_async(services.send_directive)(
            dispatcher, text="全体网格员：今晚暴雨，请排查隐患点", target=DirectiveTarget.ALL
        )
    assert directive.recipient_count == RECIPIENTS

    for phone in phones:
        message = await phone.receive_json_from(timeout=10)
        assert message["type"] == "directive.new"
        assert message["data"]["id"] == directive.pk
        await phone.disconnect()
    assert [record.getMessage() for record in caplog.records if record.levelno >= logging.WARNING] == []
