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


@dataclass
class _Window:
    """A context with its one page and the list its route handler writes what it aborted to."""

    context: object
    page: object
    aborted: list[str]

    def reusable(self) -> bool:
        """Still open, and alone in its context (a test that opened a popup leaves more than one)."""
        return not self.page.is_closed() and self.context.pages == [self.page]


def new_window(browser, viewport: dict, init_script: str | None, options: dict) -> _Window:
    context = browser.new_context(viewport=viewport, **options)
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
    return _Window(context, context.new_page(), aborted)


@pytest.fixture(scope="session")
def _spare_windows(browser) -> list[_Window]:
    """Plain windows (no init script, no context options) that earlier tests gave back.

    A new page costs Chromium ~0.25 s of CPU (its window and renderer), more than loading most of our
    pages into one that exists; a plain window is given back between tests with the mouse at the
    corner where a new page has it, no media emulated and ``about:blank`` loaded (the document, its
    scripts and its storage-free state go with it). A window whose test closed it or opened another
    page in it is closed instead."""
    return []


@pytest.fixture
def open_page(browser, _spare_windows):
    """``open_page(path, viewport=DESKTOP, init_script=None, **context_options) -> Tab``: a window per
    call, plain ones taken from :func:`_spare_windows` when there are, others new.

    Requests other than ``file:``/``data:`` are aborted and listed in ``tab.aborted``; console errors
    and uncaught exceptions are listed in ``tab.errors``. Windows are closed or given back when the test
    ends.
    """
    leased: list[tuple[_Window, bool, list]] = []

    def open_(path: Path, viewport: dict = DESKTOP, init_script: str | None = None, **options) -> Tab:
        plain = init_script is None and not options
        window = _spare_windows.pop() if plain and _spare_windows else None
        if window is None:
            window = new_window(browser, viewport, init_script, options)
        else:
            window.page.set_viewport_size(viewport)
            window.aborted.clear()
        page = window.page
        tab = Tab(page=page, aborted=window.aborted)
        listeners = [("console", lambda msg: tab.errors.append(_console_error(msg)) if msg.type == "error" else None),
                     ("pageerror", lambda exc: tab.errors.append(f"pageerror: {exc}"))]
        for event, listener in listeners:
            page.on(event, listener)
        leased.append((window, plain, listeners))
        page.goto(Path(path).resolve().as_uri(), wait_until="load")
        return tab

    yield open_
    for window, plain, listeners in leased:
        if plain and window.reusable() and cleared(window, listeners):
            _spare_windows.append(window)
        else:
            window.context.close()


def cleared(window: _Window, listeners: list) -> bool:
    """``window`` as a new one is (see :func:`_spare_windows`), or ``False`` when it cannot be made so."""
    from playwright.sync_api import Error

    page = window.page
    try:
        for event, listener in listeners:
            page.remove_listener(event, listener)
        page.mouse.move(0, 0)
        page.emulate_media(media="null")
        page.goto("about:blank")
    except Error:
        return False
    return True
