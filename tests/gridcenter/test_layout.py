"""The layering the README's "One anatomy for every app" promises, checked on the source."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
APPS = [
    "gridcenter",
    "accounts",
    "worktime",
    "grids",
    "departments",
    "incidents",
    "patrols",
    "notifications",
    "exports",
    "caselists",
    "evaluation",
    "dashboard",
    "evaluation",
    "stats",
]
# Each app may import only the apps listed (besides itself): dependencies point one way.
ALLOWED = {
    "accounts": {"gridcenter"},
    "worktime": {"gridcenter"},
    "grids": {"gridcenter", "accounts"},
    "departments": {"gridcenter", "accounts"},
    "incidents": {"gridcenter", "accounts", "worktime", "grids", "departments"},
    "patrols": {"gridcenter", "accounts", "worktime", "grids", "departments", "incidents"},
    "notifications": {"gridcenter", "accounts", "worktime", "grids", "departments", "incidents"},
    "evaluation": {
        "gridcenter",
        "accounts",
        "worktime",
        "grids",
        "departments",
        "incidents",
        "patrols",
        "notifications",
        "exports",
    },
    # Downloads for any app (evaluation now, statistics next): it knows no app that uses it.
    "exports": {"gridcenter", "accounts", "notifications"},
    # The case lists' export: the incidents' lists through the exports app (above both).
    "caselists": {"gridcenter", "accounts", "worktime", "grids", "departments", "incidents", "exports"},
    "dashboard": {"gridcenter", "accounts", "worktime", "grids", "departments", "incidents", "patrols", "evaluation"},
    # Statistics read the cases (and the wall screen's maintained counts); nothing imports them.
    "stats": set(APPS) - {"stats", "patrols", "evaluation"},
}
# The project modules that compose apps (routing, URLs, /api/v1/me/); every other module of
# the project package is a shared helper and imports no app.
COMPOSERS = {"urls.py", "api_urls.py", "routing.py", "asgi.py", "me.py", "celery.py"}


def imported_apps(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
        elif isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
    return names & set(APPS)


def sources(app: str):
    return [p for p in (ROOT / app).rglob("*.py") if "migrations" not in p.parts]


@pytest.mark.parametrize("app", sorted(ALLOWED))
def test_an_app_imports_only_the_apps_below_it(app):
    wrong = {
        str(path.relative_to(ROOT)): sorted(imported_apps(path) - ALLOWED[app] - {app})
        for path in sources(app)
        if imported_apps(path) - ALLOWED[app] - {app}
    }
    assert wrong == {}


def test_the_project_helpers_and_the_settings_import_no_app():
    wrong = {
        str(path.relative_to(ROOT)): sorted(imported_apps(path) - {"gridcenter"})
        for path in sources("gridcenter")
        if path.name not in COMPOSERS and imported_apps(path) - {"gridcenter"}
    }
    assert wrong == {}


# Django's migrations name a custom model field by its import path; that module must stay
# importable, and the field class is the only thing a migration takes from it.
FIELD_MODULES = {"incidents.models.cases"}


def imported_modules(path: Path) -> set[str]:
    modules = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            modules.add(node.module)
        elif isinstance(node, ast.Import):
            modules.update(alias.name for alias in node.names)
    return {module for module in modules if module.split(".")[0] in APPS} - FIELD_MODULES


def test_migrations_run_frozen_code():
    """A migration is history: it may not import the apps' code, whose later changes would change it."""
    wrong = {
        str(path.relative_to(ROOT)): sorted(imported_modules(path))
        for app in APPS
        for path in (ROOT / app).glob("migrations/*.py")
        if imported_modules(path)
    }
    assert wrong == {}


MAX_FILE_LINES = 400
MAX_FUNCTION_LINES = 60
TREES = [*APPS, "tests", "bench"]


def python_files():
    for tree in TREES:
        yield from (p for p in (ROOT / tree).rglob("*.py") if "migrations" not in p.parts)


def test_modules_stay_short():
    """A module past a few hundred lines is split by topic (STYLE.md 12), scripts too."""
    scripts = [p for tree in [*APPS, "."] for p in (ROOT / tree).glob("static/**/*.js")]
    long = {
        str(path.relative_to(ROOT)): lines
        for path in [*python_files(), *scripts]
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_FILE_LINES
    }
    assert long == {}


def test_functions_stay_short():
    long = {}
    for path in python_files():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                if length > MAX_FUNCTION_LINES:
                    long[f"{path.relative_to(ROOT)}:{node.name}"] = length
    assert long == {}
