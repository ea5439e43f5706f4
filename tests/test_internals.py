"""The private members of branca and Leaflet that mimpmap relies on, checked against the installed
versions: a new release that drops one fails here, naming it, instead of breaking pages silently."""

from __future__ import annotations

import re
from importlib.metadata import version
from pathlib import Path

from branca.element import Element

from mimpmap.html import assets, ids

JS = Path(assets.__file__).with_name("assets") / "mimpmap.js"


def test_branca_keeps_the_element_tree_ids_relies_on():
    parent, child = Element(), Element()
    parent.add_child(child, name="hijo")
    problems = []
    if ids.children(parent) != [child]:
        problems.append("_children (an ordered dict of an element's children)")
    if not isinstance(getattr(child, "_id", None), str):
        problems.append("_id (an element's id, a string)")
    if getattr(child, "_parent", None) is not parent:
        problems.append("_parent (an element's parent)")
    assert not problems, (f"branca {version('branca')} changed {', '.join(problems)}; "
                          "mimpmap/html/ids.py must be adapted")


def leaflet_private_members() -> set[str]:
    """The private Leaflet members mimpmap.js reads: those its helpers name, and those the layer
    control subclass uses (mimpmap's own start with ``_mm``)."""
    text = JS.read_text(encoding="utf-8")
    helpers = set(re.findall(r"function \w+\((?:layer|map)\) \{ return (?:layer|map)\.(_\w+); \}", text))
    grouped = text[text.index("var GroupedLayers"):]
    grouped = grouped[: grouped.index("\n  });")]
    used = (set(re.findall(r"\bthis\.(_\w+)", grouped)) | set(re.findall(r"prototype\.(_\w+)", grouped))
            | set(re.findall(r"^ {4}(_\w+): function", grouped, re.M)))  # the methods it overrides
    return helpers | {m for m in used if not m.startswith("_mm")}


def test_the_bundled_leaflet_still_has_every_private_member_mimpmap_js_uses():
    members = leaflet_private_members()
    assert {"_map", "_popup", "_animatingZoom", "_addItem", "_update", "_layersLink"} <= members
    base, leaflet = assets._leaflet_dir()
    source = (base / "leaflet-src.js") if (base / "leaflet-src.js").is_file() else (base / "leaflet.js")
    text = source.read_text(encoding="utf-8")
    missing = sorted(m for m in members if not re.search(rf"\b{m}\b", text))
    assert not missing, (f"Leaflet {leaflet} has no {', '.join(missing)}, which mimpmap.js uses; adapt its "
                         "helpers (mapOf, popupOf, zooming, zoomEnd) or GroupedLayers")
