"""Pages in a real browser: Debian's Chromium driven by Playwright against the app served by waitress.

The browser tests skip when Chromium or Playwright is missing, unless YIZHAN_REQUIRE_BROWSER=1
(CI sets it), in which case their absence fails the run.
"""
from __future__ import annotations

import os
import shutil
import threading
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.conftest import ROOT, STAFF_PASSWORD

CHROMIUM = os.environ.get("YIZHAN_CHROMIUM", "/usr/bin/chromium")
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
VIEWPORT = {"width": 1366, "height": 768}


def _unavailable() -> str | None:
    if not Path(CHROMIUM).exists() and not shutil.which(CHROMIUM):
        return f"Chromium not found at {CHROMIUM}"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package is not installed"
    return None


@pytest.fixture(scope="session")
def browser():
    reason = _unavailable()
    if reason:
        if os.environ.get("YIZHAN_REQUIRE_BROWSER") == "1":
            pytest.fail(f"browser tests are required but {reason}")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                              args=["--no-sandbox", "--disable-gpu"])
        yield chromium
        chromium.close()


@pytest.fixture
def live_server(app):
    """The app served over real HTTP on a free local port for the length of one test."""
    from waitress.server import create_server
    server = create_server(app, host="127.0.0.1", port=0, threads=4)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.effective_port}"
    server.close()
    thread.join(timeout=5)


class Desk:
    """One member of staff at their own browser window: own cookies, Chinese locale, Shanghai time."""

    def __init__(self, browser, base_url: str, foreign: list[str]):
        self.base_url = base_url
        self.context = browser.new_context(viewport=VIEWPORT, locale="zh-CN", timezone_id="Asia/Shanghai")
        self.context.set_default_timeout(15_000)
        self.page = self.context.new_page()
        self.page.on("request", lambda request: self._note(request.url, foreign))

    @staticmethod
    def _note(url: str, foreign: list[str]) -> None:
        parts = urlsplit(url)
        if parts.scheme in ("http", "https", "ws", "wss") and parts.hostname not in ("127.0.0.1", "localhost"):
            foreign.append(url)

    def open(self, path: str):
        self.page.goto(self.base_url + path)
        return self.page

    def sign_in(self, username: str, password: str = STAFF_PASSWORD):
        page = self.open("/login")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", password)
        page.click("article.login button[type=submit]")
        page.wait_for_url(lambda url: "/login" not in url)  # each role lands where its work is
        return page

    def screenshot(self, name: str) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path


@pytest.fixture
def desk(browser, live_server):
    """desk("police_clerk") -> a browser window signed in as that member of staff; desk(None) -> anonymous.

    After the test, no page may have asked anything of a host other than our own server."""
    foreign: list[str] = []
    opened: list[Desk] = []

    def _desk(username: str | None) -> Desk:
        window = Desk(browser, live_server, foreign)
        opened.append(window)
        if username:
            window.sign_in(username)
        return window

    yield _desk
    for window in opened:
        window.context.close()
    assert foreign == [], f"pages reached beyond our server: {foreign}"
