"""The built maps in a real browser: what is drawn, what hovering and clicking show, the layer control,
the service pages, the index, a phone screen, printing, no network, and escaping.

Expected values come from the shipped coverage (``shipped``), not from the pages themselves.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest

import mimpmap
from mimpmap import colors
from mimpmap.build import BuildOptions, build
from mimpmap.coverage import NONE
from mimpmap.text import number, plural

from ..conftest import GEO
from .conftest import PHONE, require_browser

require_browser(at_collection=True)
pytestmark = pytest.mark.browser

# --- reading the Leaflet map of a page ----------------------------------------------------------

#: Finds the page's L.Map (``map``) and the GeoJSON layers on it (``geo``): ``base`` is the one drawn from
#: the shared geometry (the choropleth, or a service's coverage), ``unit(code)`` one of its features.
_PRELUDE = """
  const map = (() => {
    for (const key of Object.keys(window)) {
      try { if (window[key] instanceof L.Map) { return window[key]; } } catch (e) { /* not ours */ }
    }
    throw new Error("la página no tiene un mapa de Leaflet");
  })();
  const geo = [];
  map.eachLayer(l => { if (l instanceof L.GeoJSON) { geo.push(l); } });
  const bases = geo.filter(l => !l.options.mmService);
  if (bases.length !== 1) { throw new Error("capas base: " + bases.length); }
  const base = bases[0];
  const unit = code => {
    const found = base.getLayers().filter(l => l.feature.properties.code === code);
    if (found.length !== 1) { throw new Error("unidad " + code + ": " + found.length); }
    return found[0];
  };
"""


def _js(page, body: str, arg=None):
    """Evaluate ``body`` (a function body that may use map, base, unit) with ``arg``."""
    return page.evaluate(f"(arg) => {{ {_PRELUDE}\n{body} }}", arg)


def drawn_units(page) -> dict[str, dict]:
    """code → {fill (the SVG attribute), pane, width, height} of the base layer's paths."""
    return _js(page, """
      const out = {};
      for (const layer of base.getLayers()) {
        const path = layer._path;
        const box = path.getBoundingClientRect();
        out[layer.feature.properties.code] = {
          fill: path.getAttribute("fill"),
          pane: path.closest(".leaflet-pane:not(.leaflet-map-pane)").className,
          width: box.width,
          height: box.height,
        };
      }
      return out;
    """)


def point_in(page, code: str) -> tuple[float, float]:
    """A point of the page where unit ``code`` is the element under the mouse (nearest its middle)."""
    point = _js(page, """
      const path = unit(arg)._path;
      const r = path.getBoundingClientRect();
      const cx = r.left + r.width / 2, cy = r.top + r.height / 2;
      let best = null;
      for (let i = 1; i < 24; i++) {
        for (let j = 1; j < 24; j++) {
          const x = r.left + r.width * i / 24, y = r.top + r.height * j / 24;
          if (document.elementFromPoint(x, y) === path) {
            const d = (x - cx) ** 2 + (y - cy) ** 2;
            if (best === null || d < best.d) { best = {x: x, y: y, d: d}; }
          }
        }
      }
      return best;
    """, code)
    assert point is not None, f"{code} no se ve en el mapa: ningún punto suyo recibe el ratón"
    return point["x"], point["y"]


def hover(page, x: float, y: float):
    """Move the mouse to (x, y) and return the one tooltip left showing.

    Tooltips of the units crossed on the way fade out first (Leaflet removes them after 200 ms).
    """
    page.mouse.move(x, y, steps=3)
    page.wait_for_function("document.querySelectorAll('.leaflet-tooltip').length === 1")
    return page.locator(".leaflet-tooltip")


def overlay_paths(page) -> int:
    """Paths drawn in the service overlays' pane."""
    return page.locator(".leaflet-mmOverlays-pane path").count()


