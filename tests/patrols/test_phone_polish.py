"""The phone's rough edges: its notifications stay in the phone's layout, the outbox's words."""

from __future__ import annotations

import json
import re

from django.test import Client

from notifications.choices import NotificationKind
from notifications.models import Notification


def test_a_grid_worker_reads_notifications_in_the_phone_layout(city, client):
    note = Notification.objects.create(
        recipient=city.worker_a, kind=NotificationKind.URGED, text="今晚巡查河堤", link="/m/directives/"
    )
    client.force_login(city.worker_a)
    home = client.get("/m/").content.decode()
    assert 'class="bell" href="/m/notifications/"' in home
    assert client.get("/notifications/?unread=1")["Location"] == "/m/notifications/?unread=1"
    response = client.get("/m/notifications/")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="mobile"' in html and 'class="m-tabs"' in html  # the phone's tabs are there
    assert f'data-id="{note.pk}"' in html and "<h1>消息</h1>" in html
    marked = client.post(f"/notifications/{note.pk}/read/", {"next": "/m/notifications/"})
    assert marked["Location"] == "/m/notifications/"
    assert client.post("/notifications/read-all/", {"next": "https://evil.example/"})["Location"] == "/notifications/"


def test_the_centre_keeps_the_desktop_list(city):
    client = Client()
    client.force_login(city.dispatcher)
    html = client.get("/notifications/").content.decode()
    assert 'class="m-tabs"' not in html and 'class="bell" href="/notifications/"' in html
    assert client.get("/m/notifications/").status_code == 403


def test_the_outbox_speaks_in_words_and_in_the_citys_time(city, client):
    client.force_login(city.worker_a)
    html = client.get("/m/outbox/").content.decode()
    config = json.loads(re.search(r'<script id="m-config" type="application/json">(.*?)</script>', html).group(1))
    assert config["timeZone"] == "Asia/Shanghai"
    strings = config["strings"]
    assert strings["partFailed"] == "未发送：它所依赖的上一条未能发送。"  # not "发送失败 条" with no count
    assert strings["field_photos"] == "照片" and strings["rejected"] == "服务器拒绝了此条。"
