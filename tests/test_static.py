"""Static maps (PNG/SVG) and the shared colour classes, checked by their properties: size, format,
non-blank, where Peru is, the colour of known pixels, determinism."""

from __future__ import annotations

import hashlib
import io
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import geopandas as gpd
import matplotlib
import numpy as np
import pandas as pd
import pytest
from matplotlib.colors import to_rgb
from PIL import Image, ImageCms
from shapely.geometry import Point

import mimpmap
from mimpmap import colors
from mimpmap.notebook import Coverage
from mimpmap.geography import Boundaries
from mimpmap.mpl.files import THUMBNAIL_WIDTH, thumbnail
from mimpmap.mpl.geometry import CRS
from mimpmap.static import StaticRenderer, outputs, render_static, static_figure

from .conftest import MINIMAL

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data" / "coverage.yaml"
GEO = ROOT / "geo" / "peru_departamentos.geojson"

pytestmark = pytest.mark.skipif(not GEO.exists(), reason="geo/peru_departamentos.geojson is not there yet")

# Points well inside a unit (lon, lat), away from its label.
INSIDE = {
    "PE-LOR": (-74.5, -2.5),
    "PE-UCA": (-73.5, -10.0),
    "PE-CUS": (-72.5, -12.5),
    "PE-LMA": (-76.95, -12.0),  # between the districts of El Agustino and Ate, in the inset
}


@pytest.fixture(scope="module")
def cov(shipped) -> Coverage:
    """The shipped data, read once per session (conftest's ``shipped``)."""
    return shipped


@pytest.fixture(scope="module")
def cov_lima_whole(cov) -> Coverage:
    """The same data on a boundary file that does not split Lima (one feature for the department)."""
    units = cov.units
    lima = gpd.GeoDataFrame(
        {"nombre": ["Lima"], "departamento": ["Lima"], "ubigeo": ["15"], "members": [("PE-LMA", "PE-LIM")],
         "geometry": [units.loc[["PE-LMA", "PE-LIM"]].union_all()]},
        index=["PE-LIM+LMA"], crs=units.crs,
    )
    frame = gpd.GeoDataFrame(pd.concat([units.drop(index=["PE-LMA", "PE-LIM"]), lima]), crs=units.crs)
    return Coverage(cov.data, Boundaries(frame=frame, path=GEO, key="iso_3166_2"))


def rgb255(hex_color: str) -> np.ndarray:
    return np.round(np.array(to_rgb(hex_color)) * 255)


def pixels(fig) -> np.ndarray:
    fig.canvas.draw()
    return np.asarray(fig.canvas.buffer_rgba())[..., :3].astype(int)


def pixel_at(fig, image: np.ndarray, ax, lon: float, lat: float) -> np.ndarray:
    """The RGB of the pixel where ``ax`` draws the point (lon, lat)."""
    x, y = gpd.GeoSeries([Point(lon, lat)], crs="EPSG:4326").to_crs(CRS).iloc[0].coords[0]
    px, py = ax.transData.transform((x, y))
    return image[int(image.shape[0] - py), int(px)]


def close(a, b, tol: int = 3) -> bool:
    return bool(np.all(np.abs(np.asarray(a, dtype=int) - np.asarray(b, dtype=int)) <= tol))


# --- colors.py ----------------------------------------------------------------------------------


def test_count_classes_one_class_per_distinct_count_when_few():
    classes = colors.count_classes([0, 9, 10, 10, 11, 12, 18])
    assert [(c.lo, c.hi) for c in classes] == [(9, 9), (10, 10), (11, 11), (12, 12), (18, 18)]
    assert [c.label for c in classes] == ["9", "10", "11", "12", "18"]


def test_count_classes_integer_bins_when_many():
    classes = colors.count_classes(range(0, 21))
    assert len(classes) <= colors.MAX_CLASSES
    assert classes[0].lo == 1 and classes[-1].hi == 20
    assert all(b.lo == a.hi + 1 for a, b in zip(classes, classes[1:]))  # contiguous, no overlap
    assert classes[0].label == "1–3"
    assert colors.count_classes(20) == classes  # an int n means "any count from 1 to n"
    assert colors.count_classes([0, 0]) == []


