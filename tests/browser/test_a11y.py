"""The maps for everyone (issue 12): axe-core on every page at desktop and phone widths, a keyboard walk
over the departments, the skip link, the layer control by keyboard, the focus ring's contrast, phones
and embedded maps.

Expected values come from the shipped coverage (``shipped``) and from the colours the pages draw.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from mimpmap.text import plural

from .conftest import require_browser
from .test_pages import _js, expand_layer_control, hover, point_in, popup_settled, shoot

require_browser(at_collection=True)
pytestmark = pytest.mark.browser

WIDE = {"width": 1280, "height": 800}
PHONE_390 = {"width": 390, "height": 844}
#: axe impacts that fail a page.
BLOCKING = ("serious", "critical")


def pages_of(site: Path) -> list[str]:
    """Every page of a built site, relative to it: the index, the choropleth, each service."""
    return ["index.html", "cobertura.html"] + sorted(
        f"servicios/{p.name}" for p in (site / "servicios").glob("*.html"))


# --- colour contrast (WCAG 2.x relative luminance) ---------------------------------------------------

def _rgb(colour: str) -> tuple[float, float, float]:
    colour = colour.strip().lower()
    if colour.startswith("#"):
        h = colour[1:]
        if len(h) == 3:
            h = "".join(c * 2 for c in h)
        return tuple(int(h[i:i + 2], 16) / 255 for i in (0, 2, 4))
    numbers = re.findall(r"[\d.]+", colour)
    return tuple(float(v) / 255 for v in numbers[:3])


def luminance(colour: str) -> float:
    def lin(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (lin(c) for c in _rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def blend(top: str, under: str, alpha: float) -> str:
    t, u = _rgb(top), _rgb(under)
    return "#" + "".join(f"{round((alpha * a + (1 - alpha) * b) * 255):02x}" for a, b in zip(t, u))


def ring_contrast(ring: list[str], background: str) -> float:
    """A two-tone ring reads when one of its tones stands out from the background."""
    return max(contrast(c, background) for c in ring)


# --- 1. axe-core --------------------------------------------------------------------------------------

def _axe(page, context=None) -> list[dict]:
    from axe_playwright_python.sync_playwright import Axe

    result = Axe().run(page, context=context)
    return result.response["violations"]


def _blocking(violations: list[dict], where: str) -> list[str]:
    return [f"{where}: {v['id']} ({v['impact']}, {len(v['nodes'])}): {v['nodes'][0]['target']}"
            for v in violations if v["impact"] in BLOCKING]


#: The pages axe reads are split in this many parts, a test each, at each width: parallel runs
#: (pytest -n) share them out instead of waiting for one long test.
AXE_PARTS = 3


@pytest.mark.parametrize("part", range(AXE_PARTS))
@pytest.mark.parametrize("viewport", [WIDE, PHONE_390], ids=["1280", "390"])
def test_axe_finds_nothing_serious_on_any_page_at_1280_and_390(site, open_page, viewport, part):
    found = []
    names = pages_of(site)[part::AXE_PARTS]  # every page is in one part
    assert names
    tab = open_page(site / names[0], viewport=viewport)
    page = tab.page
    for i, name in enumerate(names):
        if i:
            page.goto((site / name).resolve().as_uri(), wait_until="load")
        found += _blocking(_axe(page), f"{name}@{viewport['width']}")
    assert found == [], "\n".join(found)
    tab.assert_clean()


def test_axe_finds_nothing_serious_with_a_popup_and_the_layer_list_open(site, open_page):
    tab = open_page(site / "cobertura.html")
    page = tab.page
    x, y = point_in(page, "PE-CUS")
    page.mouse.click(x, y)
    popup_settled(page)
    expand_layer_control(page)
    found = _blocking(_axe(page), "cobertura.html (popup, capas)")
    assert found == [], "\n".join(found)
    tab.assert_clean()


# --- 2. the keyboard walk ---------------------------------------------------------------------------

_ACTIVE = """() => {
  const a = document.activeElement;
  const popup = a.closest && a.closest(".leaflet-popup");
  return {
    tag: a.tagName.toLowerCase(),
    id: a.id || null,
    cls: (a.className && a.className.baseVal !== undefined) ? a.className.baseVal : (a.className || ""),
    label: a.getAttribute("aria-label"),
    role: a.getAttribute("role"),
    href: a.getAttribute("href"),
    unit: a.tagName.toLowerCase() === "path" && a.closest(".leaflet-overlay-pane") ? true : false,
    inPopup: !!popup,
    inDatos: !!(a.closest && a.closest("#datos")),
    inControl: !!(a.closest && a.closest(".leaflet-control-layers")),
    type: a.getAttribute("type"),
  };
}"""


def active(page) -> dict:
    return page.evaluate(_ACTIVE)


def tab_until(page, test, limit: int = 80) -> dict:
    """Press Tab until the focused element passes ``test``; return it."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        now = active(page)
        if test(now):
            return now
    raise AssertionError(f"{limit} Tab sin llegar; foco en {active(page)}")


