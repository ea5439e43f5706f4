"""The one-file atlas (``atlas.html``), the separate pages' notice for a missing folder, and the embed
codes' addresses. No browser here (see tests/browser/test_atlas.py)."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import pytest

import mimpmap
from mimpmap.views import web
from mimpmap.build import BuildOptions, build
from mimpmap.formats import FORMATS
from mimpmap.html.atlas import ATLAS_FILE, AtlasPage, render_atlas
from mimpmap.html.marks import data as mark_data, panel_extra
from mimpmap.html.pages import Renderer
from mimpmap.html.templates import FOLD_SCRIPT
from mimpmap.views.marks import Directory

from .conftest import DATA, GEO
from .test_html import EVIL, RAW

#: The issue's limit for the one file to send.
ATLAS_BUDGET = 600_000


@pytest.fixture(scope="module")
def atlas(shipped):
    return shipped.atlas


@pytest.fixture(scope="module")
def page(atlas) -> str:
    return render_atlas(atlas)


class _Refs(HTMLParser):
    """Every address in a document: attribute values that load or link something."""

    def __init__(self):
        super().__init__()
        self.refs: list[tuple[str, str, str]] = []
        self.templates = 0

    def handle_starttag(self, tag, attrs):
        if tag == "template":
            self.templates += 1
        for name, value in attrs:
            if name in ("href", "src", "data", "action", "poster", "srcset") and value is not None:
                self.refs.append((tag, name, value))


def refs(html: str) -> _Refs:
    parser = _Refs()
    parser.feed(html)
    return parser


def view_data(html: str) -> dict:
    """The data ``MM.atlas`` is called with."""
    match = re.search(r"MM\.atlas\(map_0, geometry_0, (\{.*\})\);\n", html)
    assert match, "no MM.atlas(...) in the page"
    return json.loads(match.group(1))


def statuses(data: dict, view: dict) -> dict[str, str]:
    """code → status of a service's view (its units are indices into its tips, in the atlas's order)."""
    units = view["data"]["units"]
    pairs = zip(data["order"], units) if isinstance(units, list) else units.items()
    return {code: view["data"]["tips"][u][0] if isinstance(u, int) else u["status"] for code, u in pairs}


def test_name_and_format():
    assert ATLAS_FILE == web.ATLAS_HTML == "atlas.html"
    assert "mimpmap.html.atlas" in FORMATS["html"].also


def test_under_its_size_budget(page):
    assert len(page.encode("utf-8")) <= ATLAS_BUDGET


def test_leaflet_and_the_geometry_once(page):
    assert page.count("a JS library for interactive maps") == 1  # Leaflet's banner
    assert page.count('"type":"FeatureCollection"') == 1
    assert page.count("<!DOCTYPE html>") == 1


def test_links_no_other_file_and_loads_nothing(page):
    found = refs(page).refs
    assert found, "the page has links"
    for tag, name, value in found:
        assert value.startswith("#"), f"<{tag} {name}={value!r}> leads out of the page"
    assert "<script src" not in page and "<link " not in page
    assert "datos/" not in page and "servicios/" not in page and "index.html" not in page


def test_every_service_is_a_view_with_its_panel(atlas, page):
    data = view_data(page)
    assert data["first"] == "cobertura"
    assert list(data["views"]) == ["cobertura", *(s.id for s in atlas.services)]
    assert refs(page).templates == len(atlas.services)
    r = Renderer(atlas)
    for service in atlas.services:
        assert f'<template id="mm-view-{service.id}">' in page
        # The same panel as the service's own page (with its centres; without the phone's fold script,
        # which only the panel shown first needs), and a link to it in the list of maps.
        own = r.service_panel(service, panel_extra(r.web_marks(service)))
        assert FOLD_SCRIPT in own and own.replace(FOLD_SCRIPT, "") in page
        assert f'<a href="#{service.id}">' in page
        view = data["views"][service.id]
        assert view["kind"] == "service" and view["title"] + data["titled"] == web.atlas_view_title(service.page_title)
        covered = [code for code, status in statuses(data, view).items() if status != "ninguna"]
        assert len(covered) == service.reached_units


def test_cai_view(page):
    data = view_data(page)
    reached = sorted(code for code, status in statuses(data, data["views"]["cai"]).items() if status == "total")
    assert reached == ["PE-AYA", "PE-CAL", "PE-CUS", "PE-LMA"]


def test_choropleth_links_services_inside_the_page(page):
    data = view_data(page)["views"]["cobertura"]["data"]
    assert data["href"] == "#" and data["suffix"] == ""
    assert 'href="#cai"' in page


def marks_of(view: dict, kind: str) -> list[dict]:
    """The data of a view's marks of one kind."""
    return [data for k, data in view.get("marks", []) if k == kind]


def test_sites_are_the_marks_of_their_own_page(atlas, page):
    data = view_data(page)["views"]
    with_sites = [s for s in atlas.services if s.sites]
    assert with_sites, "the shipped data has a service with centres on the map"
    r = Renderer(atlas)
    for service in atlas.services:
        (sites,) = marks_of(data[service.id], "markers") or [None]
        if not service.sites:
            assert sites is None
            continue
        assert [s[2] for s in sites["points"]] == [s.name for s in service.sites]
        own = [m for m in r.web_marks(service) if not isinstance(m, Directory)]
        assert [json.loads(json.dumps(mark_data(m))) for m in own] == [["markers", sites]]


def test_deterministic(atlas, page):
    assert render_atlas(atlas) == page


