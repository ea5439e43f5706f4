"""Printing, and the files made for print.

Printing a map page from the browser, the way a reader does: ``page.pdf()`` (A4) on a page still in
screen media, so the browser itself fires "beforeprint", then lays the page out for print, prints it, and
goes back to the screen layout.

How the fit is measured: a listener added by an init script once the page has loaded (so it runs after
the page's own) records, while the print media query matches, the printed map box, Leaflet's idea of
the map's size, and where the country's bounds (and, on a service page, each covered unit's) fall in
the box, in the box's own pixels. ``latLngToContainerPoint`` depends on the map pane's position, not
on the size Leaflet believes the map has, so the numbers hold even when Leaflet was not told of the
new size (the bug this guards against: then the south of Peru falls outside the box). Then the first
printed page is rendered with ``pdftoppm`` and the band just inside the map box's edge is checked to
hold only the map's background: nothing drawn reaches the edge, so nothing was cut off there.

The index offers the files made for print, the PDF atlas and the mosaic, when the build made them.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest
from PIL import Image

from mimpmap.build import BuildOptions, build
from mimpmap.coverage import NONE
from mimpmap.layout import ATLAS_PDF, MOSAIC, PEOPLE_CHART, thumbnail_file

from .conftest import require_browser

require_browser(at_collection=True)
pytestmark = pytest.mark.browser

WINDOWS = {1280: {"width": 1280, "height": 800}, 1920: {"width": 1920, "height": 1080}}
#: The share of the country's extent (its bounding box) that must be inside the printed map box.
INSIDE = 0.98
#: Fitted, not shrunk to a dot: the country spans at least this share of the box's width or height.
SPANS = 0.9
#: What the map's background prints as: white (browsers leave background colours out by default, and
#: so does page.pdf) or --mm-sea (when the reader asks for them).
BACKGROUND = ((0xFF, 0xFF, 0xFF), (0xEE, 0xF2, 0xF6))
DPI = 96  # one CSS pixel per image pixel

#: The page's L.Map, as a JavaScript expression.
FIND_MAP = "Object.values(window).find(v => { try { return v instanceof L.Map; } catch (e) { return false; } })"

#: Finds the page's map and the layer drawn from the shared geometry, and measures, in the map box's
#: pixels, the box, Leaflet's size and the rectangles of the country and of the units ``CODES``.
_MEASURE = """
  const findMap = () => {
    for (const key of Object.keys(window)) {
      try { if (window[key] instanceof L.Map) { return window[key]; } } catch (e) { /* not ours */ }
    }
    return null;
  };
  const measure = (when) => {
    const map = findMap();
    const base = [];
    map.eachLayer(l => { if (l instanceof L.GeoJSON && !l.options.mmService) { base.push(l); } });
    const rect = bounds => {
      const a = map.latLngToContainerPoint(bounds.getNorthWest());
      const b = map.latLngToContainerPoint(bounds.getSouthEast());
      return [a.x, a.y, b.x, b.y];
    };
    const box = map.getContainer().getBoundingClientRect();
    const units = {};
    for (const layer of base[0].getLayers()) {
      const code = layer.feature.properties.code;
      if (CODES.includes(code)) { units[code] = rect(layer.getBounds()); }
    }
    return {
      when: when,
      print: matchMedia("print").matches,
      box: [box.left + window.scrollX, box.top + window.scrollY, box.width, box.height],
      size: [map.getSize().x, map.getSize().y],
      zoom: map.getZoom(),
      animating: !!map._animatingZoom,
      country: rect(base[0].getBounds()),
      units: units,
      layers: base.length,
      folds: Array.from(document.querySelectorAll("details.mm-fold"), d => d.open),
    };
  };
"""


def recorder(codes: list[str]) -> str:
    """The init script: ``window.__print`` lists a measure at each change of the print media query,
    taken after the page's own listeners; ``window.__printStart`` one taken before them."""
    return f"""
      (() => {{
        const CODES = {json.dumps(codes)};
        {_MEASURE}
        window.__print = [];
        // Each media query list tells its listeners in the order the lists were made: this one, made
        // before the page's scripts run, sees the map as the print starts ...
        matchMedia("print").addEventListener("change", e => {{
          if (e.matches && findMap()) {{ window.__printStart = measure("start"); }}
        }});
        // ... and this one, made once the page has loaded, sees it after the page's own listeners.
        window.addEventListener("load", () => {{
          matchMedia("print").addEventListener("change", e => {{ window.__print.push(measure(e.matches ? "print" : "screen")); }});
        }});
      }})();
    """