def popup_settled(page):
    """The popup shown, faded in whole and the map done panning to it: until then its text is drawn part
    transparent (Leaflet fades a popup in over 200 ms), and a contrast read then is wrong."""
    page.locator(".leaflet-popup").wait_for(state="visible")
    page.wait_for_function("""() => {
      const popup = document.querySelector(".leaflet-popup");
      return popup !== null && getComputedStyle(popup).opacity === "1"
        && document.querySelector(".leaflet-pan-anim") === null;
    }""")


def expand_layer_control(page):
    """Open the (collapsed) layer control as a user does: pointing at it."""
    page.hover(".leaflet-control-layers")
    page.wait_for_selector(".leaflet-control-layers-expanded")


def shoot(page, folder: Path, name: str) -> Path:
    path = folder / f"{name}.png"
    page.screenshot(path=str(path), full_page=False)
    assert path.stat().st_size > 0
    return path


def local_file(url: str) -> Path:
    parsed = urlparse(url)
    assert parsed.scheme == "file", url
    return Path(unquote(parsed.path))


def reached(cov, service_id: str) -> set[str]:
    return {code for code, status in cov.status[service_id].items() if status != NONE}


# --- 1. the choropleth draws every unit ------------------------------------------------------------

def test_choropleth_draws_every_unit_in_its_class_colour(site, shipped, open_page, screenshots):
    tab = open_page(site / "cobertura.html")
    page = tab.page
    counts = shipped.counts
    assert page.locator(".leaflet-overlay-pane path").count() == len(counts) == 26

    units = drawn_units(page)
    assert set(units) == set(counts.index)
    classes = colors.count_classes(counts.tolist())
    for code, drawn in units.items():
        count = int(counts[code])
        assert "leaflet-overlay-pane" in drawn["pane"], code
        assert drawn["width"] > 0 and drawn["height"] > 0, f"{code} no ocupa lugar en la pantalla"
        assert drawn["fill"].lower() == colors.color_for_count(count, classes).lower(), code
        if count > 0:
            assert drawn["fill"].lower() != colors.NEUTRAL.lower(), f"{code} tiene {count} servicios y se ve gris"
    shoot(page, screenshots, "cobertura")
    tab.assert_clean()


# --- 2. hovering a unit ----------------------------------------------------------------------------

def test_hover_lima_metropolitana_shows_its_count(site, shipped, open_page):
    tab = open_page(site / "cobertura.html")
    page = tab.page
    assert page.locator(".leaflet-tooltip").count() == 0
    x, y = point_in(page, "PE-LMA")
    tooltip = hover(page, x, y)
    assert tooltip.is_visible()
    text = tooltip.inner_text()
    count = int(shipped.counts["PE-LMA"])
    assert "Lima Metropolitana" in text
    assert plural(count, "servicio", "servicios") in text, text
    assert re.search(rf"(?<!\d){count}(?!\d)", text), text
    tab.assert_clean()


# --- 3. clicking a unit ----------------------------------------------------------------------------

def test_click_cusco_lists_its_services_by_program_with_links(site, shipped, open_page, screenshots):
    """The popup of a clicked unit lists its services by program, each linking its page; the clicked
    unit shows no focus box."""
    tab = open_page(site / "cobertura.html")
    page = tab.page
    x, y = point_in(page, "PE-CUS")
    page.mouse.click(x, y)
    popup = page.locator(".leaflet-popup .mm-pop")
    popup.wait_for(state="visible")
    assert popup.locator("h3").inner_text() == "Cusco"
    assert _focus_outline(page) == "none"  # the clicked unit shows no focus box

    services = [s for s, _ in shipped.services_at("PE-CUS")]
    programs = [p for p in shipped.programs if any(s.program == p.id for s in services)]
    assert popup.locator("h4").all_inner_texts() == [p.short_name for p in programs]
    for i, program in enumerate(programs):
        items = popup.locator(f"ul:nth-of-type({i + 1}) > li > a")
        hrefs = [a.get_attribute("href") for a in items.all()]
        assert hrefs == [f"servicios/{s.id}.html" for s in services if s.program == program.id], program.id

    links = popup.locator("a")
    assert links.count() == len(services)
    for href in links.evaluate_all("links => links.map(a => a.href)"):
        assert local_file(href).is_file(), href
    shoot(page, screenshots, "cobertura-popup-cusco")
    cai = popup.locator('a[href="servicios/cai.html"]')
    assert cai.count() == 1
    assert local_file(cai.evaluate("a => a.href")) == (site / "servicios" / "cai.html").resolve()
    tab.assert_clean()


