"""The HTML pages: the folium maps they are built from, and substrings of the documents.

No browser here (see tests/browser/): these check structure, escaping, determinism and sizes.
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import folium
import pytest
import yaml

import mimpmap
from mimpmap import colors
from mimpmap.views import index, marks
from mimpmap.errors import UsageError
from mimpmap.formats import IMAGES
from mimpmap.html import pages
from mimpmap.html.elements import (
    CountLayer,
    CoverageLayer,
    GroupedLayerControl,
    Legend,
    ServiceOverlay,
    SharedGeometry,
)
from mimpmap.html.centres import CentreMarkers
from mimpmap.html.embed import embed_snippet
from mimpmap.html.marks import MarkLayer
from mimpmap.html.pages import Renderer
from mimpmap.html.text import js_json
from mimpmap.text import period_summary

from .conftest import DATA, GEO, MINIMAL

CHOROPLETH_BUDGET = 900_000
SERVICE_BUDGET = 450_000

EVIL_NAME = "<img src=x onerror=alert(1)>"
EVIL = f"""\
title: "Título <script>alert('t')</script>"
source: "MIMP <b>fuente</b> & otros"
programs:
  - id: evil
    short_name: "<i>EVIL</i>"
    name: "Programa </script><script>alert(3)</script>"
    description: "desc <img src=x onerror=alert(4)>"
services:
  - id: xss
    program: evil
    name: "{EVIL_NAME}"
    short_name: "{EVIL_NAME}"
    description: "Texto </script><script>alert(2)</script> & más"
    coverage: [Cusco, Lima Metropolitana]
    coverage_text: "Cusco y Lima Metropolitana"
    centres:
      total: 1
      label: "<u>sede</u>"
      sites:
        - {{name: "<img src=x onerror=alert(5)>", province: "P</script>", district: "D`${{alert(6)}}`",
           department: Cusco, location: [-13.5, -71.9]}}
    periods: [{{label: "<i>2020</i>", note: "1/"}}, {{label: "2021"}}]
    figures: [{{unit: "<svg onload=alert(7)>", values: [1, {{value: 2, note: "1/"}}]}}]
    footnotes: [{{mark: "1/", text: "nota </script> <img src=x onerror=alert(8)>"}}]
    notes: ["<script>alert(9)</script>"]
    activities: ["<iframe src=javascript:alert(10)>"]
    source: "<a href=javascript:alert(11)>x</a>"
"""
#: Markup that must never reach a page as markup.
RAW = ["<img src=x", "<script>alert", "<svg onload", "<iframe src=javascript", "<a href=javascript",
       "<b>", "<i>", "<u>", "</script><script>"]


# --- fixtures ------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def cov(shipped):
    """The shipped data, read once per session (conftest's ``shipped``)."""
    return shipped


@pytest.fixture(scope="module")
def renderer(cov):
    return Renderer(cov.atlas)


@pytest.fixture(scope="module")
def choropleth(renderer):
    return renderer.choropleth()


@pytest.fixture(scope="module")
def cai(renderer):
    return renderer.service("cai")


@pytest.fixture(scope="module")
def evil(tmp_path_factory):
    path = tmp_path_factory.mktemp("evil") / "coverage.yaml"
    path.write_text(EVIL, encoding="utf-8")
    cov = mimpmap.load(path, GEO)
    r = Renderer(cov.atlas)
    return {"cobertura": r.choropleth(), "xss": r.service("xss"), "index": r.index(formats=("html", "png", "svg"))}


@pytest.fixture(scope="module")
def lima_merged(tmp_path_factory):
    """The shipped coverage on a 25-unit geography: Lima Metropolitana and Lima Provincias as one."""
    import geopandas as gpd
    import pandas as pd

    gdf = gpd.read_file(GEO)
    lima = gdf["iso_3166_2"].isin(["PE-LMA", "PE-LIM"])
    merged = gdf[lima].dissolve()
    merged = merged.assign(iso_3166_2="Lima", nombre="Lima", departamento="Lima", ubigeo="15")[gdf.columns]
    out = gpd.GeoDataFrame(pd.concat([gdf[~lima], merged], ignore_index=True), crs=gdf.crs)
    path = tmp_path_factory.mktemp("geo25") / "peru25.geojson"
    out.to_file(path, driver="GeoJSON")
    return mimpmap.load(DATA, path, geo_key="iso_3166_2")


def children(m: folium.Map, kind: type) -> list:
    return [c for c in m._children.values() if isinstance(c, kind)]


class _Tables(HTMLParser):
    """Rows of the table inside <section id="datos">."""

    def __init__(self):
        super().__init__()
        self.in_data = False
        self.in_body = False
        self.rows: list[list[str]] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "section" and ("id", "datos") in attrs:
            self.in_data = True
        elif self.in_data and tag == "tbody":
            self.in_body = True
        elif self.in_body and tag == "tr":
            self.rows.append([])
        elif self.in_body and tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag):
        if tag == "section":
            self.in_data = False
        elif tag == "tbody":
            self.in_body = False
        elif tag in ("td", "th") and self._cell is not None:
            self.rows[-1].append("".join(self._cell).strip())
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def data_rows(html: str) -> list[list[str]]:
    parser = _Tables()
    parser.feed(html)
    return parser.rows