def test_ignores_cdn_and_tiles(atlas, page):
    # The one file needs nothing else, whatever the separate pages were asked for.
    assert AtlasPage(atlas).renderer.cdn is False and AtlasPage(atlas).renderer.tiles is None
    assert "cdn.jsdelivr" not in page and "tile" not in view_data(page)


def test_escapes_everything(tmp_path):
    path = tmp_path / "coverage.yaml"
    path.write_text(EVIL, encoding="utf-8")
    html = render_atlas(mimpmap.load(path, GEO).atlas)
    for raw in RAW:
        assert raw not in html, raw


def test_written_by_html_builds(shipped, tmp_path):
    build(shipped.atlas, tmp_path, BuildOptions(formats=("html",)))
    assert (tmp_path / ATLAS_FILE).read_text(encoding="utf-8") == render_atlas(shipped.atlas)
    # It sums up every service: a build of one service draws it again, as it does the PDF atlas.
    (tmp_path / ATLAS_FILE).unlink()
    build(shipped.atlas, tmp_path, BuildOptions(formats=("html",), services=("cai",)))
    assert (tmp_path / ATLAS_FILE).is_file()


def test_not_drawn_for_part_of_the_maps(atlas):
    from mimpmap.formats import Job
    from mimpmap.html import atlas as module

    assert [o.name for o in module.outputs(atlas, "html", Job(maps=atlas.maps, whole=True))] == [ATLAS_FILE]
    assert list(module.outputs(atlas, "html", Job(maps=atlas.maps[:1], whole=False))) == []


# --- separate pages opened without their folder ---------------------------------------------------

def test_separate_pages_carry_the_notice(shipped):
    r = Renderer(shipped.atlas)
    for html in (r.choropleth(), r.service("cai")):
        assert html.count('<dialog class="mm-alone" id="mm-alone"') == 1
        assert web.ALONE_TITLE in html and "atlas.html" in html
    assert 'id="mm-alone"' not in render_atlas(shipped.atlas)


# --- embed codes ----------------------------------------------------------------------------------

def test_index_says_embed_addresses_are_relative(shipped):
    html = Renderer(shipped.atlas).index()
    cards = html.count('class="mm-embed"')
    assert cards and html.count(web.EMBED_INDEX_NOTE) == cards
    assert "--base-url" in web.EMBED_INDEX_NOTE


# --- the notebook ---------------------------------------------------------------------------------

def test_static_map_shows_itself_in_jupyter_without_matplotlib_inline(shipped):
    import io

    from matplotlib.figure import Figure
    from PIL import Image

    fig = shipped.static_map("cai", dpi=50)
    assert isinstance(fig, Figure)  # still a matplotlib Figure for savefig and friends
    png = fig._repr_png_()  # what IPython's display formatter asks an object for
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG" and image.width == round(fig.get_size_inches()[0] * 50)
    assert len(image.convert("RGB").getcolors(maxcolors=1 << 16) or ()) > 4  # a map, not a blank
    assert fig.dpi == 50  # showing it changed nothing


def test_static_map_formatter_in_ipython(shipped):
    formatters = pytest.importorskip("IPython.core.formatters")
    png = formatters.PNGFormatter()(shipped.static_map(dpi=30))
    assert png is not None and png[:8] == b"\x89PNG\r\n\x1a\n"


def test_folium_maps_in_a_notebook_carry_no_english_notice(shipped):
    for m in (shipped.choropleth(), shipped.service_map("cai")):
        html = m._repr_html_()
        assert "iframe" in html and "srcdoc=" in html
        assert "Make this Notebook Trusted" not in html and "Trust Notebook" in html
        assert web.NOTEBOOK_TRUST in html
    assert "Make this Notebook Trusted" not in shipped._repr_html_()


# --- mimpmap embed --------------------------------------------------------------------------------

def embed(*args):
    from click.testing import CliRunner

    from mimpmap.cli import main

    return CliRunner().invoke(main, ["embed", *args, "--data", str(DATA)])


def test_embed_without_base_url_says_the_address_is_relative():
    result = embed("cai")
    assert result.exit_code == 0
    assert '<iframe src="servicios/cai.html"' in result.stdout
    assert "--base-url" not in result.stdout  # the snippet is only the snippet
    assert "relativa a la carpeta maps/" in result.stderr and "--base-url https://" in result.stderr
    assert "'servicios/cai.html'" in result.stderr


def test_embed_with_base_url_is_absolute_and_quiet():
    result = embed("cai", "--base-url", "https://example.org/maps/")
    assert result.exit_code == 0 and result.stderr == ""
    assert 'src="https://example.org/maps/servicios/cai.html"' in result.stdout


@pytest.mark.parametrize("arg, src, title", [
    ("atlas", "atlas.html", web.ATLAS_TITLE),
    ("ATLAS#cobertura", "atlas.html#cobertura", web.ATLAS_TITLE),
    ("atlas#cai", "atlas.html#cai", f"{web.ATLAS_TITLE}: Centros de Atención Institucional"),
    ("atlas#ER", "atlas.html#estrategia-rural", f"{web.ATLAS_TITLE}: Estrategia Rural"),
])
def test_embed_the_atlas(arg, src, title):
    result = embed(arg, "--base-url", "https://example.org/maps")
    assert result.exit_code == 0, result.output
    assert f'src="https://example.org/maps/{src}"' in result.stdout and f'title="{title}"' in result.stdout


def test_embed_the_atlas_on_an_unknown_service():
    result = embed("atlas#nada")
    assert result.exit_code == 2 and "servicio desconocido 'nada'" in result.output
