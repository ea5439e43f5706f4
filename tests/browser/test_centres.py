"""The directory's centres in a real browser (issue 21): the search box by keyboard and by touch, the
popup with its tel: link, the choropleth's "Centros" layer, and the units still answering under the
markers."""

from __future__ import annotations

import pytest

from .conftest import PHONE, require_browser
from .test_pages import expand_layer_control

require_browser(at_collection=True)
pytestmark = pytest.mark.browser

SEARCH = ".mm-search-input"


def _popup(page) -> str:
    page.wait_for_selector(".leaflet-popup-content", timeout=3000)
    return page.inner_text(".leaflet-popup-content")


def test_typing_bagua_finds_the_centre_and_enter_opens_its_popup_with_its_phone(site, open_page, screenshots):
    tab = open_page(site / "servicios" / "cem.html")
    page = tab.page
    page.focus(SEARCH)
    page.keyboard.type("Bagua")
    options = page.locator(".mm-search-list [role=option]")
    assert options.count() >= 3
    assert "Cem Comisaría Bagua" in page.inner_text(".mm-search-list")
    assert page.get_attribute(SEARCH, "aria-expanded") == "true"
    page.keyboard.press("ArrowDown")
    assert options.nth(0).get_attribute("aria-selected") == "true"
    assert page.get_attribute(SEARCH, "aria-activedescendant") == options.nth(0).get_attribute("id")
    page.keyboard.press("Enter")
    text = _popup(page)
    assert text.startswith("Cem Comisaría Bagua") and "932854358" in text
    assert page.get_attribute(".leaflet-popup-content a[href^='tel:']", "href") == "tel:932854358"
    assert page.evaluate("document.activeElement.tagName") == "H3"  # focus went into the popup
    page.screenshot(path=str(screenshots / "centres-search-desktop.png"))
    tab.assert_clean()


def test_accents_and_case_are_ignored_and_a_department_is_zoomed_to(site, open_page):
    tab = open_page(site / "servicios" / "cem.html")
    page = tab.page
    page.fill(SEARCH, "HUANUCO")
    items = page.inner_text(".mm-search-list")
    assert "Huánuco" in items and "departamento" in items
    page.locator(".mm-search-list [role=option]", has_text="departamento").first.dispatch_event("mousedown")
    assert page.input_value(SEARCH) == "Huánuco"
    assert page.get_attribute(SEARCH, "aria-expanded") == "false"
    page.fill(SEARCH, "zzzz")
    assert page.inner_text(".mm-search-status") == "Sin resultados"
    page.keyboard.press("Escape")
    tab.assert_clean()


def test_on_a_phone_tapping_a_result_opens_the_popup(site, open_page, screenshots):
    tab = open_page(site / "servicios" / "sau.html", viewport=PHONE, has_touch=True, is_mobile=True)
    page = tab.page
    page.fill(SEARCH, "sau puno")
    page.locator(".mm-search-list [role=option]").first.tap()
    assert _popup(page).startswith("SAU Puno")
    page.screenshot(path=str(screenshots / "centres-search-phone.png"))
    tab.assert_clean()


def test_the_choropleth_centres_layer_toggles_with_its_legend(site, open_page):
    tab = open_page(site / "cobertura.html")
    page = tab.page
    markers = page.locator(".leaflet-marker-pane path.leaflet-interactive")
    assert markers.count() == 0 and page.locator(".mm-centres-legend").count() == 0
    expand_layer_control(page)
    box = page.get_by_role("checkbox", name="Centros (Directorio MIMP 2026)", exact=True)
    box.check()
    assert markers.count() == 515 and page.locator(".mm-centres-legend").count() == 1
    box.uncheck()
    assert markers.count() == 0 and page.locator(".mm-centres-legend").count() == 0
    tab.assert_clean()


def test_a_unit_still_answers_the_pointer_beside_the_markers(site, open_page):
    """The markers are SVG circles in their own pane: the units under them keep their hover."""
    tab = open_page(site / "servicios" / "cem.html")
    page = tab.page
    loreto = page.locator(".leaflet-overlay-pane path[aria-label^='Loreto']")
    box = loreto.bounding_box()
    page.mouse.move(box["x"] + box["width"] * 0.5, box["y"] + box["height"] * 0.5)  # forest, no centre
    page.wait_for_selector(".leaflet-tooltip", timeout=3000)
    assert "Loreto" in page.inner_text(".leaflet-tooltip")
    tab.assert_clean()