# --- the choropleth --------------------------------------------------------------------------------

def test_choropleth_has_one_overlay_per_service_off_by_default(cov):
    m = pages.choropleth_map(cov.atlas)
    overlays = children(m, ServiceOverlay)
    assert [o.layer_name for o in overlays] == [s.display_name for s in cov.services]
    assert [o.service.id for o in overlays] == [s.id for s in cov.services]
    assert all(o.overlay and o.control and not o.show for o in overlays)
    (control,) = children(m, GroupedLayerControl)
    assert control.layers() == [*overlays, *children(m, CentreMarkers)]  # and the directory's centres
    html = m.get_root().render()
    assert html.count(".addOverlay(service_overlay_") == len(cov.services)
    assert "service_overlay_0.addTo(" not in html  # off until switched on


def test_overlays_carry_codes_and_program_groups(cov):
    m = pages.choropleth_map(cov.atlas)
    by_id = {o.service.id: o for o in children(m, ServiceOverlay)}
    assert by_id["cai"].codes == ["PE-AYA", "PE-CAL", "PE-CUS", "PE-LMA"]
    assert by_id["cai"].data["group"] == "AURORA"
    assert by_id["mi60"].data["group"] == "DIPAM"
    assert len(by_id["cem"].codes) == len(cov.units)
    # Colours are given in the page, in the order services are switched on, from one palette.
    assert {tuple(o.palette) for o in by_id.values()} == {marks.OVERLAY_PALETTE}
    assert len(set(marks.OVERLAY_PALETTE)) == len(marks.OVERLAY_PALETTE) >= 7


def test_legend_steps_are_the_count_classes(cov):
    m = pages.choropleth_map(cov.atlas)
    (legend,) = children(m, Legend)
    classes = colors.count_classes(cov.counts.tolist())
    assert [s["label"] for s in legend.steps] == [c.label for c in classes]
    assert [s["color"] for s in legend.steps] == colors.class_colors(classes)
    assert legend.title == "Servicios que llegan"


def test_hover_shows_name_and_count(cov):
    m = pages.choropleth_map(cov.atlas)
    (layer,) = children(m, CountLayer)
    units = layer.data["units"]
    assert list(units) == list(cov.units.index)
    assert units["PE-CUS"]["name"] == "Cusco"
    assert units["PE-CUS"]["tip"] == f"{cov.counts['PE-CUS']} servicios"
    assert units["PE-CUS"]["fill"] == colors.color_for_count(cov.counts["PE-CUS"], colors.count_classes(cov.counts.tolist()))


def test_popups_list_the_services_with_links(cov, choropleth):
    m = pages.choropleth_map(cov.atlas)
    (layer,) = children(m, CountLayer)
    data = layer.data
    linked = [data["services"][i][0] for i, _ in data["units"]["PE-CUS"]["services"]]
    assert linked == [s.id for s, _ in cov.services_at("PE-CUS")]
    assert data["href"] == "servicios/"
    assert data["programs"][0] == ["AURORA", cov.programs[0].name]
    assert '"href":"servicios/"' in choropleth
    assert 'href="servicios/cai.html"' in choropleth  # the panel's list as well


def test_geometry_is_written_once(cov, renderer, choropleth):
    geo = renderer.geometry_js
    assert choropleth.count('"type":"FeatureCollection"') == 1
    for code in cov.units.index:
        assert choropleth.count(f'"code":"{code}"') == 1
    first = re.search(r"\[-?\d+\.\d+,-?\d+\.\d+\]", geo).group()
    assert choropleth.count(first) == geo.count(first)
    m = pages.choropleth_map(cov.atlas)
    assert len(children(m, SharedGeometry)) == 1


def test_choropleth_title_period_and_source(cov, choropleth):
    assert "<title>Servicios del MIMP por departamento" in choropleth
    assert "Año 2019 o 2020, y enero–octubre 2021" in choropleth
    assert "Fuente: " + cov.data.file.source in choropleth


def test_choropleth_table_has_a_row_per_unit(cov, choropleth):
    rows = data_rows(choropleth)
    assert len(rows) == len(cov.units) == 26
    cusco = next(r for r in rows if r[0] == "Cusco")
    assert cusco[1] == str(cov.counts["PE-CUS"])
    assert "Centros de Atención Institucional" in cusco[2]
    assert cusco[3] == "1\u00a0205\u00a0527"  # INEI, censo 2017