def _label_latitudes(shipped) -> dict[str, float]:
    """unit code → latitude of the centroid of its largest part (north is larger)."""
    units = shipped.units.to_crs(4326)
    out = {}
    for code, geom in zip(units.index, units.geometry):
        parts = list(getattr(geom, "geoms", [geom]))
        largest = max(parts, key=lambda g: g.area)
        out[code] = largest.centroid.y
    return out


def test_departments_are_tab_stops_named_north_to_south(site, shipped, open_page):
    tab = open_page(site / "cobertura.html")
    page = tab.page
    # Every engine, not only Chromium, gets a Tab stop: the paths say so themselves.
    stops = page.locator(".leaflet-overlay-pane path.leaflet-interactive")
    assert stops.count() == 26
    assert stops.evaluate_all("ps => ps.every(p => p.getAttribute('tabindex') === '0')"), "sin tabindex"
    assert stops.evaluate_all("ps => ps.every(p => p.getAttribute('role') === 'button')")

    first = tab_until(page, lambda a: a["unit"])
    names = {row: code for code, row in zip(shipped.units.index, shipped.units["nombre"])}
    expected = {code: f"{name}: {plural(int(shipped.counts[code]), 'servicio', 'servicios')}"
                for code, name in zip(shipped.units.index, shipped.units["nombre"])}
    seen = [first]
    for _ in range(25):
        page.keyboard.press("Tab")
        seen.append(active(page))
    assert all(s["unit"] for s in seen), [s["label"] for s in seen]
    labels = [s["label"] for s in seen]
    assert sorted(labels) == sorted(expected.values())
    codes = [names[label.split(":")[0]] for label in labels]
    lat = _label_latitudes(shipped)
    order = [lat[c] for c in codes]
    for (a, la), (b, lb) in zip(zip(codes, order), zip(codes[1:], order[1:])):
        assert la >= lb - 0.3, f"{a} ({la:.2f}) antes que {b} ({lb:.2f}): no va de norte a sur"
    assert codes[-1] == "PE-TAC"
    tab.assert_clean()


def shown_tooltips(page) -> int:
    """Tooltips on show: a closed one fades out (Leaflet sets its opacity to 0) and leaves the page 200 ms
    later, which on a loaded machine can be after the popup closed at the same time has left."""
    return page.evaluate("[...document.querySelectorAll('.leaflet-tooltip')]"
                         ".filter(t => t.style.opacity !== '0').length")


def _tab_to_unit(page, label_start: str) -> dict:
    return tab_until(page, lambda a: a["unit"] and (a["label"] or "").startswith(label_start))


def test_enter_opens_the_popup_moves_focus_in_and_escape_returns(site, shipped, open_page, screenshots):
    tab = open_page(site / "cobertura.html")
    page = tab.page
    cusco = _tab_to_unit(page, "Cusco:")
    assert cusco["label"] == f"Cusco: {plural(int(shipped.counts['PE-CUS']), 'servicio', 'servicios')}"
    page.keyboard.press("Enter")
    popup = page.locator(".leaflet-popup .mm-pop")
    popup.wait_for(state="visible")
    assert popup.locator("h3").inner_text() == "Cusco"
    assert active(page)["inPopup"], f"el foco se quedó en {active(page)}"
    page.keyboard.press("Tab")
    now = active(page)
    assert now["inPopup"] and now["tag"] == "a" and now["href"].startswith("servicios/"), now
    shoot(page, screenshots, "teclado-popup-cusco")

    page.keyboard.press("Escape")
    page.wait_for_function("document.querySelectorAll('.leaflet-popup').length === 0", timeout=5000)
    assert shown_tooltips(page) == 0
    back = active(page)
    assert back["unit"] and back["label"] == cusco["label"], back

    # Space opens it too; the popup's close button also brings focus back.
    page.keyboard.press(" ")
    popup.wait_for(state="visible")
    assert active(page)["inPopup"]
    page.locator(".leaflet-popup-close-button").focus()
    page.keyboard.press("Enter")
    page.wait_for_function("document.querySelectorAll('.leaflet-popup').length === 0", timeout=5000)
    assert active(page)["label"] == cusco["label"]
    tab.assert_clean()