def test_class_colors_are_the_colorbrewer_scheme_for_k_classes():
    assert colors.class_colors(5) == ["#ffffcc", "#a1dab4", "#41b6c4", "#2c7fb8", "#253494"]  # YlGnBu 5
    assert colors.class_colors(1) == ["#2c7fb8"]
    assert len(set(colors.class_colors(7))) == 7
    classes = colors.count_classes([3, 5, 8])
    assert colors.color_for_count(0, classes) == colors.NEUTRAL
    assert colors.color_for_count(8, classes) == colors.class_colors(3)[-1]
    assert colors.color_for_count(np.int64(3), classes) == colors.class_colors(3)[0]
    with pytest.raises(ValueError):
        colors.color_for_count(4, classes)
    assert colors.text_color("#253494") == colors.INK_ON_DARK and colors.text_color("#ffffcc") == colors.INK


# --- static.py: sizes and formats ---------------------------------------------------------------


def test_png_fits_the_text_width_of_an_a4_page_at_300_dpi(cov):
    image = Image.open(io.BytesIO(render_static(cov.atlas)))
    dpi = image.info["dpi"][0]
    assert image.format == "PNG" and round(dpi) == 300
    assert image.width >= 1800 and image.width / dpi * 2.54 <= 17  # centimetres
    assert image.height / dpi * 2.54 <= 24.7 and image.height > image.width  # within an A4 text area
    assert image.mode == "RGB"  # no alpha channel
    profile = ImageCms.ImageCmsProfile(io.BytesIO(image.info["icc_profile"]))
    assert "sRGB" in ImageCms.getProfileDescription(profile)
    small = Image.open(io.BytesIO(render_static(cov.atlas, "cai", dpi=150)))
    assert small.width == image.width // 2


@pytest.mark.parametrize("size, width_cm, landscape", [("a4", 16, False), ("carta", 16.5, False),
                                                      ("diapositiva", 33.9, True), ("a4-media", 16, True),
                                                      ("a4-horizontal", 25.7, True)])
def test_size_presets(cov, size, width_cm, landscape):
    fig = static_figure(cov.atlas, "cai", size=size, dpi=20)
    width, height = fig.get_size_inches() * 2.54
    assert abs(width - width_cm) < 0.1 and (width > height) == landscape
    if not landscape:
        assert height <= 24.7
    with pytest.raises(ValueError, match="tamaño 'a3'"):
        static_figure(cov.atlas, size="a3")


def texts_of(fig):
    """Every visible, non-empty text of a figure, legends' included (not the labels of an axis that
    is not drawn)."""
    from matplotlib.text import Text

    hidden = {id(label) for ax in fig.axes if not ax.axison for label in (ax.xaxis.label, ax.yaxis.label)}
    return [t for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip() and id(t) not in hidden]


@pytest.mark.parametrize("service", [None, "cai", "educadores-de-calle"])
@pytest.mark.parametrize("size", ["a4", "carta"])
def test_every_text_is_at_least_7_pt_on_the_page(cov, service, size):
    fig = static_figure(cov.atlas, service, size=size, dpi=20)
    sizes = {t.get_text(): t.get_fontsize() for t in texts_of(fig)}
    assert len(sizes) > 30
    assert min(sizes.values()) >= 7, min(sizes.items(), key=lambda kv: kv[1])


@pytest.fixture(scope="module")
def mosaic_at(cov):
    """The shipped mosaic at a size and dpi, drawn once per module: the tests that take it only read it
    (and draw it on its canvas)."""
    from mimpmap.mosaic import mosaic_figure

    drawn = {}

    def at(size: str = "a4", dpi: int = 72):
        if (size, dpi) not in drawn:
            drawn[size, dpi] = mosaic_figure(StaticRenderer(cov.atlas), size=size, dpi=dpi)
        return drawn[size, dpi]

    return at


def _figures_at(atlas, size: str, mosaic_at) -> dict:
    """Every kind of image of the build at ``size``, as figures: the choropleth, two services (one with
    many figures), the mosaic (``mosaic_at``'s) and the population charts."""
    from mimpmap.charts import draw as draw_charts
    from mimpmap.views.report import people_chart
    from mimpmap.mpl.typeset import STYLE, Page, size_preset

    renderer = StaticRenderer(atlas)
    figures = {name: renderer.figure(name, size=size, dpi=72) for name in (None, "cai", "cem")}
    figures["mosaico"] = mosaic_at(size)
    with matplotlib.rc_context(STYLE):
        figures["poblacion"] = draw_charts(people_chart(atlas), Page.figure(size_preset(size).whole_page), dpi=72)
    return figures