def test_cai_page_gives_the_population_it_reaches(cai, renderer):
    # Ayacucho 616 176 + Callao 994 494 + Cusco 1 205 527 + Lima Metropolitana 8 574 974 of 29 381 884
    assert "donde viven 11\u00a0391\u00a0171 personas, el 38,8\u00a0% de la población censada en 2017" in cai
    assert "no es llegar a cada persona" in cai
    summary = renderer.index().split('id="resumen"', 1)[1]
    cai_row = next(r for r in summary.split("<tr>") if 'href="servicios/cai.html"' in r)
    assert re.search(r'<td class="mm-num"[^>]*>11\u00a0391\u00a0171 \(38,8\u00a0%\)</td>', cai_row)


def test_ten_times_the_services_grows_less_than_twice(tmp_path, cov, choropleth):
    doc = yaml.safe_load(DATA.read_text(encoding="utf-8"))
    doc["services"] = [dict(s, id=f"{s['id']}-{k}") for k in range(10) for s in doc["services"]]
    path = tmp_path / "big.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    big = mimpmap.load(path, GEO)
    assert len(big.services) == 10 * len(cov.services)
    html = Renderer(big.atlas).choropleth()
    assert html.count('"type":"FeatureCollection"') == 1
    assert len(html.encode()) < 2 * len(choropleth.encode())


# --- service pages -------------------------------------------------------------------------------

def test_service_map_highlights_covered_units(cov):
    m = pages.service_map(cov.atlas, "cai")
    (layer,) = children(m, CoverageLayer)
    status = {code: u["status"] for code, u in layer.data["units"].items()}
    assert sorted(c for c, s in status.items() if s == "total") == ["PE-AYA", "PE-CAL", "PE-CUS", "PE-LMA"]
    assert layer.data["fills"]["total"] == colors.COVERED
    assert layer.data["fills"]["ninguna"] == colors.NEUTRAL


def test_cai_panel_figures_change_and_footnote(cai):
    assert "<h2>Centros de Atención Institucional" in cai
    assert "Es un servicio de intervención con varones adultos" in cai
    assert "AURORA" in cai
    # both periods, labels as the data gives them, the mark next to the period it belongs to
    assert re.search(r"Año 2020<sup class=\"mm-ref\"><a href=\"#nota-1\"[^>]*>2/</a></sup>", cai)
    assert "Ene – Oct 2021" in cai
    assert "Casos de usuarios" in cai
    assert ">1726<" in cai and ">2075<" in cai
    assert "1726 → 2075 (+20,2\u00a0%)" in cai
    assert re.search(r'<li id="nota-1"><span class="mm-mark">2/</span> Durante los meses de abril', cai)
    assert "Fuente: MIMP, Intervenciones" in cai
    assert 'href="../cobertura.html"' in cai and 'href="../index.html"' in cai


def test_value_footnotes_sit_next_to_their_value(renderer):
    html = renderer.service("educadores-de-calle")
    assert re.search(r"9191<sup class=\"mm-ref\"><a href=\"#nota-2\"[^>]*>a/</a></sup>", html)
    assert "Año 2020<sup" in html  # 3/


def test_service_page_lists_centres_notes_activities(renderer):
    cem = renderer.service("cem")
    assert "426" in cem and "Tipo CEM" in cem and "Comisaría" in cem
    assert "Atención" in cem and "Prevención" in cem  # figures grouped by kind
    assert "114\u00a0495" in cem
    cedif = renderer.service("cedif")
    assert "<h3>Actividades</h3>" in cedif and "Escuela para Padres." in cedif
    hrt = renderer.service("hrt")
    assert "La fuente no publica cifras de atención de este servicio." in hrt


def test_service_table_has_a_row_per_unit(cov, cai):
    rows = data_rows(cai)
    assert len(rows) == 26
    assert {r[0]: r[1] for r in rows}["Cusco"] == "Sí"
    assert {r[0]: r[1] for r in rows}["Loreto"] == "No"


def test_mi60_shows_its_centres_as_markers(cov):
    m = pages.service_map(cov.atlas, "mi60")
    (layer,) = children(m, MarkLayer)
    (control,) = children(m, GroupedLayerControl)
    assert control.layers() == [layer] and layer.layer_name == "Servicios Mi60+"
    sites = cov.atlas.service("mi60").sites
    assert [s.location for s in sites] == [s.location for s in cov.service("mi60").centres.sites]
    html = m.get_root().render()
    (drawn,) = re.findall(r"MM\.mark\((.*)\)\.addTo\(map_0\);", html)
    kind, data = json.loads(drawn)
    assert kind == "markers" and data["name"] == "Servicios Mi60+" and data["color"] == marks.SITE_COLOR
    assert len(sites) == 2 and [p[:2] for p in data["points"]] == [list(s.location) for s in sites]
    assert [p[2:] for p in data["points"]] == [[s.name, list(s.lines)] for s in sites]
    assert "Servicio Mi60+ - Chimbote" in html
    assert "L.marker(" not in html and "circle_marker_" not in html  # drawn by the page's script, no folium marker


