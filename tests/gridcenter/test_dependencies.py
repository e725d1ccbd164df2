"""The lock files, the virtualenv and the image install the same pinned, hashed packages.

requirements*.txt list the direct dependencies; requirements*.lock (``make lock``) pin
every package with its hashes; scripts/setup.sh and the Dockerfile install the locks.
"""

import re
from importlib import metadata
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LOCKS = {"requirements.txt": "requirements.lock", "requirements-dev.txt": "requirements-dev.lock"}


def norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def direct_pins(path: Path) -> dict[str, str]:
    """``{name: version}`` of a requirements file's own lines (not those of ``-r`` files)."""
    pins = {}
    for raw in path.read_text().splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line or line.startswith("-"):
            continue
        match = re.fullmatch(r"([A-Za-z0-9][A-Za-z0-9._-]*)(\[[a-z0-9,-]+\])?==([^\s;]+)", line)
        assert match, f"{path.name}: {raw!r} is not pinned with =="
        pins[norm(match.group(1))] = match.group(3)
    return pins


def locked(path: Path) -> dict[str, tuple[str, int]]:
    """``{name: (version, number of hashes)}`` of a lock file."""
    entries = re.findall(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+)((?:\s*\\\n\s+--hash=\S+)*)", path.read_text(), re.M)
    return {norm(name): (version, hashes.count("--hash=sha256:")) for name, version, hashes in entries}


@pytest.mark.parametrize(("source", "lock"), LOCKS.items())
def test_every_direct_dependency_is_locked_at_its_pin(source, lock):
    pins = direct_pins(ROOT / source)
    entries = locked(ROOT / lock)
    assert pins
    wrong = {name: (version, entries.get(name, ("missing",))[0]) for name, version in pins.items()}
    assert {name: pair for name, pair in wrong.items() if pair[0] != pair[1]} == {}, "run `make lock`"


@pytest.mark.parametrize("lock", LOCKS.values())
def test_every_locked_package_has_hashes(lock):
    text = (ROOT / lock).read_text()
    entries = locked(ROOT / lock)
    # Every requirement line of the lock is one of the parsed entries: none escapes the count.
    assert len(entries) == len(re.findall(r"^[A-Za-z0-9]", text, re.M))
    assert [name for name, (_version, hashes) in entries.items() if hashes == 0] == []


def test_the_dev_lock_agrees_with_the_runtime_lock():
    runtime, dev = locked(ROOT / "requirements.lock"), locked(ROOT / "requirements-dev.lock")
    assert {name: (version, dev.get(name, ("missing",))[0]) for name, (version, _h) in runtime.items()} == {
        name: (version, version) for name, (version, _h) in runtime.items()
    }


def test_development_tools_stay_out_of_the_runtime_lock():
    tools = {"honcho", "pytest", "pytest-django", "ruff", "playwright", "uv"}
    assert tools <= set(direct_pins(ROOT / "requirements-dev.txt"))
    assert sorted(set(direct_pins(ROOT / "requirements-dev.txt")) & set(direct_pins(ROOT / "requirements.txt"))) == []
    # Not even as another package's dependency (PyYAML is one: celery needs it).
    assert sorted(tools & set(locked(ROOT / "requirements.lock"))) == []


def test_the_postgresql_driver_is_built_from_source():
    runtime = locked(ROOT / "requirements.lock")
    assert "psycopg2" in runtime and "psycopg2-binary" not in runtime
    with pytest.raises(metadata.PackageNotFoundError):
        metadata.distribution("psycopg2-binary")
    # A wheel built here is tagged for this platform only; PyPI's binary wheels are manylinux.
    wheel = metadata.distribution("psycopg2").read_text("WHEEL")
    tags = re.findall(r"^Tag: (\S+)$", wheel, re.M)
    assert tags and all("manylinux" not in tag and "musllinux" not in tag for tag in tags), tags


def dockerfile_stages() -> list[list[str]]:
    """The Dockerfile's stages, each a list of its instructions (continuations joined)."""
    text = re.sub(r"\\\n\s*", " ", (ROOT / "Dockerfile").read_text())
    stages: list[list[str]] = []
    for line in text.splitlines():
        line = line.strip()
        if line.startswith("FROM "):
            stages.append([])
        if line and not line.startswith("#") and stages:
            stages[-1].append(line)
    return stages


def test_the_image_installs_the_runtime_lock_with_hashes_required():
    text = "\n".join(" ".join(stage) for stage in dockerfile_stages())
    installs = re.findall(r"pip install [^\n&]*", text)
    assert installs, "the Dockerfile installs no Python package"
    for command in installs:
        assert "--require-hashes" in command and "-r /tmp/requirements.lock" in command, command
    assert "COPY requirements.lock" in text
    assert "requirements.txt" not in text and "requirements-dev" not in text and "honcho" not in text


def test_the_image_builds_psycopg2_and_runs_it_on_libpq():
    builder = next(" ".join(stage) for stage in dockerfile_stages() if "pip install" in " ".join(stage))
    runtime = " ".join(dockerfile_stages()[-1])
    for package in ("gcc", "libpq-dev"):
        assert re.search(rf"apt-get install [^&]*\b{package}\b", builder), package
    assert re.search(r"apt-get install [^&]*\blibpq5\b", runtime)
    assert "gcc" not in runtime and "libpq-dev" not in runtime
    # The runtime stage takes the built packages and puts them first on PATH.
    assert "COPY --from=packages /opt/venv /opt/venv" in runtime
    assert re.search(r"ENV .*PATH=/opt/venv/bin:", runtime)


def test_the_asset_stage_runs_on_a_node_lts_release():
    first = dockerfile_stages()[0][0]
    match = re.fullmatch(r"FROM node:(\d+)[-\w.]* AS assets", first)
    assert match, first
    # Even majors become LTS; 20 reached its end of life in April 2026.
    assert int(match.group(1)) % 2 == 0 and int(match.group(1)) >= 22, first


def test_setup_installs_the_dev_lock_with_hashes_required():
    setup = (ROOT / "scripts" / "setup.sh").read_text()
    assert re.search(r"pip install .*--require-hashes -r requirements-dev\.lock", setup)
    assert "requirements.lock -nt .venv/.installed" in setup and "requirements-dev.lock -nt .venv/.installed" in setup
    packages = re.search(r"SYSTEM_PACKAGES=\(([^)]*)\)", setup).group(1).split()
    assert {"libpq-dev", "gcc", "docker-compose"} <= set(packages)
