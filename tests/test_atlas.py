"""The one-file atlas (``atlas.html``) and the separate pages' notice for a missing folder. No browser here
(see tests/browser/test_atlas.py)."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import pytest

import mimpmap
from mimpmap import maps
from mimpmap.build import BuildOptions, build
from mimpmap.formats import FORMATS
from mimpmap.html.atlas import ATLAS_FILE, AtlasPage, render_atlas
from mimpmap.html.pages import Renderer

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


def test_name_and_format():
    assert ATLAS_FILE == maps.ATLAS_HTML == "atlas.html"
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
        # The same panel as the service's own page, and a link to it in the list of maps.
        assert r._service_panel(service) in page
        assert f'<a href="#{service.id}">' in page
        view = data["views"][service.id]
        assert view["kind"] == "service" and view["title"].startswith(service.page_title)
        covered = [code for code, unit in view["data"]["units"].items() if unit[0] != "ninguna"]
        assert len(covered) == service.reached_units


def test_cai_view(page):
    view = view_data(page)["views"]["cai"]
    reached = sorted(code for code, unit in view["data"]["units"].items() if unit[0] == "total")
    assert reached == ["PE-AYA", "PE-CAL", "PE-CUS", "PE-LMA"]


def test_choropleth_links_services_inside_the_page(page):
    data = view_data(page)["views"]["cobertura"]["data"]
    assert data["href"] == "#" and data["suffix"] == ""
    assert 'href="#cai"' in page


def test_sites_are_data(atlas, page):
    data = view_data(page)["views"]
    with_sites = [s for s in atlas.services if s.sites]
    assert with_sites, "the shipped data has a service with centres on the map"
    for service in with_sites:
        sites = data[service.id]["sites"]
        assert [s[2] for s in sites["list"]] == [s.name for s in service.sites]
        assert sites["style"]["fillColor"] and sites["style"]["radius"] == 7


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
        assert maps.ALONE_TITLE in html and "atlas.html" in html
    assert 'id="mm-alone"' not in render_atlas(shipped.atlas)