def test_services_without_sites_have_no_markers(cov):
    m = pages.service_map(cov.atlas, "cai")
    assert '["markers",' not in m.get_root().render()


# --- partial coverage (a boundary file that does not split Lima) ----------------------------------

def test_partial_units_render_as_solo_lima_metropolitana(lima_merged):
    cov = lima_merged
    assert cov.has_partial and len(cov.units) == 25
    r = Renderer(cov.atlas)
    m = r.service_map("car-pam")
    (layer,) = children(m, CoverageLayer)
    lima = next(u for u in layer.data["units"].values() if u["name"] == "Lima")
    assert lima["status"] == "parcial"
    assert lima["tip"] == "En parte: solo Lima Metropolitana"
    assert layer.data["fills"]["parcial"] == "url(#mm-hatch)"
    (legend,) = children(m, Legend)
    assert {"hatch": True, "label": "En parte (solo Lima Metropolitana)"} in legend.steps
    html = m.get_root().render()
    assert '<pattern id="mm-hatch"' in html
    assert ["Lima", "En parte: solo Lima Metropolitana"] in [r[:2] for r in data_rows(html)]
    assert "en parte a Lima (solo Lima Metropolitana)" in html


def test_choropleth_counts_partial_services_and_says_so(lima_merged):
    cov = lima_merged
    r = Renderer(cov.atlas)
    m = r.choropleth_map()
    (layer,) = children(m, CountLayer)
    lima = next(u for u in layer.data["units"].values() if u["name"] == "Lima")
    n_partial = int(cov.partial_counts.max())
    assert lima["note"] == f"incluye {n_partial} solo Lima Metropolitana"
    assert sum(1 for _, words in lima["services"] if words == "solo Lima Metropolitana") == n_partial
    (legend,) = children(m, Legend)
    assert any("solo Lima Metropolitana" in note for note in legend.notes)
    overlays = {o.service.id: o for o in children(m, ServiceOverlay)}
    assert overlays["car-pam"].partial == ["PE-LIM+LMA"] and overlays["car-pam"].codes == []
    html = m.get_root().render()
    lima_row = next(row for row in data_rows(html) if row[0] == "Lima")
    assert "(solo Lima Metropolitana)" in lima_row[2]


# --- every page ------------------------------------------------------------------------------------

@pytest.mark.parametrize("kind", ["choropleth", "service", "index"])
def test_spanish_document_with_title(renderer, kind):
    html = {"choropleth": renderer.choropleth, "service": lambda: renderer.service("sau"),
            "index": renderer.index}[kind]()
    assert html.startswith("<!DOCTYPE html>\n<html lang=\"es\">")
    assert re.search(r"<title>[^<]+</title>", html)
    assert '<meta charset="utf-8">' in html


def test_self_contained_by_default(choropleth, cai):
    for html in (choropleth, cai):
        assert "<script src=" not in html
        assert '<link rel="stylesheet"' not in html
        assert "cdn.jsdelivr" not in html and "unpkg" not in html
        assert "url(images/" not in html  # leaflet.css images are data: URIs
        assert "data:image/png;base64," in html
        lowered = html.lower()
        for unused in ("jquery", "bootstrap", "awesome-markers", "fontawesome", "glyphicons"):
            assert unused not in lowered
        assert "sourceMappingURL" not in html
        assert 'L.version="1.9.3"' in html or 't.version="1.9.3"' in html


def test_cdn_links_leaflet_instead(cov):
    html = pages.render_service(cov.atlas, "cai", cdn=True)
    assert '<script src="https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.js" integrity="sha256-' in html
    assert '<link rel="stylesheet" href="https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.css" integrity="sha256-' in html
    # Leaflet is not in the page: it is smaller than the inlined one by at least leaflet.js itself (a
    # fixed ceiling broke each time the pages' own script grew).
    import xstatic.pkg.leaflet as xleaflet
    leaflet_js = (Path(xleaflet.BASE_DIR) / "leaflet.js").stat().st_size
    assert len(pages.render_service(cov.atlas, "cai")) - len(html) >= leaflet_js
    assert "jquery" not in html.lower()


def test_tiles_are_optional(cov, cai):
    assert "L.tileLayer" not in cai
    html = pages.render_service(cov.atlas, "cai", tiles="OpenStreetMap")
    assert "L.tileLayer" in html and "tile.openstreetmap.org" in html
    assert '"code":"PE-CUS"' in html  # the thematic map is there whatever the tiles do


def test_size_budgets(cov, renderer, choropleth):
    assert len(choropleth.encode()) <= CHOROPLETH_BUDGET
    for service in cov.services:
        assert len(renderer.service(service.id).encode()) <= SERVICE_BUDGET, service.id


