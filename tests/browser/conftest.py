"""Shared browser fixtures: headless Debian chromium driving the live server.

Nothing is downloaded: the driver and the browser are the Debian packages
(`chromium`, `chromium-driver`), passed to Selenium by path, and Selenium
Manager is made to fail loudly if anything tries to run it. The browser
resolves no host name but the loopback ones, so a page that reaches for a CDN
breaks instead of leaking.

    def test_dashboard(browser, live_server, staff_user, browser_login, screenshot):
        user = staff_user("fiona", role=FINANCE_REVIEWERS)
        browser_login(user)
        browser.get(live_server.url + "/admin/")
        screenshot("dashboard")

Screenshots land under var/screenshots/ (gitignored), one folder per test.
"""

import base64
import os
import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.contrib.auth.models import Group, User
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.selenium_manager import SeleniumManager
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait

from integrations.roles import roles_sync

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "var" / "screenshots"
CHROMIUM = os.environ.get("CHROMIUM_BIN", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("CHROMEDRIVER_BIN", "/usr/bin/chromedriver")
PASSWORD = "correct horse battery staple"
# How long a page may take to show what a test waits for (a wait, not a timing
# assertion: a slow machine only makes the test slower).
WAIT_SECONDS = 60


def _executable(path: str) -> str | None:
    found = shutil.which(path)
    return found if found and os.access(found, os.X_OK) else None


@pytest.fixture(scope="session")
def chromium_paths() -> tuple[str, str]:
    """(browser, driver) paths; skips the browser tests only when absent."""
    browser = _executable(CHROMIUM)
    driver = _executable(CHROMEDRIVER)
    if browser is None or driver is None:
        pytest.skip(
            f"chromium ({CHROMIUM}) or chromedriver ({CHROMEDRIVER}) is not "
            "installed; install Debian's chromium and chromium-driver"
        )
    return browser, driver


def _refuse_selenium_manager(self, args):
    raise AssertionError(
        "Selenium Manager would download a driver; pass Service(path) instead"
    )


@pytest.fixture
def browser(
    chromium_paths: tuple[str, str], tmp_path: Path, monkeypatch
) -> Iterator[WebDriver]:
    """A fresh headless chromium per test, with its own profile directory."""
    monkeypatch.setattr(SeleniumManager, "binary_paths", _refuse_selenium_manager)
    browser_path, driver_path = chromium_paths
    options = webdriver.ChromeOptions()
    options.binary_location = browser_path
    for argument in (
        "--headless=new",
        "--no-sandbox",
        "--disable-dev-shm-usage",
        "--disable-gpu",
        "--window-size=1400,1000",
        f"--user-data-dir={tmp_path / 'chromium-profile'}",
        "--no-first-run",
        "--no-default-browser-check",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-extensions",
        # Loopback only: any other host fails to resolve.
        "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1",
    ):
        options.add_argument(argument)
    driver = webdriver.Chrome(
        service=Service(executable_path=driver_path), options=options
    )
    driver.set_page_load_timeout(60)
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture
def staff_user(transactional_db) -> Callable[..., User]:
    """Make a staff user with the password PASSWORD, in a role group if given
    (integrations.roles: FINANCE_REVIEWERS, INTEGRATION_ADMINS)."""

    def make(username: str, *, role: str | None = None, **extra) -> User:
        user = User.objects.create_user(
            username, password=PASSWORD, is_staff=True, **extra
        )
        if role:
            # A flushed transactional database may have lost the groups.
            roles_sync()
            user.groups.add(Group.objects.get(name=role))
        return user

    return make


def wait_for(driver: WebDriver, css: str):
    """The element matching `css` once the page holding it has loaded.

    Waiting for the whole load keeps the test's own queries off the
    database while the live server still answers the page: with SQLite
    both threads share one in-memory connection.
    """
    wait = WebDriverWait(driver, WAIT_SECONDS)
    element = wait.until(
        expected_conditions.presence_of_element_located((By.CSS_SELECTOR, css))
    )
    wait.until(lambda d: d.execute_script("return document.readyState") == "complete")
    return element


@pytest.fixture
def browser_login(browser: WebDriver, live_server) -> Callable[[User], None]:
    """Sign in through the admin's real login form (no TOTP device set up)."""

    def login(user: User, password: str = PASSWORD) -> None:
        browser.get(f"{live_server.url}/admin/login/?next=/admin/")
        wait_for(browser, "#id_username").send_keys(user.get_username())
        browser.find_element(By.ID, "id_password").send_keys(password)
        browser.find_element(By.CSS_SELECTOR, "form#login-form").submit()
        wait_for(browser, "#user-tools")

    return login


@pytest.fixture
def screenshot(browser: WebDriver, request) -> Callable[[str], Path]:
    """Save a PNG of the whole page (or only the window, full_page=False)
    under var/screenshots/<test name>/<name>.png."""
    folder = SCREENSHOTS / re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.name)

    def save(name: str, *, full_page: bool = True) -> Path:
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{re.sub(r'[^A-Za-z0-9_.-]+', '_', name)}.png"
        if full_page:
            # Chromium's DevTools capture of the whole layout, not the window.
            # https://chromedevtools.github.io/devtools-protocol/tot/Page/#method-captureScreenshot
            size = browser.execute_cdp_cmd("Page.getLayoutMetrics", {})[
                "cssContentSize"
            ]
            shot = browser.execute_cdp_cmd(
                "Page.captureScreenshot",
                {
                    "format": "png",
                    "captureBeyondViewport": True,
                    "clip": {
                        "x": 0,
                        "y": 0,
                        "width": size["width"],
                        "height": min(size["height"], 12000),
                        "scale": 1,
                    },
                },
            )
            path.write_bytes(base64.b64decode(shot["data"]))
        elif not browser.save_screenshot(str(path)):
            raise AssertionError(f"chromium did not save the screenshot {path}")
        return path

    return save
