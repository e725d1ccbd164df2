"""docker-compose.yml and the Procfile describe the same processes with real modules.

No Docker engine runs on the build machines: Compose validates the file without one
(`config`), and the tests read the files for the rest: each service's command must name
an importable module and its variables real settings.
"""

import importlib
import os
import re
import shlex
import shutil
import subprocess
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


def compose_command() -> list[str]:
    """Compose v2 (`docker compose`) where the Docker CLI has it, else v1 (Debian's docker-compose)."""
    if shutil.which("docker") and subprocess.run(["docker", "compose", "version"], capture_output=True).returncode == 0:
        return ["docker", "compose"]
    if shutil.which("docker-compose"):
        return ["docker-compose"]
    pytest.fail("Compose is not installed: scripts/setup.sh installs Debian's docker-compose")


def compose_config(compose_file: Path, tmp_path: Path, variables: dict[str, str]) -> subprocess.CompletedProcess:
    """`config -q` on that file with only these variables (no .env, none of this process's)."""
    env_file = tmp_path / "compose.env"
    env_file.write_text("".join(f"{name}={value}\n" for name, value in variables.items()))
    return subprocess.run(
        [*compose_command(), "--env-file", str(env_file), "--file", str(compose_file), "config", "--quiet"],
        cwd=compose_file.parent,
        env={"PATH": os.environ["PATH"], "HOME": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=120,
    )


DOTENV = {"SECRET_KEY": "k" * 50, "ALLOWED_HOSTS": "grid.example.gov.cn", "POSTGRES_PASSWORD": "secret"}


def test_docker_compose_config_validates(tmp_path):
    result = compose_config(ROOT / "docker-compose.yml", tmp_path, DOTENV)
    assert result.returncode == 0, result.stdout + result.stderr


def test_docker_compose_config_refuses_a_missing_secret_key(tmp_path):
    result = compose_config(ROOT / "docker-compose.yml", tmp_path, {"ALLOWED_HOSTS": "grid.example.gov.cn"})
    assert result.returncode != 0
    assert "set SECRET_KEY in .env" in result.stdout + result.stderr


def test_docker_compose_config_refuses_an_invalid_file(tmp_path):
    """The validation is real: a misspelt key of the same file fails it."""
    broken = tmp_path / "docker-compose.yml"
    broken.write_text((ROOT / "docker-compose.yml").read_text().replace("retries: 3", "retrys: 3", 1))
    result = compose_config(broken, tmp_path, DOTENV)
    assert result.returncode != 0
    assert "retrys" in result.stdout + result.stderr


@pytest.fixture(scope="module")
def procfile() -> dict[str, str]:
    lines = (ROOT / "Procfile").read_text().splitlines()
    return dict(line.split(": ", 1) for line in lines if line.strip() and not line.startswith("#"))


def settings_variables() -> set[str]:
    sources = [(ROOT / "gridcenter" / name).read_text() for name in ("settings.py", "domain_settings.py")]
    return {name for source in sources for name in re.findall(r'_?env\.\w+\(\s*"([A-Z_]+)"', source)}


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
        # The Procfile runs each under scripts/respawn.py; Docker restarts the containers itself.
        words, kept = iter(shlex.split(command.removeprefix("scripts/respawn.py "))), []
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
