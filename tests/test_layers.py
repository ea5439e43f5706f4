"""A layer is one entry of LAYERS (issue 20): a layer registered only here draws on the maps it applies
to, printed and on their web pages, redraws exactly the outputs that show those maps, and adds its rows
to the data downloads.

The snippet between the ``toy-layer`` markers is the worked example of ARCHITECTURE.md
(``tests/test_docs.py`` checks that the two are the same text)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import mimpmap
from mimpmap.build import BuildOptions, keys, plan
from mimpmap.html.atlas import render_atlas
from mimpmap.html.pages import render_choropleth
from mimpmap.html.text import js_json
from mimpmap.static import StaticRenderer
from mimpmap.views.atlas import Atlas
from mimpmap.views import layers

from .conftest import GEO, MINIMAL
from .test_atlas import view_data

# --- toy-layer: start ---
from mimpmap.views.layers import LAYERS, Layer, is_choropleth
from mimpmap.views.marks import Dots, Marker, Markers

#: One magenta dot on Lima, on the choropleth only: on the printed map, and on the page with a popup.
LIMA = Layer("lima", applies=is_choropleth,
             marks=lambda spec, atlas: (Dots(((-12.05, -77.04),), "#ff00ff"),),
             web=lambda spec, atlas: (Markers("Lima", "#ff00ff", (Marker((-12.05, -77.04), "Lima", ("Capital",)),)),))
# --- toy-layer: end ---

#: Every format a build writes (``html`` brings the data downloads and atlas.html; ``pdf`` the atlas).
OPTIONS = BuildOptions(formats=("html", "png", "svg", "pdf"))
#: What draws the printed choropleth: its PNG, its SVG, its thumbnail and its page of the PDF atlas.
#: The mosaic and the captions are other descriptions.
PRINTED_CHOROPLETH = {"cobertura.png", "cobertura.svg", "miniaturas/cobertura.png", "atlas.pdf"}
#: What draws the choropleth's web marks: its page, and its view in atlas.html.
CHOROPLETH_PAGE = {"cobertura.html", "atlas.html"}


def no_marks(spec, atlas) -> tuple:
    return ()


def described(folder: Path) -> Atlas:
    """The minimal data described afresh (an atlas keeps its printed maps once made)."""
    path = folder / "coverage.yaml"
    path.write_text(MINIMAL, encoding="utf-8")
    return mimpmap.load(path, GEO).atlas


def build_keys(folder: Path) -> dict[str, str]:
    """Each output's key in a whole build of the minimal data."""
    atlas = described(folder)
    return keys(atlas, plan(atlas, OPTIONS), OPTIONS)


@pytest.fixture(scope="module")
def before(tmp_path_factory) -> dict[str, str]:
    """The keys with the shipped layers."""
    return build_keys(tmp_path_factory.mktemp("layers"))


def changed(before: dict[str, str], after: dict[str, str]) -> set[str]:
    assert set(after) == set(before)
    return {name for name in before if before[name] != after[name]}


def test_a_toy_layer_redraws_exactly_the_outputs_that_draw_it(before, tmp_path, monkeypatch):
    monkeypatch.setattr(layers, "LAYERS", (*LAYERS, LIMA))
    redrawn = changed(before, build_keys(tmp_path))
    assert redrawn == PRINTED_CHOROPLETH | CHOROPLETH_PAGE
    services = {name for name in before if name.startswith("servicios/") or "/servicios/" in name}
    assert services and not redrawn & services


def test_a_layer_on_the_services_redraws_their_images_not_the_choropleth(before, tmp_path, monkeypatch):
    on_services = Layer("lima", applies=layers.is_service, marks=LIMA.marks, web=LIMA.web)
    monkeypatch.setattr(layers, "LAYERS", (*LAYERS, on_services))
    redrawn = changed(before, build_keys(tmp_path))
    assert redrawn == {"servicios/cai.png", "servicios/cai.svg", "miniaturas/servicios/cai.png", "atlas.pdf",
                       "servicios/cai.html", "atlas.html"}


def test_a_printed_only_layer_changes_no_page(before, tmp_path, monkeypatch):
    printed = Layer("lima", applies=is_choropleth, marks=LIMA.marks)
    monkeypatch.setattr(layers, "LAYERS", (*LAYERS, printed))
    assert changed(before, build_keys(tmp_path)) == PRINTED_CHOROPLETH