def test_service_page_departments_are_named_and_escape_closes_their_tooltip(site, open_page):
    tab = open_page(site / "servicios" / "cai.html")
    page = tab.page
    stops = page.locator(".leaflet-overlay-pane path.leaflet-interactive")
    assert stops.evaluate_all("ps => ps.every(p => p.getAttribute('tabindex') === '0')")
    cusco = _tab_to_unit(page, "Cusco:")
    assert cusco["label"] == "Cusco: llega el servicio"
    page.wait_for_selector(".leaflet-tooltip")
    page.keyboard.press("Escape")
    page.wait_for_function("document.querySelectorAll('.leaflet-tooltip').length === 0", timeout=5000)
    assert active(page)["label"] == cusco["label"]
    tab.assert_clean()


def test_escape_closes_a_hover_tooltip(site, open_page):
    tab = open_page(site / "cobertura.html")
    page = tab.page
    x, y = point_in(page, "PE-LMA")
    hover(page, x, y)
    page.keyboard.press("Escape")
    page.wait_for_function("document.querySelectorAll('.leaflet-tooltip').length === 0", timeout=5000)
    tab.assert_clean()


def test_skip_link_moves_focus_to_the_table(site, open_page):
    tab = open_page(site / "cobertura.html")
    page = tab.page
    page.keyboard.press("Tab")
    assert active(page)["cls"] == "mm-skip"
    page.keyboard.press("Enter")
    assert active(page)["inDatos"], active(page)
    page.keyboard.press("Tab")
    assert not active(page)["unit"]  # the next stop is after the table, not back in the map
    tab.assert_clean()


def test_layer_control_by_keyboard(site, shipped, open_page):
    tab = open_page(site / "cobertura.html")
    page = tab.page
    toggle = tab_until(page, lambda a: "leaflet-control-layers-toggle" in a["cls"])
    assert toggle["label"] == "Servicios para comparar"
    page.keyboard.press("Enter")
    page.wait_for_selector(".leaflet-control-layers-expanded")
    now = active(page)
    assert now["inControl"] and now["type"] == "checkbox", now

    # Named in full, grouped by program.
    for program in shipped.programs:
        services = [s for s in shipped.services if s.program == program.id]
        if not services:
            continue
        groups = page.get_by_role("group", name=program.name, exact=True)
        assert groups.count() == 1, program.name
        assert groups.get_by_role("checkbox").count() == len(services), program.name
        for service in services:
            assert groups.get_by_role("checkbox", name=service.title, exact=True).count() == 1, service.title
    for service in shipped.services:
        assert page.get_by_role("checkbox", name=service.title, exact=True).count() == 1, service.title

    # Space switches the focused service on; Escape closes the list and focus returns to its button.
    page.keyboard.press(" ")
    assert page.locator(".leaflet-mmOverlays-pane path").count() > 0
    page.keyboard.press("Tab")
    assert active(page)["inControl"]
    page.keyboard.press("Escape")
    assert page.locator(".leaflet-control-layers-expanded").count() == 0
    assert "leaflet-control-layers-toggle" in active(page)["cls"]
    tab.assert_clean()


# --- 3. the focus ring -------------------------------------------------------------------------------

_RING = """() => {
  const a = document.activeElement;
  const s = getComputedStyle(a);
  const out = [];
  if (s.outlineStyle !== "none" && parseFloat(s.outlineWidth) >= 2) { out.push(s.outlineColor); }
  // SVG shapes draw no box-shadow: only the ring drawn round them counts.
  const svg = a instanceof SVGElement;
  for (const m of (svg ? "" : s.boxShadow || "").matchAll(/rgba?\\([^)]*\\)/g)) { out.push(m[0]); }
  for (const p of document.querySelectorAll(".leaflet-mmFocus-pane path")) {
    if (p.getAttribute("stroke") && p.getAttribute("stroke") !== "none") { out.push(p.getAttribute("stroke")); }
  }
  return out.filter(c => !/rgba\\([^)]*,\\s*0\\)$/.test(c));
}"""


def _fills(page) -> set[str]:
    """The colours a focused thing may sit on: the units' fills and the service overlays over grey."""
    found = _js(page, """
      const fills = base.getLayers().map(l => l._path.getAttribute("fill")).filter(f => f.startsWith("#"));
      const overlays = geo.filter(l => l.options.mmColor).map(l => l.options.mmColor);
      return {fills: fills, overlays: overlays, neutral: getComputedStyle(document.documentElement)
        .getPropertyValue("--mm-neutral").trim()};
    """)
    colours = set(found["fills"]) | {"#ffffff", "#eef2f6", "#f4f6f8"}
    for c in found["overlays"]:
        colours |= {c, blend(c, found["neutral"], 0.4), blend(c, "#ffffff", 0.4)}
    return colours


