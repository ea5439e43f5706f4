"""Who is far from help, printed (issue 24): brechas.png/.svg, its caption and thumbnail, and its page of
the PDF atlas. The printed spec is the key: a change in the distances redraws those, not the service
maps; the names on the map are the largest shares that fit, never overlapping; no shelter anywhere."""

from __future__ import annotations

import itertools
import json
import re
import shutil
import subprocess

import pytest
from matplotlib.text import Annotation

import mimpmap
from mimpmap import build, gapmap
from mimpmap.mpl.typeset import measuring
from mimpmap.session import Session
from mimpmap.views import printedgaps
from mimpmap.views.printed import DotsByKind

from .conftest import MINIMAL, ROOT

SOURCE = ROOT.parent / "shared" / "sources" / "mimp_directorio_2026.json"
IMAGES = ("brechas.png", "brechas.svg", "miniaturas/brechas.png", "brechas.txt")


@pytest.fixture(scope="module")
def atlas():
    return mimpmap.load().atlas


@pytest.fixture(scope="module")
def spec(atlas):
    return printedgaps.describe(atlas)


def _names(fig) -> list:
    """The texts of the names on the map (each name's halo is a copy underneath, with a path effect)."""
    return [a for a in fig.axes[0].texts if isinstance(a, Annotation) and not a.get_path_effects()]


def test_the_printed_map_paints_every_province_by_its_share_beyond_50_km(atlas, spec):
    gaps = atlas.brechas
    assert len(spec.fill.units) == 196 and gaps.threshold_words[gaps.map_threshold] == "50 km"
    layer = dict(next(g for g in gaps.layers if g.key == "lejos").fills)
    assert all(u.fill == layer[u.code] for u in spec.fill.units)
    assert spec.labelled == tuple(g.code for g in gaps.worst(printedgaps.NAMED))
    assert "línea recta" in spec.title + spec.static_subtitle and gaps.leaves_out in spec.static_notes
    # The images name each source and year; the atlas's page, with room, has them in full.
    assert "censo 2025" in spec.static_source and "Directorio MIMP 2026" in spec.static_source
    assert printedgaps.full(atlas, spec).static_source == gaps.sources
    # The dots are the CEMs placed on the maps, of every kind, in one colour.
    cems = [p for p in atlas.centres.choropleth.points if p.kind.startswith("CEM")]
    (dots,) = spec.of(DotsByKind)
    assert [s.label for s in dots.swatches] == ["CEM"]
    assert len(dots.points) == len(cems) > 300
    assert {(p.lat, p.lon) for p in dots.points} == {(p.lat, p.lon) for p in cems}


def test_the_map_names_the_largest_shares_that_fit_and_no_two_names_overlap(atlas, spec):
    fig = gapmap.renderer(atlas, Session()).figure(spec, dpi=72)
    texts = _names(fig)
    chosen = [g.name for g in atlas.brechas.worst(printedgaps.NAMED)]
    written = [t.get_text().split("\n") for t in texts]  # the name (on one or two lines), then its share
    assert 6 <= len(written) < printedgaps.NAMED  # most fit; not all: some were left out
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
    assert printedgaps.describe(atlas) is None
    items = build.plan(atlas, build.BuildOptions(formats=("png", "pdf")))
    assert not any(i.name.endswith(("brechas.png", "brechas.txt")) for i in items)


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


def test_a_change_in_the_distances_redraws_the_gaps_and_the_atlas_not_the_service_maps(atlas, tmp_path):
    options = build.BuildOptions(formats=("png", "svg", "pdf"))
    moved = mimpmap.load(districts=_moved(tmp_path, "0403")).atlas  # Caravelí
    assert moved.brechas.provinces != atlas.brechas.provinces
    before, after = (build.keys(a, build.plan(a, options), options) for a in (atlas, moved))
    changed = {name for name in before if before[name] != after.get(name)}
    assert {*IMAGES, "atlas.pdf"} <= changed
    assert not any(n.startswith(("servicios/", "cobertura", "mosaico", "poblacion")) for n in changed), changed


def _atlas_pdf(where, size: str = "a4"):
    """The PDF atlas of a one-service coverage, with the distances (the default centres, census, points)."""
    from mimpmap.pdf import render_atlas

    (where / "coverage.yaml").write_text(MINIMAL, encoding="utf-8")
    path = where / f"atlas-{size}.pdf"
    path.write_bytes(render_atlas(mimpmap.load(where / "coverage.yaml").atlas, size=size))
    return path


@pytest.fixture(scope="module")
def pdf(tmp_path_factory):
    return _atlas_pdf(tmp_path_factory.mktemp("gaps"))


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
    assert "línea recta no ve carreteras" in flat
    assert gaps.title in [item.title for item in PdfReader(pdf).outline if not isinstance(item, list)]
    cover = _page_text(pdf, "Atlas de cobertura del MIMP")
    assert gaps.title in re.sub(r"\s+", " ", cover)


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext is missing: install poppler-utils")
def test_on_a_slide_the_table_has_a_page_of_its_own(tmp_path, atlas, spec):
    """A slide's words' column cannot hold the table under the legends: it follows the map."""
    slide = _atlas_pdf(tmp_path, "diapositiva")
    gaps = atlas.brechas
    assert gaps.index_head[2] not in _page_text(slide, spec.title)
    table = re.sub(r"\s+", " ", _page_text(slide, gaps.index_title))
    assert gaps.worst()[0].name in table and "línea recta no ve carreteras" in table


def test_no_shelter_reaches_the_printed_gaps(atlas, spec, tmp_path, pdf):
    renderer = gapmap.renderer(atlas, Session())
    svg = renderer.render(spec, fmt="svg", dpi=72).decode("utf-8")
    words = [svg, printedgaps.caption(atlas, spec).text]
    if shutil.which("pdftotext"):
        words.append(_page_text(pdf, spec.title))
    needles = {"HRT", "Refugio"}
    if SOURCE.is_file():  # the source the directory came from names the shelters
        needles |= {s["nombre"].strip() for s in json.loads(SOURCE.read_text(encoding="utf-8"))["servicios"]
                    if s["tipo"] == "HRT" and s["nombre"].strip()}
    for text in words:
        for needle in needles:
            assert needle not in text
