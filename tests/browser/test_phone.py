"""A 390-px phone (issue 22): a popup's close button is never under a map control, the index's summary
of the services fits the screen, popups spell out the services' abbreviations, and each map page links
its own images and data.

Expected values come from the shipped coverage (``shipped``).
"""

from __future__ import annotations

import pytest

from mimpmap.build import BuildOptions, build
from mimpmap.layout import service_data_file

from .conftest import require_browser
from .test_pages import _js, point_in, shoot

require_browser(at_collection=True)
pytestmark = pytest.mark.browser

PHONE_390 = {"width": 390, "height": 844}
TOUCH = {"viewport": PHONE_390, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}
#: Units all over the map: the top right (Loreto, under the layer button), the top left (Tumbes, under
#: the zoom buttons), the middle (Lima Metropolitana, with the most services) and the south (Tacna).
UNITS = ("PE-LOR", "PE-TUM", "PE-LMA", "PE-TAC")


def _popup_settled(page) -> None:
    """Wait until the open popup stays put (Leaflet pans the map to show it, in an animation that a
    busy machine draws slowly)."""
    page.wait_for_selector(".leaflet-popup")
    page.wait_for_function("""() => new Promise(done => {
      const top = () => document.querySelector(".leaflet-popup").getBoundingClientRect().top;
      const before = top();
      setTimeout(() => requestAnimationFrame(() => done(top() === before)), 150);
    })""")


def _close_button_hit(page) -> dict:
    """What a finger on the middle of the open popup's close button touches."""
    return page.evaluate("""() => {
      const close = document.querySelector(".leaflet-popup .leaflet-popup-close-button");
      const r = close.getBoundingClientRect();
      const x = r.left + r.width / 2, y = r.top + r.height / 2;
      const hit = document.elementFromPoint(x, y);
      return {inside: !!hit && close.contains(hit), hit: hit ? hit.className || hit.tagName : null, x: x, y: y,
              onScreen: y >= 0 && y <= innerHeight && x >= 0 && x <= innerWidth};
    }""")


@pytest.mark.parametrize("code", UNITS)
def test_a_popup_close_button_is_not_under_a_control(site, open_page, screenshots, code):
    tab = open_page(site / "cobertura.html", **TOUCH)
    page = tab.page
    page.touchscreen.tap(*point_in(page, code))
    _popup_settled(page)
    hit = _close_button_hit(page)
    shoot(page, screenshots, f"telefono-popup-{code}")
    assert hit["onScreen"] and hit["inside"], f"la × del popup de {code} está tapada por {hit['hit']}"
    page.locator(".leaflet-popup-close-button").tap()
    page.wait_for_selector(".leaflet-popup", state="detached")  # the × closes it
    tab.assert_clean()


def test_a_popup_opened_while_the_layer_list_is_open_is_not_under_its_button(site, open_page, screenshots):
    tab = open_page(site / "cobertura.html", **TOUCH)
    page = tab.page
    page.locator(".leaflet-control-layers-toggle").tap()
    page.wait_for_selector(".leaflet-control-layers-expanded")
    page.wait_for_timeout(600)  # a second tap sooner would be a double tap: Leaflet would zoom in
    page.touchscreen.tap(*point_in(page, "PE-TUM"))  # the tap closes the list and opens the popup
    _popup_settled(page)
    assert page.locator(".leaflet-control-layers-expanded").count() == 0
    hit = _close_button_hit(page)
    shoot(page, screenshots, "telefono-popup-con-capas")
    assert hit["onScreen"] and hit["inside"], hit
    tab.assert_clean()


def test_popups_spell_out_the_abbreviations(site, open_page, shipped):
    tab = open_page(site / "cobertura.html", viewport=PHONE_390)
    page = tab.page
    _js(page, "unit(arg).openPopup();", "PE-LOR")
    text = page.locator(".leaflet-popup-content").inner_text()
    for short, words in (("UA", "Unidades de Adopción"), ("ER", "Estrategia Rural"),
                         ("HRT", "Hogares de Refugio Temporal"), ("CEDIF", "Centro de Desarrollo Integral de la Familia")):
        assert f"{short} – {words}" in text, text
    assert "Línea 100 –" not in text  # a name, not an abbreviation
    tab.assert_clean()


def test_the_index_summary_fits_a_phone(site, open_page, screenshots):
    tab = open_page(site / "index.html", **TOUCH)
    page = tab.page
    table = page.locator("table.mm-summary")
    table.scroll_into_view_if_needed()
    shoot(page, screenshots, "telefono-resumen")
    fit = table.evaluate("""t => {
      const box = t.parentElement;
      const cut = [];
      for (const cell of t.querySelectorAll("tbody th, tbody td")) {
        const r = cell.getBoundingClientRect();
        if (r.right > box.getBoundingClientRect().right + 1 || r.left < 0) { cut.push(cell.textContent); }
      }
      return {table: t.scrollWidth, box: box.clientWidth, cut: cut,
              labels: [...t.querySelectorAll("tbody tr:first-child td")].map(
                td => getComputedStyle(td, "::before").content)};
    }""")
    assert fit["table"] <= fit["box"] and fit["cut"] == [], fit
    # every value says which column it is, the population and the latest figure too
    assert any("Población" in label for label in fit["labels"]), fit["labels"]
    assert any("Última cifra" in label for label in fit["labels"]), fit["labels"]
    tab.assert_clean()


def test_the_index_summary_is_a_table_on_a_wide_screen(site, open_page):
    tab = open_page(site / "index.html")
    display = tab.page.locator("table.mm-summary").evaluate("t => getComputedStyle(t).display")
    assert display == "table"
    tab.assert_clean()


@pytest.fixture(scope="module")
def with_images(shipped, tmp_path_factory):
    """Pages planned with their SVG images: the two pages opened below, and the files cai's page links,
    drawn alone (as a live preview draws the pages open first; the other maps' images would only take time)."""
    out = tmp_path_factory.mktemp("imagenes")
    only = frozenset({"servicios/cai.html", "cobertura.html", "servicios/cai.svg", service_data_file("cai")})
    build(shipped.atlas, out, BuildOptions(formats=("html", "svg"), only=only))
    return out


def test_each_map_page_links_its_own_files(with_images, open_page, shipped):
    tab = open_page(with_images / "servicios" / "cai.html")
    links = tab.page.locator(".mm-map-files a")
    hrefs = {links.nth(i).inner_text(): links.nth(i).get_attribute("href") for i in range(links.count())}
    assert hrefs == {"Imagen SVG": "../servicios/cai.svg", "Datos del mapa (CSV)": f"../{service_data_file('cai')}"}
    for href in hrefs.values():
        assert (with_images / "servicios" / href).resolve().is_file(), href
    choropleth = open_page(with_images / "cobertura.html").page
    assert choropleth.locator(".mm-map-files a").all_inner_texts() == ["Imagen SVG", "Datos del mapa (CSV)"]
    tab.assert_clean()