def _focus_outline(page) -> str:
    """The outline style of the focused unit (``none`` when no unit has the focus)."""
    return page.evaluate("""() => {
      const a = document.activeElement;
      return a.tagName.toLowerCase() === "path" ? getComputedStyle(a).outlineStyle : "none";
    }""")


# --- 4. the layer control --------------------------------------------------------------------------

def test_layer_control_groups_services_and_switches_overlays(site, shipped, open_page, screenshots):
    tab = open_page(site / "cobertura.html")
    page = tab.page
    expand_layer_control(page)
    control = page.locator(".leaflet-control-layers")
    used = [p.short_name for p in shipped.programs if any(s.program == p.id for s in shipped.services)]
    assert control.locator(".mm-ctl-group").all_inner_texts() == used == ["AURORA", "INABIF", "DGA", "DPE", "DIPAM"]

    boxes = control.locator(".mm-ctl-groupbox input[type=checkbox]")  # the services (the centres' is apart)
    assert boxes.count() == len(shipped.services) == 19
    assert boxes.evaluate_all("inputs => inputs.filter(i => i.checked).length") == 0
    assert overlay_paths(page) == 0

    def base_fills() -> set[str]:
        return {u["fill"].lower() for u in drawn_units(page).values()}

    before = base_fills()
    cai = page.get_by_role("checkbox", name=shipped.service("cai").title, exact=True)  # named in full
    cai.check()
    assert overlay_paths(page) == len(reached(shipped, "cai")) == 4
    codes = _js(page, """
      const on = geo.filter(l => l.options.mmService === "cai");
      return on.length === 1 ? on[0].getLayers().map(f => f.feature.properties.code) : on.length;
    """)
    assert isinstance(codes, list), f"capas del CAI en el mapa: {codes}"
    codes = set(codes)
    assert codes == reached(shipped, "cai")
    # With a service on, the counts step back to grey so the service reads clearly, and the legend says so.
    assert base_fills() == {colors.NEUTRAL.lower()}
    assert page.locator(".mm-legend-overlays").is_visible()
    shoot(page, screenshots, "cobertura-capa-cai")

    cai.uncheck()
    assert overlay_paths(page) == 0
    assert base_fills() == before
    assert not page.locator(".mm-legend-overlays").is_visible()
    tab.assert_clean()


def test_services_switched_on_together_differ_in_colour(site, shipped, open_page, screenshots):
    """ER and Mi60+ once shared one blue: now each service on takes a colour no other active one has,
    the legend and the layer list say which is which, and a service's colour does not depend on the
    others in the file."""
    tab = open_page(site / "cobertura.html")
    page = tab.page
    expand_layer_control(page)

    def box(sid):
        return page.get_by_role("checkbox", name=shipped.service(sid).title, exact=True)

    def colours() -> dict[str, set[str]]:
        return _js(page, """
          const out = {};
          for (const l of geo.filter(l => l.options.mmService && map.hasLayer(l))) {
            out[l.options.mmService] = [...new Set(l.getLayers().map(f => f._path.getAttribute("fill")))];
          }
          return out;
        """)

    on = ["estrategia-rural", "mi60", "cem", "can", "cai", "sau", "hrt", "upe"]
    for sid in on:
        box(sid).check()
    drawn = colours()
    assert set(drawn) == set(on) and all(len(c) == 1 for c in drawn.values())
    first_seven = [drawn[sid][0] for sid in on[:7]]
    assert len(set(first_seven)) == 7, drawn  # every one its own colour while the palette lasts
    legend = page.locator(".mm-legend-active li")
    assert legend.count() == len(on)
    assert legend.all_inner_texts()[:2] == [shipped.service("estrategia-rural").display_name, "Mi60+"]
    shoot(page, screenshots, "cobertura-capas-colores")
    for sid in on[1:]:
        box(sid).uncheck()
    box("mi60").check()  # a freed colour is given again, the first one free
    assert colours()["mi60"] == [drawn["mi60"][0]]
    tab.assert_clean()