def inside(rect: list[float], width: float, height: float) -> float:
    """The share of ``rect`` (x0, y0, x1, y1) inside the box (0, 0, width, height)."""
    x0, y0, x1, y1 = rect
    across = max(0.0, min(x1, width) - max(x0, 0.0))
    down = max(0.0, min(y1, height) - max(y0, 0.0))
    return across * down / ((x1 - x0) * (y1 - y0))


def covered(shipped, service_id: str) -> list[str]:
    return sorted(code for code, status in shipped.status[service_id].items() if status != NONE)


def print_pdf(page, path) -> dict:
    """Print ``page`` to ``path`` (A4, as a reader's print) and return the measure taken during print."""
    assert page.evaluate("matchMedia('print').matches") is False  # the print starts from the screen
    page.pdf(path=str(path), format="A4")
    page.wait_for_function("window.__print.length >= 2")  # back to the screen layout
    records = page.evaluate("window.__print")
    assert [r["when"] for r in records] == ["print", "screen"], records
    return records[0]


def first_page_image(pdf, out) -> Image.Image:
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm no está instalado: sudo apt-get install -y poppler-utils")
    stem = out / pdf.stem
    subprocess.run(["pdftoppm", "-r", str(DPI), "-png", "-f", "1", "-l", "1", "-singlefile", str(pdf), str(stem)],
                   check=True)
    return Image.open(out / f"{pdf.stem}.png").convert("RGB")


def edge_band(image: Image.Image, box: list[float], inset: range = range(4, 8)) -> list[tuple[int, int, int]]:
    """The pixels of the image on the rectangles ``inset`` pixels inside the printed map box."""
    left, top, width, height = box
    pixels = image.load()
    band = []
    for d in inset:
        x0, y0 = round(left) + d, round(top) + d
        x1, y1 = round(left + width) - 1 - d, round(top + height) - 1 - d
        for x in range(x0, x1 + 1):
            band += [pixels[x, y0], pixels[x, y1]]
        for y in range(y0, y1 + 1):
            band += [pixels[x0, y], pixels[x1, y]]
    return band


def drawn(band) -> int:
    """How many pixels of ``band`` are not the map's background: something drawn on the map."""
    return sum(1 for px in band if all(max(abs(c - b) for c, b in zip(px, back)) > 12 for back in BACKGROUND))


@pytest.mark.parametrize("width", sorted(WINDOWS))
@pytest.mark.parametrize("name, service", [("cobertura.html", None), ("servicios/cai.html", "cai")])
def test_a_printed_page_shows_the_whole_country(site, shipped, open_page, tmp_path, screenshots, name, service, width):
    codes = covered(shipped, service) if service else []
    tab = open_page(site / name, viewport=WINDOWS[width], init_script=recorder(codes))
    page = tab.page
    screen = page.evaluate("() => { const r = document.querySelector('.mm-map').getBoundingClientRect(); "
                           "return [r.width, r.height]; }")
    # A reader who folded the side panel away still gets it on paper.
    page.evaluate("document.querySelectorAll('details.mm-fold').forEach(d => { d.open = false; })")
    pdf = tmp_path / f"{name.removesuffix('.html').replace('/', '-')}-{width}.pdf"
    printed = print_pdf(page, pdf)
    assert printed["folds"] and all(printed["folds"])
    assert printed["print"] is True and printed["layers"] == 1
    left, top, box_width, box_height = printed["box"]
    share = inside(printed["country"], box_width, box_height)
    assert share >= INSIDE, f"a {width} px se imprime el {share:.1%} del país: {printed}"
    assert [box_width, box_height] != screen  # the print box is another size than the screen's ...
    assert printed["size"] == [int(box_width), int(box_height)]  # ... and Leaflet was told of it
    x0, y0, x1, y1 = printed["country"]
    assert max((x1 - x0) / box_width, (y1 - y0) / box_height) >= SPANS, printed
    assert sorted(printed["units"]) == codes
    for code, rect in printed["units"].items():
        assert inside(rect, box_width, box_height) == 1, f"{code} no se imprime entero: {rect}"
    # What was printed: nothing drawn on the map reaches the edge of its box.
    image = first_page_image(pdf, tmp_path)
    image.save(screenshots / f"impreso-{pdf.stem}.png")
    band = edge_band(image, printed["box"])
    assert drawn(band) == 0, f"{drawn(band)} de {len(band)} píxeles junto al borde del mapa impreso tienen algo dibujado"
    tab.assert_clean()


