"""atlas.html draws the layers' web marks with the pages' drawers (issue 20), in a real browser: a service
whose coverage says ``coverage: [Cusco/Urubamba]`` shows Urubamba on its view (``#cai``), and a toy
web-only layer registered in the test shows on the view it applies to, listed in its layer control.

Expected values come from the coverage written here and the toy layer, not from the page.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import mimpmap
from mimpmap import colors
from mimpmap.html.atlas import ATLAS_FILE, render_atlas
from mimpmap.views import layers
from mimpmap.views.layers import LAYERS, Layer, is_choropleth

from ..conftest import GEO
from ..test_layers import LIMA, no_marks
from ..test_province_coverage import with_coverage
from .conftest import require_browser
from .test_atlas import wait_view

require_browser(at_collection=True)
pytestmark = pytest.mark.browser

#: Every shape and marker the map shows, with its name (what keyboard() gives assistive technology),
#: fill and size on screen.
SHAPES = """() => {
  const out = [];
  for (const path of document.querySelectorAll(".leaflet-overlay-pane path, .leaflet-marker-pane path")) {
    const box = path.getBoundingClientRect();
    out.push({name: path.getAttribute("aria-label") || "", fill: path.getAttribute("fill"),
              width: box.width, height: box.height});
  }
  return out;
}"""


def atlas_file(folder: Path, coverage: str) -> Path:
    """atlas.html for the minimal file with CAI's ``coverage``, alone in ``folder``."""
    source = folder / "c.yaml"
    source.write_text(with_coverage(coverage), encoding="utf-8")
    out = folder / ATLAS_FILE
    out.write_text(render_atlas(mimpmap.load(source, GEO).atlas), encoding="utf-8")
    return out


def named(page, start: str) -> list[dict]:
    """The shapes drawn whose name starts with ``start``."""
    return [s for s in page.evaluate(SHAPES) if s["name"].startswith(start)]


def test_a_service_s_view_draws_the_provinces_it_reaches_in_part(tmp_path, open_page):
    tab = open_page(atlas_file(tmp_path, "Ayacucho, Cusco/Urubamba"))
    page = tab.page
    assert named(page, "Provincia de Urubamba") == []  # the choropleth's view draws departments only
    page.evaluate("location.hash = '#cai'")
    wait_view(page, "#cai")
    (urubamba,) = named(page, "Provincia de Urubamba (Cusco)")
    assert urubamba["fill"] == colors.COVERED and urubamba["width"] > 0 and urubamba["height"] > 0
    assert [s["fill"] for s in named(page, "Cusco:")] == ["url(#mm-hatch)"]  # Cusco, reached in part
    page.evaluate("location.hash = '#cobertura'")
    wait_view(page, "#cobertura")
    assert named(page, "Provincia de Urubamba") == []  # gone with its view
    tab.assert_clean()


def test_a_toy_web_layer_shows_in_atlas_html(tmp_path, open_page, monkeypatch):
    monkeypatch.setattr(layers, "LAYERS", (*LAYERS, Layer("lima", is_choropleth, no_marks, web=LIMA.web)))
    tab = open_page(atlas_file(tmp_path, "Ayacucho, Cusco"))
    page = tab.page
    (lima,) = [s for s in page.evaluate(SHAPES) if s["name"] == "Lima"]  # the marker's name alone
    assert lima["fill"] == "#ff00ff" and lima["width"] > 0
    labels = page.locator(".leaflet-control-layers label").all_inner_texts()
    assert [text.strip() for text in labels][-1] == "Lima"  # an overlay of the view's control
    page.evaluate("location.hash = '#cai'")
    wait_view(page, "#cai")
    assert [s for s in page.evaluate(SHAPES) if s["fill"] == "#ff00ff"] == []  # on the choropleth only
    tab.assert_clean()
