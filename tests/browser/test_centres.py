"""The directory's centres in a real browser (issue 21): the search box by keyboard and by touch, the
popup with its tel: link, the choropleth's "Centros" layer, and the units still answering under the
markers."""

from __future__ import annotations

import pytest

from .conftest import PHONE, require_browser
from .test_a11y import PHONE_390
from .test_pages import _js, expand_layer_control

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
    page.locator(".mm-search-list [role=option]", has_text="departamento").first.click()  # chosen on click
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


def test_each_popup_place_is_the_one_the_data_gives_and_a_unit_still_answers_the_pointer(site, shipped, open_page):
    """The pages write a centre's district, province and department once and make its place from them.
    The markers are SVG circles in their own pane: the units under them keep their hover. (One page for
    both: the first part only reads it.)"""
    tab = open_page(site / "servicios" / "cem.html")
    page = tab.page
    drawn = _js(page, "const out = []; "
                      "map.eachLayer(l => { if (l.mmPoint) { out.push([l.mmPoint[2], l.mmPoint[5]]); } }); return out;")
    assert sorted(map(tuple, drawn)) == sorted((p.name, p.place) for p in shipped.atlas.centres.of("cem").points)
    assert page.evaluate("document.body.innerHTML.indexOf('Bagua Grande, Utcubamba (Amazonas)')") < 0

    loreto = page.locator(".leaflet-overlay-pane path[aria-label^='Loreto']")
    box = loreto.bounding_box()
    page.mouse.move(box["x"] + box["width"] * 0.5, box["y"] + box["height"] * 0.5)  # forest, no centre
    page.wait_for_selector(".leaflet-tooltip", timeout=3000)
    assert "Loreto" in page.inner_text(".leaflet-tooltip")
    tab.assert_clean()


# --- Lima y Callao, the nearest centres, places in the search (issue 21) ---------------------------

PLACE_BUTTON = ".mm-place-button"
#: Lima Metropolitana and Callao: points inside each (the Plaza Mayor, the port).
LIMA, CALLAO = (-12.046, -77.030), (-12.056, -77.143)


def _view(page) -> dict:
    return _js(page, """
      const b = map.getBounds();
      const has = p => b.contains(L.latLng(p[0], p[1]));
      return {zoom: map.getZoom(), lima: has(arg[0]), callao: has(arg[1]),
              tacna: has([-18.01, -70.25]), loreto: has([-3.75, -73.25])};""", [LIMA, CALLAO])


@pytest.mark.parametrize("name", ["cobertura.html", "servicios/cem.html", "servicios/adopciones.html"])
def test_the_lima_y_callao_button_zooms_there_and_back_by_keyboard(site, open_page, name):
    tab = open_page(site / name, viewport=PHONE_390)
    page = tab.page
    button = page.locator(PLACE_BUTTON)
    assert button.inner_text() == "Lima y Callao" and button.get_attribute("aria-pressed") == "false"
    home = _view(page)
    assert home["tacna"] and home["loreto"]
    # Reached with Tab from the zoom buttons, with a visible focus ring.
    page.focus(".leaflet-control-zoom-out")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "mm-place-button"
    ring = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert ring != "none"
    page.keyboard.press("Enter")
    there = _view(page)
    assert there["zoom"] >= home["zoom"] + 3 and there["lima"] and there["callao"] and not there["tacna"]
    assert button.inner_text() == "Todo el Perú" and button.get_attribute("aria-pressed") == "true"
    page.keyboard.press("Enter")
    back = _view(page)
    assert back["zoom"] == home["zoom"] and back["tacna"] and back["loreto"]
    assert button.inner_text() == "Lima y Callao"
    tab.assert_clean()


def test_zooming_by_hand_turns_the_button_back_to_lima(site, open_page):
    tab = open_page(site / "servicios" / "cem.html")
    page = tab.page
    page.click(PLACE_BUTTON)
    page.click(".leaflet-control-zoom-out")  # animated: the text changes when the zoom starts
    page.wait_for_function("document.querySelector('.mm-place-button').textContent === 'Lima y Callao'")
    tab.assert_clean()


def test_on_a_phone_at_lima_a_popup_keeps_its_close_button_clear_of_the_controls(site, open_page, screenshots):
    tab = open_page(site / "servicios" / "cem.html", viewport=PHONE_390, has_touch=True, is_mobile=True)
    page = tab.page
    page.tap(PLACE_BUTTON)
    marker = page.locator(".leaflet-marker-pane path.leaflet-interactive").first
    _js(page, """
      let first = null;
      map.eachLayer(l => { if (!first && l.mmPoint && map.getBounds().contains(l.getLatLng())) { first = l; } });
      // The map pans (animated) to show the popup whole below the controls, if it must: wait for it.
      // (Resolved with nothing: the event would bring the whole map back to Python, seconds of copying.)
      return new Promise(done => { map.once("moveend", () => done()); first.openPopup(); setTimeout(done, 2000); });""")
    close = page.locator(".leaflet-popup-close-button")
    close.wait_for(state="visible")
    box = close.bounding_box()
    for control in (".mm-search", PLACE_BUTTON, ".leaflet-control-layers", ".leaflet-control-zoom"):
        other = page.locator(control).bounding_box()
        apart = (box["x"] >= other["x"] + other["width"] or other["x"] >= box["x"] + box["width"]
                 or box["y"] >= other["y"] + other["height"] or other["y"] >= box["y"] + box["height"])
        assert apart, f"el botón de cerrar queda bajo {control}"
    assert marker.count() > 0
    page.screenshot(path=str(screenshots / "centres-lima-phone.png"))
    tab.assert_clean()


def _nearest(page) -> list[str]:
    page.wait_for_selector(".mm-nearest", timeout=3000)
    return page.locator(".mm-nearest-list li").all_inner_texts()


