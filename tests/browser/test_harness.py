"""The browser fixture itself: what it switches off in Chromium is still off, and Playwright's own
switches are still on (conftest.UNUSED_FEATURES, ``_features_off``)."""

from __future__ import annotations

import pytest

from .conftest import DESKTOP, cleared, disabled_features, new_window, require_browser

require_browser(at_collection=True)
pytestmark = pytest.mark.browser


def test_a_context_builds_no_address_bar_and_keeps_playwrights_switches(browser, open_page, site):
    """Without the switch every context builds chrome://omnibox-popup.top-chrome (~1.3 s of CPU): a
    renamed feature would show here, not only as a slower run."""
    tab = open_page(site / "index.html")
    session = browser.new_browser_cdp_session()
    targets = [t["url"] for t in session.send("Target.getTargets")["targetInfos"]]
    assert [url for url in targets if "top-chrome" in url] == [], targets
    tab.page.goto("chrome://version")
    switches = disabled_features(tab.page.locator("#command_line").inner_text().split())
    assert set(switches[0]) <= set(switches[-1]), "Chromium obeys only the last --disable-features"


def test_a_window_given_back_keeps_nothing_of_its_test(browser, site):
    """What ``open_page`` does to a plain window before another test takes it (``cleared``)."""
    window = new_window(browser, DESKTOP, None, {})
    page, heard = window.page, []

    def listener(message):
        heard.append(message.text)

    page.on("console", listener)
    page.goto((site / "cobertura.html").resolve().as_uri())
    page.emulate_media(media="print")
    page.mouse.move(400, 300)
    try:
        assert cleared(window, [("console", listener)])
        assert page.url == "about:blank"
        assert page.evaluate("matchMedia('print').matches") is False
        page.evaluate("console.error('de otra prueba')")
        assert heard == []
        assert window.reusable()
    finally:
        window.context.close()
    assert not window.reusable()
