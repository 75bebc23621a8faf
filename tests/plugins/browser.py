"""A real headless Chromium for the page tests: Debian's ``chromium`` driven by ``chromedriver``.

Fixture ``browser``: a session-scoped selenium 4 webdriver, offline (network emulation set to
offline and every host name but 127.0.0.1 unresolvable: the workbench tests lift the offline emulation
while they run), with a fresh profile. No browser is ever downloaded: both paths are explicit, so
selenium-manager never runs. Helper :func:`load_page` opens a file:// page, waits for the page's
ready flag and returns its console errors and timings.

Missing Chromium or selenium: the tests skip with how to install them, except under CI=true,
where they fail. Paths can be overridden with NEGKG_CHROMIUM and NEGKG_CHROMEDRIVER.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = os.environ.get("NEGKG_CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("NEGKG_CHROMEDRIVER", "/usr/bin/chromedriver")
HOW = "apt-get install chromium chromium-driver; pip install -e '.[test]' (selenium); see docs/testing.md"


def _unavailable(why: str) -> None:
    msg = f"browser tests need {why}: {HOW}"
    if os.environ.get("CI") == "true":
        pytest.fail(msg, pytrace=False)
    pytest.skip(msg)


@pytest.fixture(scope="session")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """A headless, offline Chromium (selenium webdriver), shared by the session."""
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        _unavailable("selenium")
    for path in (CHROMIUM, CHROMEDRIVER):
        if not (Path(path).exists() or shutil.which(path)):
            _unavailable(f"{path}")
    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", "--no-default-browser-check", "--disable-extensions", "--mute-audio",
                "--window-size=1400,900", "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
                f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}"):
        opts.add_argument(arg)
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    try:
        driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=opts)
    except Exception as e:  # a broken install: say so once, clearly
        _unavailable(f"a working Chromium ({type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''})")
    driver.set_page_load_timeout(60)
    driver.set_script_timeout(60)
    driver.execute_cdp_cmd("Network.enable", {})
    driver.execute_cdp_cmd("Network.emulateNetworkConditions",
                           {"offline": True, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1})
    yield driver
    driver.quit()


@dataclass
class Loaded:
    """What loading a page produced."""

    errors: list[dict[str, Any]]  # console entries of level SEVERE
    ready_ms: float | None  # from navigation start to the page's ready flag (layout settled)
    external: list[str] = field(default_factory=list)  # resources fetched from anywhere but file: or data:


def console(driver: Any) -> list[dict[str, Any]]:
    """Console entries since the last call (chromedriver drains the log on each read)."""
    return list(driver.get_log("browser"))


def load_page(driver: Any, path: Path, *, ready: bool = True, timeout: float = 60) -> Loaded:
    """Open a file:// page, wait for ``window.negkg.ready`` (when ``ready``), return errors and timings."""
    from selenium.webdriver.support.ui import WebDriverWait

    console(driver)
    driver.get(Path(path).resolve().as_uri())
    ready_ms = None
    if ready:
        WebDriverWait(driver, timeout, poll_frequency=0.05).until(
            lambda d: d.execute_script("return !!(window.negkg && window.negkg.ready)"))
        ready_ms = driver.execute_script("return window.negkg.readyMs")
    external = driver.execute_script(
        "return performance.getEntriesByType('resource').map(e => e.name)"
        ".filter(u => !u.startsWith('file:') && !u.startsWith('data:'))")
    errors = [e for e in console(driver) if e.get("level") == "SEVERE"]
    return Loaded(errors, ready_ms, external)