def test_a_click_on_the_map_lists_the_three_nearest_centres_in_a_straight_line(site, open_page, screenshots):
    tab = open_page(site / "servicios" / "cem.html")
    page = tab.page
    page.click(PLACE_BUTTON)
    # A point of Lima: the three nearest CEM, nearest first, each distance labelled a straight line.
    x, y = _js(page, "const p = map.latLngToContainerPoint(L.latLng(arg[0], arg[1])); "
                     "const r = map.getContainer().getBoundingClientRect(); return [r.left + p.x, r.top + p.y];",
               [-12.20, -76.80])
    expected = _js(page, """
      const at = L.latLng(arg[0], arg[1]); const all = [];
      map.eachLayer(l => { if (l.mmPoint) { all.push([at.distanceTo(l.getLatLng()) / 1000, l.mmPoint[2]]); } });
      all.sort((a, b) => a[0] - b[0]); return all.slice(0, 3);""", [-12.20, -76.80])
    page.mouse.click(x, y)
    items = _nearest(page)
    assert len(items) == 3 and all(i.endswith("km en línea recta") for i in items), items
    km = [float(i.split("\n")[-1].split(" ")[0].replace(",", ".")) for i in items]
    assert km == sorted(km) and km[0] > 0
    assert [i.split("\n")[0] for i in items] == [name for _, name in expected]
    for shown, (metres, _) in zip(km, expected):
        # Leaflet's own great-circle distance; one decimal under 10 km, whole km above; a pixel's slack.
        assert abs(shown - metres) <= (0.05 if metres < 10 else 0.5) + 0.2, (shown, metres)
    live = page.inner_text(".mm-map [aria-live=polite]")
    assert "en línea recta" in live and expected[0][1] in live
    assert page.get_attribute(".leaflet-popup", "role") == "dialog"
    page.screenshot(path=str(screenshots / "centres-nearest-desktop.png"))
    # Its first name leads to that centre's popup.
    page.locator(".mm-nearest-list button").first.click()
    page.locator(".leaflet-popup .mm-pop h3", has_text=expected[0][1]).wait_for(timeout=3000)
    page.wait_for_selector(".mm-nearest", state="detached", timeout=3000)  # the list fades out
    tab.assert_clean()


def test_enter_on_the_map_lists_the_nearest_centres_and_focus_goes_in_and_back(site, open_page):
    tab = open_page(site / "servicios" / "sau.html")
    page = tab.page
    page.focus(".mm-map")
    page.keyboard.press("Enter")
    assert len(_nearest(page)) == 3
    assert page.evaluate("document.activeElement.textContent") == "Los 3 centros más cercanos"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "mm-link-button"
    page.keyboard.press("Escape")
    page.wait_for_selector(".mm-nearest", state="detached", timeout=3000)  # it fades out
    assert page.evaluate("document.activeElement.classList.contains('mm-map')")
    tab.assert_clean()


def test_a_click_on_a_map_without_centres_opens_nothing(site, open_page):
    tab = open_page(site / "servicios" / "adopciones.html")
    page = tab.page
    box = page.locator(".mm-map").bounding_box()
    page.mouse.click(box["x"] + box["width"] * 0.5, box["y"] + box["height"] * 0.5)
    page.keyboard.press("Enter")
    page.wait_for_timeout(200)
    assert page.locator(".leaflet-popup").count() == 0 and page.locator(".mm-nearest").count() == 0
    tab.assert_clean()


@pytest.mark.parametrize(("typed", "name", "level"), [
    ("CANETE", "Cañete", "provincia (Lima)"),
    ("tinguiña", "La Tinguiña", "distrito (Ica)"),
    ("bagua grande", "Bagua Grande", "distrito (Amazonas)"),
])
def test_the_search_finds_provinces_and_districts_and_zooms_to_their_centres(site, open_page, typed, name, level):
    tab = open_page(site / "servicios" / "cem.html")
    page = tab.page
    page.focus(SEARCH)
    page.keyboard.type(typed)
    option = page.locator(".mm-search-list [role=option]", has_text=level).filter(has_text=name).first
    assert option.count() == 1, page.inner_text(".mm-search-list")
    while page.get_attribute(SEARCH, "aria-activedescendant") != option.get_attribute("id"):
        page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    assert page.input_value(SEARCH) == name
    field = 8 if level.startswith("provincia") else 7
    inside = _js(page, """
      const b = map.getBounds(); let n = 0, out = 0;
      map.eachLayer(l => { if (l.mmPoint && l.mmPoint[arg[1]] === arg[0]) { n++; if (!b.contains(l.getLatLng())) { out++; } } });
      return {n: n, out: out, zoom: map.getZoom()};""", [name, field])
    assert inside["n"] >= 1 and inside["out"] == 0 and inside["zoom"] >= 8, inside
    tab.assert_clean()


def test_the_choropleth_search_turns_its_centres_on_and_a_click_lists_no_nearest(site, open_page):
    tab = open_page(site / "cobertura.html")
    page = tab.page
    page.focus(SEARCH)
    page.keyboard.type("comisaria bagua")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    assert _popup(page).startswith("Cem Comisaría Bagua")
    assert page.locator(".mm-centres-legend").count() == 1  # the layer came on with its legend
    page.keyboard.press("Escape")
    page.wait_for_selector(".leaflet-popup", state="detached", timeout=3000)
    box = page.locator(".mm-map").bounding_box()
    page.mouse.click(box["x"] + box["width"] - 60, box["y"] + box["height"] * 0.5)  # the sea or Brazil
    page.wait_for_timeout(200)
    assert page.locator(".mm-nearest").count() == 0
    tab.assert_clean()