@pytest.mark.parametrize("size", ["a4", "a4-media", "a4-horizontal", "carta", "diapositiva"])
def test_every_text_is_at_least_7_pt_and_on_the_page_at_every_size(cov, mosaic_at, size):
    """Issue 22.4: at each size, no text under 7 pt, none outside the page, and the page's own texts
    (header, figures, key, notes, source) do not run into one another."""
    import itertools

    from mimpmap.mpl.typeset import SIZES, STYLE

    assert size in SIZES
    for name, fig in _figures_at(cov.atlas, size, mosaic_at).items():
        texts = texts_of(fig)
        smallest = min(texts, key=lambda t: t.get_fontsize())
        assert smallest.get_fontsize() >= 7, (name, smallest.get_text())
        with matplotlib.rc_context(STYLE):
            fig.canvas.draw()
            page = fig.bbox
            for text in texts:
                box = text.get_window_extent()
                assert page.x0 - 1 <= box.x0 and box.x1 <= page.x1 + 1, (name, text.get_text()[:40])
                assert page.y0 - 1 <= box.y0 and box.y1 <= page.y1 + 1, (name, text.get_text()[:40])
            own = [t for t in fig.texts if t.get_text().strip()]
            boxes = [(t.get_bbox_patch() or t).get_window_extent() for t in own]
        for (a, ta), (b, tb) in itertools.combinations(zip(boxes, own), 2):
            assert not a.overlaps(b), (name, ta.get_text()[:40], tb.get_text()[:40])


def test_figures_that_do_not_fit_beside_the_map_go_under_it_or_say_where_the_rest_are(cov):
    from mimpmap.views.words import FIGURES_ELSEWHERE

    cem = cov.atlas.service("cem")
    words = lambda fig: "\n".join(t.get_text() for t in fig.texts)  # noqa: E731
    a4 = static_figure(cov.atlas, "cem", dpi=20)
    assert not [t for t in a4.texts if t.get_bbox_patch()]  # no box: in columns under the map
    assert all(line.strip().split()[0] in words(a4) for line in cem.static_figures)
    assert a4.axes[0].get_position().y0 > 0.25  # the map is above them
    # On half a page, CEM's column holds its centres' legend; SAU's (one kind) leaves room for a cut box.
    half = static_figure(cov.atlas, "sau", size="a4-media", dpi=20)
    assert FIGURES_ELSEWHERE.split()[-1] in words(half)
    assert cov.atlas.service("sau").static_figures[0] in words(half)
    cai = static_figure(cov.atlas, "cai", dpi=20)  # what fits stays in its box, whole
    (box,) = [t for t in cai.texts if t.get_bbox_patch()]
    assert FIGURES_ELSEWHERE not in box.get_text()


def test_svg_smallest_text_is_at_least_6_5_pt_placed_16_cm_wide(cov):
    import re

    for service in (None, "cai"):
        svg = render_static(cov.atlas, service, fmt="svg").decode()
        width_pt = float(re.search(r'<svg[^>]* width="([0-9.]+)pt"', svg).group(1))
        sizes = [float(x) for x in re.findall(r"font-size: ([0-9.]+)px", svg)]
        assert sizes
        placed = 16 / 2.54 * 72 / width_pt  # the SVG's user unit is a point at its own size
        assert min(sizes) * placed >= 6.5


@pytest.mark.parametrize("size", ["a4", "diapositiva"])
def test_department_labels_do_not_collide(cov, size):
    """No unit's label overlaps another's, the legend or the figures box (measured in the style the
    maps are drawn in: its text metrics are those of the saved files)."""
    import itertools

    import matplotlib

    from mimpmap.static import STYLE

    for service in (None, "educadores-de-calle"):
        fig = static_figure(cov.atlas, service, size=size, dpi=72)
        with matplotlib.rc_context(STYLE):
            renderer = fig.canvas.get_renderer()
            ax = fig.axes[0]
            labels = [t for t in ax.texts if not t.get_path_effects() and t.get_text() in {
                l.get_text() for l in ax.texts if l.get_path_effects()}]
            assert len(labels) == 24  # all but the two of the inset
            boxes = [t.get_window_extent(renderer) for t in labels]
            others = [ax.get_legend().get_window_extent(renderer)] + [
                t.get_bbox_patch().get_window_extent(renderer) for t in fig.texts if t.get_bbox_patch()]
        for a, b in itertools.combinations(range(len(boxes)), 2):
            assert not boxes[a].overlaps(boxes[b]), (labels[a].get_text(), labels[b].get_text())
        for t, box in zip(labels, boxes):
            assert not any(box.overlaps(o) for o in others), t.get_text()


