"""The Content-Security-Policy: on every page of every role, strict (no inline script or
style, nothing from elsewhere but the map's tiles), with no template that needs more; and
the endpoint that logs the browsers' violation reports."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from gridcenter.contentpolicy import content_security_policy, tile_source
from incidents.choices import CaseStatus
from tests.patrols.test_pages import PAGES as PHONE_PAGES

ROOT = Path(__file__).resolve().parents[2]
SKIP = {".venv", "node_modules", "var", ".git"}


SCRIPT = re.compile(r"<script\b([^>]*)>", re.I)
HANDLER = re.compile(r"<[^>]*\son[a-z]+\s*=", re.I)
STYLE = re.compile(r"<[^>]*\sstyle\s*=|<style\b", re.I)


def directives(header: str) -> dict[str, list[str]]:
    parts = (part.split() for part in header.split(";") if part.strip())
    return {name: sources for name, *sources in parts}


def pages(city) -> dict[str, list[str]]:
    """The main pages of each persona (the city's people), with ids of real cases."""
    case = city.case_in(CaseStatus.DISPATCHED)
    return {
        "anonymous": ["/accounts/login/", "/find/", "/api/docs/"],
        "worker_a": ["/", *PHONE_PAGES, f"/m/cases/{case.pk}/", "/m/evaluation/", "/m/notifications/"],
        "dispatcher": [
            "/",
            "/console/",
            "/console/dispatch/",
            "/console/review/",
            "/console/cases/",
            f"/console/cases/{case.pk}/",
            "/console/new/",
            "/console/late/",
            "/console/directives/",
            "/console/diary/",
            "/console/diary/new/",
            "/notifications/",
            "/exports/",
            "/api/docs/",
        ],
        "leader": [
            "/dashboard/",
            f"/dashboard/cases/{case.pk}/",
            "/evaluation/",
            "/evaluation/appeals/",
            "/evaluation/scheme/",
        ],
        "officer_lead": ["/workbench/", f"/workbench/cases/{case.pk}/"],
        "head_lead": ["/workbench/", "/evaluation/"],
        "admin": [
            "/admin/",
            "/admin/incidents/case/",
            f"/admin/incidents/case/{case.pk}/change/",
            "/admin/auth/user/",
            f"/admin/auth/user/{city.worker_a.pk}/change/",
            "/admin/grids/grid/",
            f"/admin/grids/grid/{city.grid_a.pk}/change/",
            "/api/docs/",
        ],
    }


def test_every_page_of_every_role_has_the_strict_policy(city, client, isolated_cache):
    for persona, paths in pages(city).items():
        client.logout()
        if persona != "anonymous":
            client.force_login(getattr(city, persona))
        for path in paths:
            response = client.get(path, follow=True)  # home (/) leads to the persona's page
            assert response.status_code == 200, (persona, path, response.status_code)
            policy = directives(response["Content-Security-Policy"])
            for name in ("script-src", "style-src"):
                assert policy[name] == ["'self'", "'report-sample'"], (persona, path)
            assert policy["default-src"] == ["'self'"] and policy["object-src"] == ["'none'"]
            assert policy["frame-ancestors"] == ["'none'"] and policy["form-action"] == ["'self'"]
            assert policy["connect-src"] == ["'self'", "ws://testserver"]
            assert policy["img-src"] == ["'self'", "data:", "blob:", "https://tile.openstreetmap.org"]
            assert policy["report-uri"] == ["/csp-report/"]
            assert inline_code(response.content.decode()) == [], (persona, path)


def inline_code(html: str) -> list[str]:
    """What a page carries that the policy would refuse: inline scripts, handlers, styles."""
    found = [f"<script{attributes}>" for attributes in SCRIPT.findall(html) if not runs_elsewhere(attributes)]
    return found + HANDLER.findall(html) + STYLE.findall(html)


def runs_elsewhere(attributes: str) -> bool:
    return "src=" in attributes or 'type="application/json"' in attributes


def test_the_api_docs_script_is_a_file_of_its_own(db, client):
    page = client.get("/api/docs/").content.decode()
    assert '<script src="/api/docs/?script="></script>' in page and "<style>" not in page
    script = client.get("/api/docs/?script=")
    assert script.status_code == 200 and script["Content-Type"].startswith("application/javascript")
    assert b"SwaggerUIBundle(" in script.content


def test_a_secure_request_allows_the_secure_socket(db, client):
    response = client.get("/accounts/login/", secure=True)
    assert directives(response["Content-Security-Policy"])["connect-src"] == ["'self'", "wss://testserver"]


def template_files() -> list[Path]:
    found = []
    for path in ROOT.rglob("*.html"):
        parts = set(path.relative_to(ROOT).parts)
        if "templates" in parts and not parts & SKIP:
            found.append(path)
    return found


def test_no_template_has_inline_script_handler_or_style():
    files = template_files()
    assert len(files) > 50
    found = []
    for path in files:
        text = path.read_text()
        name = path.relative_to(ROOT)
        found += [f"{name}: {code}" for code in inline_code(text)]
    assert found == []


def test_no_script_builds_markup_with_handlers_or_styles():
    scripts = [p for p in ROOT.rglob("*.js") if not set(p.relative_to(ROOT).parts) & (SKIP | {"tests"})]
    assert len(scripts) > 20
    pattern = re.compile(
        r"""\son[a-z]+=["']|style=["']|setAttribute\(\s*["'](style|on[a-z]+)["']|\beval\(|new Function\("""
    )
    found = [f"{p.relative_to(ROOT)}: {m.group()}" for p in scripts for m in pattern.finditer(p.read_text())]
    assert found == []


@pytest.mark.parametrize(
    ("url", "source"),
    [
        ("https://tile.openstreetmap.org/{z}/{x}/{y}.png", "https://tile.openstreetmap.org"),
        ("https://{s}.tile.example.cn:8443/{z}/{x}/{y}.png", "https://*.tile.example.cn:8443"),
        ("http://t{s}.tianditu.gov.cn/vec_w/wmts?x={x}&y={y}&l={z}", "http://*.tianditu.gov.cn"),
        ("/tiles/{z}/{x}/{y}.png", None),
    ],
)
def test_the_tile_server_is_the_one_other_image_source(url, source):
    assert tile_source(url) == source
    expected = ["'self'", "data:", "blob:", *([source] if source else [])]
    assert content_security_policy(url)["DIRECTIVES"]["img-src"] == expected


@pytest.mark.parametrize("url", ["https://tiles.{s}.example/{z}/{x}/{y}.png", "ftp://tiles.example/{z}/{x}/{y}.png"])
def test_a_tile_url_the_policy_cannot_name_is_refused(url):
    with pytest.raises(ImproperlyConfigured):
        tile_source(url)


def policies_with(**environment: str) -> subprocess.CompletedProcess:
    """Which of the two policy settings the settings module sets, in a fresh interpreter."""
    names = "'CONTENT_SECURITY_POLICY', 'CONTENT_SECURITY_POLICY_REPORT_ONLY'"
    probe = f"import gridcenter.settings as s; print(*(hasattr(s, name) for name in ({names})))"
    env = {**os.environ, "GRIDCENTER_ENV": "development", **environment}
    return subprocess.run([sys.executable, "-c", probe], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)


def test_report_only_mode_sends_the_policy_without_enforcing_it():
    enforced = policies_with()
    rollout = policies_with(CSP_REPORT_ONLY="true")
    assert enforced.stdout.split() == ["True", "False"], enforced.stderr
    assert rollout.stdout.split() == ["False", "True"], rollout.stderr


REPORT = {
    "csp-report": {
        "document-uri": "http://testserver/console/",
        "violated-directive": "script-src-elem",
        "blocked-uri": "inline",
        "line-number": 12,
        "script-sample": "alert(1)\n" + "x" * 1000,
    }
}


def post_report(client, body, content_type="application/csp-report"):
    return client.post(
        "/csp-report/", body if isinstance(body, str | bytes) else json.dumps(body), content_type=content_type
    )


def test_a_violation_report_is_logged_on_one_line(client, caplog, isolated_cache):
    with caplog.at_level("WARNING", logger="gridcenter.csp"):
        assert post_report(client, REPORT).status_code == 204
        reporting_api = [
            {"type": "csp-violation", "body": {"documentURL": "http://testserver/", "effectiveDirective": "img-src"}}
        ]
        assert post_report(client, reporting_api, "application/reports+json").status_code == 204
    first, second = (record.getMessage() for record in caplog.records if record.name == "gridcenter.csp")
    assert "\n" not in first and '"violated-directive": "script-src-elem"' in first and '"line-number": 12' in first
    assert len(first) < 800  # the sample cut short
    assert '"effectiveDirective": "img-src"' in second


@pytest.mark.parametrize(
    "body",
    [
        "",
        "not json",
        "[]",
        "[1]",
        "{}",
        '{"csp-report": "x"}',
        '{"csp-report": {}}',
        "[" * 5000 + "]" * 5000,
        b"\xff\xfe\x00{",
    ],
)
def test_garbage_is_a_400_and_logs_nothing(client, caplog, isolated_cache, body):
    with caplog.at_level("WARNING", logger="gridcenter.csp"):
        assert post_report(client, body).status_code in (400, 413)
    assert [record for record in caplog.records if record.name == "gridcenter.csp"] == []


def test_a_large_body_or_a_get_is_refused(client, isolated_cache):
    assert post_report(client, {"csp-report": {"x": "y" * 20_000}}).status_code == 413
    assert client.get("/csp-report/").status_code == 405


def test_reports_are_limited_per_address(client, caplog, isolated_cache):
    with caplog.at_level("WARNING", logger="gridcenter.csp"):
        codes = [post_report(client, REPORT).status_code for _ in range(32)]
        other = client.post(
            "/csp-report/", json.dumps(REPORT), content_type="application/csp-report", REMOTE_ADDR="10.0.0.9"
        )
    assert codes == [204] * 30 + [429, 429] and other.status_code == 204
    assert len([record for record in caplog.records if record.name == "gridcenter.csp"]) == 31


def test_with_redis_down_reports_are_still_logged(client, settings, caplog):
    settings.CACHES = {"default": {**settings.CACHES["default"], "LOCATION": "redis://127.0.0.1:1/0"}}
    with caplog.at_level("WARNING", logger="gridcenter.csp"):
        assert post_report(client, REPORT).status_code == 204
    assert len([record for record in caplog.records if record.name == "gridcenter.csp"]) == 1
