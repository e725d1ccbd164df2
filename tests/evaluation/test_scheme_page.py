"""The scoring scheme's page (/evaluation/scheme/) and API: a leader reads it and adds a version
(never changes one); invalid numbers are form errors that change nothing; everyone else 403."""

from __future__ import annotations

from decimal import Decimal

import pytest

from evaluation.models import Scheme
from evaluation.services import publishing, read
from tests.evaluation.month import NOVEMBER, row

pytestmark = pytest.mark.usefixtures("isolated_cache")

URL = "/evaluation/scheme/"
API = "/api/v1/evaluation/scheme/"
DEFAULT = {
    "on_time_weight": "50",
    "handled_weight": "25",
    "rework_weight": "10",
    "satisfaction_weight": "15",
    "overdue_deduction": "0.5",
    "overdue_deduction_max": "10",
    "shirk_deduction": "1",
    "shirk_deduction_max": "5",
    "green_from": "90",
    "yellow_from": "80",
}


def test_a_leader_reads_the_scheme_in_force_and_its_versions(november, client):
    client.force_login(november.leader)
    html = client.get(URL).content.decode()
    for label in ("按期处置率权重", "每次推诿扣分", "绿色（优秀）起始分", "黄色（良好）起始分"):
        assert label in html, label
    assert "已发布的月份保留计算时所用的版本" in html and "本月至今按新版本计算" in html
    assert 'data-version="1"' in html and "考核定义的默认方案" in html
    assert 'name="on_time_weight"' in html and 'value="50.00"' in html


def test_a_new_version_is_saved_with_its_note_and_the_old_one_stays(november, client):
    client.force_login(november.leader)
    response = client.post(URL, {**DEFAULT, "on_time_weight": "60", "handled_weight": "15", "note": "加重按期"})

    assert response.status_code == 302 and response["Location"] == URL
    added = Scheme.objects.get(version=2)
    assert (added.on_time_weight, added.handled_weight, added.note, added.created_by) == (
        Decimal(60),
        Decimal(15),
        "加重按期",
        november.leader,
    )
    assert Scheme.objects.get(version=1).on_time_weight == Decimal(50)
    html = client.get(URL).content.decode()
    assert "考核方案第 2 版已生效。" in html and 'data-version="2"' in html and "加重按期" in html


def test_a_published_month_keeps_its_version(november, client):
    publishing.publish(NOVEMBER)
    before = row(read.rows(NOVEMBER, "departments"), "CGJ")["score"]
    client.force_login(november.admin)
    assert client.post(URL, {**DEFAULT, "on_time_weight": "90", "note": "试行"}).status_code == 302
    assert row(read.rows(NOVEMBER, "departments"), "CGJ")["score"] == before
    html = client.get(URL).content.decode()
    assert "2026-11" in html.split('data-version="1"')[1].split("</tr>")[0]  # published with version 1


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"yellow_from": "95"}, "yellow_from", "黄色起始分不得高于绿色起始分。"),
        ({"on_time_weight": "-1"}, "on_time_weight", "0"),
        ({"green_from": "101"}, "green_from", "100"),
        ({"shirk_deduction": "x"}, "shirk_deduction", "输入一个数字。"),
        ({"note": ""}, "note", "请说明修改考核方案的原因。"),
        (
            {"on_time_weight": "0", "handled_weight": "0", "rework_weight": "0", "satisfaction_weight": "0"},
            None,
            "至少",
        ),
    ],
)
def test_invalid_values_are_form_errors_and_change_nothing(november, client, changes, field, message):
    client.force_login(november.leader)
    response = client.post(URL, {**DEFAULT, "note": "调整", **changes})

    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    if field:
        block = html.split(f'name="{field}"')[1].split("</div>")[0]
        assert message in block, block
    assert Scheme.objects.count() == 1


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("anonymous", 302),
        ("nobody", 403),
        ("worker", 403),
        ("officer", 403),
        ("head", 403),
        ("other_head", 403),
        ("dispatcher", 403),
        ("leader", 200),
        ("admin", 200),
    ],
)
def test_who_may_open_and_change_the_scheme(november, personas, client, persona, status):
    user = personas[persona]
    if user is not None:
        client.force_login(user)
    assert client.get(URL).status_code == status
    posted = client.post(URL, {**DEFAULT, "on_time_weight": "70", "note": "改"})
    assert posted.status_code == (302 if status == 200 else status)
    assert Scheme.objects.count() == (2 if status == 200 else 1)


def test_the_month_links_to_the_scheme_for_those_who_may_edit_it(november, client):
    client.force_login(november.leader)
    assert 'href="/evaluation/scheme/"' in client.get("/evaluation/").content.decode()
    client.force_login(november.dispatcher)
    assert 'href="/evaluation/scheme/"' not in client.get("/evaluation/").content.decode()


# --- the API ---------------------------------------------------------------------------------------------------


def test_the_api_lists_the_versions_and_adds_one(november, api_as):
    client = api_as(november.leader)
    (first,) = client.get(API).json()
    assert first["version"] == 1 and first["on_time_weight"] == 50.0 and first["created_by"] is None

    response = client.post(API, {"on_time_weight": 60, "handled_weight": 15, "note": "加重按期"}, format="json")

    assert response.status_code == 201, response.content
    assert (response.json()["version"], response.json()["on_time_weight"], response.json()["rework_weight"]) == (
        2,
        60.0,
        10.0,
    )
    assert [item["version"] for item in client.get(API).json()] == [2, 1]


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"yellow_from": 95, "note": "x"}, "yellow_from"),
        ({"on_time_weight": -1, "note": "x"}, "on_time_weight"),
        ({"on_time_weight": "x", "note": "x"}, "on_time_weight"),
        ({"on_time_weight": 60}, "note"),
    ],
)
def test_the_api_refuses_a_bad_scheme(november, api_as, data, field):
    response = api_as(november.leader).post(API, data, format="json")
    assert response.status_code == 400 and field in response.json(), response.content
    assert Scheme.objects.count() == 1


@pytest.mark.parametrize(
    ("persona", "status"),
    [("anonymous", 401), ("worker", 403), ("officer", 403), ("head", 403), ("dispatcher", 403), ("admin", 200)],
)
def test_the_api_is_for_leaders_and_administrators(november, personas, api_as, api_client, persona, status):
    user = personas[persona]
    client = api_client if user is None else api_as(user)
    assert client.get(API).status_code == status
    posted = client.post(API, {"on_time_weight": 60, "note": "改"}, format="json")
    assert posted.status_code == (201 if status == 200 else status)