def test_png_is_not_blank(cov):
    image = np.asarray(Image.open(io.BytesIO(render_static(cov.atlas, dpi=60))).convert("RGB"))
    assert len(np.unique(image.reshape(-1, 3), axis=0)) > 50
    assert (image.min(axis=2) < 200).mean() > 0.1  # a good part of the page is not (near) white


def test_thumbnail_is_a_small_faithful_copy(cov):
    png = render_static(cov.atlas, "cai")
    thumb = thumbnail(png)
    big, small = Image.open(io.BytesIO(png)), Image.open(io.BytesIO(thumb))
    assert small.format == "PNG" and small.width == THUMBNAIL_WIDTH
    assert abs(small.height / small.width - big.height / big.width) < 0.01  # same shape
    assert len(thumb) < len(png) / 5
    # The covered units keep their colour: CAI's fill is among the thumbnail's colours, nearly exact.
    pixels = np.asarray(small.convert("RGB")).reshape(-1, 3).astype(int)
    covered = np.array([round(255 * c) for c in to_rgb(colors.COVERED)])
    assert (np.abs(pixels - covered).max(axis=1) <= 6).mean() > 0.01
    assert (pixels.min(axis=1) > 245).mean() > 0.3  # a white page, not a transparent (black) one
    assert thumbnail(png) == thumb
    assert Image.open(io.BytesIO(thumbnail(render_static(cov.atlas, dpi=50)))).width == 315  # never enlarged (6.3 in at 50 dpi)