def test_deterministic(cov, renderer, choropleth, cai):
    again = Renderer(mimpmap.load(DATA, GEO).atlas)
    assert again.choropleth() == choropleth
    assert again.service("cai") == cai
    assert again.service("mi60") == renderer.service("mi60")
    assert again.index(formats=("html", "png")) == renderer.index(formats=("html", "png"))
    assert not re.search(r"[0-9a-f]{32}", choropleth)  # no branca random ids left
    assert "var map_0 = L.map(" in choropleth


def test_renderer_matches_the_one_page_functions(cov, renderer, choropleth, cai):
    assert pages.render_choropleth(cov.atlas) == choropleth
    assert pages.render_service(cov.atlas, "cai") == cai
    assert pages.render_index(cov.atlas) == renderer.index()
    assert cov.choropleth().get_root().render() == choropleth
    assert cov.service_map("cai").get_root().render() == cai


def test_folium_maps_fit_peru(cov):
    m = pages.choropleth_map(cov.atlas)
    west, south, east, north = (round(float(v), 4) for v in cov.units.total_bounds)
    html = m.get_root().render()
    assert f"[[{south}, {west}], [{north}, {east}]]" in html
    assert isinstance(m, folium.Map)
    assert m.default_js == [] and m.default_css == []


# --- escaping --------------------------------------------------------------------------------------

@pytest.mark.parametrize("page", ["cobertura", "xss", "index"])
def test_text_from_the_data_is_never_markup(evil, page):
    html = evil[page]
    for raw in RAW:
        assert raw not in html, raw
    # every </script> closes one of our own <script> elements
    assert html.count("</script>") == html.count("<script")


def test_escaped_text_is_still_shown(evil):
    assert "&lt;img src=x onerror=alert(1)&gt;" in evil["xss"]  # panel heading, table caption
    assert "\\u003cimg src=x onerror=alert(1)\\u003e" in evil["cobertura"]  # layer control label (JSON)
    assert "Texto &lt;/script&gt;&lt;script&gt;alert(2)&lt;/script&gt; &amp; más" in evil["xss"]
    assert "D`${alert(6)}`" in evil["xss"]  # a JSON string, read as text by MM.site
    assert "<title>&lt;img src=x onerror=alert(1)&gt;" in evil["xss"]


def test_js_json_cannot_close_a_script():
    text = js_json({"a": "</script><!-- & '\u2028"})
    assert "<" not in text and ">" not in text and "&" not in text and "'" not in text
    assert "\u2028" not in text


# --- the index and embedding ----------------------------------------------------------------------

def test_index_links_every_map(cov, renderer):
    html = renderer.index()
    assert 'href="cobertura.html"' in html
    for service in cov.services:
        assert f'href="servicios/{service.id}.html"' in html
    assert ".png" not in html and ".svg" not in html
    assert html.count('<textarea class="mm-embed"') == len(cov.services) + 1


def test_index_summary_table(cov, renderer):
    html = renderer.index()
    table = html[html.index('<table class="mm-table mm-summary">'):]
    table = table[:table.index("</table>")]
    assert table.count("<tr>") == len(cov.services) + 1
    for head in ("Servicio", "Cobertura", "Centros", "Última cifra"):
        assert f'<th scope="col">{head}</th>' in table
    cai = table[table.index('href="servicios/cai.html"'):]
    cai = cai[:cai.index("</tr>")]
    assert "Ayacucho, Callao, Cusco y Lima Metropolitana" in cai and "4 CAI" in cai
    assert "<strong>2075</strong> casos de usuarios" in cai and "(Ene – Oct 2021)" in cai
    hrt = table[table.index('href="servicios/hrt.html"'):]
    assert "sin cifras publicadas" in hrt[:hrt.index("</tr>")]


def test_index_shows_images_when_built(renderer):
    html = renderer.index(formats=("html", "png", "svg"))
    assert '<img src="cobertura.png"' in html and '<img src="servicios/cai.png"' in html
    assert 'href="cobertura.svg"' in html and 'href="servicios/cai.svg"' in html


REPORTS = {"atlas.pdf", "atlas.html", "mosaico.png", "mosaico.svg", "miniaturas/mosaico.png"}


def test_index_offers_the_atlas_and_the_mosaic_that_are_there(renderer):
    html = renderer.index(formats=IMAGES, thumbnails=True, exists=lambda name: name in REPORTS)
    reports = html[html.index('<section aria-labelledby="informes">'):html.index('<section aria-labelledby="descargar">')]
    assert '<h2 id="informes">Para informes' in reports
    assert "<h3>Atlas en PDF</h3>" in reports and '<a href="atlas.pdf" download>' in reports
    assert '<h3><a href="atlas.html">Todos los mapas en un solo archivo</a></h3>' in reports
    assert '<img src="miniaturas/mosaico.png" alt="Mosaico: Los 19 servicios del MIMP, uno por mapa"' in reports
    assert '<a href="mosaico.png" download>Imagen PNG</a>' in reports and '<a href="mosaico.svg" download>' in reports
    # only what is there: the mosaic without its SVG and thumbnail, no atlas
    html = renderer.index(formats=IMAGES, thumbnails=True, exists=lambda name: name == "mosaico.png")
    assert '<img src="mosaico.png"' in html and "mosaico.svg" not in html and "atlas.pdf" not in html
    # nothing for reports: no empty section
    html = renderer.index(formats=IMAGES, thumbnails=True, exists=lambda name: name not in REPORTS)
    assert 'id="informes"' not in html and "atlas.pdf" not in html and "mosaico" not in html


