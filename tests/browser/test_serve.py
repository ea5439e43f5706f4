"""`mimpmap serve` in a real browser (issue 23): a page served by the live preview shows a figure changed
in the YAML without being reloaded by hand, shows the problems of an invalid save over the page (as text,
whatever they contain), and drops them once the file is fixed.
"""

from __future__ import annotations

import shutil

import pytest

from mimpmap.build import BuildOptions, build
from mimpmap.serve import Preview
from mimpmap.text import number

from ..conftest import DATA, GEO
from .conftest import require_browser

require_browser(at_collection=True)
pytestmark = pytest.mark.browser

#: A figure of the shipped data (the CEM's cases in 2020), and the milliseconds a step may take at most.
FIGURE, LIMIT = "values: [114495, 136782]", 120_000
FIGURES = "Array.from(document.querySelectorAll('td.mm-num'), td => td.textContent)"


@pytest.fixture(scope="module")
def pages(shipped, tmp_path_factory):
    """The shipped data's pages, built once for the module's tests, which each preview a copy."""
    out = tmp_path_factory.mktemp("pages") / "maps"
    build(shipped.atlas, out, BuildOptions(formats=("html",)))
    return out


@pytest.fixture
def served(pages, tmp_path):
    """A preview of a copy of the shipped data and of its pages (its first build has nothing to do)."""
    shutil.copy(DATA, tmp_path / "coverage.yaml")
    shutil.copytree(pages, tmp_path / "maps")
    preview = Preview(tmp_path / "maps", {"data": tmp_path / "coverage.yaml", "geo": GEO}, port=0)
    preview.start()
    assert preview.ready.wait(LIMIT / 1000)
    yield preview
    preview.stop()


def changed(page, old: int, new: int) -> bool:
    """Whether the page's table shows ``new`` and no longer ``old``."""
    shown = page.evaluate(FIGURES)
    return number(new) in shown and number(old) not in shown


def test_a_saved_figure_and_an_invalid_save_reach_the_open_page(browser, served, screenshots):
    data = served.given["data"]
    context = browser.new_context()
    page = context.new_page()
    try:
        page.goto(served.url + "servicios/cem.html", wait_until="load")
        assert number(114495) in page.evaluate(FIGURES)
        page.evaluate("window.mmSame = true; window.scrollTo(0, 300)")  # gone if the page reloads
        page.evaluate("document.querySelector('.mm-panel').scrollTop = 120")
        scrolled = page.evaluate("[window.scrollY, document.querySelector('.mm-panel').scrollTop]")
        data.write_text(data.read_text(encoding="utf-8").replace(FIGURE, "values: [123456, 136782]"),
                        encoding="utf-8")
        page.wait_for_function("document.body.dataset.mmPatched === '1'", timeout=LIMIT)
        assert changed(page, 114495, 123456)
        assert page.evaluate("window.mmSame")  # patched in place, where the reader was
        assert page.evaluate("[window.scrollY, document.querySelector('.mm-panel').scrollTop]") == scrolled
        assert page.evaluate("document.querySelectorAll('.mm-panel').length") == 1

        data.write_text(data.read_text(encoding="utf-8").replace("[123456,", "[<img src=x onerror=alert(1)>,"),
                        encoding="utf-8")
        overlay = page.wait_for_selector("#mimpmap-problems", timeout=LIMIT)
        text = overlay.inner_text()
        assert "línea 87" in text and "<img src=x onerror=alert(1)>" in text  # shown as text, not markup
        assert overlay.query_selector("img") is None and number(123456) in page.evaluate(FIGURES)
        page.screenshot(path=screenshots / "serve-problems.png")

        data.write_text(data.read_text(encoding="utf-8").replace("[<img src=x onerror=alert(1)>,", "[123457,"),
                        encoding="utf-8")
        page.wait_for_selector("#mimpmap-problems", state="detached", timeout=LIMIT)
        assert changed(page, 123456, 123457) and page.evaluate("window.mmSame")
    finally:
        context.close()


def test_a_change_beyond_the_text_reloads_the_page(browser, served):
    """A page whose map (its scripts) differs from the one rebuilt is reloaded, not patched."""
    data = served.given["data"]
    context = browser.new_context()
    page = context.new_page()
    try:
        page.goto(served.url + "servicios/cem.html", wait_until="load")
        page.evaluate("document.querySelector('script:not(#mimpmap-live)').textContent += ' '")  # as if stale
        with page.expect_navigation(timeout=LIMIT):
            data.write_text(data.read_text(encoding="utf-8").replace(FIGURE, "values: [123456, 136782]"),
                            encoding="utf-8")
        page.wait_for_load_state("load")
        assert changed(page, 114495, 123456)
    finally:
        context.close()
