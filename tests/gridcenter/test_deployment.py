"""docker-compose.yml and the Procfile describe the same processes with real modules.

Docker does not run on the build machines, so this reads the files instead: each
service's command must name an importable module and its variables real settings.
"""

import importlib
import re
import shlex
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
APP_SERVICES = ["migrate", "web", "ws", "worker", "beat"]
# The Procfile names processes differently from compose: its process → compose service.
PROCFILE_TO_COMPOSE = {"web": "web", "ws": "ws", "worker": "worker", "beat": "beat"}


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


@pytest.fixture(scope="module")
def procfile() -> dict[str, str]:
    lines = (ROOT / "Procfile").read_text().splitlines()
    return dict(line.split(": ", 1) for line in lines if line.strip() and not line.startswith("#"))


def settings_variables() -> set[str]:
    source = (ROOT / "gridcenter" / "settings.py").read_text()
    return set(re.findall(r'env\.\w+\(\s*"([A-Z_]+)"', source))


def referenced_module(command: str) -> str:
    words = shlex.split(command)
    if words[0] in {"gunicorn", "daphne"}:
        return next(word for word in words if re.fullmatch(r"[a-z_.]+:[a-z_]+", word))
    if words[0] == "celery":
        return words[words.index("--app") + 1] + ":celery_app"
    if words[:2] == ["python", "manage.py"]:
        return "manage:__name__"
    raise AssertionError(f"unknown command {command!r}")


def test_every_service_has_a_health_check_or_is_a_job(compose):
    services = compose["services"]
    assert {"db", "redis", "web", "ws", "worker", "beat", "proxy", "migrate"} <= set(services)
    for name in ["db", "redis", "web", "worker", "proxy"]:
        assert "healthcheck" in services[name], name
    assert {"pgdata", "redisdata", "media"} <= set(compose["volumes"])


@pytest.mark.parametrize("service", APP_SERVICES)
def test_app_commands_name_real_modules(compose, service):
    module_path, _sep, attribute = referenced_module(compose["services"][service]["command"]).partition(":")
    module = importlib.import_module(module_path)
    assert getattr(module, attribute) is not None


@pytest.mark.parametrize(("process", "service"), PROCFILE_TO_COMPOSE.items())
def test_compose_runs_what_the_procfile_runs(compose, procfile, process, service):
    def program(command: str) -> list[str]:
        # Same program and module; only the bind address, port, worker count and file may differ.
        words, kept = iter(shlex.split(command)), []
        for word in words:
            if word in {"--bind", "--port", "--workers", "--schedule"}:
                next(words)
            else:
                kept.append(word)
        return kept

    assert program(compose["services"][service]["command"]) == program(procfile[process])


@pytest.mark.parametrize("service", APP_SERVICES)
def test_app_variables_are_real_settings(compose, service):
    known = settings_variables()
    environment = compose["services"][service]["environment"]
    unknown = sorted(set(environment) - known)
    assert unknown == [], f"{service} sets variables that settings.py does not read: {unknown}"
    assert environment["GRIDCENTER_ENV"] == "production"


def test_the_proxy_renders_the_same_nginx_template_as_make_run(compose):
    proxy = compose["services"]["proxy"]
    assert "./deploy/nginx.conf.template:/etc/nginx/templates/nginx.conf.template:ro" in proxy["volumes"]
    template = (ROOT / "deploy" / "nginx.conf.template").read_text()
    placeholders = set(re.findall(r"\$\{([A-Z_]+)\}", template))
    assert placeholders <= set(proxy["environment"])
    assert "location /ws/" in template


@pytest.mark.slow
def test_production_static_files_collect_with_hashed_names(tmp_path):
    """The manifest storage of production follows every url() and source-map link."""
    import os
    import subprocess
    import sys

    env = dict(
        os.environ,
        GRIDCENTER_ENV="production",
        SECRET_KEY="k" * 20 + "0123456789abcdefghijABCDEFGHIJ-_!@#",
        ALLOWED_HOSTS="grid.example.gov.cn",
        STATIC_ROOT=str(tmp_path),
    )
    env.pop("DEBUG", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    manifest = (tmp_path / "staticfiles.json").read_text()
    for name in ("css/app.css", "vendor/echarts/echarts.min.js", "vendor/markercluster/leaflet.markercluster.js"):
        assert f'"{name}"' in manifest