@pytest.mark.parametrize("name", ["cobertura.html", "servicios/cai.html", "servicios/mi60.html"])
def test_focus_ring_contrasts_3_to_1_with_white_and_every_fill(site, open_page, name):
    tab = open_page(site / name)
    page = tab.page
    backgrounds = _fills(page)
    # A link (the skip link), a control, a department.
    checks = {
        "enlace": lambda a: a["cls"] == "mm-skip",
        "botón de zoom": lambda a: "leaflet-control-zoom-in" in a["cls"],
        "departamento": lambda a: a["unit"],
    }
    for i, (what, test) in enumerate(checks.items()):
        if i:  # each walk starts on a freshly loaded page (reading the fills left the first one as loaded)
            page.goto((site / name).resolve().as_uri(), wait_until="load")
        tab_until(page, test)
        ring = page.evaluate(_RING)
        assert ring, f"{what}: sin anillo de foco"
        low = {bg: round(ring_contrast(ring, bg), 2) for bg in backgrounds if ring_contrast(ring, bg) < 3}
        assert low == {}, f"{what}: anillo {ring} con poco contraste sobre {low}"
    tab.assert_clean()


# --- 4. phones and embedded maps ---------------------------------------------------------------------

def test_no_page_is_wider_than_a_390px_phone(site, open_page):
    names = pages_of(site)
    tab = open_page(site / names[0], viewport=PHONE_390, is_mobile=True, has_touch=True)
    page = tab.page
    wide = {}
    for i, name in enumerate(names):
        if i:
            page.goto((site / name).resolve().as_uri(), wait_until="load")
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE_390["width"]:
            wide[name] = width
    assert wide == {}, f"páginas más anchas que la pantalla: {wide}"
    tab.assert_clean()


def test_index_summary_table_scrolls_in_its_own_focusable_box(site, open_page):
    tab = open_page(site / "index.html", viewport=PHONE_390)
    page = tab.page
    box = page.locator(".mm-summary").locator("xpath=..")
    info = box.evaluate("""b => ({scrolls: b.scrollWidth > b.clientWidth,
                                 overflow: getComputedStyle(b).overflowX, tabindex: b.getAttribute('tabindex'),
                                 role: b.getAttribute('role'), named: !!(b.getAttribute('aria-labelledby') ||
                                 b.getAttribute('aria-label'))})""")
    assert info["overflow"] in ("auto", "scroll"), info
    assert info["tabindex"] == "0" and info["role"] == "region" and info["named"], info
    tab.assert_clean()


def test_open_layer_list_is_not_under_the_legend_on_a_phone(site, open_page, screenshots):
    tab = open_page(site / "cobertura.html", viewport=PHONE_390, is_mobile=True, has_touch=True)
    page = tab.page
    page.locator(".leaflet-control-layers-toggle").tap()
    page.wait_for_selector(".leaflet-control-layers-expanded")
    hidden = page.evaluate("""() => {
      const out = [];
      for (const label of document.querySelectorAll(".leaflet-control-layers-overlays label")) {
        label.scrollIntoView({block: "nearest"});
        // The checkbox and the start of its name: the legend sits at the left.
        for (const part of [label.querySelector("input"), label.querySelector(".mm-ctl-name")]) {
          const r = part.getBoundingClientRect();
          const hit = document.elementFromPoint(r.left + 4, r.top + r.height / 2);
          if (!hit || !label.contains(hit)) { out.push(label.textContent.trim()); break; }
        }
      }
      return out;
    }""")
    shoot(page, screenshots, "telefono-capas")
    assert hidden == [], f"servicios tapados en la lista de capas: {hidden}"
    tab.assert_clean()


@pytest.mark.parametrize("name", ["cobertura.html", "servicios/cai.html"])
def test_embedded_map_at_390_by_300_keeps_its_legend_in_view(site, open_page, screenshots, tmp_path, name):
    host = tmp_path / "host.html"
    host.write_text(
        '<!DOCTYPE html><html lang="es"><head><meta charset="utf-8"><title>Prueba</title></head>'
        '<body style="margin:0"><iframe id="f" title="Mapa" src="'
        + (site / name).resolve().as_uri()
        + '" style="display:block;width:390px;height:300px;border:0"></iframe></body></html>',
        encoding="utf-8",
    )
    tab = open_page(host, viewport={"width": 390, "height": 600})
    page = tab.page
    frame = page.frame_locator("#f")
    frame.locator(".mm-legend").wait_for(state="visible")
    inner = page.frames[1]
    shown = inner.evaluate("""() => {
      const legend = document.querySelector(".mm-legend").getBoundingClientRect();
      const map = document.querySelector(".mm-map").getBoundingClientRect();
      return {legendTop: legend.top, legendBottom: legend.bottom, mapTop: map.top, mapBottom: map.bottom,
              height: innerHeight, scroll: scrollY};
    }""")
    shoot(page, screenshots, "incrustado-" + Path(name).stem)
    assert shown["legendBottom"] <= shown["height"] and shown["legendTop"] >= shown["mapTop"], shown
    assert shown["mapBottom"] - shown["mapTop"] >= 180, shown
    tab.assert_clean()
