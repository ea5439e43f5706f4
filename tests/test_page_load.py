"""What keeps a map page quick to open on a phone (issue 21's budget, see benchmarks/bench_centres.py):
the boundaries as JSON text read by ``JSON.parse``, the first view fitted before any layer is drawn,
and the side panel folded on a phone before the page is first laid out."""

from __future__ import annotations

import json
import re

import mimpmap
from mimpmap.html.elements import SharedGeometry
from mimpmap.html.pages import Renderer
from mimpmap.html.text import script_safe


def _literal(script: str) -> str:
    """The text inside ``JSON.parse('...')``, read back as JavaScript reads that string literal."""
    text = re.search(r"JSON\.parse\('(.*)'\);", script).group(1)
    assert "'" not in text and "\n" not in text
    return re.sub(r"\\(.)", r"\1", text)  # the only escapes in it are doubled backslashes


def test_geometry_with_quotes_and_backslashes_in_its_names_reads_back_the_same():
    collection = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"code": "X", "nombre": name}, "geometry": None}
        for name in ['Sa\\n "Martín"', "O'Higgins </script>", "\\u0027 \\\\ \u2028"]]}
    text = script_safe(json.dumps(collection, ensure_ascii=False, separators=(",", ":")))
    element = SharedGeometry(text)
    script = element._template.module.script(element, {})
    assert json.loads(_literal(script)) == collection


def test_a_page_fits_its_first_view_before_drawing_any_layer():
    html = Renderer(mimpmap.load().atlas).service("cem")
    script = html[html.rindex("<script>"):]
    fit, geometry = script.index(".fitBounds("), script.index("JSON.parse(")
    assert script.count(".fitBounds(") == 1 and fit < geometry < script.index("MM.coverageLayer(")
    collection = json.loads(_literal(script[geometry - 20:script.index(");", geometry) + 2]))
    assert len(collection["features"]) == 26


def test_the_panel_folds_on_a_phone_as_soon_as_it_is_read():
    html = Renderer(mimpmap.load().atlas).service("cem")
    summary = html.index("</summary>")
    assert html[summary:summary + 60].startswith("</summary>\n<script>window.MM && MM.fold();</script>")
