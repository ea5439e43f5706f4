"""Who is far from help, printed (issue 24): brechas.png/.svg and brechas-disponibilidad.png/.svg, their
captions and thumbnails, and their pages of the PDF atlas. Each is a view whose printed map is made of
the "brechas" layer's marks; the printed spec is the key: a change in the distances redraws those, not
the service maps; the names on a map are the most important provinces that fit, never overlapping; the
provinces without a CEM are hatched grey with their own legend entry; no shelter anywhere."""

from __future__ import annotations

import itertools
import json
import re
import shutil
import subprocess

import pytest
from matplotlib.text import Annotation

import mimpmap
from mimpmap import build
from mimpmap.mpl.typeset import measuring
from mimpmap.session import Session
from mimpmap.static import province_renderer
from mimpmap.text import number
from mimpmap.views import gapmaps, layers
from mimpmap.views.brechas import GapMap
from mimpmap.views.printed import DotsByKind, Fill

from .conftest import ROOT

SOURCE = ROOT.parent / "shared" / "sources" / "mimp_directorio_2026.json"
IMAGES = tuple(f"{prefix}{key}.{ext}" for key in (gapmaps.FAR, gapmaps.PER_CEM)
               for prefix, ext in (("", "png"), ("", "svg"), ("miniaturas/", "png"), ("", "txt")))


@pytest.fixture(scope="module")
def atlas(shipped):
    """The shipped atlas (conftest's ``shipped``, read once per session)."""
    return shipped.atlas


@pytest.fixture(scope="module")
def maps(atlas):
    return gapmaps.printed_maps(atlas)


@pytest.fixture(scope="module")
def spec(maps):
    return maps[0]


@pytest.fixture(scope="module")
def per_cem(maps):
    return maps[1]


def _names(fig) -> list:
    """The texts of the names on the map (each name's halo is a copy underneath, with a path effect)."""
    return [a for a in fig.axes[0].texts if isinstance(a, Annotation) and not a.get_path_effects()]


def test_the_printed_map_paints_every_province_by_its_share_beyond_50_km(atlas, spec):
    gaps = atlas.brechas
    assert len(spec.fill.units) == 196 and gaps.threshold_words[gaps.map_threshold] == "50 km"
    layer = dict(next(g for g in gaps.layers if g.key == "lejos").fills)
    assert all(u.fill == layer[u.code] for u in spec.fill.units)
    assert spec.labelled == tuple(g.code for g in gaps.worst(gapmaps.NAMED))
    assert "línea recta" in spec.title + spec.static_subtitle
    # Beside the straight line, what it leaves out and how a district's women are counted at one point.
    assert spec.static_notes == (gaps.straight_line, gaps.leaves_out, gaps.points)
    # The images name each source and year; the atlas's page, with room, has them in full.
    assert "censo 2025" in spec.static_source and "Directorio MIMP 2026" in spec.static_source
    assert gapmaps.full(atlas, spec).static_source == gaps.sources
    # The dots are the CEMs placed on the maps, of every kind, in one colour.
    cems = [p for p in atlas.centres.choropleth.points if p.kind.startswith("CEM")]
    (dots,) = spec.of(DotsByKind)
    assert [s.label for s in dots.swatches] == ["CEM"]
    assert len(dots.points) == len(cems) > 300
    assert {(p.lat, p.lon) for p in dots.points} == {(p.lat, p.lon) for p in cems}


def test_the_maps_are_the_marks_of_the_brechas_layer(atlas, maps):
    """No map of the provinces is drawn by hand: each printed map holds exactly the marks the registry's
    layers give its view, the "brechas" layer's (the department maps' layers give it none)."""
    views = gapmaps.describe(atlas.brechas)
    assert [v.key for v in views] == [m.key for m in maps] == [gapmaps.FAR, gapmaps.PER_CEM]
    for view, spec in zip(views, maps):
        assert isinstance(view, GapMap)
        given = [(layer.name, layer.marks(view, atlas)) for layer in layers.LAYERS if layer.applies(view)]
        assert [name for name, marks in given if marks] == ["brechas"]
        assert spec.layers == tuple(marks for _, marks in given if marks)
        assert [type(m) for m in spec.marks] == [Fill, DotsByKind]
    assert not any(layer.name == "brechas" for m in atlas.maps for layer in layers.LAYERS if layer.applies(m))