def test_index_without_exists_offers_the_report_files_of_its_formats(renderer):
    html = renderer.index(formats=("html", "png", "svg", "pdf"))
    assert 'href="atlas.pdf"' in html and 'href="mosaico.png"' in html and 'href="mosaico.svg"' in html
    html_only = renderer.index()  # a whole html build writes the one-file atlas, and nothing else for reports
    assert 'href="atlas.html"' in html_only and "atlas.pdf" not in html_only and "mosaico" not in html_only


def test_the_index_key_changes_with_the_report_files_it_links(renderer):
    there: set[str] = set()
    files = lambda: renderer.index_files(IMAGES, lambda name: name in there)  # noqa: E731
    none = {"png": None, "svg": None, "thumb": None, "csv": None}
    before = files()
    assert {"pdf": None, "html": None, "mosaic": none, "people": none} in before
    there.add("atlas.pdf")
    assert {"pdf": "atlas.pdf", "html": None, "mosaic": none, "people": none} in files()
    there.update({"mosaico.png", "miniaturas/mosaico.png", "atlas.html", "poblacion.svg"})
    assert {"pdf": "atlas.pdf", "html": "atlas.html",
            "mosaic": {"png": "mosaico.png", "svg": None, "thumb": "miniaturas/mosaico.png", "csv": None},
            "people": {"png": None, "svg": "poblacion.svg", "thumb": None, "csv": None}} in files()
    assert files() != before


def test_index_embed_code_is_escaped_text(renderer):
    html = renderer.index()
    snippet = embed_snippet("servicios/cai.html", "Centros de Atención Institucional (CAI)")
    escaped = snippet.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&#34;")
    assert escaped in html


def test_embed_snippet_responsive_by_default():
    html = embed_snippet("servicios/cai.html", 'CAI "<x>"')
    assert '<iframe src="servicios/cai.html" title="CAI &quot;&lt;x&gt;&quot;"' in html
    assert "aspect-ratio:4 / 3" in html and "width:100%" in html
    assert 'loading="lazy"' in html


def test_embed_snippet_fixed_size():
    html = embed_snippet("https://example.org/maps/cobertura.html", "Mapa", width="800", height=600)
    assert "width:800px" in html and "height:600px" in html and "max-width:100%" in html
    assert embed_snippet("a.html", "x", width="80%").count("width:80%") == 1
    with pytest.raises(UsageError):
        embed_snippet("a.html", "x", width="ancho")
    with pytest.raises(UsageError):
        embed_snippet("a.html", "x", height="-5")


def test_period_summary():
    assert period_summary([["Año 2020", "Ene - Oct 2021"], ["Año 2019", "Ene – Oct 2021"],
                           ["Mar - Dic 2020", "Ene - Oct 2021"]]) == "Año 2019 o 2020, y enero–octubre 2021"
    assert period_summary([["Primer semestre"]]) == "Primer semestre"
    assert period_summary([]) == ""


def test_units_without_services_are_neutral(yaml_file):
    cov = mimpmap.load(yaml_file(), GEO)  # one service, four units
    m = pages.choropleth_map(cov.atlas)
    (legend,) = children(m, Legend)
    assert legend.steps[0] == {"color": colors.NEUTRAL, "label": "0"}
    (layer,) = children(m, CountLayer)
    loreto = layer.data["units"]["PE-LOR"]
    assert loreto["fill"] == colors.NEUTRAL
    assert loreto["head"] == "Ningún servicio del MIMP llega aquí." and loreto["services"] == []
    rows = dict((r[0], r[1:]) for r in data_rows(m.get_root().render()))
    assert rows["Loreto"][:2] == ["0", "Ninguno"]
    assert rows["Cusco"][:2] == ["1", "Centros de Atención Institucional"]


@pytest.mark.parametrize("name,expected", [
    ("OpenStreetMap", "OpenStreetMap.Mapnik"), ("openstreetmap", "OpenStreetMap.Mapnik"),
    ("Esri WorldImagery", "Esri.WorldImagery"), ("OpenTopoMap", "OpenTopoMap"),
])
def test_tiles_by_name(name, expected):
    from mimpmap.html.tiles import resolve_tiles

    assert resolve_tiles(name).name == expected
    assert resolve_tiles(None) is None


