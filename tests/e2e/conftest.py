"""Browser tests: Playwright driving Debian's Chromium against pytest-django's live server."""

import os
from pathlib import Path

import pytest

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CHROMIUM = "/usr/bin/chromium"


def poll_without_eval(page_class) -> None:
    """Playwright's ``wait_for_function`` evaluates a string predicate with the page's ``eval``
    at every poll, which the Content-Security-Policy refuses (no 'unsafe-eval'): a condition
    not true at once then fails with an EvalError. Written as an arrow function, the predicate
    is evaluated once (from DevTools, which the policy lets through) and then only called."""
    original = page_class.wait_for_function
    if getattr(original, "polls_without_eval", False):
        return

    def wait_for_function(self, expression: str, *args, **kwargs):
        if "=>" not in expression and not expression.lstrip().startswith(("function", "async")):
            expression = f"() => ({expression})"
        return original(self, expression, *args, **kwargs)

    wait_for_function.polls_without_eval = True  # type: ignore[attr-defined]
    page_class.wait_for_function = wait_for_function


@pytest.fixture(scope="module")
def browser():
    """One Chromium per test module: Playwright's event loop must not outlive the module,
    or the async tests that run after it would find a loop already running."""
    from playwright.sync_api import Frame, Page, sync_playwright

    poll_without_eval(Page)
    poll_without_eval(Frame)

    # Playwright's sync API keeps an event loop in this thread; the ORM calls the test
    # itself makes are still synchronous, so Django's async-safety guard does not apply.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM,
                args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
            )
            yield browser
            browser.close()
    finally:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="en-US")
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def screenshot():
    """``screenshot(page, "name")`` saves a PNG under test-artifacts/ for a person to look at."""
    ARTIFACTS.mkdir(exist_ok=True)

    def save(page, name: str) -> Path:
        path = ARTIFACTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return save


@pytest.fixture
def daphne(transactional_db):
    """daphne serving HTTP and WebSocket on the test database; its log goes to a file."""
    from tests.servers import Daphne

    server = Daphne()
    try:
        server.start()
        yield server
    finally:
        server.close()
