"""The admin shows field work read-only; list endpoints keep a fixed number of queries."""

from __future__ import annotations

import pytest
from django.utils import timezone

from incidents.models import Case
from patrols import services
from patrols.choices import DiaryType, DirectiveTarget
from patrols.models import DiaryEntry, Directive, DirectiveRecipient, Patrol
from patrols.tasks import close_stale_patrols_task
from tests.city import IN_A, jpeg, point


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


# What each list must hold: every row of the database that the dispatcher may read.
LISTED = {
    "/api/v1/patrols/": lambda directive: Patrol.objects.count(),
    "/api/v1/diary/": lambda directive: DiaryEntry.objects.count(),
    "/api/v1/directives/": lambda directive: Directive.objects.count(),
    "/api/v1/directives/{directive}/receipts/": lambda directive: directive.recipients.count(),
}


def assert_lists_all(response, expected: int) -> None:
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == expected and len(body["results"]) == expected


@pytest.mark.parametrize("url", list(LISTED))
def test_list_endpoints_do_not_grow_queries_with_rows(
    api_as, city, dispatcher, leader, django_assert_max_num_queries, url
):
    make_work(city, dispatcher, leader, 1)
    api = api_as(dispatcher)
    first = services.send_directive(dispatcher, text="多一条", target=DirectiveTarget.ALL)
    small = url.format(directive=first.pk)
    with django_assert_max_num_queries(12) as few:
        response = api.get(small)
    assert_lists_all(response, LISTED[url](first))
    make_work(city, dispatcher, leader, 4)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = api.get(small)
    assert_lists_all(response, LISTED[url](first))


def on_the_phone_pages(city) -> dict[str, list[str]]:
    """What each phone page must show worker ``a``: its grid, and a link or number per row."""
    worker = city.workers["a"]
    receipts = DirectiveRecipient.objects.filter(worker=worker).order_by("-directive__sent_at", "-directive_id")
    return {
        "/m/": [city.grids["A"].name, *(f'href="/m/directives/{r.directive_id}/"' for r in receipts[:3])],
        "/m/reports/": [case.tracking_no for case in Case.objects.filter(reporter=worker)],
        "/m/diary/": [f'href="/m/diary/{entry.pk}/"' for entry in DiaryEntry.objects.filter(worker=worker)],
        "/m/directives/": [f'href="/m/directives/{receipt.directive_id}/"' for receipt in receipts],
        "/m/patrol/": [city.grids["A"].name, 'id="start"'],
    }


def assert_shows(response, texts: list[str]) -> None:
    assert response.status_code == 200
    html = response.content.decode()
    assert texts and [text for text in texts if text not in html] == [], response.request["PATH_INFO"]


def test_the_phone_pages_keep_a_fixed_number_of_queries(
    client, city, dispatcher, leader, django_assert_max_num_queries
):
    make_work(city, dispatcher, leader, 1)
    client.force_login(city.workers["a"])
    counts = {}
    for path, texts in on_the_phone_pages(city).items():
        with django_assert_max_num_queries(20) as queries:
            response = client.get(path)
        assert_shows(response, texts)
        counts[path] = len(queries.captured_queries)
    make_work(city, dispatcher, leader, 4)
    for path, texts in on_the_phone_pages(city).items():
        with django_assert_max_num_queries(counts[path]):
            response = client.get(path)
        assert_shows(response, texts)


def test_the_stale_patrol_task_runs_the_sweep(city):
    assert close_stale_patrols_task() == 0