# --- 5. the service pages --------------------------------------------------------------------------

def test_service_page_panel_and_covered_units(site, shipped, open_page, screenshots):
    tab = open_page(site / "servicios" / "cai.html")
    page = tab.page
    service = shipped.service("cai")
    panel = page.locator(".mm-panel")
    assert panel.locator("h2").inner_text().startswith(service.name)

    cells = panel.locator(".mm-figures td.mm-num").all_inner_texts()
    values = [number(v.value) for v in service.figures[0].values]
    assert values == ["1726", "2075"]  # four digits: no grouping space (RAE)
    for value in values:
        assert any(cell.startswith(value) for cell in cells), (value, cells)

    footnote = panel.locator(".mm-footnotes li")
    assert footnote.count() == 1
    assert footnote.first.locator(".mm-mark").inner_text() == "2/"
    ref = panel.locator("sup.mm-ref a")
    assert ref.inner_text() == "2/"
    assert page.locator(ref.get_attribute("href")).count() == 1  # the mark leads to its footnote

    units = drawn_units(page)
    covered = {code for code, u in units.items() if u["fill"].lower() == colors.COVERED.lower()}
    assert covered == reached(shipped, "cai")
    assert len(covered) == 4
    assert {u["fill"].lower() for code, u in units.items() if code not in covered} == {colors.NEUTRAL.lower()}
    shoot(page, screenshots, "servicio-cai")
    tab.assert_clean()


def test_service_page_with_centres_shows_their_markers(site, shipped, open_page):
    tab = open_page(site / "servicios" / "mi60.html")
    page = tab.page
    sites = shipped.service("mi60").centres.sites
    markers = page.locator(".leaflet-marker-pane path.leaflet-interactive")
    assert markers.count() == len(sites) == 2
    drawn = _js(page, """
      const out = [];
      map.eachLayer(l => { if (l instanceof L.CircleMarker) { const p = l.getLatLng(); out.push([p.lat, p.lng]); } });
      return out;
    """)
    assert sorted(drawn) == sorted([list(s.location) for s in sites])

    # Hovering a marker names its centre.
    box = markers.nth(0).bounding_box()
    tooltip = hover(page, box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    assert tooltip.inner_text().strip() in {s.name for s in sites}
    tab.assert_clean()


# --- 6. the index ----------------------------------------------------------------------------------

def test_index_links_images_and_embed_codes(site, shipped, open_page, screenshots):
    tab = open_page(site / "index.html")
    page = tab.page
    hrefs = page.locator("a[href]").evaluate_all("links => links.map(a => a.href)")
    maps = [h for h in hrefs if h.endswith(".html")]
    expected = {site / "cobertura.html", site / "atlas.html", site / "brechas.html"} | {
        site / "servicios" / f"{s.id}.html" for s in shipped.services}
    assert {local_file(h) for h in maps} == {p.resolve() for p in expected}
    for href in hrefs:
        if href.startswith("file:"):
            assert local_file(href).is_file(), f"enlace roto: {href}"
    images = page.locator("img").evaluate_all("imgs => imgs.map(i => i.src)")
    # every map's, the mosaic's, the population charts' and the maps of the provinces'
    assert len(images) == 1 + len(shipped.services) + 2 + len(shipped.atlas.index.gap_maps)
    for src in images:
        assert local_file(src).is_file(), f"imagen que falta: {src}"
        assert "/miniaturas/" in src, f"el índice muestra la imagen grande: {src}"
    first = page.locator("img").first
    first.scroll_into_view_if_needed()
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=first.element_handle())

    embeds = page.locator("textarea.mm-embed")
    assert embeds.count() == 1 + len(shipped.services)
    codes = embeds.evaluate_all("areas => areas.map(a => [a.dataset.href, a.value])")
    for href, code in codes:
        assert f'<iframe src="{href}"' in code, code
        assert code.rstrip().endswith(("</iframe>", "</div>")), code
    assert {href for href, _ in codes} == {"cobertura.html"} | {f"servicios/{s.id}.html" for s in shipped.services}
    shoot(page, screenshots, "indice")

    with page.expect_navigation():
        page.locator('article.mm-card h3 a[href="cobertura.html"]').click()
    assert page.title() == "Servicios del MIMP por departamento — Mapa de cobertura"
    assert page.locator(".leaflet-overlay-pane path").count() == 26
    page.go_back()
    with page.expect_navigation():
        page.locator('article.mm-card h3 a[href="servicios/cai.html"]').click()
    assert page.title() == "Centros de Atención Institucional (CAI) — Mapa de cobertura del MIMP"
    tab.assert_clean()