def test_the_measures_see_a_cut_country(site, open_page, tmp_path):
    # Both checks can fail: a map that is not told of its print size (the old bug) is fitted to its
    # screen size and prints cut off, and the measures say so.
    tab = open_page(site / "cobertura.html", init_script=recorder([]))
    page = tab.page
    page.evaluate(f"() => {{ {FIND_MAP}.invalidateSize = function () {{ return this; }}; }}")
    pdf = tmp_path / "cortado.pdf"
    printed = print_pdf(page, pdf)
    assert printed["size"] == [900, 707]  # Leaflet still thinks of the screen box
    assert inside(printed["country"], printed["box"][2], printed["box"][3]) < INSIDE
    band = edge_band(first_page_image(pdf, tmp_path), printed["box"])
    assert drawn(band) > len(band) // 20


def test_after_printing_the_map_is_as_the_reader_left_it(site, open_page, tmp_path):
    tab = open_page(site / "cobertura.html", init_script=recorder([]))
    page = tab.page
    before = page.evaluate(f"""() => {{
      const map = {FIND_MAP};
      map.setView([-12.05, -77.04], 8, {{animate: false}});  // the reader looks at Lima
      return {{center: map.getCenter(), zoom: map.getZoom(), size: map.getSize()}};
    }}""")
    printed = print_pdf(page, tmp_path / "lima.pdf")
    assert inside(printed["country"], printed["box"][2], printed["box"][3]) >= INSIDE  # the print shows Peru
    after = page.evaluate(f"""() => {{
      const map = {FIND_MAP};
      const box = map.getContainer().getBoundingClientRect();
      return {{center: map.getCenter(), zoom: map.getZoom(), size: map.getSize(), box: [box.width, box.height]}};
    }}""")
    assert after["zoom"] == before["zoom"] == 8
    assert after["size"] == before["size"] and [after["size"]["x"], after["size"]["y"]] == after["box"]
    assert after["center"]["lat"] == pytest.approx(before["center"]["lat"], abs=1e-6)
    assert after["center"]["lng"] == pytest.approx(before["center"]["lng"], abs=1e-6)
    tab.assert_clean()


#: Zooms tried until a print starts while one is animated.
ZOOM_TRIES = 5


def test_printing_during_a_zoom_still_shows_the_whole_country(site, open_page, tmp_path):
    tab = open_page(site / "cobertura.html", init_script=recorder([]))
    page = tab.page
    pdf = tmp_path / "zoom.pdf"
    # The reader zooms (animated, 250 ms) and prints before the animation ends. On a loaded machine the
    # print may start after it: then the reader zooms back and tries again, up to a few times.
    for attempt in range(ZOOM_TRIES):
        page.wait_for_function("() => !document.querySelector('.leaflet-zoom-anim')")
        page.evaluate("window.__print.length = 0")
        page.evaluate(f"""() => new Promise((done, fail) => {{
          const map = {FIND_MAP};
          setTimeout(() => fail(new Error("el zoom no empezó")), 5000);
          map.once("zoomanim", () => done());
          map.setZoom(map.getZoom() + {2 if attempt % 2 == 0 else -2}, {{animate: true}});
        }})""")
        printed = print_pdf(page, pdf)
        if page.evaluate("window.__printStart.animating"):  # the print came during the zoom
            break
    else:
        pytest.fail(f"in {ZOOM_TRIES} tries no print started during the zoom's animation")
    assert printed["animating"] is False
    assert inside(printed["country"], printed["box"][2], printed["box"][3]) >= INSIDE, printed
    band = edge_band(first_page_image(pdf, tmp_path), printed["box"])
    assert drawn(band) == 0
    tab.assert_clean()


