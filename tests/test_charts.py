"""The population charts (poblacion.png/.svg, a page of the PDF atlas): what they say is the
description's, every figure on them is the census's, and a build keeps them with the maps."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
from dataclasses import replace

import pytest
from PIL import Image

from mimpmap.build import BuildOptions, keys, plan
from mimpmap.charts import draw
from mimpmap.views.report import PEOPLE_CHART, people_chart
from mimpmap.mpl.typeset import STYLE, Page, size_preset


def texts(svg: bytes) -> list[str]:
    return ["".join(t.itertext()) for t in ET.fromstring(svg).iter("{http://www.w3.org/2000/svg}text")]


@pytest.fixture(scope="module")
def files(shipped):
    items = {i.name: i for i in plan(shipped.atlas, BuildOptions(formats=("png", "svg"), dpi=60))}
    return {name: items[name].render() for name in ("poblacion.png", "poblacion.svg", "miniaturas/poblacion.png")}


def test_every_bar_says_its_census_figure(shipped, files):
    spec = people_chart(shipped.atlas)
    written = texts(files["poblacion.svg"])
    said = " ".join(" ".join(written).split())  # wrapped lines are texts of their own
    population = shipped.atlas.population
    total = population.total
    by_count = dict(spec.charts)[spec.charts[0][0]]
    assert sum(bar.value for bar in by_count) == total == 29_381_884  # everyone, once
    for title, bars in spec.charts:
        assert title in said
        for bar in bars:
            assert bar.label in written and bar.text in written
    cai = next(bar for bar in spec.charts[1][1] if bar.label == "CAI")
    assert cai.value == 11_391_171 and cai.text == "38,8\u00a0%"  # as on its own map
    assert spec.static_notes[0] in said  # what a population reached means
    assert "Población: INEI, Censos Nacionales 2017" in said  # and whose figures they are


def test_images_are_a_map_page_and_a_thumbnail(files):
    png = Image.open(io.BytesIO(files["poblacion.png"]))
    assert png.format == "PNG" and round(png.info["dpi"][0]) == 60 and png.height > png.width
    small = Image.open(io.BytesIO(files["miniaturas/poblacion.png"]))
    assert small.width == png.width  # a 60-dpi page is narrower than a thumbnail: never enlarged


@pytest.fixture(scope="module")
def drawn(shipped):
    """The shipped charts at a size, drawn (on their canvas, at 72 dpi) once per module: the tests that
    take them only read them."""
    import matplotlib

    figures = {}

    def at(size: str):
        if size not in figures:
            with matplotlib.rc_context(STYLE):
                figures[size] = draw(people_chart(shipped.atlas), Page.figure(size_preset(size)), dpi=72)
                figures[size].canvas.draw()
        return figures[size]

    return at


@pytest.mark.parametrize("size", ["a4", "a4-horizontal", "carta", "diapositiva"])
def test_the_bars_stay_inside_the_page(drawn, size):
    import matplotlib

    fig = drawn(size)
    page = fig.bbox
    for text in fig.findobj(matplotlib.text.Text):
        if text.get_text() and text.get_visible():
            box = text.get_window_extent()
            assert page.x0 - 1 <= box.x0 and box.x1 <= page.x1 + 1 and box.y0 >= page.y0 - 1, text.get_text()


def test_the_charts_key_follows_the_population_and_not_a_service_figure(shipped):
    atlas = shipped.atlas
    options = BuildOptions(formats=("png",))

    def key(atlas) -> str:
        items = plan(atlas, options)
        return keys(atlas, items, options)[f"{PEOPLE_CHART}.png"]

    before = key(atlas)
    cai = atlas.service("cai")
    figures = replace(atlas, services=tuple(replace(s, static_figures=("otra cifra",)) if s is cai else s
                                            for s in atlas.services))
    assert key(figures) == before
    bars = atlas.choropleth.ranking
    fewer = replace(atlas, choropleth=replace(atlas.choropleth, ranking=bars[:-1]))
    assert key(fewer) != before


def test_no_population_no_charts(shipped):
    atlas = replace(shipped.atlas, choropleth=replace(shipped.atlas.choropleth, people_by_count=()))
    assert people_chart(atlas) is None
    assert not [i for i in plan(atlas, BuildOptions(formats=("png", "svg", "pdf"))) if PEOPLE_CHART in i.name]


def test_long_names_wrap_without_touching_their_neighbours(shipped):
    import matplotlib

    atlas = shipped.atlas
    long = tuple(replace(bar, label=f"Servicio de nombre muy largo número {i} sin sigla conocida")
                 for i, bar in enumerate(atlas.choropleth.ranking))
    spec = people_chart(replace(atlas, choropleth=replace(atlas.choropleth, ranking=long)))
    for size in ("a4", "diapositiva"):
        with matplotlib.rc_context(STYLE):
            fig = draw(spec, Page.figure(size_preset(size)), dpi=72)
            fig.canvas.draw()
            boxes = [t.get_window_extent() for t in fig.axes[-1].texts if t.get_text().startswith("Servicio de")]
        assert len(boxes) == len(long) and all("\n" in t.get_text() for t in fig.axes[-1].texts[::2])
        assert not any(a.overlaps(b) for a, b in zip(boxes, boxes[1:])), size


@pytest.mark.parametrize("size", ["a4", "a4-horizontal"])
def test_the_charts_use_the_page_and_have_a_key_of_abbreviations(shipped, drawn, size):
    """Issue 22.5: a fifth of the page was empty under the bars, and UA, HRT, CEDIF, ER had no key."""
    import matplotlib

    spec = people_chart(shipped.atlas)
    fig = drawn(size)
    with matplotlib.rc_context(STYLE):
        key = next(t for t in fig.texts if t.get_gid() == "abbreviations").get_window_extent()
    lowest = min(ax.get_window_extent().y0 for ax in fig.axes)
    assert lowest - key.y1 < 0.08 * fig.bbox.height
    words = " ".join(t.get_text().replace("\n", " ") for t in fig.texts)
    for entry in ("UA: Adopciones", "CEDIF: Centro de Desarrollo Integral de la Familia", "ER: Estrategia Rural"):
        assert entry in spec.abbreviations and entry in words
    assert not [e for e in spec.abbreviations if e.startswith(("Línea 100", "AURORA"))]  # not on this page


def test_half_a_page_draws_the_charts_at_a_whole_page(shipped):
    """At a4-media the maps take half a page; the charts, which need a page at 7 pt, take an A4's."""
    items = {i.name: i for i in plan(shipped.atlas, BuildOptions(formats=("png",), dpi=30, size="a4-media"))}
    png = Image.open(io.BytesIO(items["poblacion.png"].render()))
    half = Image.open(io.BytesIO(items["cobertura.png"].render()))
    assert png.height > png.width and half.height < half.width