def test_a_web_only_layer_redraws_its_page_and_no_image(before, tmp_path, monkeypatch):
    """A popup's words are the page's alone: the printed maps' keys do not hold them."""
    page_only = Layer("lima", applies=is_choropleth, marks=no_marks, web=LIMA.web)
    monkeypatch.setattr(layers, "LAYERS", (*LAYERS, page_only))
    assert changed(before, build_keys(tmp_path)) == CHOROPLETH_PAGE


def test_the_toy_layer_is_on_the_page_with_its_popup(tmp_path, monkeypatch):
    plain = render_choropleth(described(tmp_path))
    monkeypatch.setattr(layers, "LAYERS", (*LAYERS, LIMA))
    drawn = render_choropleth(described(tmp_path))
    lima = '["markers",{"name":"Lima","color":"#ff00ff","points":[[-12.05,-77.04,"Lima",["Capital"]]]}]'
    assert f"MM.mark({lima})" in drawn and "#ff00ff" not in plain
    assert drawn.count("MM.mark(") == plain.count("MM.mark(") + 1


def test_a_web_layer_is_in_atlas_html_as_on_the_page(tmp_path, monkeypatch):
    """atlas.html draws the layers' web marks with the pages' drawers: the toy layer's markers (and a
    second toy layer's, on the services) are in every view, last, written as its own page writes them,
    and the other marks are those of the atlas without them."""
    plain = view_data(render_atlas(described(tmp_path)))
    on_services = Layer("lima", applies=layers.is_service, marks=no_marks, web=LIMA.web)
    monkeypatch.setattr(layers, "LAYERS", (*LAYERS, LIMA, on_services))
    atlas = described(tmp_path)
    views = view_data(render_atlas(atlas))["views"]
    lima = ["markers", {"name": "Lima", "color": "#ff00ff", "points": [[-12.05, -77.04, "Lima", ["Capital"]]]}]
    for view_id, view in views.items():
        assert view.get("marks", [])[-1:] == [lima], view_id
        assert view.get("marks", [])[:-1] == plain["views"][view_id].get("marks", []), view_id
    assert f"MM.mark({js_json(lima)})" in render_choropleth(atlas)


def test_a_layer_that_gives_no_marks_redraws_nothing(before, tmp_path, monkeypatch):
    empty = Layer("nada", applies=lambda spec: True, marks=no_marks)
    monkeypatch.setattr(layers, "LAYERS", (*LAYERS, empty))
    assert changed(before, build_keys(tmp_path)) == set()


def test_a_layer_with_rows_adds_its_download_and_redraws_nothing_else(before, tmp_path, monkeypatch):
    rows = (("datos/lima.csv", (("lat", "lon"), (-12.05, -77.04))),)
    listed = Layer("lima", applies=lambda spec: False, marks=LIMA.marks, rows=lambda atlas: rows)
    monkeypatch.setattr(layers, "LAYERS", (*LAYERS, listed))
    atlas = described(tmp_path)
    items = {item.name: item for item in plan(atlas, OPTIONS)}
    after = keys(atlas, list(items.values()), OPTIONS)
    assert set(after) - set(before) == {"datos/lima.csv"}
    assert {name for name in before if before[name] != after[name]} == set()
    assert items["datos/lima.csv"].render().decode("utf-8-sig").splitlines() == ["lat,lon", "-12.05,-77.04"]


def test_the_toy_layer_is_drawn_on_the_map_and_in_the_inset(tmp_path, monkeypatch):
    """Two more dot collections on the choropleth's SVG: Lima on the country, and in the inset."""

    def scatters(svg: bytes) -> int:
        return len(re.findall(rb'<g id="PathCollection_\d+">', svg))

    plain = StaticRenderer(described(tmp_path)).render(fmt="svg", dpi=40)
    monkeypatch.setattr(layers, "LAYERS", (*LAYERS, LIMA))
    drawn = StaticRenderer(described(tmp_path)).render(fmt="svg", dpi=40)
    assert scatters(drawn) == scatters(plain) + 2
    assert b"fill: #ff00ff" in drawn and b"fill: #ff00ff" not in plain


def test_a_web_mark_s_words_are_escaped(tmp_path, monkeypatch):
    """A popup's words are data: they cannot close the page's script."""
    evil = "</script><b>x</b>"
    marker = Markers("Lima", "#ff00ff", (Marker((-12.05, -77.04), evil, (evil,)),))
    monkeypatch.setattr(layers, "LAYERS", (*LAYERS, Layer("lima", is_choropleth, no_marks,
                                                           web=lambda spec, atlas: (marker,))))
    page = render_choropleth(described(tmp_path))
    assert "#ff00ff" in page and evil not in page