def test_the_women_per_cem_map_names_the_provinces_with_most_women_per_cem(atlas, per_cem):
    gaps = atlas.brechas
    layer = next(g for g in gaps.layers if g.key == "por_cem")
    assert per_cem.key == "brechas-disponibilidad" and per_cem.title == layer.title
    assert [u.fill for u in per_cem.fill.units] == [fill for _, fill in layer.fills]
    most = max((p for p in gaps.provinces if p.women_per_cem), key=lambda p: p.women_per_cem)
    assert per_cem.labelled[0] == most.code
    national = number(round(gaps.national.women / gaps.national.cems))
    assert per_cem.static_subtitle.startswith(f"En el Perú, {national} mujeres por CEM")
    assert per_cem.static_notes == (gaps.per_cem_note,)
    assert not any(u.hatched for u in per_cem.fill.units) and per_cem.fill.legend.partial is None  # all have one


def _without_cems(tmp_path, province: str):
    """The centres' file without the CEMs of ``province``."""
    lines = (ROOT / "data" / "centros.csv").read_text(encoding="utf-8").splitlines()
    kept = [line for line in lines if not (line.startswith("CEM,") and line.split(",")[3].startswith(province))]
    assert len(kept) < len(lines)
    path = tmp_path / "centros.csv"
    path.write_text("\n".join(kept) + "\n", encoding="utf-8")
    return path


def test_provinces_without_a_cem_are_hatched_grey_with_their_own_legend_entry(tmp_path):
    from matplotlib.collections import PatchCollection
    from matplotlib.colors import to_hex

    from mimpmap.colors import NEUTRAL

    atlas = mimpmap.load(centres=_without_cems(tmp_path, "0403")).atlas  # Caravelí
    spec = gapmaps.printed_maps(atlas)[1]
    (caraveli,) = [u for u in spec.fill.units if u.hatched]
    assert caraveli.code == "0403" and caraveli.fill == NEUTRAL and caraveli.note is None
    legend = spec.fill.legend
    assert NEUTRAL not in {s.color for s in legend.swatches}  # not a colour of the scale
    assert legend.partial.label == "Sin CEM" and legend.partial.hatch and legend.partial.color == NEUTRAL
    assert "1 de las 196 provincias no tiene CEM" in spec.static_subtitle
    fig = province_renderer(atlas, Session()).figure(spec, dpi=72)
    hatched = [c for c in fig.axes[0].collections if isinstance(c, PatchCollection) and c.get_hatch()]
    assert len(hatched) == 1 and len(hatched[0].get_paths()) == 1
    handles = fig.axes[0].get_legend().legend_handles
    entry = next(h for h, t in zip(handles, fig.axes[0].get_legend().get_texts()) if t.get_text() == "Sin CEM")
    assert entry.get_hatch() and to_hex(entry.get_facecolor()) == NEUTRAL
    caption = gapmaps.caption(atlas, spec).text
    assert "Rayado gris: Sin CEM" in caption


def test_the_map_names_the_largest_shares_that_fit_and_no_two_names_overlap(atlas, spec):
    fig = province_renderer(atlas, Session()).figure(spec, dpi=72)
    texts = _names(fig)
    chosen = [g.name for g in atlas.brechas.worst(gapmaps.NAMED)]
    written = [t.get_text().split("\n") for t in texts]  # the name (on one or two lines), then its share
    assert 6 <= len(written) < gapmaps.NAMED  # most fit; not all: some were left out
    assert all(" ".join(w[:-1]) in chosen and w[-1].endswith("%") for w in written), written
    assert " ".join(written[0][:-1]) == chosen[0]  # the largest share is always named
    with measuring(fig) as renderer:
        boxes = [t.get_window_extent(renderer) for t in texts]
    assert not any(a.overlaps(b) for a, b in itertools.combinations(boxes, 2))


def test_a_whole_build_writes_the_images_caption_and_thumbnail(atlas):
    items = build.plan(atlas, build.BuildOptions(formats=("png", "svg")))
    names = [i.name for i in items]
    assert all(names.count(n) == 1 for n in IMAGES)


def test_without_the_distances_there_is_no_printed_map():
    atlas = mimpmap.load().atlas
    object.__setattr__(atlas, "brechas", None)  # as an atlas without the centres, census or points
    assert gapmaps.describe(atlas.brechas) == ()
    items = build.plan(atlas, build.BuildOptions(formats=("png", "pdf")))
    assert not any(i.name.startswith(("brechas", "miniaturas/brechas")) for i in items)