# --- the index offers the files made for print ---------------------------------------------------

@pytest.fixture(scope="module")
def full_site(browser_available, tmp_path_factory):
    """The maps of one service (the index offers the same files for one as for all) with every format:
    pages, images, the mosaic and the PDF atlas (small images)."""
    import mimpmap

    from ..conftest import GEO, MINIMAL

    out = tmp_path_factory.mktemp("full")
    (out / "coverage.yaml").write_text(MINIMAL, encoding="utf-8")
    build(mimpmap.load(out / "coverage.yaml", GEO).atlas, out / "maps",
          BuildOptions(formats=("html", "png", "svg", "pdf"), dpi=50))
    return out / "maps"


def test_the_index_offers_the_atlas_and_the_mosaic(full_site, open_page, screenshots):
    tab = open_page(full_site / "index.html")
    page = tab.page
    area = page.locator("section[aria-labelledby=informes]")
    links = area.locator("a[href]").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert set(links) == {ATLAS_PDF, "atlas.html", f"{MOSAIC}.png", f"{MOSAIC}.svg", f"{PEOPLE_CHART}.png",
                          f"{PEOPLE_CHART}.svg"}
    assert area.locator(f'a[href="{ATLAS_PDF}"]').inner_text() == "Descargar el atlas (PDF)"
    assert area.locator("h3").all_inner_texts() == ["Todos los servicios en una página", "La población que alcanzan",
                                                    "Todos los mapas en un solo archivo", "Atlas en PDF"]
    assert (full_site / ATLAS_PDF).read_bytes().startswith(b"%PDF")
    thumbs = area.locator("img")
    assert [thumbs.nth(i).get_attribute("src") for i in range(thumbs.count())] == [
        thumbnail_file(f"{MOSAIC}.png"), thumbnail_file(f"{PEOPLE_CHART}.png")]
    # one look for every card's words (a class of the page's own, mm-people, once made one bold)
    weights = area.locator("article p").evaluate_all("ps => ps.map(p => getComputedStyle(p).fontWeight)")
    assert len(weights) == 4 and len(set(weights)) == 1, weights
    for i in range(thumbs.count()):
        thumb = thumbs.nth(i)
        assert thumb.get_attribute("alt")
        thumb.scroll_into_view_if_needed()
        page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=thumb.element_handle())
    # no broken link anywhere on the index
    for href in page.locator("a[href]").evaluate_all("links => links.map(a => a.href)"):
        if href.startswith("file:"):
            path = Path(unquote(urlparse(href).path))
            assert path.is_file(), f"enlace roto: {href}"
    area.screenshot(path=str(screenshots / "indice-informes.png"))
    tab.assert_clean()


def pages_text(pdf) -> list[str]:
    """The text of each page of a PDF (pdftotext, from poppler-utils)."""
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext no está instalado: sudo apt-get install -y poppler-utils")
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    return text.replace("\u00a0", " ").split("\f")  # no-break spaces come out as spaces


@pytest.mark.parametrize("width", sorted(WINDOWS))
def test_a_printed_figure_keeps_its_name_with_its_values(site, shipped, open_page, tmp_path, width):
    """Printing cai.html once put "Casos de usuarios" at the foot of a page and its values on the next."""
    for service in ("cai", "cem"):
        page = open_page(site / "servicios" / f"{service}.html", viewport=WINDOWS[width]).page
        pdf = tmp_path / f"{service}-{width}.pdf"
        page.pdf(path=str(pdf), format="A4")
        printed = pages_text(pdf)
        for row in shipped.atlas.service(service).figures:
            where = [i for i, text in enumerate(printed) if row.unit in text]
            assert where, f"{row.unit} no se imprime"
            on = printed[where[0]]
            words = [v.text for v in row.values] + [row.headline, row.basis]
            assert all(w.replace("\u00a0", " ") in on for w in words), f"{service}: {row.unit} y sus cifras en páginas distintas"