def test_svg_parses_and_keeps_text_as_text(cov):
    svg = render_static(cov.atlas, "cai", fmt="svg")
    root = ET.fromstring(svg)
    texts = ["".join(t.itertext()) for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert "Centros de Atención Institucional (CAI)" in texts
    assert "Loreto" in texts and "Callao" in texts
    assert any(t.startswith("Fuente: MIMP") for t in texts)


def test_unknown_format_is_refused(cov):
    with pytest.raises(ValueError, match="formato 'jpg'"):
        render_static(cov.atlas, fmt="jpg")


@pytest.mark.parametrize("fmt", ["png", "svg"])
def test_same_inputs_same_bytes(cov, fmt):
    assert render_static(cov.atlas, "mi60", fmt=fmt) == render_static(cov.atlas, "mi60", fmt=fmt)


def test_same_bytes_in_another_process(cov):
    code = (
        "import hashlib, sys, mimpmap; from mimpmap.static import render_static; "
        f"cov = mimpmap.load({str(DATA)!r}, {str(GEO)!r}); "
        "print(hashlib.sha256(render_static(cov.atlas, 'cai', fmt='png', dpi=80)).hexdigest(), "
        "hashlib.sha256(render_static(cov.atlas, 'cai', fmt='svg')).hexdigest())"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    out = run.stdout.split()
    assert out == [hashlib.sha256(render_static(cov.atlas, "cai", fmt="png", dpi=80)).hexdigest(),
                   hashlib.sha256(render_static(cov.atlas, "cai", fmt="svg")).hexdigest()]


def test_geometry_is_prepared_once_per_session(cov):
    from mimpmap.session import Session

    session = Session()
    assert StaticRenderer(cov.atlas, session).geometry is StaticRenderer(cov.atlas, session).geometry
    # Another session (another build) prepares its own: nothing is kept between builds.
    assert StaticRenderer(cov.atlas).geometry is not StaticRenderer(cov.atlas).geometry


# --- static.py: what is drawn where -------------------------------------------------------------


def test_reference_points_are_inside_their_units(cov):
    for code, point in INSIDE.items():
        assert cov.units.geometry[code].contains(Point(point)), code


def test_peru_is_where_it_should_be(cov):
    fig = static_figure(cov.atlas, dpi=50, labels=False)
    image, ax = pixels(fig), fig.axes[0]
    classes = colors.count_classes(cov.counts)
    for code in ("PE-LOR", "PE-UCA"):
        got = pixel_at(fig, image, ax, *INSIDE[code])
        assert not close(got, [255, 255, 255]), code
        assert close(got, rgb255(colors.color_for_count(cov.counts[code], classes))), code
    # Far out in the Pacific: background.
    assert close(pixel_at(fig, image, ax, -80.5, -9.0), [255, 255, 255])


def unit_faces(collection, units) -> dict:
    """Each unit's face colour in a geopandas-drawn collection. Older geopandas draws one patch per
    part of a MultiPolygon, newer ones one per feature."""
    faces = collection.get_facecolors()
    parts = [len(getattr(g, "geoms", [g])) for g in units.geometry]
    if len(faces) == len(units):
        parts = [1] * len(units)
    assert len(faces) == sum(parts)
    starts = np.cumsum([0] + parts[:-1])
    return {code: faces[start] for code, start in zip(units.index, starts)}


def test_choropleth_paints_lima_metropolitana_in_its_class_colour(cov):
    fig = static_figure(cov.atlas, dpi=60, labels=False)
    image, ax = pixels(fig), fig.axes[0]
    expected = colors.color_for_count(cov.counts["PE-LMA"], colors.count_classes(cov.counts))
    # In the inset, where Lima Metropolitana is large.
    inset = ax.child_axes[0]
    assert close(pixel_at(fig, image, inset, *INSIDE["PE-LMA"]), rgb255(expected))
    # And the patch of PE-LMA in the main map's collection.
    assert close(unit_faces(ax.collections[0], cov.units)["PE-LMA"][:3] * 255, rgb255(expected), tol=1)


def test_lima_metropolitana_has_the_same_colour_in_the_html_choropleth(cov):
    """The colour the HTML page paints PE-LMA with is the one the PNG shows."""
    import re

    from mimpmap.html.pages import render_choropleth

    html = render_choropleth(cov.atlas)
    fill = re.search(r'"PE-LMA":\{"name":"Lima Metropolitana","fill":"(#[0-9a-f]{6})"', html).group(1)
    fig = static_figure(cov.atlas, dpi=60, labels=False)
    image, ax = pixels(fig), fig.axes[0]
    assert close(pixel_at(fig, image, ax.child_axes[0], *INSIDE["PE-LMA"]), rgb255(fill))


def test_service_map_colours_covered_and_not_covered(cov):
    fig = static_figure(cov.atlas, "cai", dpi=50, labels=False)
    image, ax = pixels(fig), fig.axes[0]
    assert close(pixel_at(fig, image, ax, *INSIDE["PE-CUS"]), rgb255(colors.COVERED))
    assert close(pixel_at(fig, image, ax, *INSIDE["PE-LOR"]), rgb255(colors.NEUTRAL))
    faces = unit_faces(ax.collections[0], cov.units)
    for code in cov.units.index:
        want = colors.COVERED if code in ("PE-AYA", "PE-CUS", "PE-LMA", "PE-CAL") else colors.NEUTRAL
        assert close(faces[code][:3] * 255, rgb255(want), tol=1), code
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == ["Llega el servicio", "No llega"]


def test_partial_units_are_hatched_when_lima_is_not_split(cov_lima_whole):
    cov = cov_lima_whole
    assert cov.status.at["PE-LIM+LMA", "cai"] == "parcial"
    fig = static_figure(cov.atlas, "cai", dpi=50, labels=False)
    ax = fig.axes[0]
    fills, hatches = ax.collections[0], ax.collections[1:]
    face = unit_faces(fills, cov_lima_whole.units)["PE-LIM+LMA"]
    assert close(face[:3] * 255, rgb255(colors.PARTIAL_FILL), tol=1)
    assert len(hatches) == 1 and hatches[0].get_hatch() == colors.PARTIAL_HATCH
    assert len(hatches[0].get_paths()) == 1  # only the Lima department
    assert "En parte (solo Lima Metropolitana)" in [t.get_text() for t in ax.get_legend().get_texts()]
    # The choropleth marks it too, and the inset is titled for a file without Lima Metropolitana.
    choropleth = static_figure(cov.atlas, dpi=50, labels=False).axes[0]
    assert any(c.get_hatch() == colors.PARTIAL_HATCH for c in choropleth.collections)
    assert choropleth.child_axes[0].get_title(loc="left") == "Lima y Callao"


def test_coverage_static_map_is_a_figure(cov):
    fig = cov.static_map("mi60", dpi=30)
    assert fig.get_size_inches()[0] == 6.3 and fig.dpi == 30
    title = fig.texts[0].get_text()
    assert title.startswith("Servicio Mi60+") and title.count("Mi60+") == 1


def _svg_words(svg: bytes) -> str:
    import xml.etree.ElementTree as ET

    root = ET.fromstring(svg)
    return " ".join(" ".join("".join(t.itertext()).split()) for t in root.iter("{http://www.w3.org/2000/svg}text"))


def test_the_page_and_the_svg_word_partial_lima_alike(cov_lima_whole):
    """Issue 8: both draw the one description, so a 25-unit file gives the same words in both."""
    from mimpmap.html.pages import Renderer

    atlas = cov_lima_whole.atlas
    html = Renderer(atlas).service("car-pam")
    svg = _svg_words(render_static(atlas, "car-pam", fmt="svg"))
    (partial,) = [s.label for s in atlas.service("car-pam").legend.swatches if s.hatch]
    assert partial == "En parte (solo Lima Metropolitana)"
    assert partial in html and partial in svg
    counted = atlas.choropleth.legend.partial.label
    assert counted in Renderer(atlas).choropleth()
    assert counted in _svg_words(render_static(atlas, fmt="svg"))


# --- mosaic.py: every service on one page ---------------------------------------------------------


def test_mosaic_has_a_titled_map_per_service_all_of_one_size_and_scale(cov, mosaic_at):
    from mimpmap.mosaic import mosaic_figure

    atlas = cov.atlas
    fig = mosaic_at(dpi=20)
    panels = fig.axes
    assert len(panels) == len(atlas.services) == 19
    sizes = {tuple(np.round(ax.get_position().size, 6)) for ax in panels}
    limits = {(ax.get_xlim(), ax.get_ylim()) for ax in panels}
    assert len(sizes) == 1 and len(limits) == 1
    titles = {t.get_gid(): t.get_text().replace("\n", " ") for t in fig.texts if (t.get_gid() or "").startswith("mosaic-")}
    assert titles == {f"mosaic-{s.id}": s.display_name for s in atlas.services}
    assert min(t.get_fontsize() for t in texts_of(fig)) >= 7
    # Each map is coloured as the service's own: CAI reaches Cusco, not Loreto, and Lima Metropolitana
    # shows in its inset.
    cai = panels[[s.id for s in atlas.services].index("cai")]
    faces = dict(zip(cov.units.index, cai.collections[0].get_facecolors()))
    assert close(faces["PE-CUS"][:3] * 255, rgb255(colors.COVERED), tol=1)
    assert close(faces["PE-LOR"][:3] * 255, rgb255(colors.NEUTRAL), tol=1)
    fig = mosaic_figure(StaticRenderer(atlas), dpi=100)
    image = pixels(fig)
    cai = fig.axes[[s.id for s in atlas.services].index("cai")]
    assert close(pixel_at(fig, image, cai.child_axes[0], *INSIDE["PE-LMA"]), rgb255(colors.COVERED))
    assert close(pixel_at(fig, image, cai, *INSIDE["PE-LOR"]), rgb255(colors.NEUTRAL))


def test_mosaic_groups_the_services_by_program(cov, mosaic_at):
    fig = mosaic_at(dpi=20)
    order = [s.program.short for s in cov.atlas.services]
    assert order == sorted(order, key=order.index)  # each program's services together
    headings = [t.get_text() for t in fig.texts if t.get_fontweight() == "bold"
                and t.get_gid() not in ("title", "abbreviations")]
    assert set(headings) == set(order)


@pytest.mark.parametrize("size", ["a4", "a4-horizontal", "diapositiva"])
def test_mosaic_titles_fit_above_their_maps_the_page_is_used_and_abbreviations_have_a_key(cov, mosaic_at, size):
    """Issue 22.5: three-line titles ("Acogida Temporal NNA") ran into their maps, a quarter of the
    page was empty, and UA, HRT, CEDIF, ER had no key."""
    from mimpmap.views.report import mosaic
    from mimpmap.mpl.typeset import STYLE

    fig = mosaic_at(size)
    with matplotlib.rc_context(STYLE):
        fig.canvas.draw()
        titles = {t.get_gid(): t.get_window_extent() for t in fig.texts if (t.get_gid() or "").startswith("mosaic-")}
        maps = [ax.get_window_extent() for ax in fig.axes]
        legend = fig.legends[0].get_window_extent()
        key = next(t for t in fig.texts if t.get_gid() == "abbreviations").get_window_extent()
    if size == "a4":
        assert any(title.y0 < title.y1 - 2.5 * 7 for title in titles.values())  # some take three lines
    for (gid, title), box in zip(titles.items(), maps):
        assert title.y0 >= box.y1 - 0.5, gid  # above its map, not on it
    # Between the lowest maps and the legend, less than a tenth of the page is left.
    assert min(box.y0 for box in maps) - legend.y1 < 0.1 * fig.bbox.height
    assert legend.y0 > key.y1  # the key under the legend
    words = "\n".join(t.get_text() for t in fig.texts)
    for entry in ("UA: Adopciones", "HRT: Hogares de Refugio Temporal", "ER: Estrategia Rural",
                  "DGA: Dirección General de Adopciones"):
        assert entry in mosaic(cov.atlas).abbreviations and entry in words.replace("\n", " ")
    assert not [e for e in mosaic(cov.atlas).abbreviations if e.startswith(("Línea 100", "Mi60+"))]  # no need


def test_whole_builds_add_the_mosaic_to_png_and_svg(cov):
    from mimpmap.formats import FORMATS, Job

    atlas = cov.atlas
    whole = [item.name for item in FORMATS["png"].outputs(atlas, Job(maps=atlas.maps, whole=True))]
    assert "mosaico.png" in whole and "miniaturas/mosaico.png" in whole
    one = [item.name for item in FORMATS["svg"].outputs(atlas, Job(maps=(atlas.service("cai"),), whole=False))]
    assert one == ["servicios/cai.svg", "servicios/cai.txt"]
    svg = {i.name: i.render for i in FORMATS["svg"].outputs(atlas, Job(maps=(), whole=True))}["mosaico.svg"]()
    root = ET.fromstring(svg)
    ids = {g.get("id") for g in root.iter("{http://www.w3.org/2000/svg}g")}
    assert {f"mosaic-{s.id}" for s in atlas.services} <= ids


def test_png_svg_and_thumbnail_share_one_drawing_with_the_bytes_of_separate_ones(cov, monkeypatch):
    from mimpmap.formats import Job

    drawn = []
    page = StaticRenderer.page
    monkeypatch.setattr(StaticRenderer, "page", lambda self, spec, *a, **k: drawn.append(spec.key) or page(
        self, spec, *a, **k))
    job = Job(maps=(cov.atlas.service("cai"),), whole=False, dpi=60)
    files = {o.name: o for fmt in ("png", "svg") for o in outputs(cov.atlas, fmt, job)}
    assert set(files) == {"servicios/cai.png", "servicios/cai.svg", "miniaturas/servicios/cai.png"}
    got = {name: o.render() for name, o in files.items()}
    assert drawn == ["servicios/cai"]  # one figure for the three files
    monkeypatch.setattr(StaticRenderer, "page", page)
    png = render_static(cov.atlas, "cai", dpi=60)
    assert got == {"servicios/cai.png": png, "servicios/cai.svg": render_static(cov.atlas, "cai", fmt="svg", dpi=60),
                   "miniaturas/servicios/cai.png": thumbnail(png)}


def test_a_drawing_is_only_shared_by_the_same_map_of_the_same_atlas_in_one_session(cov):
    from mimpmap.mpl.files import drawing
    from mimpmap.session import Session
    from mimpmap.static import SIZES

    a4, session = SIZES["a4"], Session()
    first = drawing(session, cov.atlas, "servicios/cai", a4, 60, lambda: None)
    assert drawing(session, cov.atlas, "servicios/cai", a4, 60, lambda: None) is first
    other_atlas = mimpmap.load(DATA, GEO).atlas
    for other in (drawing(Session(), cov.atlas, "servicios/cai", a4, 60, lambda: None),
                  drawing(session, other_atlas, "servicios/cai", a4, 60, lambda: None),
                  drawing(session, cov.atlas, "servicios/sau", a4, 60, lambda: None),
                  drawing(session, cov.atlas, "servicios/cai", a4, 61, lambda: None),
                  drawing(session, cov.atlas, "servicios/cai", SIZES["carta"], 60, lambda: None)):
        assert other is not first
    # One drawing is kept: the first is gone once another was made.
    assert drawing(session, cov.atlas, "servicios/cai", a4, 60, lambda: None) is not first


#: :data:`tests.conftest.MINIMAL` with the sites of its centres (as mi60's in the shipped data): an atlas
#: of one service that draws them, quick to draw whole (the PDF atlas).
WITH_SITES = MINIMAL.replace("    periods:", """    centres:
      total: 1
      label: Centros de prueba
      sites:
        - {name: CAI Lima, province: Lima, district: Lima, department: Lima Metropolitana, count: 1,
           location: [-12.0464, -77.0428]}
    periods:""", 1)


@pytest.fixture(scope="module")
def small_with_sites(tmp_path_factory) -> Coverage:
    data = tmp_path_factory.mktemp("sites") / "coverage.yaml"
    data.write_text(WITH_SITES, encoding="utf-8")
    return mimpmap.load(data, GEO)


@pytest.mark.parametrize("fmt", ["svg", "pdf"])
def test_what_is_projected_is_projected_while_the_build_plans(small_with_sites, monkeypatch, fmt):
    """The build's workers are forked after it plans: they must not open the PROJ database the
    parent process opened (an SQLite file), so the boundaries and every service's centres are
    projected, in the build's session, when the outputs are planned."""
    from mimpmap.formats import FORMATS, Job

    cov = small_with_sites  # one service with centres: its PDF also has the maps of the provinces and their CEMs

    with_sites = [s for s in cov.atlas.services if s.sites]
    assert with_sites
    job = Job(maps=(with_sites[0],), whole=True, dpi=20)
    planned = list(FORMATS[fmt].outputs(cov.atlas, job))

    def no_proj(*args, **kwargs):
        raise AssertionError("PROJ used while drawing")

    monkeypatch.setattr(gpd.GeoSeries, "to_crs", no_proj)
    monkeypatch.setattr(gpd.GeoDataFrame, "to_crs", no_proj)
    drawn = next(o for o in planned if o.name.startswith(("servicios/", "atlas")))
    assert drawn.render()[:5] in (b"<?xml", b"%PDF-")


def test_png_is_read_back_pixel_for_pixel_with_its_dpi_and_profile(cov):
    from mimpmap.mpl.files import png, srgb_profile

    drawn = Image.fromarray(np.random.default_rng(7).integers(0, 256, (300, 53, 3), dtype=np.uint8), "RGB")  # rows in two blocks
    image = Image.open(io.BytesIO(png(drawn, 300)))
    image.load()  # checks every chunk's CRC and the zlib stream
    assert (image.mode, image.size) == ("RGB", (53, 300))
    assert np.array_equal(np.asarray(image), np.asarray(drawn))
    assert [round(d) for d in image.info["dpi"]] == [300, 300]  # pixels per metre, as Pillow writes them
    assert image.info["icc_profile"] == srgb_profile()


def test_the_size_names_the_command_offers_are_those_drawn():
    from mimpmap.formats import SIZE_NAMES
    from mimpmap.static import SIZES

    assert tuple(SIZES) == SIZE_NAMES
    from mimpmap.formats import size_help

    assert all(f"{name} (" in size_help() for name in SIZE_NAMES)


def test_partial_units_draw_with_the_hatch_of_matplotlib_before_3_11(cov_lima_whole, monkeypatch):
    """Python 3.10 has no matplotlib 3.11: there a hatch takes the edge colour (``hatch`` gives
    ``edgecolor``), which must replace the border's, not clash with it."""
    from mimpmap.mosaic import render_mosaic
    from mimpmap.mpl import marks

    monkeypatch.setattr(marks, "HATCHCOLOR", False)
    atlas = cov_lima_whole.atlas
    partial = next(s for s in atlas.services if any(u.hatched for u in s.units))
    assert render_static(atlas, partial.id, dpi=40).startswith(b"\x89PNG")
    assert render_mosaic(StaticRenderer(atlas), "png", dpi=40).startswith(b"\x89PNG")


def test_a_name_that_overhangs_its_unit_on_one_line_takes_two(cov):
    """Issue 22.15: "La Libertad" on one line overhung its narrow department in sau.png; the label takes
    the way of writing it (one line, or broken at a space) that leaves least of it outside the unit."""
    import shapely

    from mimpmap.static import STYLE, StaticRenderer

    renderer = StaticRenderer(cov.atlas)
    with matplotlib.rc_context(STYLE):
        fig = renderer.figure("sau", dpi=72)
        ax = fig.axes[0]
        (text,) = [t for t in ax.texts if "Libertad" in t.get_text() and not t.get_path_effects()]
        (x0, y0), (x1, y1) = ax.transData.inverted().transform(
            text.get_window_extent(fig.canvas.get_renderer()).get_points())
    assert text.get_text() == "La\nLibertad"
    frame = shapely.box(x0, y0, x1, y1)
    assert frame.intersection(renderer.geometry.units.geometry["PE-LAL"]).area / frame.area > 0.85  # one line: 0.73
