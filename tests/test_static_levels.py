"""Printed maps of another level than the atlas's (the 196 provinces), drawn by the same renderer on
that level's geometry, and the names such a map writes: only those that fit."""

from __future__ import annotations

import dataclasses
import itertools
from pathlib import Path

import pytest
from matplotlib.collections import PatchCollection
from matplotlib.colors import to_rgb
from matplotlib.text import Annotation

import mimpmap
from mimpmap import colors
from mimpmap.geography import read_boundaries
from mimpmap.levels import PROVINCES
from mimpmap.mpl.typeset import measuring
from mimpmap.session import Session
from mimpmap.static import StaticRenderer
from mimpmap.views.atlas import describe
from mimpmap.views.printed import PrintedUnit

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def atlas():
    return describe(mimpmap.load(ROOT / "data" / "coverage.yaml", ROOT / "geo" / "peru_departamentos.geojson"))


@pytest.fixture(scope="module")
def provinces():
    return read_boundaries(level=PROVINCES)


def _province_map(atlas, provinces, labelled=None):
    """The choropleth's printed words over the provinces, every other one dark."""
    units = tuple(PrintedUnit(code, colors.COVERED if i % 2 else colors.NEUTRAL, False, None)
                  for i, code in enumerate(reversed(provinces.frame.index)))  # not in the file's order
    spec = atlas.printed_map(atlas.choropleth)
    fill = dataclasses.replace(spec.fill, units=units)
    return dataclasses.replace(spec, key="provincias", layers=((fill,),), labelled=labelled)


def _fills(ax) -> list:
    collection = next(c for c in ax.collections if isinstance(c, PatchCollection))
    return [tuple(round(v, 3) for v in rgba[:3]) for rgba in collection.get_facecolors()], collection


def _names(fig) -> list[str]:
    """The units' names written on the map (the text of each halo-and-text pair, once)."""
    ax = fig.axes[0]
    texts = [a for a in ax.texts if isinstance(a, Annotation) and not a.get_path_effects()]
    return [t.get_text().split("\n")[0] for t in texts]


def test_a_province_map_draws_its_196_units_in_the_geometry_order(atlas, provinces):
    session = Session()
    renderer = StaticRenderer(atlas, session).at(provinces)
    assert renderer.at(provinces).geometry is renderer.geometry  # projected once per session
    fig = renderer.figure(_province_map(atlas, provinces), labels=False)
    fills, collection = _fills(fig.axes[0])
    assert len(collection.get_paths()) == len(provinces.frame) == 196
    codes = list(provinces.frame.index)
    dark = tuple(round(v, 3) for v in to_rgb(colors.COVERED))
    # Painted by code, not by position: the spec listed them backwards.
    assert [f == dark for f in fills] == [(len(codes) - 1 - i) % 2 == 1 for i in range(len(codes))]


def test_the_atlas_renderer_keeps_its_own_geometry(atlas, provinces):
    renderer = StaticRenderer(atlas)
    renderer.at(provinces)
    assert len(renderer.geometry.units) == len(atlas.boundaries.frame)


def test_a_province_map_names_only_the_chosen_units_that_fit(atlas, provinces):
    frame = provinces.frame
    # Ten neighbours of Lima, most of which cannot all be written at country scale.
    chosen = tuple(c for c in frame.index if c.startswith(("15", "12", "11")))[:25]
    fig = StaticRenderer(atlas).at(provinces).figure(_province_map(atlas, provinces, labelled=chosen))
    names = _names(fig)
    assert names and set(names) <= {frame.at[c, "nombre"] for c in chosen}
    assert len(names) < len(chosen)  # some did not fit and were left out
    assert frame.at[chosen[0], "nombre"] in names  # the first always does
    texts = [a for a in fig.axes[0].texts if isinstance(a, Annotation) and not a.get_path_effects()]
    with measuring(fig) as renderer:
        boxes = [t.get_window_extent(renderer) for t in texts]
    assert not any(a.overlaps(b) for a, b in itertools.combinations(boxes, 2))


def test_without_a_choice_every_unit_outside_the_inset_is_named(atlas, provinces):
    spec = _province_map(atlas, provinces)
    fig = StaticRenderer(atlas).at(provinces).figure(spec)
    assert len(_names(fig)) == 196 - 2  # Lima and Callao are named in the inset
