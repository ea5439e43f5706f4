"""The directory's centres in ``atlas.html`` (issue 21): each point written once, compactly, and every
view's centres (the choropleth's "Centros", the service maps of CEM, SAR, SAU and CAI) made from that one
list exactly as the separate pages draw them; never a shelter. No browser here (see
tests/browser/test_atlas.py)."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mimpmap.centremaps import CentreLayer, CentresView, Point, Swatch
from mimpmap.html.atlas import _prefix, centres_data, kinds_shown, render_atlas
from mimpmap.html.centres import NEAREST_WORDS, SEARCH_WORDS, layer_data

from .test_atlas import ATLAS_BUDGET, view_data


@pytest.fixture(scope="module")
def atlas(shipped):
    return shipped.atlas


@pytest.fixture(scope="module")
def data(atlas) -> dict:
    return view_data(render_atlas(atlas))


def directory(view: dict) -> dict | None:
    """A view's directory mark (``["directory", {kinds, show, nearest}]``), if it has one."""
    found = [data for kind, data in view.get("marks", []) if kind == "directory"]
    assert len(found) <= 1
    return found[0] if found else None


def unpack(c: dict, kinds: list[int]) -> dict:
    """What ``centreList`` in assets/atlas.js makes of the atlas's centres for a view: the same
    steps, in Python, to compare with what a separate page writes (:func:`layer_data`)."""
    points, lat, lon = [], 0, 0
    for p in c["points"]:
        lat, lon = lat + p[0], lon + p[1]
        name = c["places"][p[3]] if isinstance(p[3], int) else p[3]
        phones = str(p[5]).split("/") if p[5] != "" else []
        points.append([lat / c["scale"], lon / c["scale"], c["kinds"][p[2]][2] + name, p[2], p[4], phones,
                       *(c["places"][i] for i in p[6:9])])
    local = {k: i for i, k in enumerate(kinds)}
    return {"name": c["name"], "legend": c["legend"], "kinds": [c["kinds"][k][:2] for k in kinds],
            "points": [[*p[:3], local[p[3]], *p[4:]] for p in points if p[3] in local]}


def to_4(points: list[list]) -> list[list]:
    """Positions to the atlas's 1/10 000 degree (about 11 m), as the atlas rounds them."""
    return [[round(p[0] * 10 ** 4) / 10 ** 4, round(p[1] * 10 ** 4) / 10 ** 4, *p[2:]] for p in points]


def rounded(layer: CentreLayer) -> dict:
    """A separate page's centres with their positions to the atlas's 4 decimals."""
    d = layer_data(layer)
    return {**d, "points": to_4(d["points"])}


def test_every_view_draws_from_the_one_list_what_its_own_page_draws(atlas, data):
    found = atlas.centres
    assert data["centres"]["search"] == dict(SEARCH_WORDS) and data["centres"]["nearest"] == dict(NEAREST_WORDS)
    views = {"cobertura": found.choropleth, **found.services}
    assert set(views) == {"cobertura", "cem", "estrategia-rural", "sau", "cai"}
    for view_id, layer in views.items():
        centres = directory(data["views"][view_id])
        # Only the services' maps list the nearest centres on a click, and show them at first; the
        # choropleth's units have popups, and its centres are off until chosen.
        assert centres["nearest"] is centres["show"] is (view_id != "cobertura")
        got = unpack(data["centres"], centres["kinds"])
        got["points"] = to_4(got["points"])
        assert got == rounded(layer), view_id
    assert not [v for v in data["views"] if v not in views and directory(data["views"][v])]
    assert [len(unpack(data["centres"], directory(data["views"][v])["kinds"])["points"])
            for v in ("cobertura", "cem", "estrategia-rural", "sau", "cai")] == [515, 435, 65, 8, 7]


def test_each_point_is_written_once_and_no_shelter_is(atlas, data):
    page = render_atlas(atlas)
    c = data["centres"]
    assert len(c["points"]) == 515  # the 519 non-shelter sites less the 4 without a point on the map
    assert "HRT" not in json.dumps(c["kinds"]) and "Hogar" not in json.dumps(c, ensure_ascii=False)
    assert page.count("Av. Heroes Del Cenepa N° 1000") == 1 and page.count("932854358") == 1
    assert len(page.encode("utf-8")) <= ATLAS_BUDGET


def test_the_list_is_compact(data):
    c = data["centres"]
    bagua = next(p for p in c["points"] if p[4].startswith("Av. Heroes Del Cenepa N° 1000"))
    # "Cem Comisaría Bagua": its kind's prefix, and its name is the place "Bagua" (an index).
    assert c["kinds"][bagua[2]][1:] == ["CEM en comisaría", "Cem Comisaría "]
    assert c["places"][bagua[3]] == "Bagua" and bagua[5] == 932854358
    assert [c["places"][i] for i in bagua[6:]] == ["Bagua", "Bagua", "Amazonas"]
    assert len(c["places"]) == len(set(c["places"]))
    assert all(isinstance(v, int) for p in c["points"] for v in p[:3])


def test_the_atlas_without_centres_has_none(shipped):
    from dataclasses import replace
    page = render_atlas(replace(shipped.atlas, centres=None))
    assert "var MMCentres" not in page and "centres" not in view_data(page)


@pytest.mark.parametrize("names, prefix", [
    (["Cem Regular Bagua", "Cem Regular Bagua Grande"], "Cem Regular "),
    (["Cem Regular Bagua", "Cem Regular Bagua"], "Cem Regular "),  # each keeps a word of its own
    (["Cem", "Cem"], ""), (["Solo uno"], ""), (["", "x"], ""), (["A  B", "A  C"], "A  "),
])
def test_a_prefix_is_whole_words_every_name_starts_with(names, prefix):
    assert _prefix(names) == prefix


_text = st.text(st.characters(blacklist_categories=["Cs"]), max_size=12)
_points = st.lists(st.tuples(st.floats(-18.4, -0.1), st.floats(-81.4, -68.6), st.sampled_from(["A", "B"]),
                             _text, _text, st.lists(st.from_regex(r"\+?[0-9]{1,12}", fullmatch=True), max_size=2),
                             _text, _text, _text), max_size=12)


@given(_points)
@settings(max_examples=60, deadline=None)
def test_any_centres_come_back_as_written(rows):
    """Names, addresses and places of any text, and any phones, come back from the compact list."""
    looks = {"A": "#111111", "B": "#222222"}
    points = tuple(Point(lat=round(lat, 5), lon=round(lon, 5), name=name, kind=kind, color=looks[kind],
                         address=address, place="", phones=tuple(phones), district=d, province=p, department=dep)
                   for lat, lon, kind, name, address, phones, d, p, dep in rows)
    kinds = sorted({p.kind for p in points})
    layer = CentreLayer(name="Centros", legend_title="Centros por tipo", points=points, lines=(), source="",
                        swatches=tuple(Swatch(looks[k], k) for k in kinds))
    view = CentresView(services={}, choropleth=layer, rows=())
    got = unpack(json.loads(json.dumps(centres_data(view))), kinds_shown(view, layer))
    got["points"] = to_4(got["points"])
    assert got == rounded(layer)