def test_unknown_or_keyed_tiles_are_usage_errors():
    from mimpmap.errors import UsageError
    from mimpmap.html.tiles import resolve_tiles

    with pytest.raises(UsageError, match="¿quiso decir 'Esri.WorldImagery'"):
        resolve_tiles("Esri WorldImagry")
    with pytest.raises(UsageError, match="clave de API"):
        resolve_tiles("CartoDB positron")


# --- like with like: periods of different length (issue 15) ----------------------------------------


def test_the_headline_change_is_per_month_with_service_where_a_closure_is_known(renderer):
    sau = renderer.service("sau")  # no closure: 6311/12 = 525,9 → 5009/10 = 500,9
    assert '<strong>\u22124,8\u00a0%</strong> <span class="mm-basis">por mes</span>' in sau
    assert "Por mes: 525,9 → 500,9 (\u22124,8\u00a0%), promedio de cada periodo (12 y 10 meses)" in sau
    assert ("Totales: 6311 → 5009 (\u221220,6\u00a0%), de periodos de distinta duración (12 y 10 meses)") in sau
    cai = renderer.service("cai")  # closed April to July 2020: 1726/8 = 215,8 → 207,5
    assert '<strong>\u22123,8\u00a0%</strong> <span class="mm-basis">por mes con servicio</span>' in cai
    assert ("Por mes con servicio: 215,8 → 207,5 (\u22123,8\u00a0%), promedio de los meses en que el servicio "
            "funcionó (8 de los 12 meses de Año 2020; nota 2/)") in cai
    assert "Por mes del calendario: 143,8 → 207,5 (+44,3\u00a0%), contando también los meses sin servicio" in cai
    assert "<strong>+44,3" not in cai
    cem = renderer.service("cem")
    assert '<strong>+7,5\u00a0%</strong> <span class="mm-basis">por mes con servicio</span>' in cem
    assert "<strong>+43,4" not in cem


def test_the_change_column_does_not_say_each_month(cai):
    assert '<th scope="col" class="mm-num">Variación entre periodos</th>' in cai
    assert "Variación por mes" not in cai


def test_people_served_are_not_divided_by_months(renderer):
    car = renderer.service("car-nna")  # Usuarias/os atendidas/os: 2527 in 2020, 2456 in Jan–Oct 2021
    assert '<strong>\u22122,8\u00a0%</strong> <span class="mm-basis">personas en cada periodo</span>' in car
    assert "Personas en cada periodo: 2527 → 2456 (\u22122,8\u00a0%), sin dividir por meses (periodos de 12 y 10 meses)" in car
    assert "Por mes" not in car and "210,6" not in car  # 2527 / 12
    assert "una persona atendida varios meses se cuenta una vez" in car


def test_no_percentage_from_a_tiny_base(renderer):
    mi60 = renderer.service("mi60")  # 4 → 727: "+18 075 %" would say nothing
    assert '<strong>4 → 727</strong> <span class="mm-basis">base muy pequeña</span>' in mi60
    assert ("Personas en cada periodo: 4 → 727 (base muy pequeña), sin dividir por meses (periodos de 12 y 10 meses); "
            "sin porcentaje: la cifra de partida es 4 (Año 2020)") in mi60
    assert "18\u00a0075" not in mi60 and "21\u00a0710" not in mi60 and "%</strong>" not in mi60


def test_a_tiny_base_of_events_gives_the_monthly_averages_without_percentage(yaml_file):
    text = MINIMAL.replace("values: [1726, 2075]", "values: [12, 40]").replace(
        "{label: Año 2020}, {label: Ene - Oct 2021}",
        "{label: Año 2020, from: 2020-01, to: 2020-12}, {label: Ene - Oct 2021, from: 2021-01, to: 2021-10}")
    row = mimpmap.load(yaml_file(text), GEO).atlas.service("cai").figures[0]
    assert (row.headline, row.basis) == ("1,0 → 4,0", "base muy pequeña")
    assert [c.label for c in row.changes] == ["Por mes", "Totales"]
    assert all("%" not in c.numbers for c in row.changes)
    assert row.changes[0].short == "Por mes: 1,0 → 4,0 (base muy pequeña)"


def test_periods_of_unknown_length_are_not_compared(yaml_file):
    row = mimpmap.load(yaml_file(MINIMAL), GEO).atlas.service("cai").figures[0]
    assert row.headline is None
    assert row.changes[0].text == ("Totales: 1726 → 2075 (+20,2\u00a0%), no se sabe cuántos meses abarca cada "
                                   "periodo, así que pueden no ser comparables")
    people = MINIMAL.replace("unit: casos", "unit: Usuarias/os atendidas/os")
    row = mimpmap.load(yaml_file(people), GEO).atlas.service("cai").figures[0]  # people: no months needed
    assert (row.headline, row.basis) == ("+20,2\u00a0%", "personas en cada periodo")
    assert row.changes[0].text == "Personas en cada periodo: 1726 → 2075 (+20,2\u00a0%), sin dividir por meses"


