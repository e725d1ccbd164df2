"""The phone pages under /m/, the service worker and manifest, and the centre's pages."""

from __future__ import annotations

import re
import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from incidents import services as cases
from patrols import services
from patrols.choices import DiaryType, DirectiveTarget, Urgency
from patrols.models import DiaryComment, DiaryEntry, Directive
from tests.city import jpeg

PAGES = [
    "/m/",
    "/m/report/",
    "/m/reports/",
    "/m/errands/",
    "/m/errands/new/",
    "/m/patrol/",
    "/m/diary/",
    "/m/diary/new/",
    "/m/directives/",
    "/m/outbox/",
    "/m/offline/",
]


@pytest.mark.parametrize("path", PAGES)
def test_every_phone_page_opens_for_a_grid_worker_in_chinese(client, city, path):
    client.force_login(city.workers["ab"])
    response = client.get(path)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="zh-hans">' in html
    assert 'id="m-config"' in html and "m-outbox" in html
    assert "王丙" in html  # the worker's name in the top bar, family name first
    assert len(response.content) < 40_000


@pytest.mark.parametrize("path", ["/m/", "/m/report/", "/m/diary/new/"])
@pytest.mark.parametrize("persona", ["dispatcher", "officer", "leader"])
def test_phone_pages_are_for_grid_workers(client, city, request, persona, path):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(path).status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(client, city):
    response = client.get("/m/report/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_the_home_page_shows_coverage_directives_and_cases_to_check(client, city, dispatcher):
    worker = city.workers["a"]
    services.send_directive(dispatcher, text="防汛检查通知", urgency=Urgency.URGENT, target=DirectiveTarget.ALL)
    case = city.report(city.workers["ab"], description="井盖缺失")
    cases.self_resolve_case(city.workers["ab"], case, photos=[jpeg()])
    client.force_login(worker)
    html = client.get("/m/").content.decode()
    assert "我的网格" in html and "一社区A网格" in html
    assert "防汛检查通知" in html
    assert f"/m/cases/{case.pk}/" in html
    assert "开始今天的巡查" in html


def test_the_report_page_carries_the_workers_grids_and_the_map(client, city):
    client.force_login(city.workers["ab"])
    html = client.get("/m/report/").content.decode()
    assert 'id="m-grids"' in html and "一社区A网格" in html and "一社区B网格" in html
    assert "leaflet.js" in html and 'capture="environment"' in html
    errand = client.get("/m/errands/new/").content.decode()
    assert 'data-errand="1"' in errand and 'value="6303"' in errand


def test_the_case_page_offers_the_check_on_site_to_the_grids_workers_only(client, city):
    case = city.report(city.workers["a"])
    cases.self_resolve_case(city.workers["a"], case, photos=[jpeg()])
    client.force_login(city.workers["ab"])
    html = client.get(f"/m/cases/{case.pk}/").content.decode()
    assert f"/api/v1/incidents/{case.pk}/verify/" in html
    assert f"/api/v1/incidents/{case.pk}/note/" in html
    client.force_login(city.workers["c"])
    assert client.get(f"/m/cases/{case.pk}/").status_code == 404


def test_the_reporter_can_solve_their_report_on_the_spot_from_its_page(client, city):
    case = city.report(city.workers["a"])
    client.force_login(city.workers["a"])
    html = client.get(f"/m/cases/{case.pk}/").content.decode()
    assert f"/api/v1/incidents/{case.pk}/self-resolve/" in html
    assert "/verify/" not in html


def test_a_directive_page_is_only_for_its_recipients_and_marks_read_through_the_api(client, city, dispatcher):
    directive = services.send_directive(
        dispatcher, text="请巡查河堤", target=DirectiveTarget.GRID, target_ids=[city.grids["A"].pk]
    )
    client.force_login(city.workers["a"])
    html = client.get(f"/m/directives/{directive.pk}/").content.decode()
    assert f'data-mark-read="/api/v1/directives/{directive.pk}/read/"' in html
    services.mark_directive_read(city.workers["a"], directive)
    assert "data-mark-read" not in client.get(f"/m/directives/{directive.pk}/").content.decode()
    client.force_login(city.workers["c"])
    assert client.get(f"/m/directives/{directive.pk}/").status_code == 404


def test_a_diary_entry_page_is_the_workers_own(client, city, leader):
    entry = services.create_diary_entry(city.workers["a"], type=DiaryType.VISIT, place="三组", content="走访").entry
    services.comment_diary_entry(leader, entry, text="继续保持")
    client.force_login(city.workers["a"])
    assert "继续保持" in client.get(f"/m/diary/{entry.pk}/").content.decode()
    client.force_login(city.workers["b"])
    assert client.get(f"/m/diary/{entry.pk}/").status_code == 404


def test_the_service_worker_is_served_for_the_m_scope_with_its_precache(client, city):
    response = client.get("/m/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == "/m/"
    assert response["Cache-Control"] == "no-cache"
    body = response.content.decode()
    assert "/static/patrols/m.js" in body and "/static/leaflet/leaflet.js" in body
    assert '"/m/report/"' in body and '"/m/offline/"' in body
    manifest = client.get("/m/manifest.webmanifest")
    assert manifest["Content-Type"] == "application/manifest+json"
    assert manifest.json()["scope"] == "/m/" and manifest.json()["start_url"] == "/m/"


def test_the_service_worker_precaches_every_script_of_the_phone_pages(client, city):
    # A page opened without signal comes from the cache: a script missing there breaks it.
    client.force_login(city.workers["a"])
    scripts = set()
    for path in PAGES:
        html = client.get(path).content.decode()
        scripts |= {
            src
            for src in re.findall(r'<script src="([^"]+)"', html)
            if src.startswith(("/static/patrols/", "/static/gridcenter/"))
        }
    assert {"/static/patrols/m.js", "/static/patrols/report.js", "/static/gridcenter/leaflet-map.js"} <= scripts
    precached = client.get("/m/sw.js").content.decode()
    assert sorted(src for src in scripts if f'"{src}"' not in precached) == []


# --- the centre's pages ----------------------------------------------------------------------------


def test_a_dispatcher_sends_a_directive_from_the_page_once(client, city, dispatcher):
    client.force_login(dispatcher)
    page = client.get("/console/directives/")
    assert page.status_code == 200 and 'name="text"' in page.content.decode()
    key = str(uuid.uuid4())
    form = {
        "client_uuid": key,
        "text": "暴雨预警，请立即排查",
        "urgency": Urgency.URGENT,
        "target": DirectiveTarget.GRID,
        "grids": f"{city.grids['A'].code} {city.grids['C'].code}",
        "reply_deadline": (timezone.localtime() + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
    }
    sent = client.post("/console/directives/", form)
    assert sent.status_code == 302
    directive = Directive.objects.get()
    assert directive.recipient_count == 3  # a, ab, c
    assert client.post("/console/directives/", form).status_code == 302  # the same form again
    assert Directive.objects.count() == 1
    receipts = client.get(sent["Location"]).content.decode()
    assert "张甲" in receipts and "赵丁" in receipts
    unread = client.get(sent["Location"] + "?show=unread").content.decode()
    assert "张甲" in unread
    assert "张甲" in client.get("/console/directives/").content.decode()  # has not read the urgent one


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"text": "", "target": DirectiveTarget.ALL}, "text"),
        ({"text": "x", "target": DirectiveTarget.GRID, "grids": "433101999999999"}, "433101999999999"),
        ({"text": "x", "target": DirectiveTarget.WORKERS, "workers": "t-dispatcher"}, "t-dispatcher"),
        ({"text": "x", "target": DirectiveTarget.TOWNSHIP}, "target_ids"),
    ],
)
def test_a_bad_directive_form_shows_errors_and_sends_nothing(client, city, dispatcher, form, message):
    client.force_login(dispatcher)
    response = client.post("/console/directives/", {"client_uuid": str(uuid.uuid4()), "urgency": "normal", **form})
    assert response.status_code == 400
    assert "field-error" in response.content.decode() or "form-errors" in response.content.decode()
    assert not Directive.objects.exists()