# --- 7. a phone ------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["cobertura.html", "servicios/cai.html"])
def test_phone_map_fills_width_and_panel_folds(site, open_page, screenshots, name):
    tab = open_page(site / name, viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)
    page = tab.page
    width = page.evaluate("document.documentElement.clientWidth")
    assert width == PHONE["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= width, "la página se desborda a lo ancho"
    box = page.locator(".mm-map").bounding_box()
    assert box["x"] == pytest.approx(0, abs=1)
    assert box["width"] == pytest.approx(width, abs=1)
    assert box["height"] >= 300

    fold = page.locator("details.mm-fold")
    assert fold.evaluate("d => d.open") is False
    summary = fold.locator("summary")
    assert summary.is_visible()
    assert not page.locator(".mm-panel-body").is_visible()
    panel = page.locator(".mm-panel").bounding_box()
    assert panel["y"] >= box["y"] + box["height"] - 1, "el panel tapa el mapa"
    shoot(page, screenshots, "telefono-" + Path(name).stem)

    summary.tap()
    assert fold.evaluate("d => d.open") is True
    assert page.locator(".mm-panel-body").is_visible()
    assert page.locator(".mm-panel h2").is_visible()
    tab.assert_clean()


# --- 8. printing -----------------------------------------------------------------------------------

CONTROLS = (".leaflet-control-zoom", ".leaflet-control-layers", ".mm-nav", ".mm-howto")


def _display(page, selector: str) -> str:
    return page.locator(selector).first.evaluate("e => getComputedStyle(e).display")


def test_print_shows_the_data_table_and_hides_controls(site, open_page, screenshots):
    tab = open_page(site / "cobertura.html")
    page = tab.page
    for selector in CONTROLS:
        assert _display(page, selector) != "none", selector  # on screen they are there
    page.emulate_media(media="print")
    table = page.locator("#datos table")
    assert table.is_visible()
    assert table.locator("tbody tr").count() == 26
    for selector in CONTROLS:
        assert _display(page, selector) == "none", f"{selector} se imprime"
    assert _display(page, ".mm-panel > details > summary") == "none"
    # How the map fits the printed page: test_print.py, which prints as a reader does.
    shoot(page, screenshots, "impresion-cobertura")
    tab.assert_clean()


#: Counts the zoom animations of every Leaflet map of the page, from its creation on.
_COUNT_ZOOM_ANIMATIONS = """
  window.__zoomAnimations = 0;
  let leaflet;
  Object.defineProperty(window, "L", {
    configurable: true,
    get() { return leaflet; },
    set(value) {
      leaflet = value;
      if (value && value.Map && value.Map.addInitHook) {
        value.Map.addInitHook(function () { this.on("zoomanim", () => { window.__zoomAnimations += 1; }); });
      }
    },
  });
"""


def test_the_first_view_is_not_animated(site, open_page):
    # An animated first zoom would run on after "load" and undo a fit made meanwhile (printing).
    tab = open_page(site / "cobertura.html", init_script=_COUNT_ZOOM_ANIMATIONS)
    page = tab.page
    page.wait_for_timeout(400)  # longer than Leaflet's 250 ms zoom animation
    assert _js(page, "return map.getZoom() > 0;") is True  # the page's map is there, fitted
    assert page.evaluate("window.__zoomAnimations") == 0
    # the counter works: a zoom that is animated is counted
    _js(page, "map.setZoom(map.getZoom() + 1, {animate: true});")
    page.wait_for_function("window.__zoomAnimations === 1")
    tab.assert_clean()


def test_print_index_hides_embed_codes(site, open_page):
    tab = open_page(site / "index.html")
    page = tab.page
    assert _display(page, ".mm-card details") != "none"
    page.emulate_media(media="print")
    assert _display(page, ".mm-card details") == "none"
    assert page.locator("article.mm-card h3").first.is_visible()
    tab.assert_clean()


# --- 9. no network ---------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["cobertura.html", "servicios/cai.html", "servicios/mi60.html", "index.html"])
def test_default_pages_use_no_network(site, open_page, name):
    tab = open_page(site / name)
    tab.page.wait_for_load_state("networkidle")
    tab.assert_clean()
    if name != "index.html":
        assert tab.page.evaluate("typeof L") == "object"  # Leaflet came from the page itself


@pytest.fixture(scope="session")
def cdn_site(browser_available, shipped, tmp_path_factory) -> Path:
    """The choropleth's page alone, made to load Leaflet from the CDN (the one page opened)."""
    out = tmp_path_factory.mktemp("site-cdn")
    build(shipped.atlas, out, BuildOptions(formats=("html",), cdn=True, only=frozenset({"cobertura.html"})))
    return out


def test_blocking_works_cdn_page_tries_the_network(cdn_site, open_page):
    tab = open_page(cdn_site / "cobertura.html")
    tab.page.wait_for_load_state("networkidle")
    leaflet_js = re.compile(r"https://cdn\.jsdelivr\.net/npm/leaflet@[\d.]+/dist/leaflet\.js$")
    assert any(leaflet_js.match(u) for u in tab.aborted), tab.aborted
    assert any(u.endswith("/leaflet.css") for u in tab.aborted), tab.aborted
    assert tab.page.evaluate("typeof L") == "undefined"  # blocked: the map cannot run
    assert tab.errors, "una página sin Leaflet debería fallar"


def test_map_still_shows_when_tiles_cannot_load(shipped, tmp_path, open_page):
    build(shipped.atlas, tmp_path, BuildOptions(formats=("html",), tiles="OpenStreetMap",
                                                only=frozenset({"servicios/cai.html"})))  # the page opened
    tab = open_page(tmp_path / "servicios" / "cai.html")
    page = tab.page
    page.wait_for_load_state("networkidle")
    assert any("tile.openstreetmap.org" in u for u in tab.aborted), tab.aborted  # the tiles were tried
    assert page.locator(".leaflet-overlay-pane path").count() == 26  # and the units are drawn anyway
    assert not [e for e in tab.errors if e.startswith("pageerror")], tab.errors


# --- 10. escaping ----------------------------------------------------------------------------------

EVIL_NAME = '<img src=x onerror="window.__pwned=1">'
EVIL_DESCRIPTION = "</script><script>window.__pwned=2</script>"
EVIL_PROGRAM = '<b onmouseover="window.__pwned=3">AURORA</b>'
EVIL_SITE = '<svg onload="window.__pwned=4">'
EVIL_YAML = f"""\
title: Prueba de escape
source: MIMP, prueba
programs:
  - {{id: aurora, short_name: '{EVIL_PROGRAM}', name: Programa AURORA}}
services:
  - id: evil
    program: aurora
    name: '{EVIL_NAME}'
    description: '{EVIL_DESCRIPTION}'
    coverage: [Cusco, Lima Metropolitana]
    centres:
      total: 1
      label: sedes
      sites:
        - {{name: '{EVIL_SITE}', province: Cusco, district: Cusco, department: Cusco, location: [-13.52, -71.97]}}
    periods: [{{label: Año 2020}}]
    figures:
      - {{unit: casos, values: [5]}}
"""


@pytest.fixture
def evil_site(yaml_file, tmp_path) -> Path:
    cov = mimpmap.load(yaml_file(EVIL_YAML), GEO)
    out = tmp_path / "evil"
    # The pages opened below (the others would only take time).
    build(cov.atlas, out, BuildOptions(formats=("html",),
                                       only=frozenset({"servicios/evil.html", "cobertura.html", "index.html"})))
    return out


def _not_pwned(page) -> None:
    assert page.evaluate("typeof window.__pwned") == "undefined", page.evaluate("window.__pwned")
    assert page.locator("img[src=x], svg[onload], b[onmouseover]").count() == 0


def test_text_from_the_data_stays_text(evil_site, open_page, screenshots):
    # The service's own page: panel, hover a unit, hover and click the centre's marker.
    tab = open_page(evil_site / "servicios" / "evil.html")
    page = tab.page
    x, y = point_in(page, "PE-CUS")
    assert hover(page, x, y).inner_text().startswith("Cusco")
    marker = page.locator(".leaflet-marker-pane path.leaflet-interactive")
    box = marker.bounding_box()
    assert hover(page, box["x"] + box["width"] / 2, box["y"] + box["height"] / 2).inner_text().strip() == EVIL_SITE
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.locator(".leaflet-popup .mm-pop h3").wait_for(state="visible")
    assert page.locator(".leaflet-popup .mm-pop h3").inner_text() == EVIL_SITE
    body = page.inner_text("body")
    assert "<img src=x" in body and EVIL_NAME in body
    assert EVIL_DESCRIPTION in body
    assert page.title().startswith(EVIL_NAME)
    _not_pwned(page)
    shoot(page, screenshots, "escape-servicio")
    tab.assert_clean()

    # The choropleth: tooltip, popup and the layer control with the service switched on.
    tab = open_page(evil_site / "cobertura.html")
    page = tab.page
    x, y = point_in(page, "PE-CUS")
    assert hover(page, x, y).inner_text().startswith("Cusco")
    page.mouse.click(x, y)
    popup = page.locator(".leaflet-popup .mm-pop")
    popup.wait_for(state="visible")
    assert popup.locator("a").inner_text() == EVIL_NAME
    assert popup.locator("h4").inner_text() == EVIL_PROGRAM
    page.keyboard.press("Escape")
    expand_layer_control(page)
    control = page.locator(".leaflet-control-layers")
    assert control.locator(".mm-ctl-group").inner_text() == EVIL_PROGRAM
    control.locator(".mm-ctl-group").hover()
    page.get_by_role("checkbox", name=EVIL_NAME, exact=True).check()
    assert overlay_paths(page) == 2
    assert EVIL_NAME in page.inner_text("body")
    _not_pwned(page)
    shoot(page, screenshots, "escape-cobertura")
    tab.assert_clean()

    # The index: titles as text, and embed codes that paste the title escaped.
    tab = open_page(evil_site / "index.html")
    page = tab.page
    assert EVIL_NAME in page.inner_text("body")
    code = page.locator("#embed-evil").input_value()
    assert 'title="&lt;img src=x onerror=&quot;window.__pwned=1&quot;&gt;"' in code, code
    _not_pwned(page)
    tab.assert_clean()