def _moved(tmp_path, province: str):
    """The district points file with the districts of ``province`` moved a degree north."""
    lines = (ROOT / "geo" / "peru_distritos_puntos.csv").read_text(encoding="utf-8").splitlines()
    for i, line in enumerate(lines):
        cells = line.split(",")
        if len(cells) == 6 and cells[2] == province:
            cells[4] = f"{float(cells[4]) + 1:.4f}"
            lines[i] = ",".join(cells)
    path = tmp_path / "puntos.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_a_change_in_the_distances_redraws_the_far_map_and_the_atlas_not_the_others(atlas, tmp_path):
    options = build.BuildOptions(formats=("png", "svg", "pdf"))
    moved = mimpmap.load(districts=_moved(tmp_path, "0403")).atlas  # Caravelí
    assert moved.brechas.provinces != atlas.brechas.provinces
    before, after = (build.keys(a, build.plan(a, options), options) for a in (atlas, moved))
    changed = {name for name in before if before[name] != after.get(name)}
    far = {n for n in IMAGES if gapmaps.PER_CEM not in n}
    assert {*far, "atlas.pdf"} <= changed
    assert not changed & (set(IMAGES) - far)  # women per CEM: no distance in it
    assert not any(n.startswith(("servicios/", "cobertura", "mosaico", "poblacion")) for n in changed), changed


def _atlas_pdf(where, small_pdf, size: str = "a4"):
    """The PDF atlas of a one-service coverage, with the distances (the default centres, census, points),
    written in ``where``; drawn once per process and size (test_pdf reads the same)."""
    path = where / f"atlas-{size}.pdf"
    path.write_bytes(small_pdf(size))
    return path


@pytest.fixture(scope="module")
def pdf(tmp_path_factory, small_pdf):
    return _atlas_pdf(tmp_path_factory.mktemp("gaps"), small_pdf)


def _page_text(pdf, title: str) -> str:
    """The text of the PDF's page whose first line is ``title``."""
    pages = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                           check=True).stdout.split("\f")
    return next(p for p in pages if p.strip().startswith(title))


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext is missing: install poppler-utils")
def test_the_pdf_atlas_has_the_gaps_page_with_its_table_caveat_and_bookmark(pdf, atlas, spec):
    from pypdf import PdfReader

    text = _page_text(pdf, spec.title)
    gaps = atlas.brechas
    flat = re.sub(r"\s+", " ", text)
    for g in gaps.worst():
        assert g.name.split(" ")[0] in text
    assert "Perú" in text and gaps.index_cells(gaps.national)[-1].replace("\xa0", " ") in flat.replace("\xa0", " ")
    assert "línea recta no ve carreteras" in flat and "a la distancia de un solo punto suyo" in flat
    assert gaps.title in [item.title for item in PdfReader(pdf).outline if not isinstance(item, list)]
    cover = _page_text(pdf, "Atlas de cobertura del MIMP")
    assert gaps.title in re.sub(r"\s+", " ", cover)


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext is missing: install poppler-utils")
def test_on_a_slide_the_table_has_a_page_of_its_own(tmp_path, small_pdf, atlas, spec):
    """A slide's words' column cannot hold the table under the legends: it follows the map."""
    slide = _atlas_pdf(tmp_path, small_pdf, "diapositiva")
    gaps = atlas.brechas
    assert gaps.index_head[2] not in _page_text(slide, spec.title)
    table = re.sub(r"\s+", " ", _page_text(slide, gaps.index_title))
    assert gaps.worst()[0].name in table and "línea recta no ve carreteras" in table


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext is missing: install poppler-utils")
def test_the_pdf_atlas_has_a_page_of_women_per_cem_with_its_bookmark(pdf, atlas, per_cem):
    from pypdf import PdfReader

    flat = re.sub(r"\s+", " ", _page_text(pdf, per_cem.title))
    assert re.sub(r"\s+", " ", per_cem.static_subtitle) in flat and atlas.brechas.per_cem_note in flat
    assert atlas.brechas.sources.split(";")[0] in flat  # the sources in full
    assert per_cem.title in [item.title for item in PdfReader(pdf).outline if not isinstance(item, list)]


def test_the_images_and_captions_say_how_a_district_is_counted(atlas, spec):
    """The sentence on a district's one point is written once (the view's) and printed beside the
    straight-line caveat: in the SVG (its text stays text) and in the caption."""
    svg = re.sub(r"\s+", " ", province_renderer(atlas, Session()).render(spec, fmt="svg", dpi=72).decode("utf-8"))
    caption = gapmaps.caption(atlas, spec).text
    for sentence in (atlas.brechas.points, atlas.brechas.straight_line):
        assert sentence in caption
        assert " ".join(sentence.split()[:5]) in svg  # its first line