def test_every_service_leads_with_the_fair_comparison(cov):
    from mimpmap import periods

    for service, spec in zip(cov.services, cov.atlas.services):
        for fig, row in zip(service.figures, spec.figures):
            c = periods.changes(service, fig)
            if c is None:
                assert row.headline is None and not row.changes
                continue
            assert row.changes[0].label == {"per_month_open": "Por mes con servicio", "per_month": "Por mes",
                                            "total": "Personas en cada periodo" if c.people else "Totales"}[c.lead]
            assert (row.basis == "base muy pequeña") == (fig.values[0].value < periods.SMALL_BASE), service.id
            months = [periods.length(p) for p in (service.periods[0], service.periods[-1])]
            if c.per_month:
                first, last = fig.values[0].value / months[0], fig.values[-1].value / months[1]
                assert (c.per_month.before, c.per_month.after) == pytest.approx((first, last)), service.id


# --- trust and polish (issue 22) -------------------------------------------------------------------


def test_a_page_lists_the_coverage_in_one_order(cai, renderer):
    assert cai.count("Ayacucho, Callao, Cusco y Lima Metropolitana") >= 2  # the header and the panel
    assert "Ayacucho, Cusco, Lima Metropolitana y Callao" not in cai  # the source's order
    assert "En la fuente:" not in cai  # the same places: nothing more to say
    nna = renderer.service("acogida-temporal-nna")  # the source says "en Lima"
    assert "<p>Lima Metropolitana</p>" in nna and "En la fuente: «en Lima»" in nna


def test_period_labels_are_written_one_way(cov, renderer):
    assert any("Ene - Oct 2021" in [p.label for p in s.periods] for s in cov.services)  # as the data has it
    assert any("Ene – Oct 2021" in [p.label for p in s.periods] for s in cov.services)
    for service in ("cai", "cem", "acogida-temporal-nna"):
        html = renderer.service(service)
        assert "Ene – Oct 2021" in html and " - Oct" not in html and "Mar - Dic" not in html
    assert "(Ene - Oct 2021)" not in renderer.index()
    assert all(" - " not in line for s in cov.atlas.services for line in s.static_figures if "→" in line)


def test_popups_carry_what_each_abbreviation_stands_for(choropleth):
    # the page's data for its popups: [id, short name, program, what the short name stands for]
    assert '["adopciones","UA",2,"Unidades de Adopción"]' in choropleth  # "Unidades de Adopción - UA"
    assert '["estrategia-rural","ER",0,"Estrategia Rural"]' in choropleth
    assert '["linea-100","Línea 100",0,null]' in choropleth and '["mi60","Mi60+",4,null]' in choropleth


def test_a_page_links_its_own_images_and_rows_where_the_folder_has_them(shipped):
    there = {"servicios/cai.png", "servicios/cai.svg", "datos/servicios/cai.csv", "cobertura.svg", "datos/cobertura.csv"}
    r = Renderer(shipped.atlas, exists=lambda name: name in there)
    cai = r.service("cai")
    assert ('<a href="../servicios/cai.png" download>Imagen PNG</a>' in cai
            and '<a href="../servicios/cai.svg" download>Imagen SVG</a>' in cai
            and '<a href="../datos/servicios/cai.csv" download>Datos del mapa (CSV)</a>' in cai)
    sau = r.service("sau")
    assert 'class="mm-links mm-map-files"' not in sau and "sau.png" not in sau  # nothing of its own there
    choropleth = r.choropleth()
    assert '<a href="cobertura.svg" download>' in choropleth and "cobertura.png" not in choropleth
    assert '<a href="datos/cobertura.csv" download>Datos del mapa (CSV)</a>' in choropleth


def test_a_page_is_redrawn_when_its_images_appear(shipped):
    from mimpmap.formats import Job

    there: set[str] = set()
    job = Job(maps=shipped.atlas.maps, whole=False, exists=lambda name: name in there)
    shows = {o.name: o.shows for o in pages.outputs(shipped.atlas, "html", job)}
    before = shows["servicios/cai.html"]()
    there.add("servicios/cai.svg")
    assert shows["servicios/cai.html"]() != before and shows["cobertura.html"]() == shows["cobertura.html"]()


def test_the_index_summary_says_each_column_in_its_cells(renderer):
    html = renderer.index()
    table = html[html.index('<table class="mm-table mm-summary">'):]
    cai = table[table.index('href="servicios/cai.html"'):]
    cai = cai[:cai.index("</tr>")]
    for head in index.SUMMARY_COLUMNS[1:]:
        assert f'<td data-label="{head}">' in cai
    assert 'data-label="Población de sus departamentos (censo 2017)"' in cai
