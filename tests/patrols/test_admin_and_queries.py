"""The admin shows field work read-only; list endpoints keep a fixed number of queries."""

from __future__ import annotations

import pytest
from django.utils import timezone

from patrols import services
from patrols.choices import DiaryType, DirectiveTarget
from patrols.tasks import close_stale_patrols_task
from tests.patrols.conftest import IN_A, jpeg, point


@pytest.mark.parametrize("model", ["patrol", "diaryentry", "directive"])
def test_the_admin_lists_field_work_but_changes_nothing(client, city, admin_user, dispatcher, model):
    services.start_patrol(city.workers["a"])
    services.create_diary_entry(city.workers["a"], type=DiaryType.VISIT, place="一组", content="走访")
    directive = services.send_directive(dispatcher, text="通知", target=DirectiveTarget.ALL)
    client.force_login(admin_user)
    assert client.get(f"/admin/patrols/{model}/").status_code == 200
    assert client.get(f"/admin/patrols/{model}/add/").status_code == 403
    assert client.get(f"/admin/patrols/directive/{directive.pk}/change/").status_code == 200
    assert client.post(f"/admin/patrols/directive/{directive.pk}/delete/").status_code == 403


def make_work(city, dispatcher, leader, count: int) -> None:
    for index in range(count):
        for key in ("a", "b"):
            worker = city.workers[key]
            patrol = services.start_patrol(worker).patrol
            services.add_track_points(worker, patrol, [point(0, timezone.now(), *IN_A)])
            services.link_report(worker, patrol, city.report(worker, point=IN_A if key == "a" else (28.255, 109.715)))
            services.stop_patrol(worker, patrol)
            entry = services.create_diary_entry(
                worker, type=DiaryType.PATROL, place=f"{index}组", content="巡查", photos=[jpeg()]
            ).entry
            services.comment_diary_entry(leader, entry, text="阅")
        services.send_directive(dispatcher, text=f"通知{index}", target=DirectiveTarget.ALL)


@pytest.mark.parametrize(
    "url", ["/api/v1/patrols/", "/api/v1/diary/", "/api/v1/directives/", "/api/v1/directives/{directive}/receipts/"]
)
def test_list_endpoints_do_not_grow_queries_with_rows(
    api_as, city, dispatcher, leader, django_assert_max_num_queries, url
):
    make_work(city, dispatcher, leader, 1)
    api = api_as(dispatcher)
    first = services.send_directive(dispatcher, text="多一条", target=DirectiveTarget.ALL)
    small = url.format(directive=first.pk)
    with django_assert_max_num_queries(12) as few:
        assert api.get(small).status_code == 200
    make_work(city, dispatcher, leader, 4)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert api.get(small).status_code == 200


def test_the_phone_pages_keep_a_fixed_number_of_queries(
    client, city, dispatcher, leader, django_assert_max_num_queries
):
    make_work(city, dispatcher, leader, 1)
    client.force_login(city.workers["a"])
    counts = {}
    for path in ("/m/", "/m/reports/", "/m/diary/", "/m/directives/", "/m/patrol/"):
        with django_assert_max_num_queries(20) as queries:
            assert client.get(path).status_code == 200
        counts[path] = len(queries.captured_queries)
    make_work(city, dispatcher, leader, 4)
    for path, count in counts.items():
        with django_assert_max_num_queries(count):
            assert client.get(path).status_code == 200


def test_the_stale_patrol_task_runs_the_sweep(city):
    assert close_stale_patrols_task() == 0