def test_no_shelter_reaches_the_printed_gaps(atlas, maps, tmp_path, pdf):
    renderer = province_renderer(atlas, Session())
    words = []
    for spec in maps:
        words += [renderer.render(spec, fmt="svg", dpi=72).decode("utf-8"), gapmaps.caption(atlas, spec).text]
        if shutil.which("pdftotext"):
            words.append(_page_text(pdf, spec.title))
    needles = {"HRT", "Refugio"}
    if SOURCE.is_file():  # the source the directory came from names the shelters
        needles |= {s["nombre"].strip() for s in json.loads(SOURCE.read_text(encoding="utf-8"))["servicios"]
                    if s["tipo"] == "HRT" and s["nombre"].strip()}
    for text in words:
        for needle in needles:
            assert needle not in text


def _gaps_section(html: str) -> str:
    start = html.index('<section aria-labelledby="brechas">')
    return html[start:html.index("</section>", start)]


def test_the_index_shows_each_map_of_the_provinces_with_its_thumbnail_and_files(atlas):
    from mimpmap.html.pages import Renderer

    have = {"brechas.png", "brechas.svg", "miniaturas/brechas.png", "brechas-disponibilidad.png"}
    renderer = Renderer(atlas)
    section = _gaps_section(renderer.index(("html", "png", "svg"), thumbnails=True, exists=have.__contains__))
    assert section.count('<article class="mm-card mm-gap-map">') == 2
    assert '<img src="miniaturas/brechas.png" alt="Mapa: Mujeres a más de 50 km de un CEM"' in section
    assert '<a href="brechas.png" download>' in section and '<a href="brechas.svg" download>' in section
    # Without its thumbnail, the card shows the PNG; without its SVG, it links none.
    assert '<img src="brechas-disponibilidad.png"' in section and "brechas-disponibilidad.svg" not in section
    # The index's key holds the files it links: a new image redraws it.
    files = repr(renderer.index_files(("png", "svg"), have.__contains__))
    assert all(name in files for name in have)
    # Pages alone: no image, no card.
    assert "mm-gap-map" not in _gaps_section(renderer.index(("html",), exists=lambda name: True))


def test_a_directory_without_a_cem_draws_the_maps_of_the_provinces_without_dots(tmp_path):
    """A centres file with no CEM (a CAI alone) is valid: the maps of the provinces are drawn, every
    province without a CEM, and their caption says there is none instead of "0 mujeres por CEM"
    (the images' build used to end in a traceback, projecting no points)."""
    from .conftest import CLEAN_CENTRES, MINIMAL, clean_centres

    assert "\nCEM," not in CLEAN_CENTRES
    data = tmp_path / "coverage.yaml"
    data.write_text(MINIMAL, encoding="utf-8")
    coverage = mimpmap.load(data, centres=clean_centres(tmp_path))
    only = frozenset({"brechas.png", "brechas.txt", "brechas-disponibilidad.svg", "brechas-disponibilidad.txt"})
    build.build(coverage.atlas, tmp_path / "maps", build.BuildOptions(formats=("png", "svg"), dpi=20, only=only))
    assert (tmp_path / "maps" / "brechas.png").read_bytes()[:4] == b"\x89PNG"
    caption = (tmp_path / "maps" / "brechas-disponibilidad.txt").read_text(encoding="utf-8")
    assert "El directorio no tiene ningún CEM; 196 de las 196 provincias no tienen CEM" in caption
    assert "0 mujeres por CEM" not in caption
    alt = caption.split("Texto alternativo", 1)[1]
    assert "Puntos:" not in alt and ": ." not in alt  # no dots drawn, no province named
    svg = (tmp_path / "maps" / "brechas-disponibilidad.svg").read_text(encoding="utf-8")
    assert ">(Directorio MIMP 2026)</text>" not in svg and 'id="centres-0"' not in svg  # no legend of no dots
    # The women "far from a CEM" are every woman: the map of the distances and the page say why first.
    far = (tmp_path / "maps" / "brechas.txt").read_text(encoding="utf-8")
    assert "El directorio no tiene ningún CEM. En el Perú, 17 292 074 (100,0 %)" in far.replace("\xa0", " ")
    assert coverage.atlas.brechas.summary.startswith("El directorio no tiene ningún CEM. En el Perú, ")
