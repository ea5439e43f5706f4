"""``brechas.html`` in a real browser (issue 24): offline, the two choropleths of the provinces switched
from the layer control with their legends, the CEMs and the search box, and axe at desktop and phone
widths."""

from __future__ import annotations

import pytest

from .conftest import PHONE
from .conftest import require_browser
from .test_a11y import PHONE_390, WIDE, _axe, _blocking
from .test_pages import _js, expand_layer_control

require_browser(at_collection=True)
pytestmark = pytest.mark.browser

SEARCH = ".mm-search-input"
#: A province's fill on the map, read from its path (Leaflet keeps the feature on it).
FILL = """
  let fill = null;
  map.eachLayer(l => { if (l.feature && l.feature.properties.code === arg && l._map) { fill = l.options.fillColor; } });
  return fill;"""
#: The legends' titles, shown or not.
LEGENDS = """() => Array.from(document.querySelectorAll(".mm-legend")).map(
  l => [l.querySelector(".mm-legend-title").textContent, l.style.display !== "none"])"""


def test_the_page_opens_offline_with_the_first_layer_and_switches_to_the_share_beyond_50_km(
        site, open_page, shipped, screenshots):
    """Opened offline: the provinces in the first layer's colours and legend, the CEMs off until their layer
    is switched on. Then, the CEMs on, the layer control switches to the share beyond 50 km and its legend
    (the CEMs' kinds following the legend shown), and back. (One page for both: the second part starts
    where the first ends, as it did on a page of its own.)"""
    spec = shipped.atlas.brechas
    tab = open_page(site / "brechas.html")
    page = tab.page
    per_cem, far = spec.layers
    assert _js(page, FILL, "0403") == dict(per_cem.fills)["0403"]
    cems = "let n = 0; map.eachLayer(l => { if (l.mmPoint) { n++; } }); return n;"
    assert _js(page, cems) == 0  # the CEMs are a layer, off as the page opens (a phone draws it faster)
    assert [title for title, on in page.evaluate(LEGENDS) if on] == [per_cem.legend.title]
    expand_layer_control(page)
    page.get_by_role("checkbox", name="Centros (Directorio MIMP 2026)").check()
    assert _js(page, cems) > 400
    assert spec.straight_line in page.inner_text(".mm-panel")
    page.screenshot(path=str(screenshots / "brechas-desktop.png"))

    expand_layer_control(page)  # as a reader points at it again
    assert page.get_by_role("checkbox", name="Centros (Directorio MIMP 2026)").is_checked()
    page.get_by_role("radio", name=far.title).check()
    page.mouse.move(5, 400)
    assert _js(page, FILL, "0403") == dict(far.fills)["0403"] == far.legend.swatches[-1].color
    legends = dict(page.evaluate(LEGENDS))
    assert legends[far.legend.title] and not legends[per_cem.legend.title]
    kinds = page.locator(".mm-legend .mm-centres-legend")  # the CEMs' kinds follow the legend shown
    assert kinds.count() == 1 and kinds.first.is_visible()
    page.screenshot(path=str(screenshots / "brechas-share.png"))
    expand_layer_control(page)
    page.get_by_role("radio", name=per_cem.title).check()
    assert _js(page, FILL, "0403") == dict(per_cem.fills)["0403"]
    tab.assert_clean()


def test_a_province_says_its_figures_on_click(site, open_page, shipped):
    from .test_pages import point_in

    caraveli = next(g for g in shipped.atlas.brechas.provinces if g.code == "0403")
    tab = open_page(site / "brechas.html")
    page = tab.page
    x, y = point_in(page, "0403")
    page.mouse.click(x, y)
    page.wait_for_selector(".leaflet-popup-content")
    text = page.inner_text(".leaflet-popup-content")
    assert "Caravelí (Arequipa)" in text and caraveli.line.replace("\u00a0", " ") in text.replace("\u00a0", " ")
    tab.assert_clean()


def test_the_search_box_finds_a_cem(site, open_page):
    tab = open_page(site / "brechas.html")
    page = tab.page
    page.focus(SEARCH)
    page.keyboard.type("Bagua")
    assert "Cem Comisaría Bagua" in page.inner_text(".mm-search-list")
    tab.assert_clean()


def test_axe_finds_nothing_serious_on_the_page(site, open_page, screenshots):
    found = []
    for viewport in (PHONE_390, WIDE):
        tab = open_page(site / "brechas.html", viewport=viewport)
        found += _blocking(_axe(tab.page), f"brechas.html@{viewport['width']}")
        tab.assert_clean()
    expand_layer_control(tab.page)  # the wide page, read as it opened, with its layer list open
    found += _blocking(_axe(tab.page), "brechas.html (capas)")
    tab.assert_clean()
    assert found == [], "\n".join(found)




def test_the_search_names_a_province_as_a_province(site, open_page):
    tab = open_page(site / "brechas.html")
    page = tab.page
    page.focus(SEARCH)
    page.keyboard.type("Caraveli")
    items = page.inner_text(".mm-search-list")
    assert "provincia (Arequipa)" in items and "departamento" not in items
    page.locator(".mm-search-list [role=option]", has_text="provincia").first.click()
    zoom = page.evaluate("() => Object.values(window).find(v => { try { return v instanceof L.Map; } "
                         "catch (e) { return false; } }).getZoom()")
    assert zoom >= 8
    tab.assert_clean()


def test_on_a_phone_the_page_fits_its_width_with_its_tables_folded_until_opened(site, open_page, shipped,
                                                                               screenshots):
    """As it opens on a phone the page fits the screen's width, its tables folded; opened, the tables
    show every province and the page still fits."""
    tab = open_page(site / "brechas.html", viewport=PHONE)
    page = tab.page
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path=str(screenshots / "brechas-phone.png"))
    tables = page.locator("details.mm-data-tables")
    assert tables.get_attribute("open") is None
    assert not page.locator("#datos-tabla").is_visible()
    page.click(f"text={shipped.atlas.brechas.tables_title}")
    assert page.locator("#datos-tabla").is_visible()
    assert page.locator("#datos-tabla").evaluate("c => c.closest('table').tBodies[0].rows.length") == 196
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    tab.assert_clean()