def test_leaders_see_receipts_but_do_not_send_and_workers_see_nothing(client, city, leader):
    client.force_login(leader)
    page = client.get("/console/directives/")
    assert page.status_code == 200 and 'name="text"' not in page.content.decode()
    assert client.post("/console/directives/", {"text": "x", "target": "all"}).status_code == 400
    assert not Directive.objects.exists()
    client.force_login(city.workers["a"])
    assert client.get("/console/directives/").status_code == 403
    assert client.get("/console/diary/").status_code == 403


def test_a_dispatcher_enters_a_paper_diary_and_a_leader_comments_on_it(client, city, dispatcher, leader):
    client.force_login(dispatcher)
    form = {
        "client_uuid": str(uuid.uuid4()),
        "worker": city.workers["d"].username,
        "type": DiaryType.MEDIATION,
        "occurred_at": (timezone.localtime() - timedelta(days=2)).strftime("%Y-%m-%dT%H:%M"),
        "place": "三村村委会",
        "content": "调解邻里宅基地纠纷",
        "action_taken": "双方达成协议",
        "households_visited": "2",
    }
    assert client.post("/console/diary/new/", form).status_code == 302
    entry = DiaryEntry.objects.get()
    assert (entry.worker, entry.entered_by, entry.on_behalf) == (city.workers["d"], dispatcher, True)
    assert client.post("/console/diary/new/", {**form, "worker": "nobody-here"}).status_code == 400
    assert DiaryEntry.objects.count() == 1
    assert client.post(f"/console/diary/{entry.pk}/comment/", {"text": "好"}).status_code == 403

    client.force_login(leader)
    assert "调解邻里宅基地纠纷" in client.get("/console/diary/").content.decode()
    assert client.get("/console/diary/new/").status_code == 403
    assert client.post(f"/console/diary/{entry.pk}/comment/", {"text": "调解及时"}).status_code == 302
    assert DiaryComment.objects.get().text == "调解及时"
