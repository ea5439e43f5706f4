"""Fixtures for the browser tests: one Chromium per session, one build per session, no network.

The maps are built once into a temporary folder and opened as ``file://`` pages. Every request that is
not ``file:`` or ``data:`` is aborted and recorded, and every console error and uncaught page error is
collected, so a test can assert that a page is self-contained and runs cleanly.

Without Chromium or Playwright the tests skip, saying how to install them; with
``MIMPMAP_REQUIRE_BROWSER=1`` (set in CI) they fail instead. ``MIMPMAP_CHROMIUM`` points at another
Chromium binary (``MIMPMAP_CHROMIUM=/nonexistent`` shows the skip). ``MIMPMAP_SCREENSHOTS`` keeps the
screenshots in a folder of your choice instead of a temporary one.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pytest

DEFAULT_CHROMIUM = "/usr/bin/chromium"
INSTALL_HINT = "Chromium no está instalado: sudo apt-get install -y chromium (y pip install playwright)"
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 360, "height": 740}
LOCAL_SCHEMES = ("file:", "data:")


def chromium_path() -> str | None:
    """The Chromium binary to use, or ``None`` when there is none."""
    override = os.environ.get("MIMPMAP_CHROMIUM")
    if override is not None:
        return override if os.path.isfile(override) and os.access(override, os.X_OK) else None
    if os.path.isfile(DEFAULT_CHROMIUM):
        return DEFAULT_CHROMIUM
    return shutil.which("chromium")


def missing_browser() -> str | None:
    """Why the browser tests cannot run here, or ``None`` when they can."""
    if chromium_path() is None:
        where = os.environ.get("MIMPMAP_CHROMIUM") or DEFAULT_CHROMIUM
        return f"{INSTALL_HINT} [no se encontró {where}]"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError as exc:
        return f"{INSTALL_HINT} [no se puede importar playwright: {exc}]"
    return None


def require_browser(*, at_collection: bool = False) -> None:
    """Skip when Chromium or Playwright is missing; fail instead with ``MIMPMAP_REQUIRE_BROWSER=1``.

    At the top of a test module (``at_collection=True``) only the failure is raised, as one collection
    error; skipping is left to :func:`browser_available`, test by test, because a module skipped whole
    collects no tests and pytest then exits with code 5 instead of 0.
    """
    problem = missing_browser()
    if not problem:
        return
    if os.environ.get("MIMPMAP_REQUIRE_BROWSER") == "1":
        pytest.fail(f"MIMPMAP_REQUIRE_BROWSER=1 y {problem}", pytrace=False)
    if not at_collection:
        pytest.skip(problem)


@pytest.fixture(scope="session")
def browser_available() -> str:
    """The Chromium binary; skips (or fails) every test that needs it when it is missing."""
    require_browser()
    return chromium_path()


@pytest.fixture(autouse=True)
def _needs_browser(browser_available):
    """Every test in this folder needs the browser, whichever fixtures it uses."""


# Headless Chromium builds the address bar's popup, a web page of its own (chrome://omnibox-popup.top-chrome),
# for every window, and every context is a window: ~1.3 s of CPU each, more than most of our pages cost.
UNUSED_FEATURES = ("WebUIOmniboxPopup", "WebUIOmniboxAimPopup")


def _features_off(playwright, binary: str) -> str | None:
    """A ``--disable-features`` switch with Playwright's own features and ``UNUSED_FEATURES``.

    Chromium obeys only the last such switch, so ours must repeat Playwright's; they are read from
    chrome://version of a first launch rather than copied here.
    """
    from playwright.sync_api import Error

    probe = playwright.chromium.launch(executable_path=binary, args=LAUNCH_ARGS)
    try:
        page = probe.new_page()
        page.goto("chrome://version")
        words = page.locator("#command_line").inner_text().split()
    except Error:  # the headless shell: no chrome:// pages, no address bar either
        return None
    finally:
        probe.close()
    theirs = [name for names in disabled_features(words) for name in names]
    return "--disable-features=" + ",".join(dict.fromkeys([*theirs, *UNUSED_FEATURES]))


def disabled_features(words: list[str]) -> list[list[str]]:
    """The features of each ``--disable-features`` switch among the words of a command line."""
    return [word.partition("=")[2].split(",") for word in words if word.startswith("--disable-features=")]


@pytest.fixture(scope="session")
def browser(browser_available):
    """One headless Chromium for the whole session."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        off = _features_off(p, browser_available)
        args = [*LAUNCH_ARGS, *([off] if off else [])]
        chromium = p.chromium.launch(executable_path=browser_available, args=args)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def site(browser_available, shipped_maps) -> Path:
    """The shipped maps, built once per run for every test that needs them (``shipped_maps``): the
    pages and the images the index shows (the tests only read them)."""
    return shipped_maps


@pytest.fixture(scope="session")
def screenshots(tmp_path_factory) -> Path:
    """Where screenshots go (MIMPMAP_SCREENSHOTS, or a temporary folder)."""
    chosen = os.environ.get("MIMPMAP_SCREENSHOTS")
    if chosen:
        path = Path(chosen)
        path.mkdir(parents=True, exist_ok=True)
        return path
    return tmp_path_factory.mktemp("screenshots")


@dataclass
class Tab:
    """An opened page with what it tried to fetch and what went wrong in it."""

    page: object
    aborted: list[str]
    errors: list[str] = field(default_factory=list)

    def assert_clean(self) -> None:
        assert self.aborted == [], f"la página intentó usar la red: {self.aborted}"
        assert self.errors == [], f"errores en la consola o en la página: {self.errors}"


def _console_error(msg) -> str:
    where = msg.location.get("url") if msg.location else ""
    return f"console: {msg.text}" + (f" ({where})" if where else "")


@pytest.fixture
def open_page(browser):
    """``open_page(path, viewport=DESKTOP, init_script=None, **context_options) -> Tab``: a fresh
    context per call.

    Requests other than ``file:``/``data:`` are aborted and listed in ``tab.aborted``; console errors
    and uncaught exceptions are listed in ``tab.errors``. Contexts close when the test ends.
    """
    contexts = []

    def open_(path: Path, viewport: dict = DESKTOP, init_script: str | None = None, **options) -> Tab:
        context = browser.new_context(viewport=viewport, **options)
        contexts.append(context)
        if init_script:  # runs in the page before its own scripts
            context.add_init_script(init_script)
        aborted: list[str] = []

        def only_local(route):
            url = route.request.url
            if url.startswith(LOCAL_SCHEMES):
                route.continue_()
            else:
                aborted.append(url)
                route.abort()

        context.route("**/*", only_local)
        page = context.new_page()
        tab = Tab(page=page, aborted=aborted)
        page.on("console", lambda msg: tab.errors.append(_console_error(msg)) if msg.type == "error" else None)
        page.on("pageerror", lambda exc: tab.errors.append(f"pageerror: {exc}"))
        page.goto(Path(path).resolve().as_uri(), wait_until="load")
        return tab

    yield open_
    for context in contexts:
        context.close()
